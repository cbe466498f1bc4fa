"""Inquiry packs in the window: choosing departments, and reviewing their answers."""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, QSettings, QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import richtext
from ...core.inquiry import Request
from ...core.inquiryrecord import EDITED, KEPT, PENDING, TAKEN
from ...core.kpi import fields as kpi_fields
from ...core.kpi.merging import KpiMergeItem
from ...core.merge import AnyItem, MergeItem, MergeReview
from ...core.model import Report
from ..editor import richedit
from ..editor.richedit import FocusTinted
from ..shared.buttons import ok_cancel
from ..shared.changes import FIRST_CHANGE, change_html
from ..shared.fit import fit_to_screen, scrolled
from .valuedialog import KpiValueDialog

logger = logging.getLogger(__name__)


class PackDialog(QDialog):
    """ファイル → 照会用ファイルを作成…: which departments, and where."""

    def __init__(
        self,
        report: Report,
        status: dict[str, str],
        folder: str,
        settings: QSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照会用ファイルを作成"))
        self.settings = settings
        self.list = QListWidget()
        counts = {}
        for _g, _d, entry in report.entries():
            for name in entry.departments:
                counts[name] = counts.get(name, 0) + 1
        values: dict[str, int] = {}
        for _owner, kpi in kpi_fields.kpis(report):
            for name in kpi.departments:
                values[name] = values.get(name, 0) + 1
        for name in report.departments():
            asked = self.tr("、指標{0}件").replace("{0}", str(values.get(name, 0)))
            item = QListWidgetItem(
                f"{name}({counts[name]}行{asked if name in values else ''}、{status.get(name, '')})"
            )
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setCurrentRow(0)  # Space ticks a department as soon as the list has the keyboard
        everyone = QPushButton(self.tr("すべて選ぶ"))
        nobody = QPushButton(self.tr("すべて外す"))
        everyone.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        nobody.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        self.folder = QLineEdit(folder)
        browse = QPushButton(self.tr("参照…"))
        browse.clicked.connect(self._browse)
        note = QLabel(
            self.tr(
                "部署ごとに1つの Excel ファイルを作ります。部署は黄色のセル"
                "(実績・取組予定、指標のある部署は「指標」シートの今年度の値と注記)だけを"
                "書き換えられます。共同の行や指標は両方の部署に入ります。"
            )
        )
        note.setWordWrap(True)
        buttons = ok_cancel(self, self.tr("作成する"))
        row = QHBoxLayout()
        row.addWidget(everyone)
        row.addWidget(nobody)
        row.addStretch(1)
        where = QHBoxLayout()
        where.addWidget(QLabel(self.tr("作成先:")))
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        # The request: a deadline and whom to ask, on every guide sheet and in the letter.
        self.has_deadline = QCheckBox(self.tr("提出期限"))
        self.has_deadline.setChecked(True)
        self.deadline = QDateEdit(QDate.currentDate().addDays(14))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy年M月d日")
        self.has_deadline.toggled.connect(self.deadline.setEnabled)
        self.person = QLineEdit(str(settings.value("inquiry/person", "")))
        self.extension = QLineEdit(str(settings.value("inquiry/extension", "")))
        self.email = QLineEdit(str(settings.value("inquiry/email", "")))
        form = QFormLayout()
        form.addRow(self.has_deadline, self.deadline)
        form.addRow(self.tr("担当"), self.person)
        form.addRow(self.tr("内線"), self.extension)
        form.addRow(self.tr("メール"), self.email)
        letter = QLabel(self.tr("作成先には依頼文(Word)も作ります。部署と期限が書かれています。"))
        letter.setWordWrap(True)
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(note)
        content.addWidget(self.list, 1)
        content.addLayout(row)
        content.addLayout(form)
        content.addWidget(letter)
        content.addLayout(where)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(body), 1)
        layout.addWidget(buttons)  # outside the scroll area: always in sight
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        fit_to_screen(self, QSize(480, 680))

    def request(self) -> Request:
        """The deadline and the contact entered (the contact is remembered for next time)."""
        for key, edit in (
            ("person", self.person),
            ("extension", self.extension),
            ("email", self.email),
        ):
            self.settings.setValue(f"inquiry/{key}", edit.text().strip())
        deadline = self.deadline.date().toPython() if self.has_deadline.isChecked() else None
        return Request(
            deadline,
            self.person.text().strip(),
            self.extension.text().strip(),
            self.email.text().strip(),
        )

    def _check_all(self, state: Qt.CheckState) -> None:
        for index in range(self.list.count()):
            self.list.item(index).setCheckState(state)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("作成先のフォルダ"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def departments(self) -> list[str]:
        """The departments chosen."""
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class MergedTextDialog(QDialog):
    """「合わせて直す…」: the text written from the answer and the current text."""

    def __init__(self, item: MergeItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("文章を合わせて直す"))
        current = QTextBrowser()
        current.setHtml(change_html(item.compared, item.current))
        answered = QTextBrowser()
        answered.setHtml(change_html(item.compared, item.answered))
        self.editor = richedit.RichTextEdit(minimum_lines=6)
        start = item.merged if item.choice == EDITED else item.answered
        richedit.load(self.editor.document(), start, self.editor.indent_px())
        buttons = ok_cancel(self, self.tr("この文章にする"))
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("企画課の変更")), 0, 0)
        grid.addWidget(QLabel(self.tr("部署の回答")), 0, 1)
        grid.addWidget(current, 1, 0)
        grid.addWidget(answered, 1, 1)
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addLayout(grid, 1)
        content.addWidget(QLabel(self.tr("取り込む文章(回答から始めて直してください):")))
        content.addWidget(self.editor, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(body), 1)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        fit_to_screen(self, QSize(760, 560))

    def markup(self) -> str:
        """The text written, in the report's rich-text subset."""
        return richtext.serialise(richedit.blocks_of(self.editor.document()))


