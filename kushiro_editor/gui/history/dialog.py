"""The list of a text's recorded changes, newest first: when, who, where, before and after.

The list shows the part of each text that changed (with a little around it);
under it the chosen change's whole texts, what went struck through in red and
what came underlined in green.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSplitter,
    QStyledItemDelegate,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.history import Line, excerpts, marked
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)

COLUMNS = ("日時", "変更した人", "場所", "欄", "変更前", "変更後")
EXCERPT = 60  # characters of a changed text's part shown in the list


class WrappedRows(QStyledItemDelegate):
    """Rows as tall as their texts wrapped in their columns' widths.

    A tree view asks its delegate for a row's height without the column's width,
    so the texts would stay on one line, cut off with "…", whatever wordWrap says.
    """

    PADDING = 8  # the item's margins on both sides, as the style draws them

    def __init__(self, view: QTreeWidget) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option, index) -> QSize:
        hint = super().sizeHint(option, index)
        width = max(self.view.columnWidth(index.column()) - self.PADDING, 1)
        text = str(index.data() or "")
        needed = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 1 << 20), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), needed.height() + self.PADDING // 2))


class HistoryDialog(QDialog):
    """表示 → 変更の履歴…: the changes of one text (or of the report), newest first."""

    def __init__(
        self,
        scope: str,
        lines: list[Line],
        bound: int,
        parent: QWidget,
        *,
        one_text: bool = False,
    ) -> None:
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
        self.list.setItemDelegate(WrappedRows(self.list))
        self.list.setUniformRowHeights(False)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        # The rows' heights are measured once, at the columns' first widths; the texts
        # are wrapped again when the stretched columns change (the dialog fitted to the
        # screen, resized), or a short text's change at its end is cut off by "…".
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(0)
        self._relayout.timeout.connect(self.list.doItemsLayout)
        header.sectionResized.connect(lambda *_: self._relayout.start())
        # One text's history: every line's place is the heading above the list.
        self.list.setColumnHidden(2, one_text)
        self.lines = lines
        for line in lines:
            when = line.when.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            before, after = line.before, line.after
            if line.action == "update":
                before, after = excerpts(before, after, EXCERPT)
            texts = [when, line.who, line.where, line.what, before, after]
            QTreeWidgetItem(self.list, texts)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName(self.tr("選んだ変更の前と後"))
        self.list.currentItemChanged.connect(lambda *_: self._show_detail())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        if lines:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.count = QLabel(self._count_text(len(lines), bound))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addWidget(split, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.list.setFocus()

    def _show_detail(self) -> None:
        index = self.list.indexOfTopLevelItem(self.list.currentItem())
        if index < 0:
            self.detail.clear()
            return
        line = self.lines[index]
        parts = []
        for kind, text in marked(line.before, line.after):
            shown = html.escape(text).replace("\n", "<br>")
            if kind == "deleted":
                shown = f'<s style="color:#8a1c1c">{shown}</s>'
            elif kind == "inserted":
                shown = f'<u style="color:#14532d">{shown}</u>'
            parts.append(shown)
        heading = html.escape(f"{line.where} {line.what}({line.who})")
        self.detail.setHtml(f"<p><b>{heading}</b></p><p>{''.join(parts)}</p>")

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
