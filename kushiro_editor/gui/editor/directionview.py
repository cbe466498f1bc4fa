"""The right-hand side: one direction's measures, main projects and department entries.

All entries of the direction are shown at once, each with its departments and
the 実績 / 取組予定 editors side by side, so that a planning officer reads and
edits the block as it will be printed. Widgets are pooled and re-bound to the
fields' documents when another direction is shown.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal
from ...core.model import Direction, Entry, MainProject, Measure
from .directionheader import DirectionHeader
from .document import ReportDocument
from .entrywidgets import EntryWidget, MeasureWidget, ProjectModel, section, tint
from .kpitable import KpiPanel
from .richedit import RichTextEdit

logger = logging.getLogger(__name__)

# The editors of a row, by attribute: a moved row keeps the keyboard in the same one.
ROW_FIELDS = ("departments", "actual", "plan", "title", "body")


class DirectionView(QScrollArea):
    """The editor of one direction's block."""

    entry_focused = Signal(object)
    compare_requested = Signal(object)
    delete_requested = Signal(object)

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.direction: Direction | None = None
        self.department = ""
        self.length_limit = 0
        self.read_only = False
        self.show_previous_plans = True  # last year's plan under each 実績 (表示 menu)
        self._measures: list[MeasureWidget] = []
        self._entries: list[EntryWidget] = []
        self._kept: set[str] = set()  # entries shown under the filter, kept while edited
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Always there, so that the editors' width (and their text layout) does
        # not change with the length of the direction shown.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        page = QWidget()
        page.setObjectName("directionPage")
        self.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(4)

        self.header = DirectionHeader(self)
        # The header's parts, by the names the rest of the view and its tests use.
        self.goal_label, self.title = self.header.goal_label, self.header.title
        self.header_rows, self.column_headings = self.header.rows, self.header.column_headings
        self.section_heading = self.header.section
        self.heading_department = self.header.department
        self.heading_actual, self.heading_plan = self.header.actual, self.header.plan

        self.kpis = KpiPanel(document, page)  # hidden while the report has no KPIs
        layout.addWidget(self.kpis)
        # Measures and main projects change rarely: folded by default so that
        # the department texts, the year's real work, come first.
        self.fold_button = QToolButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fold_button.setArrowType(Qt.ArrowType.RightArrow)
        self.fold_button.setAutoRaise(True)
        tint(self.fold_button, "#1f3a5f", bold=True)
        self.fold_button.toggled.connect(self.set_details_visible)
        layout.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(section(self.tr("具体的な施策")))
        self.measure_box = QVBoxLayout()
        self.measure_box.setSpacing(2)
        details.addLayout(self.measure_box)
        add_measure = QToolButton()
        add_measure.setText(self.tr("＋ 施策を追加"))
        add_measure.setAutoRaise(True)
        add_measure.clicked.connect(self.add_measure)
        details.addWidget(add_measure, 0, Qt.AlignmentFlag.AlignLeft)

        self.projects_heading = section(self.tr("【主な事業】"))
        details.addWidget(self.projects_heading)
        self.projects = ProjectModel(self)
        self.project_table = QTableView()
        self.project_table.setModel(self.projects)
        self.project_table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.project_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.project_table.verticalHeader().setVisible(False)
        self.project_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.project_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.project_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.project_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        details.addWidget(self.project_table)
        buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("＋ 事業を追加"), self.add_project),
            (self.tr("上へ"), lambda: self._move_project(-1)),
            (self.tr("下へ"), lambda: self._move_project(1)),
            (self.tr("削除…"), self._delete_project),
        ):
            button = QToolButton()
            button.setText(text)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        details.addLayout(buttons)
        layout.addWidget(self.details)
        self.details.setVisible(False)

        self.entries_heading = section(self.tr("所管部署ごとの実績・取組予定"))
        layout.addWidget(self.entries_heading)
        self.entry_box = QVBoxLayout()
        self.entry_box.setSpacing(0)
        layout.addLayout(self.entry_box)
        self.empty_note = QLabel()
        tint(self.empty_note, "#777777")
        self.empty_note.setMargin(8)
        layout.addWidget(self.empty_note)
        add_entry = QToolButton()
        add_entry.setText(self.tr("＋ 所管部署の行を追加"))
        add_entry.setAutoRaise(True)
        add_entry.clicked.connect(lambda _checked=False: self.add_entry())
        layout.addWidget(add_entry, 0, Qt.AlignmentFlag.AlignLeft)
        # Shown only with a direction: with none there is nothing to add a row to.
        self.direction_parts = (self.fold_button, self.entries_heading, add_entry)
        layout.addStretch(1)

        QShortcut(
            QKeySequence("Alt+Down"),
            self,
            lambda: self.focus_neighbour(1),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        QShortcut(
            QKeySequence("Alt+Up"),
            self,
            lambda: self.focus_neighbour(-1),
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._complete_timer = QTimer(self)
        self._complete_timer.setSingleShot(True)
        self._complete_timer.setInterval(80)
        self._complete_timer.timeout.connect(self.complete_pending)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.complete_pending())
        # The header names the section under it: the rows' column headings only
        # over the department rows, the section's name over 施策 and 主な事業.
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.follow_section())
        self.verticalScrollBar().rangeChanged.connect(lambda _a, _b: self.follow_section())
        # A row just made stays in view while the rows above it are laid out and grow.
        self._new_row: QWidget | None = None
        self._keep_timer = QTimer(self)
        self._keep_timer.setSingleShot(True)
        self._keep_timer.setInterval(1500)
        self._keep_timer.timeout.connect(self._let_go)
        self.verticalScrollBar().rangeChanged.connect(lambda _a, _b: self._keep_revealed())
        document.structure_changed.connect(self._structure_changed)
        document.node_changed.connect(self._node_changed)
        self.update_headings()

    # -- the sticky header --------------------------------------------------------------
    def place_header(self) -> None:
        """Size the header for the title's lines and keep the rows below it."""
        self.header.place(self)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.place_header()
        self.follow_section()

    def follow_section(self) -> None:
        """Head the view with what is under it: 施策, 主な事業 or the rows' columns."""
        page = self.widget()
        top = self.verticalScrollBar().value()
        name = ""
        if self.direction is not None and self.details.isVisibleTo(self):
            entries_top = self.entries_heading.mapTo(page, self.entries_heading.rect().topLeft())
            projects_top = self.projects_heading.mapTo(page, self.projects_heading.rect().topLeft())
            # The department rows claim the header once they start in the view's
            # upper half (the view may end before they reach its top); above
            # that, the section on the view's top line names it.
            if top + self.viewport().height() // 2 < entries_top.y():
                name = (
                    self.tr("【主な事業】")
                    if top + 4 >= projects_top.y()
                    else self.tr("具体的な施策")
                )
        page.layout().activate()  # the KPI tables may have just been shown
        kpis_end = self.kpis.y() + self.kpis.height()
        half = top + self.viewport().height() // 2
        if self.kpis.isVisibleTo(self) and top < kpis_end and half < self.entries_heading.y():
            name = self.tr("数値目標・重要業績評価指標（KPI）")
        self.header.name_section(name)

    def scroll_to_row(self, widget: QWidget) -> None:
        """Put a row near the top of the view, under the headings."""
        top = widget.mapTo(self.widget(), widget.rect().topLeft()).y()
        self.verticalScrollBar().setValue(max(top - 8, 0))

    def set_read_only(self, read_only: bool) -> None:
        """Nothing can be changed (a second window on a store in use)."""
        self.read_only = read_only
        for widget in self._measures:
            widget.set_read_only(read_only)
        for widget in self._entries:
            widget.set_read_only(read_only)
        for button in self.findChildren(QToolButton):
            if button is not self.fold_button:
                button.setEnabled(not read_only)
        self.project_table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if read_only
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )

    # -- showing ---------------------------------------------------------------------
    def update_headings(self) -> None:
        """Column headings with the report's year labels."""
        report = self.document.report
        self.heading_actual.setText(fiscal.actual_heading(report.actual_year))
        self.heading_plan.setText(fiscal.plan_heading(report.plan_year))

    def visible_entries(self) -> list[Entry]:
        """The shown direction's entries (of the filtered department, when one is chosen)."""
        if self.direction is None:
            return []
        if not self.department:
            return list(self.direction.entries)
        # A row renamed away from the department stays until another direction is shown.
        return [
            e
            for e in self.direction.entries
            if self.department in e.departments or e.id in self._kept
        ]

    def show_direction(self, direction: Direction | None, department: str | None = None) -> None:
        """Show a direction's block (pooled widgets re-bound to its fields)."""
        if direction is not self.direction or (
            department is not None and department != self.department
        ):
            self._kept = set()
        if department is not None:
            self.department = department
        self.direction = direction
        self.kpis.show_direction(direction)
        for part in self.direction_parts:
            part.setVisible(direction is not None)
        self.details.setVisible(direction is not None and self.fold_button.isChecked())
        if direction is None:
            self.empty_note.setVisible(False)
            self.title.setText(self.tr("左の一覧から基本的方向を選んでください。"))
            self.goal_label.clear()
            self.place_header()
            self._bind(self._measures, [], MeasureWidget, self.measure_box)
            self._bind(self._entries, [], EntryWidget, self.entry_box)
            self.projects.set_direction(None)
            self._fit_projects()
            return
        goal = self.document.parent_of(direction)
        self.goal_label.setText(goal.heading if goal else "")
        self.title.setText(direction.heading)
        self.place_header()
        # Folded measures are bound when unfolded: most switches never show them.
        self._bind(
            self._measures,
            direction.measures if self.details.isVisibleTo(self) else [],
            MeasureWidget,
            self.measure_box,
        )
        entries = self.visible_entries()
        self._kept = {e.id for e in entries} if self.department else set()
        self._bind(self._entries, entries, EntryWidget, self.entry_box)
        self._complete_timer.start()
        if not entries:
            self.empty_note.setText(
                self.tr("この基本的方向には所管部署の行がありません。")
                if not self.department
                else self.tr("{0} の行はありません。").replace("{0}", self.department)
            )
        self.empty_note.setVisible(not entries)
        self.projects.set_direction(direction)
        self._fit_projects()
        self._update_fold_text()
        self.follow_section()

    def _update_fold_text(self) -> None:
        direction = self.direction
        measures = len(direction.measures) if direction else 0
        projects = len(direction.main_projects) if direction else 0
        self.fold_button.setText(
            self.tr("具体的な施策 {0} 件・主な事業 {1} 件")
            .replace("{0}", str(measures))
            .replace("{1}", str(projects))
        )

    def set_details_visible(self, visible: bool) -> None:
        """Unfold or fold the measures and main projects."""
        if self.fold_button.isChecked() != visible:
            self.fold_button.setChecked(visible)
            return
        self.fold_button.setArrowType(
            Qt.ArrowType.DownArrow if visible else Qt.ArrowType.RightArrow
        )
        self.details.setVisible(visible)
        if visible and self.direction is not None:
            self._bind(self._measures, self.direction.measures, MeasureWidget, self.measure_box)
        self.widget().layout().activate()
        self.follow_section()

    def _bind(self, pool: list, nodes: list, widget_type, box: QVBoxLayout) -> None:
        while len(pool) < len(nodes):
            widget = widget_type(self)
            widget.set_read_only(self.read_only)
            pool.append(widget)
            box.addWidget(widget)
            editors = [widget.actual, widget.plan] if widget_type is EntryWidget else [widget.body]
            for editor in editors:
                editor.undo_requested.connect(self.document.undo_stack.undo)
                editor.redo_requested.connect(self.document.undo_stack.redo)
            if widget_type is EntryWidget:
                for editor in editors:
                    editor.focus_entered.connect(
                        lambda widget=widget: self.entry_focused.emit(widget.entry)
                    )
        # Entries that fill the visible part are bound now, the rest a moment later.
        room = self.viewport().height() + 200
        for widget, node in zip(pool, nodes, strict=False):
            if widget_type is EntryWidget:
                later = room <= 0
                widget.bind(node, later=later)
                if not later:
                    room -= widget.estimated_height() if widget.pending else widget.height()
            else:
                widget.bind(node)
            widget.setVisible(True)
        for widget in pool[len(nodes) :]:
            widget.setVisible(False)

    def _fit_projects(self) -> None:
        rows = self.projects.rowCount()
        header = self.project_table.horizontalHeader().height()
        row_height = self.project_table.verticalHeader().defaultSectionSize()
        self.project_table.setFixedHeight(header + row_height * max(rows, 1) + 4)

    def complete_pending(self) -> None:
        """Bind the entries left for later (after a pause, a scroll, or a focus)."""
        for widget in self._entries:
            if widget.pending and widget.isVisibleTo(self):
                widget.complete()

    def entry_widget(self, entry: Entry) -> EntryWidget | None:
        """The widget showing an entry (bound, so that it can be edited), if it is shown."""
        widget = next((w for w in self._entries if w.entry is entry and w.isVisible()), None)
        if widget is not None and widget.pending:
            widget.complete()
        return widget

    def measure_widget(self, measure: Measure) -> MeasureWidget | None:
        """The widget showing a measure, if it is shown."""
        return next((w for w in self._measures if w.measure is measure and w.isVisible()), None)

    def highlight_measure(self, measure: Measure | None) -> None:
        """Mark (and scroll to) the measure chosen in the tree."""
        if measure is not None:
            self.set_details_visible(True)
        for widget in self._measures:
            widget.set_highlight(widget.measure is measure and measure is not None)
        target = self.measure_widget(measure) if measure else None
        if target is not None:
            # Laid out first: the measures were folded a moment ago.
            self.widget().layout().activate()
            self.scroll_to_row(target)

    def editor_for(self, node: object, field: str) -> RichTextEdit | None:
        """The editor showing a node's text field."""
        if isinstance(node, Entry):
            widget = self.entry_widget(node)
            return getattr(widget, field) if widget else None
        if isinstance(node, Measure):
            widget = self.measure_widget(node)
            return widget.body if widget else None
        return None

    def focus_neighbour(self, step: int) -> None:
        """Alt+↓ / Alt+↑: the same column of the next or previous department row."""
        visible = [w for w in self._entries if w.isVisible()]
        for widget in visible:
            if widget.pending:
                widget.complete()
        focused = self.focusWidget()
        for index, widget in enumerate(visible):
            for column in ("departments", "actual", "plan"):
                if getattr(widget, column) is focused:
                    target = index + step
                    if 0 <= target < len(visible):
                        editor = getattr(visible[target], column)
                        editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
                        self.ensureWidgetVisible(editor, 0, 40)
                    return
        if visible:
            visible[0].actual.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- changes from elsewhere ---------------------------------------------------------
    def _structure_changed(self, direction: Direction | None) -> None:
        if self.direction is not None and (direction is None or direction is self.direction):
            if self.document.parent_of(self.direction) is None:
                self.show_direction(None)
            else:
                self.show_direction(self.direction)

    def _node_changed(self, node: object) -> None:
        if isinstance(node, Entry):
            widget = self.entry_widget(node)
            if widget is not None:
                widget.refresh_departments()
                widget.refresh_state()
        elif isinstance(node, Measure):
            widget = self.measure_widget(node)
            if widget is not None and widget.title.text() != node.title:
                widget.title.setText(node.title)
        elif isinstance(node, MainProject):
            self.projects.refresh()
            self._update_fold_text()
        elif node is self.direction:
            self.title.setText(node.heading)
            self.place_header()

    # -- editing ---------------------------------------------------------------------------
    def add_measure(self) -> None:
        """A new measure at the end of the direction."""
        if self.direction is not None:
            self.set_details_visible(True)
            measure = Measure(title=self.tr("新しい施策"))
            self.document.add(self.direction, measure)
            widget = self.measure_widget(measure)
            if widget is not None:
                widget.title.setFocus()
                widget.title.selectAll()
                self.reveal_widget(widget)

    def add_entry(self, after: Entry | None = None) -> None:
        """A new department row (of the filtered department, when one is chosen)."""
        if self.direction is None:
            return
        entry = Entry(departments=[self.department] if self.department else [])
        position = None
        if after is not None and after in self.direction.entries:
            position = self.direction.entries.index(after) + 1
        self.document.add(self.direction, entry, position)
        widget = self.entry_widget(entry)
        if widget is not None:
            widget.departments.setFocus()
            self.reveal_widget(widget)

    def reveal_widget(self, widget: QWidget) -> None:
        """Scroll a row just made into view, once the layout has given it its place.

        The rows above it are laid out a moment later (their texts are bound
        lazily) and push it down: it is kept in view until they have settled.
        """
        self.widget().layout().activate()
        self.ensureWidgetVisible(widget, 0, 40)
        self._new_row = widget
        self._keep_timer.start()

    def _keep_revealed(self) -> None:
        if self._new_row is None:
            return
        try:
            self.ensureWidgetVisible(self._new_row, 0, 40)
        except RuntimeError:  # the row was rebuilt meanwhile
            self._new_row = None

    def _let_go(self) -> None:
        self._new_row = None

    def add_project(self) -> None:
        """A new main project; its name is edited at once."""
        if self.direction is None:
            return
        self.set_details_visible(True)
        self.document.add(self.direction, MainProject(name=self.tr("新しい事業")))
        row = len(self.direction.main_projects) - 1
        index = self.projects.index(row, 0)
        self.project_table.setCurrentIndex(index)
        self.project_table.edit(index)

    def _selected_project(self) -> MainProject | None:
        index = self.project_table.currentIndex()
        if self.direction is None or not index.isValid():
            return None
        return self.projects.project(index.row())

    def _move_project(self, step: int) -> None:
        project = self._selected_project()
        if project is not None and self.document.move_by(project, step):
            row = self.direction.main_projects.index(project)
            self.project_table.setCurrentIndex(self.projects.index(row, 0))

    def _delete_project(self) -> None:
        project = self._selected_project()
        if project is not None:
            self.delete(project)

    def move(self, node: object, step: int) -> None:
        """Move a measure, project or entry up or down; the keyboard stays with it."""
        if node is None:
            return
        focused = QApplication.focusWidget()
        row = self._row_widget_of(focused)
        column = next((name for name in ROW_FIELDS if getattr(row, name, None) is focused), None)
        if not self.document.move_by(node, step):
            return
        # Pooled widgets are re-bound in the new order: the moved row has another one now.
        widget = self.entry_widget(node) if isinstance(node, Entry) else self.measure_widget(node)
        if widget is not None and row is not None:
            editor = getattr(widget, column) if column else widget
            editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.reveal_widget(widget)

    def row_place(self, node: object) -> tuple[bool, bool]:
        """Whether a measure or entry is the first, and the last, of its list."""
        rows = self.visible_entries() if isinstance(node, Entry) else None
        if rows is None:
            rows = self.direction.measures if self.direction is not None else []
        if node not in rows:
            return True, True
        return node is rows[0], node is rows[-1]

    def focused_row(self) -> Entry | Measure | None:
        """The department row or measure the keyboard is in, if any."""
        widget = self._row_widget_of(QApplication.focusWidget())
        if isinstance(widget, EntryWidget):
            return widget.entry
        return widget.measure if widget is not None else None

    def _row_widget_of(self, focused: QWidget | None) -> EntryWidget | MeasureWidget | None:
        if focused is None:
            return None
        for widget in (*self._entries, *self._measures):
            if widget.isVisible() and (widget is focused or widget.isAncestorOf(focused)):
                return widget
        return None

    def delete(self, node: object) -> None:
        """Ask for a node to be deleted (the window confirms first)."""
        if node is not None:
            self.delete_requested.emit(node)

    def set_previous_plans_visible(self, visible: bool) -> None:
        """Show or fold away last year's 取組予定 under the rows' 実績."""
        self.show_previous_plans = visible
        for widget in self._entries:
            if widget.isVisibleTo(self):
                widget.refresh_previous_plan()

    def set_length_limit(self, limit: int) -> None:
        """The length limit the character counts warn at (0: none)."""
        self.length_limit = limit
        for widget in self._entries:
            if widget.isVisible():
                widget.update_counts()
