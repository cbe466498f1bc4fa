"""検索と置換: find across the whole report, replace one or all as one undo step."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import search
from ...core.model import Report
from ...core.search import Match
from ..editor.document import ReportDocument
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)


class FindReplacePanel(QDockWidget):
    """Find across every field; replace one or all (as one undo step)."""

    jump = Signal(object, str, int, int)  # node, field, start, end

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("検索と置換"), parent)
        self.setObjectName("findReplacePanel")
        self.document = document
        self.matches: list[Match] = []
        body = QWidget()
        self.setWidget(body)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("検索する文字"))
        self.query.setClearButtonEnabled(True)
        self.replacement = QLineEdit()
        self.replacement.setPlaceholderText(self.tr("置き換える文字"))
        self.fold = QCheckBox(self.tr("全角/半角・大文字/小文字を区別しない"))
        self.fold.setChecked(True)
        self.find_button = QPushButton(self.tr("検索"))
        self.replace_button = QPushButton(self.tr("置換"))
        self.replace_all_button = QPushButton(self.tr("すべて置換…"))
        self.results = QListWidget()
        self.results.setAlternatingRowColors(True)
        self.summary = QLabel()
        # The fields and buttons stand beside the results, which take the panel's whole
        # height: at 1280×720 the panels share a third of the window, and stacked under
        # two rows of fields the results were a strip.
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("検索:")), 0, 0)
        grid.addWidget(self.query, 0, 1)
        grid.addWidget(self.find_button, 0, 2)
        grid.addWidget(QLabel(self.tr("置換後:")), 1, 0)
        grid.addWidget(self.replacement, 1, 1)
        grid.addWidget(self.replace_button, 1, 2)
        grid.addWidget(self.fold, 2, 0, 1, 2)
        grid.addWidget(self.replace_all_button, 2, 2)
        grid.addWidget(self.summary, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        grid.setRowStretch(4, 1)
        self.side = QWidget()
        self.side.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        # Room for a phrase in each field beside a wide list of results.
        self.side.setFixedWidth(
            max(self.side.sizeHint().width(), self.fontMetrics().horizontalAdvance("　" * 30))
        )
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        layout.addWidget(self.side)
        layout.addWidget(self.results, 1)
        # Never squashed below its fields, whatever room the window gives its bottom
        # panels (they otherwise may shrink to a strip).
        body.setMinimumHeight(body.minimumSizeHint().height())
        self.query.returnPressed.connect(self.run)
        self.find_button.clicked.connect(self.run)
        self.fold.toggled.connect(lambda _on: self.run() if self.query.text() else None)
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.results.itemActivated.connect(self._activated)
        self.results.itemClicked.connect(self._activated)
        self.confirm = self._confirm_dialog  # replaced in tests
        self._rerun = QTimer(self)
        self._rerun.setSingleShot(True)
        self._rerun.setInterval(150)
        self._rerun.timeout.connect(self._refresh_results)
        self._follow(document)

    def _refresh_results(self) -> None:
        row = self.results.currentRow()
        self.run()
        if self.matches and row >= 0:
            self.results.setCurrentRow(min(row, len(self.matches) - 1))

    def _follow(self, document: ReportDocument) -> None:
        # Any undo, redo or edit makes the listed places stale: search again after it.
        document.undo_stack.indexChanged.connect(self._stale)

    def _stale(self, _index: int = 0) -> None:
        if self.query.text() and self.matches is not None:
            self._rerun.start()

    def set_document(self, document: ReportDocument) -> None:
        """Search another report."""
        self.document = document
        self._follow(document)
        self.results.clear()
        self.matches = []
        self.summary.clear()

    def focus_query(self) -> None:
        """Show the panel and put the cursor in the search field."""
        self.bring_forward()
        self.query.setFocus()
        self.query.selectAll()

    def focus_replacement(self) -> None:
        """Show the panel and put the cursor in the replacement field (in the search
        field while nothing is searched for yet)."""
        self.bring_forward()
        field = self.replacement if self.query.text() else self.query
        field.setFocus()
        field.selectAll()

    def bring_forward(self) -> None:
        """Shown and in front of the panels it shares a tabbed area with."""
        self.show()
        self.raise_()

    def run(self) -> list[Match]:
        """Search the whole report and list what was found."""
        self.document.flush()
        self.matches = search.find(
            self.document.report, self.query.text(), fold_width=self.fold.isChecked()
        )
        self.results.clear()
        for match in self.matches:
            label = f"{search.where(self.document.report, match)}: {match.context}"
            item = QListWidgetItem(label)
            item.setToolTip(label)
            self.results.addItem(item)
        if self.query.text():
            self.summary.setText(
                self.tr("{0} 件見つかりました").replace("{0}", str(len(self.matches)))
            )
        else:
            self.summary.clear()
        return self.matches

    def _activated(self, item: QListWidgetItem) -> None:
        match = self.matches[self.results.row(item)]
        self.jump.emit(match.node, match.field, match.start, match.end)

    def _apply(self, matches: list[Match], label: str) -> None:
        batch = search.replace_edits(matches, self.replacement.text(), self.document.current_text)
        self.document.apply(label, batch)

    def replace_current(self) -> None:
        """Replace the selected result (or the first) and search again."""
        if not self.matches:
            self.run()
        if not self.matches:
            return
        row = max(self.results.currentRow(), 0)
        self._apply([self.matches[row]], self.tr("置換"))
        self.run()
        if self.matches:
            self.results.setCurrentRow(min(row, len(self.matches) - 1))
        self._replaced(1)

    def replace_all(self) -> int:
        """Preview every replacement, then apply them as one undo step."""
        matches = self.run()
        if not matches:
            return 0
        if not self.confirm(matches, self.replacement.text()):
            return 0
        self._apply(matches, self.tr("すべて置換"))
        self.run()
        self._replaced(len(matches))
        return len(matches)

    def _replaced(self, count: int) -> None:
        # What was just done, not 「0 件見つかりました」 for the text now gone.
        self.summary.setText(
            self.tr("{0} 件を置換しました(残り {1} 件)")
            .replace("{0}", str(count))
            .replace("{1}", str(len(self.matches)))
        )

    def _confirm_dialog(self, matches: list[Match], replacement: str) -> bool:
        dialog = ReplaceAllDialog(self.document.report, matches, replacement, self)
        return dialog.exec() == QDialog.DialogCode.Accepted


class ReplaceAllDialog(QDialog):
    """Every replacement before it is made: where, the text before and after."""

    def __init__(
        self, report: Report, matches: list[Match], replacement: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("すべて置換の確認"))
        fit_to_screen(self, QSize(900, 460))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("場所"), self.tr("置換前"), self.tr("置換後")])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        for match in matches:
            place = search.where(report, match)
            after = match.context_with(replacement)
            item = QTreeWidgetItem(self.tree, [place, match.context, after])
            for column, text in enumerate((place, match.context, after)):
                item.setToolTip(column, text)
        # The place gets what it needs up to a third; 置換前 and 置換後 share the rest,
        # so that the replaced text is always in view, however long the contexts are.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), 280))
        note = QLabel(
            self.tr("{0} 件を置き換えます。まとめて1回の「元に戻す」で戻せます。").replace(
                "{0}", str(len(matches))
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("置換する"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
