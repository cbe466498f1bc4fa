"""The notation dialogs: the preview of 「まとめて直す」 and the settings of the rules.

:class:`NotationPreviewDialog` lists every change (place, text, before, after,
rule) grouped by rule, each with a checkbox; the chosen ones are applied by
the review feature as one undo step. :class:`NotationRulesDialog` switches
rules on and off, adds the office's own, imports and exports a rules file
to share between offices and goes back to the defaults.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import notation, notationfile
from ...core.model import ReportError
from ...core.notation import NotationFinding, NotationRule
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)

ROLE = Qt.ItemDataRole.UserRole
CHECKED = Qt.CheckState.Checked
UNCHECKED = Qt.CheckState.Unchecked
# The parts of speech an office's own rule can be limited to (as the analyser names them).
PARTS_OF_SPEECH = ("", "名詞", "動詞", "形容詞", "副詞", "接続詞", "連体詞", "助詞")
_SEPARATORS = re.compile(r"[、,，\s]+")


class NotationPreviewDialog(QDialog):
    """「まとめて直す」: every change grouped by rule, each with a checkbox (all on at first)."""

    def __init__(self, findings: Iterable[NotationFinding], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("表記の揺れをまとめて直す"))
        fit_to_screen(self, QSize(1100, 600))
        self.findings = list(findings)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("場所"),
                self.tr("欄"),
                self.tr("変更前"),
                self.tr("変更後"),
                self.tr("ルール"),
                self.tr("前後の文"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        for column, width in enumerate((330, 80, 90, 90, 130)):
            self.tree.setColumnWidth(column, width)
        self.groups: dict[str, QTreeWidgetItem] = {}
        for finding in self.findings:
            group = self.groups.get(finding.rule.id)
            if group is None:
                group = QTreeWidgetItem(self.tree, [finding.rule.label])
                group.setFlags(
                    group.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsAutoTristate
                )
                group.setToolTip(0, finding.rule.note)
                self.groups[finding.rule.id] = group
            item = QTreeWidgetItem(
                group,
                [
                    finding.place,
                    notation.FIELD_LABELS[finding.field],
                    finding.before,
                    finding.after,
                    finding.rule.label,
                    f"…{finding.context}…",
                ],
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, CHECKED)
            item.setData(0, ROLE, finding)
        for group in self.groups.values():
            group.setText(
                0,
                self.tr("{0}({1} 箇所)")
                .replace("{0}", group.text(0))
                .replace("{1}", str(group.childCount())),
            )
            group.setExpanded(True)
        self.tree.itemChanged.connect(lambda *_args: self._update())
        all_on = QPushButton(self.tr("すべて選ぶ"))
        all_on.clicked.connect(lambda: self.set_all(True))
        all_off = QPushButton(self.tr("すべて外す"))
        all_off.clicked.connect(lambda: self.set_all(False))
        buttons = ok_cancel(self, "")  # (the OK button says how many, in _update)
        self.ok = buttons.ok
        row = QHBoxLayout()
        row.addWidget(all_on)
        row.addWidget(all_off)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self._update()

    def items(self) -> list[QTreeWidgetItem]:
        """The rows of the changes, in document order within each rule."""
        return [g.child(i) for g in self.groups.values() for i in range(g.childCount())]

    def set_all(self, checked: bool) -> None:
        """Choose every change, or none."""
        # One count at the end, not one per row the groups' boxes pass on to.
        self.tree.blockSignals(True)
        try:
            for group in self.groups.values():
                group.setCheckState(0, CHECKED if checked else UNCHECKED)
        finally:
            self.tree.blockSignals(False)
        self._update()

    def chosen(self) -> list[NotationFinding]:
        """The changes chosen, in document order."""
        picked = {id(i.data(0, ROLE)) for i in self.items() if i.checkState(0) == CHECKED}
        return [f for f in self.findings if id(f) in picked]

    def _update(self) -> None:
        count = len(self.chosen())
        self.ok.setEnabled(count > 0)
        self.ok.setText(self.tr("{0} 箇所を直す").replace("{0}", str(count)))
        self.summary.setText(
            self.tr(
                "表記の揺れ {0} 箇所のうち、チェックした {1} 箇所を直します。"
                "直す前にスナップショットを取ります。直したあとも「元に戻す」(Ctrl+Z)一回ですべて元に戻せます。"
                "部署名、【】の事業名、「」『』の引用は書き換えません。"
            )
            .replace("{0}", str(len(self.findings)))
            .replace("{1}", str(count))
        )


class OwnRuleDialog(QDialog):
    """One rule of the office's own: the form to use, the forms to replace."""

    def __init__(self, rule: NotationRule | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("表記ルールの追加") if rule is None else self.tr("表記ルールの編集")
        )
        self.resize(520, 0)
        self.label = QLineEdit(rule.label if rule else "")
        self.label.setPlaceholderText(self.tr("例: ウェブサイト"))
        self.prefer = QLineEdit(rule.prefer if rule else "")
        self.replace = QLineEdit("、".join(rule.replace) if rule else "")
        self.replace.setPlaceholderText(self.tr("例: ホームページ、HP(「、」で区切る)"))
        self.pos = QComboBox()
        for pos in PARTS_OF_SPEECH:
            self.pos.addItem(pos or self.tr("問わない"), pos)
        self.pos.setCurrentIndex(max(0, self.pos.findData(rule.pos if rule else "")))
        self.keep = QLineEdit("、".join(rule.keep) if rule else "")
        self.keep.setPlaceholderText(self.tr("法令名など、この語を含んでも直さない語"))
        self.note = QLineEdit(rule.note if rule else "")
        form = QFormLayout()
        form.addRow(self.tr("名前:"), self.label)
        form.addRow(self.tr("使う形:"), self.prefer)
        form.addRow(self.tr("置き換える形:"), self.replace)
        form.addRow(self.tr("品詞:"), self.pos)
        form.addRow(self.tr("そのままにする語:"), self.keep)
        form.addRow(self.tr("よりどころ:"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.result_rule: NotationRule | None = None
        self.rule_id = rule.id if rule else ""

    def rule(self, rule_id: str) -> NotationRule:
        """The rule as filled in; ReportError saying what is missing or would loop."""
        prefer = self.prefer.text().strip()
        forms = tuple(f for f in _SEPARATORS.split(self.replace.text()) if f)
        if not prefer or not forms:
            raise ReportError(self.tr("使う形と置き換える形を書いてください。"))
        looping = [f for f in forms if f in prefer]
        if looping:
            # 子ども → 子ど would find its own fix again and again.
            raise ReportError(
                self.tr("置き換える形「{0}」が使う形に含まれています。").replace(
                    "{0}", "」「".join(looping)
                )
            )
        return NotationRule(
            id=rule_id,
            label=self.label.text().strip() or prefer,
            prefer=prefer,
            replace=forms,
            pos=self.pos.currentData(),
            keep=tuple(f for f in _SEPARATORS.split(self.keep.text()) if f),
            note=self.note.text().strip() or self.tr("本課で追加"),
        )

    def _accept(self) -> None:
        try:
            self.result_rule = self.rule(self.rule_id or "own")
        except ReportError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.accept()


class NotationRulesDialog(QDialog):
    """表記ルールの設定: on and off, the office's own rules, a shared file, the defaults."""

    def __init__(self, rules: Iterable[NotationRule], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("表記ルールの設定"))
        fit_to_screen(self, QSize(1000, 560))
        self.start_dir = str(Path.home())
        note = QLabel(
            self.tr(
                "チェックを外したルールは点検しません。本課のルールを追加でき、ファイルに書き出して"
                "他の課と共有できます。設定はデータファイルに保存されます。"
            )
        )
        note.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [
                self.tr("ルール"),
                self.tr("置き換える形"),
                self.tr("使う形"),
                self.tr("品詞"),
                self.tr("よりどころ"),
            ]
        )
        for column, width in enumerate((190, 230, 110, 70)):
            self.tree.setColumnWidth(column, width)
        self.tree.currentItemChanged.connect(lambda *_args: self._selection())
        self.tree.itemDoubleClicked.connect(lambda *_args: self.edit_current())
        self.add_button = QPushButton(self.tr("追加…"))
        self.add_button.clicked.connect(self.add_own)
        self.edit_button = QPushButton(self.tr("編集…"))
        self.edit_button.clicked.connect(self.edit_current)
        self.remove_button = QPushButton(self.tr("削除"))
        self.remove_button.clicked.connect(self.remove_current)
        import_button = QPushButton(self.tr("読み込み…"))
        import_button.clicked.connect(self._import_clicked)
        export_button = QPushButton(self.tr("書き出し…"))
        export_button.clicked.connect(self._export_clicked)
        reset_button = QPushButton(self.tr("既定に戻す"))
        reset_button.clicked.connect(lambda: self.set_rules(notationfile.default_rules()))
        side = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            side.addWidget(button)
        side.addSpacing(16)
        for button in (import_button, export_button, reset_button):
            side.addWidget(button)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.tree, 1)
        middle.addLayout(side)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(middle, 1)
        layout.addWidget(buttons)
        self.set_rules(rules)

    # -- the list -------------------------------------------------------------------------
    def set_rules(self, rules: Iterable[NotationRule]) -> None:
        """Show these rules (replacing the list)."""
        self.tree.clear()
        for rule in rules:
            self._add_item(rule)
        self._selection()

    def _add_item(self, rule: NotationRule, at: int | None = None) -> QTreeWidgetItem:
        item = QTreeWidgetItem()
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        self._fill(item, rule)
        if at is None:
            self.tree.addTopLevelItem(item)
        else:
            self.tree.insertTopLevelItem(at, item)
        return item

    def _fill(self, item: QTreeWidgetItem, rule: NotationRule) -> None:
        replaced = "".join(rule.replace) if rule.method == "width" else "、".join(rule.replace)
        if rule.method == "width" and len(replaced) > 12:
            replaced = f"{replaced[0]}–{replaced[-1]}({len(replaced)} 字)"
        for column, text in enumerate((rule.label, replaced, rule.prefer, rule.pos, rule.note)):
            item.setText(column, text)
            item.setToolTip(column, text)
        item.setCheckState(0, CHECKED if rule.enabled else UNCHECKED)
        item.setData(0, ROLE, rule)

    def rules(self) -> list[NotationRule]:
        """The rules as the list shows them, each switched on or off by its checkbox."""
        out = []
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            out.append(item.data(0, ROLE).with_enabled(item.checkState(0) == CHECKED))
        return out

    def item_of(self, rule_id: str) -> QTreeWidgetItem | None:
        """The row of a rule."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, ROLE).id == rule_id:
                return item
        return None

    def is_default(self) -> bool:
        """Whether the list is the defaults, untouched (the store then keeps nothing)."""
        return self.rules() == notationfile.default_rules()

    def _selection(self) -> None:
        item = self.tree.currentItem()
        own = item is not None and item.data(0, ROLE).id not in _default_ids()
        self.edit_button.setEnabled(own)
        self.remove_button.setEnabled(own)

    # -- the office's own rules -------------------------------------------------------------
    def own_rule_dialog(self, rule: NotationRule | None = None) -> NotationRule | None:
        """Ask for a rule of the office's own (None when cancelled)."""
        dialog = OwnRuleDialog(rule, self)
        return dialog.result_rule if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add_own(self) -> None:
        """追加…: a rule of the office's own, at the end, switched on."""
        rule = self.own_rule_dialog()
        if rule is None:
            return
        taken = {r.id for r in self.rules()}
        number = 1
        while f"own-{number}" in taken:
            number += 1
        rule = dataclasses.replace(rule, id=f"own-{number}")
        self.tree.setCurrentItem(self._add_item(rule))

    def edit_current(self) -> None:
        """編集…: change an own rule (the defaults are only switched on or off)."""
        item = self.tree.currentItem()
        if item is None or item.data(0, ROLE).id in _default_ids():
            return
        old = item.data(0, ROLE)
        rule = self.own_rule_dialog(old)
        if rule is not None:
            self._fill(item, dataclasses.replace(rule, id=old.id))

    def remove_current(self) -> None:
        """削除: an own rule goes (the defaults are only switched off)."""
        item = self.tree.currentItem()
        if item is not None and item.data(0, ROLE).id not in _default_ids():
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
            self._selection()

    # -- sharing ------------------------------------------------------------------------
    def import_from(self, path: Path) -> bool:
        """Show the rules of a shared file instead (False, with a message, if unreadable)."""
        try:
            rules = notationfile.read_rules(path)
        except ReportError as exc:
            QMessageBox.warning(self, self.tr("読み込めませんでした"), str(exc))
            return False
        self.set_rules(rules)
        return True

    def export_to(self, path: Path) -> bool:
        """Write the rules as the list shows them to a file (False, with a message, if not)."""
        try:
            notationfile.write_rules(self.rules(), path)
        except ReportError as exc:
            QMessageBox.warning(self, self.tr("書き出せませんでした"), str(exc))
            return False
        return True

    def _import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("表記ルールの読み込み"), self.start_dir, self.tr("表記ルール (*.json)")
        )
        if path:
            self.start_dir = str(Path(path).parent)
            self.import_from(Path(path))

    def _export_clicked(self) -> None:
        start = str(Path(self.start_dir) / "表記ルール.json")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("表記ルールの書き出し"), start, self.tr("表記ルール (*.json)")
        )
        if path:
            self.start_dir = str(Path(path).parent)
            self.export_to(Path(path))

    def _accept(self) -> None:
        try:
            # The store keeps what a file would hold: checked the same way.
            notationfile.from_json(notationfile.to_json(self.rules()))
        except ReportError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        self.accept()


def _default_ids() -> set[str]:
    return {rule.id for rule in notation.DEFAULT_RULES}
