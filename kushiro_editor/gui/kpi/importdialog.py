"""The preview of a KPI table's import: where each KPI goes, and every note to check."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal
from ...core.kpi.numbers import format_value
from ...core.model import Report, place_in
from ...formats.kpiimport import KpiPlan
from ..shared.fit import fit_to_screen


def _numbers(kpi) -> str:
    """「基準 10(令和元年度) → 目標 30(R6年度) / R2年度 15」."""

    def one(value, year) -> str:
        shown = format_value(value, grouping=True)
        return f"{shown}({fiscal.short_label(year)})" if year else shown

    values = "、".join(
        f"{fiscal.short_label(v.year)} {format_value(v.value, grouping=True)}" for v in kpi.values
    )
    head = f"基準 {one(kpi.baseline, kpi.baseline_year)} → 目標 {one(kpi.target, kpi.target_year)}"
    return f"{head} / {values}" if values else head


class KpiImportDialog(QDialog):
    """指標の表を取り込む: the KPIs placed on the report, then what to check."""

    def __init__(self, report: Report, plan: KpiPlan, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("指標の表を取り込む"))
        fit_to_screen(self, QSize(960, 560))
        self.plan = plan
        summary = QLabel(
            self.tr(
                "{0} の指標 {1} 件を、基本目標・基本的方向・施策の番号で報告に付けます。"
                "確認事項 {2} 件(推測したこと、付けられなかった行)を見てから取り込んでください。"
                "達成率と評価はエディタが計算します。"
            )
            .replace("{0}", name)
            .replace("{1}", str(len(plan.placed)))
            .replace("{2}", str(len(plan.notes)))
        )
        summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("場所・表の行"), self.tr("指標"), self.tr("数値")])
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 260)
        placed = QTreeWidgetItem(
            self.tree, [self.tr("取り込む指標 {0} 件").replace("{0}", str(len(plan.placed)))]
        )
        for owner, kpi, row in plan.placed:
            item = QTreeWidgetItem(
                placed, [f"{place_in(report, owner)}({row.where})", kpi.name, _numbers(kpi)]
            )
            item.setToolTip(2, _numbers(kpi))
        notes = QTreeWidgetItem(
            self.tree, [self.tr("確認事項 {0} 件").replace("{0}", str(len(plan.notes)))]
        )
        for note in plan.notes:
            item = QTreeWidgetItem(notes, [note])
            item.setToolTip(0, note)
            item.setFirstColumnSpanned(True)
        placed.setExpanded(True)
        notes.setExpanded(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("{0} 件の指標を取り込む").replace("{0}", str(len(plan.placed))))
        self.ok.setEnabled(bool(plan.placed))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.tree.setFocus()
