"""The preview of past-tense drafts: each sentence changed (a checkbox) or left (a reason)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import pasttense
from ...core.pastdrafts import TextDraft
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen

ROLE = Qt.ItemDataRole.UserRole
CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked
ALL = "\x00all"  # the scope of every department's row


class PastTenseDialog(QDialog):
    """実績を過去形にする: which sentences change (all chosen at first) and which are left."""

    def __init__(
        self,
        drafts: list[TextDraft],
        focused: TextDraft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("実績を過去形にする"))
        fit_to_screen(self, QSize(1000, 620))
        self.drafts = drafts
        self.focused = focused
        self.scope = QComboBox()
        if focused is not None:
            self.scope.addItem(self.tr("この文章: {0}").replace("{0}", focused.place), None)
        self.scope.addItem(self.tr("すべての部署の実績"), ALL)
        self.written_only = not any(d.carried for d in drafts)
        for name in sorted({n for d in drafts for n in getattr(d.node, "departments", [])}):
            self.scope.addItem(self.tr("{0} の実績").replace("{0}", name), name)
        self.scope.currentIndexChanged.connect(lambda _index: self.refresh())
        self.written = QCheckBox(self.tr("確認済み・書き直した実績も含める(&I)"))
        self.written.setToolTip(
            self.tr(
                "ふだんは前年度から引き継いだ未確認の下書きだけを変えます。"
                "書いた実績の「稼働している」などは、続いている状態のこともあります。"
            )
        )
        self.written.toggled.connect(lambda _on: self.refresh())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("場所"), self.tr("変更前"), self.tr("変更後")])
        self.tree.setAlternatingRowColors(True)
        # The change is at the end of a sentence: elide its start, not its end.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideLeft)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 240)
        self.tree.itemChanged.connect(lambda *_args: self._update())
        all_on = QPushButton(self.tr("すべて選ぶ(&A)"))
        all_on.clicked.connect(lambda: self.set_all(True))
        all_off = QPushButton(self.tr("すべて外す(&U)"))
        all_off.clicked.connect(lambda: self.set_all(False))
        buttons = ok_cancel(self, "")  # (the OK button says how many, in _update)
        self.ok = buttons.ok
        form = QFormLayout()
        form.addRow(self.tr("対象(&S):"), self.scope)
        form.addRow("", self.written)
        row = QHBoxLayout()
        row.addWidget(all_on)
        row.addWidget(all_off)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.groups: list[tuple[TextDraft, QTreeWidgetItem]] = []
        # With no draft left from last year, the texts a person wrote are what is asked about.
        self.written.setChecked(self.written_only)
        if focused is not None and not focused.changes:
            self.scope.setCurrentIndex(1)
        self.refresh()
        self.tree.setFocus()

    def shown(self) -> list[TextDraft]:
        """The texts of the scope chosen."""
        scope = self.scope.currentData()
        if scope is None:
            return [self.focused] if self.focused is not None else []
        return [
            d
            for d in self.drafts
            if (d.carried or self.written.isChecked())
            and (scope == ALL or scope in getattr(d.node, "departments", []))
        ]

    def refresh(self) -> None:
        """List the texts of the scope: a group per text, a row per sentence."""
        self.tree.blockSignals(True)
        try:
            self.tree.clear()
            self.groups = []
            grey = QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))
            for draft in self.shown():
                changes, left = draft.changes, draft.left
                if not changes and not left:
                    continue
                group = QTreeWidgetItem(self.tree, [draft.place])
                if changes:
                    group.setFlags(
                        group.flags()
                        | Qt.ItemFlag.ItemIsUserCheckable
                        | Qt.ItemFlag.ItemIsAutoTristate
                    )
                for proposal in draft.proposals:
                    if proposal in changes:
                        self._change_row(group, proposal)
                    elif proposal in left:
                        item = QTreeWidgetItem(
                            group,
                            [
                                self.tr("{0}文目").replace("{0}", str(proposal.sentence + 1)),
                                proposal.before,
                                self.tr("そのまま({0})").replace("{0}", proposal.reason),
                            ],
                        )
                        item.setToolTip(1, proposal.before)
                        item.setForeground(2, grey)
                group.setExpanded(True)
                self.groups.append((draft, group))
        finally:
            self.tree.blockSignals(False)
        self._update()

    def _change_row(self, group: QTreeWidgetItem, proposal: pasttense.Proposal) -> None:
        item = QTreeWidgetItem(
            group,
            [
                self.tr("{0}文目").replace("{0}", str(proposal.sentence + 1)),
                proposal.before,
                proposal.after or "",
            ],
        )
        item.setToolTip(1, proposal.before)
        item.setToolTip(2, proposal.after or "")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, CHECKED)
        item.setData(0, ROLE, proposal)

    def set_all(self, checked: bool) -> None:
        """Choose every change, or none."""
        self.tree.blockSignals(True)
        try:
            for _draft, group in self.groups:
                if group.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    group.setCheckState(0, CHECKED if checked else UNCHECKED)
        finally:
            self.tree.blockSignals(False)
        self._update()

    def chosen(self) -> list[tuple[TextDraft, list[pasttense.Proposal]]]:
        """Each text with the sentences chosen to change."""
        out = []
        for draft, group in self.groups:
            picked = [
                group.child(i).data(0, ROLE)
                for i in range(group.childCount())
                if group.child(i).data(0, ROLE) is not None
                and group.child(i).checkState(0) == CHECKED
            ]
            if picked:
                out.append((draft, picked))
        return out

    def _update(self) -> None:
        drafts = self.shown()
        changes = sum(len(d.changes) for d in drafts)
        left = sum(len(d.left) for d in drafts)
        picked = sum(len(p) for _d, p in self.chosen())
        self.summary.setText(
            self.tr(
                "実績の文末を過去形にします(実施する → 実施した)。変える文 {0}(選んだ文 {1})、"
                "そのままにする文 {2}:体言止めや引用などは判断せずに残すので、理由を見て"
                "書き直してください。前年度から引き継いだ文章は未確認のまま残ります。"
            )
            .replace("{0}", str(changes))
            .replace("{1}", str(picked))
            .replace("{2}", str(left))
        )
        self.ok.setText(self.tr("{0} 文を過去形にする").replace("{0}", str(picked)))
        self.ok.setEnabled(picked > 0)