class ChangePane(FocusTinted, QTextBrowser):
    """One side of a change: Tab stops here (↓ and PageDown scroll), tinted while it does."""

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.show_focus(True)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.show_focus(False)


class MergeDialog(QDialog):
    """照会回答の確認: per answered text, what the clerk changed and what the department answered.

    A conflict starts undecided (unticked): the clerk keeps the current text,
    takes the answer, or writes a text merged from both.
    """

    def __init__(self, review: MergeReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照会回答の確認"))
        self.review = review
        self.choice_text = {
            TAKEN: self.tr("回答を取り込む"),
            KEPT: self.tr("現在の文章を残す"),
            EDITED: self.tr("合わせて直した文章を取り込む"),
            PENDING: self.tr("未決定(現在の文章のまま)"),
        }
        # A KPI's value is decided alike, in words of values.
        self.value_choice_text = {
            TAKEN: self.tr("回答の値を取り込む"),
            KEPT: self.tr("現在の値を残す"),
            EDITED: self.tr("入力した値を取り込む"),
            PENDING: self.tr("未決定(現在の値のまま)"),
        }
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.notes = QListWidget()
        self.notes.setWordWrap(True)
        for text in [*review.rejected_files, *review.problems]:
            self.notes.addItem(text)
        for blank in review.unanswered:
            self.notes.addItem(
                self.tr("未回答: {0}({1}、空欄のため変更しません)")
                .replace("{0}", blank.where)
                .replace("{1}", blank.department)
            )
        for settled in review.settled:
            self.notes.addItem(
                self.tr("変更なし: {0}({1}より、{2})")
                .replace("{0}", settled.item.where)
                .replace("{1}", settled.item.department)
                .replace("{2}", settled.reason)
            )
        self.notes.setVisible(self.notes.count() > 0)
        self.notes.setMaximumHeight(130)
        self.items = QTreeWidget()
        self.items.setHeaderLabels(
            [
                self.tr("取り込む"),
                self.tr("場所"),
                self.tr("回答した部署"),
                self.tr("状態"),
                self.tr("決定"),
            ]
        )
        self.items.setRootIsDecorated(False)
        self.items.setColumnWidth(0, 80)
        self.items.setColumnWidth(1, 380)
        for item in review.items:
            state = self.tr("競合") if item.conflict else self.tr("回答")
            if item.second_version:
                state += self.tr("(第2版)")
            row = QTreeWidgetItem(self.items, ["", item.where, item.department, state, ""])
            if item.conflict:
                row.setForeground(3, Qt.GlobalColor.darkRed)
                row.setToolTip(
                    3,
                    self.tr(
                        "照会した後に企画課で値を変えています。下の2つの変更を見比べて、"
                        "残す・取り込む・値を入力するのどれかを選んでください。"
                    )
                    if isinstance(item, KpiMergeItem)
                    else self.tr(
                        "照会した後に企画課で文章を変えています。下の2つの変更を見比べて、"
                        "残す・取り込む・合わせて直すのどれかを選んでください。"
                    ),
                )
            self._show_choice(row, item)
        self.items.itemChanged.connect(self._changed)
        self.items.currentItemChanged.connect(self._show)
        self.clerk_label = QLabel()
        self.department_label = QLabel()
        self.clerk = ChangePane()
        self.department = ChangePane()
        self.keep_button = QPushButton(self.tr("現在の文章を残す"))
        self.take_button = QPushButton(self.tr("回答を取り込む"))
        self.edit_button = QPushButton(self.tr("合わせて直す…"))
        self.keep_button.clicked.connect(lambda: self.choose(KEPT))
        self.take_button.clicked.connect(lambda: self.choose(TAKEN))
        self.edit_button.clicked.connect(self.edit_current)
        detail = QWidget()
        grid = QGridLayout(detail)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.clerk_label, 0, 0)
        grid.addWidget(self.department_label, 0, 1)
        grid.addWidget(self.clerk, 1, 0)
        grid.addWidget(self.department, 1, 1)
        choices = QHBoxLayout()
        for button in (self.keep_button, self.take_button, self.edit_button):
            choices.addWidget(button)
        choices.addStretch(1)
        grid.addLayout(choices, 2, 0, 1, 2)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.items)
        splitter.addWidget(detail)
        splitter.setSizes([320, 360])
        accept_all = QPushButton(self.tr("すべて取り込む"))
        reject_all = QPushButton(self.tr("すべて取り込まない"))
        accept_all.clicked.connect(lambda: self._set_all(TAKEN))
        reject_all.clicked.connect(lambda: self._set_all(KEPT))
        buttons = ok_cancel(self, self.tr("決めた回答を取り込む"))
        self.ok = buttons.ok
        row = QHBoxLayout()
        row.addWidget(accept_all)
        row.addWidget(reject_all)
        row.addStretch(1)
        row.addWidget(buttons)
        # Texts and lists shrink and scroll on a small screen; the buttons stay below them.
        for widget in (self.items, self.clerk, self.department):
            widget.setMinimumHeight(60)
        self.notes.setMinimumHeight(40)
        splitter.setChildrenCollapsible(False)
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(self.summary)
        content.addWidget(self.notes)
        content.addWidget(splitter, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(body), 1)
        layout.addLayout(row)
        self.ok.setDefault(True)
        fit_to_screen(self, QSize(1100, 760))
        self._update_summary()
        if review.items:
            self.items.setCurrentItem(self.items.topLevelItem(0))
        else:
            self._show(None, None)

    def _show_choice(self, row: QTreeWidgetItem, item: AnyItem) -> None:
        self.items.blockSignals(True)
        row.setCheckState(0, Qt.CheckState.Checked if item.accepted else Qt.CheckState.Unchecked)
        texts = self.value_choice_text if isinstance(item, KpiMergeItem) else self.choice_text
        row.setText(4, texts[item.choice])
        self.items.blockSignals(False)

    def current(self) -> AnyItem | None:
        """The answered text (or KPI value) selected in the list."""
        row = self.items.currentItem()
        return None if row is None else self.review.items[self.items.indexOfTopLevelItem(row)]

    def choose(self, choice: str, merged=None) -> None:
        """Decide about the selected item: TAKEN, KEPT or EDITED (with the text or value)."""
        item, row = self.current(), self.items.currentItem()
        if item is None:
            return
        item.choice = choice
        if choice == EDITED:
            item.merged = merged
        self._show_choice(row, item)
        self._update_summary()

    def edit_current(self) -> None:
        """「合わせて直す…」 for the selected text."""
        item = self.current()
        if item is None:
            return
        if isinstance(item, KpiMergeItem):
            value_dialog = KpiValueDialog(item, self)
            if self.run_value_dialog(value_dialog):
                self.choose(EDITED, value_dialog.typed())
            return
        dialog = MergedTextDialog(item, self)
        if self.run_merged_dialog(dialog):
            self.choose(EDITED, dialog.markup())

    def run_value_dialog(self, dialog: KpiValueDialog) -> bool:
        """Show the value editor; True when its value is to be taken."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def run_merged_dialog(self, dialog: MergedTextDialog) -> bool:
        """Show the merged-text editor; True when its text is to be taken."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _changed(self, row: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            item = self.review.items[self.items.indexOfTopLevelItem(row)]
            item.choice = TAKEN if row.checkState(0) == Qt.CheckState.Checked else KEPT
            self._show_choice(row, item)
            self._update_summary()

    def _set_all(self, choice: str) -> None:
        for index, item in enumerate(self.review.items):
            item.choice = choice
            self._show_choice(self.items.topLevelItem(index), item)
        self._update_summary()

    def _update_summary(self) -> None:
        items = self.review.items
        answered = "、".join(self.review.answered) or self.tr("なし")
        self.summary.setText(
            self.tr(
                "回答のあった部署: {0}。書き換えのあった文章・指標の値 {1} 件: 取り込む {2} 件、"
                "現在の文章を残す {3} 件、未決定の競合 {4} 件。未回答 {5} 件、変更なし {6} 件。"
            )
            .replace("{0}", answered)
            .replace("{1}", str(len(items)))
            .replace("{2}", str(sum(i.accepted for i in items)))
            .replace("{3}", str(sum(i.choice == KEPT for i in items)))
            .replace("{4}", str(sum(i.choice == PENDING for i in items)))
            .replace("{5}", str(len(self.review.unanswered)))
            .replace("{6}", str(len(self.review.settled)))
        )

    def _show(self, row: QTreeWidgetItem | None, _previous) -> None:
        item = None if row is None else self.review.items[self.items.indexOfTopLevelItem(row)]
        for button in (self.keep_button, self.take_button, self.edit_button):
            button.setEnabled(item is not None)
        if item is None:
            self.clerk.clear()
            self.department.clear()
            return
        start = self.tr("前回の取り込み後") if item.second_version else self.tr("照会時")
        value = isinstance(item, KpiMergeItem)
        self.clerk_label.setText(
            self.tr("企画課の変更({0} → 現在)").replace("{0}", start)
            if item.conflict
            else self.tr("現在の値(照会後の変更なし)")
            if value
            else self.tr("現在の文章(照会後の変更なし)")
        )
        self.department_label.setText(self.tr("部署の回答({0} → 回答)").replace("{0}", start))
        self.keep_button.setText(
            self.tr("現在の値を残す") if value else self.tr("現在の文章を残す")
        )
        self.edit_button.setText(self.tr("値を入力…") if value else self.tr("合わせて直す…"))
        compared, current, answered = _sides(item)
        self.clerk.setHtml(change_html(compared, current, whole=value))
        self.department.setHtml(change_html(compared, answered, whole=value))
        for pane in (self.clerk, self.department):
            pane.scrollToAnchor(FIRST_CHANGE)


def _sides(item: AnyItem) -> tuple[str, str, str]:
    """What was sent (or first merged), what is now and what was answered, as rich text."""
    if isinstance(item, KpiMergeItem):
        return tuple(
            richtext.paragraph(item.show(value))
            for value in (item.compared, item.current, item.answered)
        )
    return item.compared, item.current, item.answered
