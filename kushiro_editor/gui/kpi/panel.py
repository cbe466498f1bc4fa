"""指標の一覧: every KPI of the report with this year's value, rate and rating.

The rows are :func:`kushiro_editor.core.kpi.progress.states`, the list the
exports and the command line read too, filtered by a department the KPI names
and by its rating as shown (computed or set by hand). Enter or a double click
shows the KPI's row in the editor.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal
from ...core.kpi import achievement, fields, progress
from ...core.kpi.numbers import format_value
from ...core.model import Kpi, Measure, place
from ..editor.document import ReportDocument

logger = logging.getLogger(__name__)

KpiRole = Qt.ItemDataRole.UserRole + 1


def where(report, state: progress.KpiState) -> str:
    """The place of a KPI's node: 【基本目標1】, 【基本目標1】①, 【基本目標1】① ア."""
    for goal, direction, owner in fields.owners(report):
        if owner is state.owner:
            return place(goal, direction, owner if isinstance(owner, Measure) else None)
    return ""


class KpiOverviewPanel(QDockWidget):
    """The report's KPIs, filterable by department and rating; Enter jumps to one."""

    jump = Signal(object)  # a KPI

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("指標の一覧"), parent)
        self.setObjectName("kpiOverviewPanel")
        self.document: ReportDocument | None = None
        self._stale = False
        body = QWidget()
        self.setWidget(body)
        self.department = QComboBox()
        self.department.setToolTip(self.tr("所管部署で絞り込む"))
        self.department.setMinimumContentsLength(12)
        self.department.currentIndexChanged.connect(lambda _i: self._show())
        self.rating = QComboBox()
        self.rating.setToolTip(self.tr("評価で絞り込む"))
        self.rating.currentIndexChanged.connect(lambda _i: self._show())
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("所管部署:")))
        filters.addWidget(self.department)
        filters.addWidget(QLabel(self.tr("評価:")))
        filters.addWidget(self.rating)
        filters.addWidget(self.count, 1)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName(self.tr("指標の一覧"))
        # Enter, and a double click (Qt activates an item on it).
        self.tree.itemActivated.connect(self._activated)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        self.set_document(document)

    def set_document(self, document: ReportDocument) -> None:
        """List another report's KPIs."""
        if self.document is not None:
            self.document.changed.disconnect(self._changed)
        self.document = document
        document.changed.connect(self._changed)
        self.refresh()

    def _changed(self) -> None:
        # A hidden list is filled again when it is shown: typing never waits for it.
        self._stale = not self.isVisible()
        if not self._stale:
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def headings(self) -> list[str]:
        """The columns, this year's named by its label."""
        year = fiscal.short_label(self.document.report.actual_year)
        return [
            self.tr("場所"),
            self.tr("指標"),
            self.tr("{0}の値").replace("{0}", year),
            self.tr("達成率"),
            self.tr("評価"),
            self.tr("所管"),
        ]

    def refresh(self) -> None:
        """Fill the filters from the report (keeping what is chosen) and list its KPIs."""
        self._stale = False
        report = self.document.report
        departments = list(
            dict.fromkeys(name for _owner, kpi in fields.kpis(report) for name in kpi.departments)
        )
        scale = report.kpi_settings.scale
        self._fill(self.department, self.tr("すべての部署"), departments)
        self._fill(self.rating, self.tr("すべての評価"), [*scale.labels, scale.missing])
        self.tree.setHeaderLabels(self.headings())
        self._show()

    @staticmethod
    def _fill(box: QComboBox, everything: str, names: list[str]) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, None)
        for name in names:
            box.addItem(name, name)
        box.setCurrentIndex(max(box.findData(current), 0) if current is not None else 0)
        box.blockSignals(False)

    def states(self) -> list[progress.KpiState]:
        """The KPIs the filters let through, in document order."""
        return progress.states(
            self.document.report,
            department=self.department.currentData(),
            rating_label=self.rating.currentData(),
        )

    def _show(self) -> None:
        report = self.document.report
        current = self.current_kpi()
        mode = report.kpi_settings.rate_mode
        self.tree.clear()
        chosen = None
        states = self.states()
        for state in states:
            kpi = state.kpi
            unit = f" {kpi.unit}" if kpi.unit and state.value is not None else ""
            item = QTreeWidgetItem(
                [
                    where(report, state),
                    kpi.name,
                    format_value(state.value, grouping=True) + unit,
                    achievement.format_rate(achievement.rate_of(kpi, report.actual_year, mode)),
                    state.rating.display,
                    "、".join(kpi.departments),
                ]
            )
            item.setData(0, KpiRole, kpi)
            item.setToolTip(4, state.rating.explanation)
            for column in (2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignCenter)
            self.tree.addTopLevelItem(item)
            if kpi is current:
                chosen = item
        total = sum(1 for _ in fields.kpis(report))
        self.count.setText(
            self.tr("{0} 件 / 全 {1} 件")
            .replace("{0}", str(len(states)))
            .replace("{1}", str(total))
        )
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def current_kpi(self) -> Kpi | None:
        """The KPI of the current row."""
        item = self.tree.currentItem()
        return item.data(0, KpiRole) if item is not None else None

    def shown_names(self) -> list[str]:
        """The names of the KPIs listed, in order."""
        return [self.tree.topLevelItem(i).text(1) for i in range(self.tree.topLevelItemCount())]

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kpi = item.data(0, KpiRole)
        if kpi is not None:
            self.jump.emit(kpi)
