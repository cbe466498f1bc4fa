"""提出前の点検: the review panel beside the editor."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import review
from .document import ReportDocument

logger = logging.getLogger(__name__)


class ReviewPanel(QDockWidget):
    """提出前の点検: findings per entry, counts per goal and department, jump to each."""

    jump = Signal(object, str)  # entry, field

    def __init__(self, controller: ReportDocument, settings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("提出前の点検"), parent)
        self.setObjectName("reviewPanel")
        self.controller = controller
        self.settings = settings
        self.findings: list[review.Finding] = []
        body = QWidget()
        self.setWidget(body)
        self.limit = QSpinBox()
        self.limit.setRange(0, 20000)
        self.limit.setSingleStep(50)
        self.limit.setSuffix(self.tr(" 字"))
        self.limit.setSpecialValueText(self.tr("点検しない"))
        self.limit.setValue(int(settings.value("review/limit", review.DEFAULT_LIMIT)))
        self.limit.valueChanged.connect(self._limit_changed)
        self.rule = QComboBox()
        self.rule.addItem(self.tr("すべての点検"), "")
        for key, label in review.RULE_LABELS.items():
            self.rule.addItem(label, key)
        self.rule.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_department = QPushButton(self.tr("部署の一覧に追加"))
        self.add_department.setToolTip(self.tr("選んだ部署名を正しい名前として一覧に加えます"))
        self.add_department.clicked.connect(self._add_department)
        self.add_department.setEnabled(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("場所"), self.tr("欄"), self.tr("点検"), self.tr("内容")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 70)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.currentItemChanged.connect(self._selection)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("文字数の上限:")))
        top.addWidget(self.limit)
        top.addWidget(self.rule)
        top.addWidget(self.add_department)
        top.addStretch(1)
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self.set_controller(controller)

    def set_controller(self, controller: ReportDocument) -> None:
        """Check another report."""
        self.controller = controller
        controller.saved_changed.connect(self._later)
        controller.review_changed.connect(self._later)
        controller.structure_changed.connect(self._later)
        controller.node_changed.connect(self._later)
        self.refresh()

    def stop(self) -> None:
        """No more refreshes (the window is closing)."""
        self._timer.stop()

    def _later(self, *_args) -> None:
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
        # The rule column fits its longest name (前年度から引継ぎ・未確認) in the
        # font the panel has once it is in the window (a wider one is the user's).
        metrics = self.tree.fontMetrics()
        needed = max(metrics.horizontalAdvance(name) for name in review.RULE_LABELS.values()) + 24
        if self.tree.columnWidth(2) < needed:
            self.tree.setColumnWidth(2, needed)

    def _limit_changed(self, value: int) -> None:
        self.settings.setValue("review/limit", value)
        self._timer.start()

    def refresh(self) -> list[review.Finding]:
        """Check the report now."""
        known = self.controller.store.department_list() or None
        self.findings = review.check(
            self.controller.report, limit=self.limit.value(), departments=known
        )
        wanted = self.rule.currentData()
        shown = [f for f in self.findings if not wanted or f.rule == wanted]
        self.tree.clear()
        for finding in shown:
            item = QTreeWidgetItem(
                self.tree,
                [
                    finding.where,
                    review.FIELD_LABELS[finding.field],
                    review.RULE_LABELS[finding.rule],
                    finding.detail,
                ],
            )
            item.setToolTip(3, finding.detail)
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
        goals, departments = review.counts_by(self.findings)
        if self.findings:
            per_goal = "、".join(f"{label} {count}" for label, count in goals.items())
            worst = "、".join(f"{name} {count}" for name, count in departments.most_common(5))
            self.summary.setText(
                self.tr("確認が必要な箇所 {0} 件(基本目標別: {1})。多い部署: {2}")
                .replace("{0}", str(len(self.findings)))
                .replace("{1}", per_goal)
                .replace("{2}", worst)
            )
        else:
            self.summary.setText(self.tr("確認が必要な箇所はありません。提出できます。"))
        return self.findings

    def finding_of(self, item: QTreeWidgetItem) -> review.Finding:
        """The finding shown on a row."""
        return item.data(0, Qt.ItemDataRole.UserRole)

    def _activated(self, item: QTreeWidgetItem) -> None:
        finding = self.finding_of(item)
        self.jump.emit(finding.entry, finding.field if finding.field != "departments" else "")

    def _selection(self, current: QTreeWidgetItem | None, _previous) -> None:
        self.add_department.setEnabled(
            current is not None and self.finding_of(current).rule == "department"
        )

    def _add_department(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        finding = self.finding_of(item)
        known = set(self.controller.store.department_list())
        self.controller.store.add_departments(
            [n for n in finding.entry.departments if n not in known]
        )
        self.refresh()
