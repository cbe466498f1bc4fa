"""「値を入力…」 in the review of answers: the value of a KPI typed by the clerk."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.kpi.merging import KpiMergeItem
from ...core.kpi.numbers import format_value, parse_value
from ...core.model import KpiValue, ReportError
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)


class KpiValueDialog(QDialog):
    """The value and note to take, started from the department's answer."""

    def __init__(self, item: KpiMergeItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("指標の値を入力"))
        self.item = item
        start = item.merged if item.merged is not None else item.answered
        both = QLabel(
            self.tr("企画課の変更: {0}\n部署の回答: {1}")
            .replace("{0}", f"{item.show(item.compared)} → {item.show(item.current)}")
            .replace("{1}", f"{item.show(item.compared)} → {item.show(item.answered)}")
        )
        both.setWordWrap(True)
        self.value = QLineEdit(format_value(start.value, missing=""))
        self.value.setPlaceholderText(self.tr("数字だけ(まだ分からないときは空欄か「－」)"))
        self.note = QLineEdit(start.note)
        self.note.setPlaceholderText(self.tr("速報値、見込みなど"))
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = ok_cancel(self, self.tr("この値にする"))
        form = QFormLayout()
        unit = f"({item.kpi.unit})" if item.kpi.unit else ""
        form.addRow(self.tr("値") + unit, self.value)
        form.addRow(self.tr("注記"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(both)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        fit_to_screen(self, QSize(480, 220))

    def typed(self) -> KpiValue | None:
        """The value typed, or None (and the reason shown in red) when it is no number."""
        try:
            number = parse_value(self.value.text())
        except ReportError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.error.hide()
        return KpiValue(self.item.year, number, self.note.text().strip())

    def accept(self) -> None:
        """Close only on a value that reads as a number (or 「－」)."""
        if self.typed() is not None:
            super().accept()
