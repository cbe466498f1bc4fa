"""The list of a text's recorded changes, newest first: when, who, where, before and after."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.history import Line
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)

COLUMNS = ("日時", "変更した人", "場所", "欄", "変更前", "変更後")


class HistoryDialog(QDialog):
    """表示 → 変更の履歴…: the changes of one text (or of the report), newest first."""

    def __init__(self, scope: str, lines: list[Line], bound: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("変更の履歴"))
        fit_to_screen(self, QSize(1000, 560))
        self.scope = QLabel(scope)
        self.scope.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr(text) for text in COLUMNS])
        self.list.setRootIsDecorated(False)
        # Whole texts, wrapped in the two columns that share the width: nothing cut off.
        self.list.setWordWrap(True)
        self.list.setUniformRowHeights(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for line in lines:
            when = line.when.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            texts = [when, line.who, line.where, line.what, line.before, line.after]
            item = QTreeWidgetItem(self.list, texts)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
        if lines:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.count = QLabel(self._count_text(len(lines), bound))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.list.setFocus()

    def _count_text(self, count: int, bound: int) -> str:
        if not count:
            return self.tr("変更の記録はありません。")
        if count >= bound:
            return self.tr("新しいものから {0} 件を表示しています。").replace("{0}", str(count))
        return self.tr("変更 {0} 件").replace("{0}", str(count))

    def rows(self) -> list[list[str]]:
        """What the list shows, row by row."""
        return [
            [self.list.topLevelItem(i).text(c) for c in range(len(COLUMNS))]
            for i in range(self.list.topLevelItemCount())
        ]
