"""取り込み時の確認事項: what the importer had to guess, each line a jump to its row."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.model import ImportWarning

logger = logging.getLogger(__name__)


class WarningsPanel(QDockWidget):
    """What the importer had to guess; each line jumps to its entry."""

    jump = Signal(str)  # node id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("取り込み時の確認事項"), parent)
        self.setObjectName("warningsPanel")
        body = QWidget()
        self.setWidget(body)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(body)
        layout.addWidget(self.note)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)

    def set_warnings(self, warnings: list[ImportWarning]) -> None:
        """Show a report's import warnings."""
        self.list.clear()
        for warning in warnings:
            item = QListWidgetItem(str(warning))
            item.setData(Qt.ItemDataRole.UserRole, warning.node_id)
            item.setToolTip(str(warning))
            self.list.addItem(item)
        self.note.setText(
            self.tr(
                "取り込み時に推測した箇所が {0} 件あります。クリックすると該当の行へ移動します。"
            ).replace("{0}", str(len(warnings)))
            if warnings
            else self.tr("取り込み時の確認事項はありません。")
        )

    def _activated(self, item: QListWidgetItem) -> None:
        node_id = item.data(Qt.ItemDataRole.UserRole)
        if node_id:
            self.jump.emit(node_id)
