"""The header above a direction's block: its goal, its title, and what is under it.

Kept in the scroll area's top margin (as a table keeps its header), so that it
stays in view whatever row is being read. Its last row names the section under
it: the department rows' column headings (所管部署 / 実績 / 取組予定) over the
rows, the section's name over 具体的な施策 and 【主な事業】, where those headings
would mislead.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from .entrywidgets import DEPARTMENT_WIDTH, tint

logger = logging.getLogger(__name__)


class DirectionHeader(QWidget):
    """The goal, the direction's title and a row naming the section under the header."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("directionHeader")
        self.setAutoFillBackground(True)
        self._key: tuple[str, str, int] | None = None
        self.goal_label = QLabel()
        tint(self.goal_label, "#555555")
        self.goal_label.setWordWrap(True)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 2)
        layout.setSpacing(2)
        layout.addWidget(self.goal_label)
        layout.addWidget(self.title)
        # Two rows of one height, so that the rows below never move when the
        # header changes from one to the other.
        self.rows = QStackedWidget()
        self.column_headings = QWidget()
        heading = QHBoxLayout(self.column_headings)
        heading.setContentsMargins(0, 2, 0, 0)
        heading.setSpacing(6)
        self.department = QLabel(self.tr("所管部署"))
        self.department.setFixedWidth(DEPARTMENT_WIDTH)
        self.actual = QLabel()
        self.plan = QLabel()
        for label in (self.department, self.actual, self.plan):
            tint(label, bold=True, background="#e8eef5")
            label.setMargin(3)
        heading.addWidget(self.department)
        heading.addWidget(self.actual, 1)
        heading.addWidget(self.plan, 1)
        self.section = QLabel()
        tint(self.section, bold=True, background="#eef2e6")
        self.section.setMargin(3)
        self.section.setContentsMargins(0, 2, 0, 0)
        self.rows.addWidget(self.column_headings)
        self.rows.addWidget(self.section)
        layout.addWidget(self.rows)

    def place(self, area) -> None:
        """Size the header for the title's lines and keep the scroll area's rows below it."""
        # The rows' right edge is the scroll bar's left one: the headings end there too.
        width = area.width() - 2 * area.frameWidth()
        key = (self.title.text(), self.goal_label.text(), width)
        if key == self._key:
            return  # the same lines at the same width: nothing moves
        self._key = key
        margin = area.verticalScrollBar().sizeHint().width()
        self.layout().setContentsMargins(12, 6, 12 + margin, 2)
        height = self.layout().totalHeightForWidth(width)
        if height < 0:
            height = self.sizeHint().height()
        self.setGeometry(area.frameWidth(), area.frameWidth(), width, height)
        if area.viewportMargins().top() != height:
            area.setViewportMargins(0, height, 0, 0)
        self.raise_()

    def name_section(self, name: str) -> None:
        """Head the view with a section's name, or ("") with the rows' column headings."""
        if name:
            self.section.setText(name + self.tr("(下に所管部署ごとの実績・取組予定が続きます)"))
        self.rows.setCurrentWidget(self.section if name else self.column_headings)
