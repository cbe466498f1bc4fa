"""The 照会状況 panel: where every department stands in this year's inquiry.

One line per department, read from the store's record of the inquiry (which
outlives a replaced or restored report): when its pack was sent, the
deadline, its rows, the rows answered, conflicts still undecided and the last
answer; departments that have not answered read 未回答. On the shared store a
department with a login reads its rows' states instead (記入中, 提出済み,
確認済み: :mod:`.sharedrows`), with the buttons that move them.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal, inquiryrecord
from ...core.inquiry import DepartmentStatus
from ..session import Session
from .sharedrows import SharedRows

logger = logging.getLogger(__name__)

# Colours of the state column (a department to chase stands out).
_STATE_COLOURS = {
    "未回答": "#8a1c1c",
    "一部回答": "#8a5a00",
    "回答済": "#14532d",
    "記入中": "#8a5a00",
    "提出済み": "#1d4ed8",
    "確認済み": "#14532d",
}
SHARED_COLUMN = 8
PACK_COLUMNS = (2, 3, 5, 6, 7)  # 送付日, 提出期限, 回答した行, 未決定の競合, 最終回答


class InquiryStatusPanel(QDockWidget):
    """表示 → 照会状況: the record of the inquiry, one row per department."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("照会状況"), parent)
        self.setObjectName("inquiryStatusPanel")
        self.session = session
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("部署"),
                self.tr("状態"),
                self.tr("送付日"),
                self.tr("提出期限"),
                self.tr("行"),
                self.tr("回答した行"),
                self.tr("未決定の競合"),
                self.tr("最終回答"),
                self.tr("行の状態"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The rows' states beside 状態, which they explain; in the last place they were
        # out of sight in the panel's width behind the inquiry packs' columns.
        self.table.horizontalHeader().moveSection(SHARED_COLUMN, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        self.shared = SharedRows(session, self)
        layout.addWidget(self.shared.bar)
        self.shared.changed.connect(self.refresh)
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.setWidget(body)
        session.departments_changed.connect(self.refresh)
        session.document_changed.connect(lambda _document: self.refresh())
        session.reports_changed.connect(lambda _year: self.refresh())

    def statuses(self) -> list[DepartmentStatus]:
        """The lines shown, for the open report's fiscal year."""
        document = self.session.document
        if document is None:
            return []
        report = document.report
        return inquiryrecord.status(self.session.store, report.actual_year, report.departments())

    def refresh(self) -> None:
        """Read the record again."""
        if not self.isVisible():
            return  # read when shown
        document = self.session.document
        lines = self.statuses()
        shared = self.shared.read()
        self.table.setColumnHidden(SHARED_COLUMN, not shared)
        own = self.shared.own_departments()
        # A department's login has no inquiry pack: its packs' columns stay empty.
        for column in PACK_COLUMNS:
            self.table.setColumnHidden(column, own is not None)
        if own is not None:
            # A department's login works on its own rows only: the other departments'
            # inquiry lines (未照会 for all of them) would hide the one line it needs.
            lines = [status for status in lines if status.department in own]
        elif shared:
            # The departments writing on the shared store first: theirs are the lines a
            # planner acts on here (a stable sort keeps the report's order within each).
            lines.sort(key=lambda status: status.department not in shared)
        if document is None:
            self.heading.setText(self.tr("報告が開かれていません。"))
        elif own is not None:
            self.heading.setText(
                self.tr("{0}: {1}の行(提出すると企画担当が確認するまで変更できません)")
                .replace("{0}", fiscal.short_label(document.report.actual_year))
                .replace("{1}", "・".join(own) or self.tr("担当の部署なし"))
            )
        else:
            sent = sum(1 for s in lines if s.sent_at)
            waiting = sum(1 for s in lines if s.state == "未回答")
            heading = (
                self.tr("{0}: 照会した部署 {1}、未回答 {2}")
                .replace("{0}", fiscal.short_label(document.report.actual_year))
                .replace("{1}", str(sent))
                .replace("{2}", str(waiting))
            )
            if shared:
                submitted = sum(1 for rows in shared.values() if rows.state != "記入中")
                heading += (
                    self.tr("、共有のデータベースで記入する部署 {0}(提出 {1})")
                    .replace("{0}", str(len(shared)))
                    .replace("{1}", str(submitted))
                )
            self.heading.setText(heading)
        self.table.setRowCount(len(lines))
        for row, status in enumerate(lines):
            rows = shared.get(status.department)
            state = rows.state if rows else status.state
            values = [
                status.department,
                state,
                status.sent_at[:10],
                status.deadline,
                str(rows.total) if rows else str(status.rows) if status.sent_at else "",
                str(status.answered_rows) if status.sent_at else "",
                str(status.pending) if status.answered_rows else "",
                status.last_answer[:10],
                rows.detail if rows else "",
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if 4 <= column < SHARED_COLUMN:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 1 and state in _STATE_COLOURS:
                    cell.setForeground(QBrush(QColor(_STATE_COLOURS[state])))
                if column == 6 and status.pending:
                    cell.setForeground(QBrush(QColor("#8a1c1c")))
                self.table.setItem(row, column, cell)

    def _select(self, row: int) -> None:
        item = self.table.item(row, 0) if row >= 0 else None
        self.shared.select(item.text() if item else "")

    def showEvent(self, event) -> None:
        """Read the record when the panel appears."""
        super().showEvent(event)
        self.refresh()
