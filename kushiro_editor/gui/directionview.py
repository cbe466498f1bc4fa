"""The right-hand side: one direction's measures, main projects and department entries.

All entries of the direction are shown at once, each with its departments and
the 実績 / 取組予定 editors side by side, so that a planning officer reads and
edits the block as it will be printed. Widgets are pooled and re-bound to the
fields' documents when another direction is shown.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import fiscal
from ..core.model import Direction, Entry, MainProject, Measure
from .document import ReportDocument
from .richedit import RichTextEdit, plain_length

logger = logging.getLogger(__name__)

_SEPARATORS = re.compile(r"[、,，\s\u3000]+")
DEPARTMENT_WIDTH = 160


def parse_departments(text: str) -> list[str]:
    """「観光振興室、阿寒観光振興課」 → both names."""
    return [name for name in _SEPARATORS.split(text.strip()) if name]


def _section(title: str) -> QLabel:
    label = QLabel(title)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setStyleSheet(
        "QLabel { color: #1f3a5f; border-bottom: 1px solid #9fb3c8; padding: 6px 0 2px 0; }"
    )
    return label


class _ActionButton(QToolButton):
    def __init__(self, tooltip: str) -> None:
        super().__init__()
        self.setText("…")
        self.setToolTip(tooltip)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(True)
        self.setMenu(QMenu(self))


class MeasureWidget(QFrame):
    """ア: the title on one line, the description below."""

    def __init__(self, view: DirectionView) -> None:
        super().__init__()
        self.view = view
        self.measure: Measure | None = None
        self.label = QLabel()
        self.label.setMinimumWidth(28)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("施策の題名"))
        self.title.editingFinished.connect(self._rename)
        self.body = RichTextEdit(minimum_lines=2)
        self.body.setAccessibleName(self.tr("施策の説明"))
        self.actions = _ActionButton(self.tr("施策の操作"))
        menu = self.actions.menu()
        menu.addAction(self.tr("上へ移動"), lambda: self.view.move(self.measure, -1))
        menu.addAction(self.tr("下へ移動"), lambda: self.view.move(self.measure, 1))
        menu.addSeparator()
        menu.addAction(self.tr("この施策を削除…"), lambda: self.view.delete(self.measure))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.label)
        top.addWidget(self.title, 1)
        top.addWidget(self.actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.body)

    def bind(self, measure: Measure) -> None:
        """Show a measure."""
        self.measure = measure
        self.label.setText(measure.label)
        if self.title.text() != measure.title:
            self.title.setText(measure.title)
        self.body.bind(self.view.controller.text_document(measure, "body"))
        self.set_highlight(False)

    def set_highlight(self, on: bool) -> None:
        """Mark the measure selected in the tree."""
        self.setStyleSheet(
            "MeasureWidget { background: #fff6d5; border-radius: 4px; }" if on else ""
        )

    def _rename(self) -> None:
        if self.measure is not None and self.title.text().strip() != self.measure.title:
            self.view.controller.rename(self.measure, self.title.text().strip())


class DepartmentEdit(QPlainTextEdit):
    """The departments of an entry, one per line (a joint row has two lines)."""

    editing_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setPlaceholderText(self.tr("所管部署"))
        self.setToolTip(self.tr("共同の行は部署を1行に1つずつ書きます"))
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def names(self) -> list[str]:
        """The department names written."""
        return parse_departments(self.toPlainText())

    def set_names(self, names: list[str]) -> None:
        """Show department names, one per line."""
        text = "\n".join(names)
        if self.toPlainText() != text:
            self.setPlainText(text)

    def _fit(self) -> None:
        lines = max(1, self.document().blockCount())
        height = self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 10
        self.setFixedHeight(height)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class EntryWidget(QFrame):
    """One department row: departments, 実績 and 取組予定 side by side, with counts."""

    def __init__(self, view: DirectionView) -> None:
        super().__init__()
        self.view = view
        self.entry: Entry | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.departments = DepartmentEdit()
        self.departments.editing_finished.connect(self._set_departments)
        self.actual = RichTextEdit()
        self.plan = RichTextEdit()
        self.actual.partner, self.plan.partner = self.plan, self.actual
        self.actual.setAccessibleName(self.tr("実績"))
        self.plan.setAccessibleName(self.tr("取組予定"))
        self.actual_count = QLabel()
        self.plan_count = QLabel()
        for label in (self.actual_count, self.plan_count):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            label.setStyleSheet("color: #555555;")
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setStyleSheet("color: #9a5b00;")
        self.confirm_button = QToolButton()
        self.confirm_button.setText(self.tr("確認済みにする"))
        self.confirm_button.setToolTip(self.tr("引き継いだ文章がこのままで正しいことを記録します"))
        self.confirm_button.clicked.connect(lambda: self.view.controller.confirm(self.entry))
        self.compare_button = QToolButton()
        self.compare_button.setText(self.tr("前年度と比較"))
        self.compare_button.setAutoRaise(True)
        self.compare_button.clicked.connect(lambda: self.view.compare_requested.emit(self.entry))
        self.actions = _ActionButton(self.tr("行の操作"))
        menu = self.actions.menu()
        menu.addAction(self.tr("上へ移動"), lambda: self.view.move(self.entry, -1))
        menu.addAction(self.tr("下へ移動"), lambda: self.view.move(self.entry, 1))
        menu.addAction(self.tr("この下に行を追加"), lambda: self.view.add_entry(after=self.entry))
        menu.addSeparator()
        menu.addAction(self.tr("この行を削除…"), lambda: self.view.delete(self.entry))
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.departments)
        left.addWidget(self.state)
        left.addWidget(self.confirm_button)
        left.addWidget(self.compare_button)
        row = QHBoxLayout()
        row.addWidget(self.actions)
        row.addStretch(1)
        left.addLayout(row)
        left.addStretch(1)
        # The left column keeps the heading's width whatever its labels say.
        left_box = QWidget()
        left_box.setFixedWidth(DEPARTMENT_WIDTH)
        left_box.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(left_box, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.actual, 0, 1)
        grid.addWidget(self.plan, 0, 2)
        grid.addWidget(self.actual_count, 1, 1)
        grid.addWidget(self.plan_count, 1, 2)
        grid.setColumnStretch(0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.departments.setFixedWidth(DEPARTMENT_WIDTH)
        self._documents = []

    def bind(self, entry: Entry) -> None:
        """Show an entry."""
        self.entry = entry
        controller = self.view.controller
        self.refresh_departments()
        for document in self._documents:
            document.contentsChanged.disconnect(self.update_counts)
        actual = controller.text_document(entry, "actual")
        plan = controller.text_document(entry, "plan")
        self.actual.bind(actual)
        self.plan.bind(plan)
        self._documents = [actual, plan]
        for document in self._documents:
            document.contentsChanged.connect(self.update_counts)
        self.update_counts()
        self.refresh_state()

    def refresh_departments(self) -> None:
        """Show the entry's departments as the store has them."""
        self.departments.set_names(self.entry.departments)

    def refresh_state(self) -> None:
        """Review marks (前年度から引継ぎ…) from the controller, if any."""
        text = (
            self.view.controller.entry_state_text(self.entry)
            if hasattr(self.view.controller, "entry_state_text")
            else ""
        )
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def update_counts(self) -> None:
        """The live character counts under the editors."""
        limit = self.view.length_limit
        for label, editor in ((self.actual_count, self.actual), (self.plan_count, self.plan)):
            count = plain_length(editor.document())
            label.setText(self.tr("{0}字").replace("{0}", f"{count:,}"))
            over = limit and count > limit
            label.setStyleSheet("color: #b00020; font-weight: bold;" if over else "color: #555555;")

    def _set_departments(self) -> None:
        if self.entry is None:
            return
        names = self.departments.names()
        if names != self.entry.departments:
            self.view.controller.set_departments(self.entry, names)


class ProjectModel(QAbstractTableModel):
    """【主な事業】 of the shown direction: the name, and whether it is 【再掲】."""

    def __init__(self, view: DirectionView) -> None:
        super().__init__()
        self.view = view
        self.direction: Direction | None = None

    def set_direction(self, direction: Direction | None) -> None:
        """Show another direction's projects."""
        self.beginResetModel()
        self.direction = direction
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return (
            0 if parent.isValid() or self.direction is None else len(self.direction.main_projects)
        )

    def columnCount(self, parent=QModelIndex()) -> int:
        return 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("事業名"), self.tr("再掲"))[section]
        return None

    def project(self, row: int) -> MainProject:
        """The project on a row."""
        return self.direction.main_projects[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        project = self.project(index.row())
        if index.column() == 0 and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return project.name
        if index.column() == 1 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if project.relisted else Qt.CheckState.Unchecked
        return None

    def flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        else:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        project = self.project(index.row())
        if index.column() == 0 and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != project.name:
                self.view.controller.rename(project, name)
                return True
        if index.column() == 1 and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.view.controller.set_relisted(project, checked)
            return True
        return False

    def refresh(self) -> None:
        """The direction's projects changed (added, removed, renamed, moved)."""
        self.beginResetModel()
        self.endResetModel()


class DirectionView(QScrollArea):
    """The editor of one direction's block."""

    entry_focused = Signal(object)
    compare_requested = Signal(object)

    def __init__(self, controller: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.direction: Direction | None = None
        self.department = ""
        self.length_limit = 0
        self._measures: list[MeasureWidget] = []
        self._entries: list[EntryWidget] = []
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        page.setObjectName("directionPage")
        self.setWidget(page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.setSpacing(4)

        self.goal_label = QLabel()
        self.goal_label.setStyleSheet("color: #555555;")
        self.goal_label.setWordWrap(True)
        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.goal_label)
        layout.addWidget(self.title)

        # Measures and main projects change rarely: folded by default so that
        # the department texts, the year's real work, come first.
        self.fold_button = QToolButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fold_button.setArrowType(Qt.ArrowType.RightArrow)
        self.fold_button.setAutoRaise(True)
        self.fold_button.setStyleSheet("QToolButton { font-weight: bold; color: #1f3a5f; }")
        self.fold_button.toggled.connect(self.set_details_visible)
        layout.addWidget(self.fold_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(_section(self.tr("具体的な施策")))
        self.measure_box = QVBoxLayout()
        self.measure_box.setSpacing(2)
        details.addLayout(self.measure_box)
        add_measure = QToolButton()
        add_measure.setText(self.tr("＋ 施策を追加"))
        add_measure.setAutoRaise(True)
        add_measure.clicked.connect(self.add_measure)
        details.addWidget(add_measure, 0, Qt.AlignmentFlag.AlignLeft)

        details.addWidget(_section(self.tr("【主な事業】")))
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

        layout.addWidget(_section(self.tr("所管部署ごとの実績・取組予定")))
        heading = QHBoxLayout()
        heading.setContentsMargins(0, 0, 0, 0)
        self.heading_department = QLabel(self.tr("所管部署"))
        self.heading_department.setFixedWidth(DEPARTMENT_WIDTH)
        self.heading_actual = QLabel()
        self.heading_plan = QLabel()
        for label in (self.heading_department, self.heading_actual, self.heading_plan):
            label.setStyleSheet("QLabel { background: #e8eef5; padding: 3px; font-weight: bold; }")
        heading.addWidget(self.heading_department)
        heading.addWidget(self.heading_actual, 1)
        heading.addWidget(self.heading_plan, 1)
        layout.addLayout(heading)
        self.entry_box = QVBoxLayout()
        self.entry_box.setSpacing(0)
        layout.addLayout(self.entry_box)
        self.empty_note = QLabel()
        self.empty_note.setStyleSheet("color: #777777; padding: 8px;")
        layout.addWidget(self.empty_note)
        add_entry = QToolButton()
        add_entry.setText(self.tr("＋ 所管部署の行を追加"))
        add_entry.setAutoRaise(True)
        add_entry.clicked.connect(lambda _checked=False: self.add_entry())
        layout.addWidget(add_entry, 0, Qt.AlignmentFlag.AlignLeft)
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
        controller.structure_changed.connect(self._structure_changed)
        controller.node_changed.connect(self._node_changed)
        self.update_headings()

    # -- showing ---------------------------------------------------------------------
    def update_headings(self) -> None:
        """Column headings with the report's year labels."""
        report = self.controller.report
        self.heading_actual.setText(fiscal.actual_heading(report.actual_year))
        self.heading_plan.setText(fiscal.plan_heading(report.plan_year))

    def visible_entries(self) -> list[Entry]:
        """The shown direction's entries (of the filtered department, when one is chosen)."""
        if self.direction is None:
            return []
        if not self.department:
            return list(self.direction.entries)
        return [e for e in self.direction.entries if self.department in e.departments]

    def show_direction(self, direction: Direction | None, department: str | None = None) -> None:
        """Show a direction's block (pooled widgets re-bound to its fields)."""
        if department is not None:
            self.department = department
        self.direction = direction
        if direction is None:
            self.title.setText(self.tr("左の一覧から基本的方向を選んでください。"))
            self.goal_label.clear()
            self._bind(self._measures, [], MeasureWidget, self.measure_box)
            self._bind(self._entries, [], EntryWidget, self.entry_box)
            self.projects.set_direction(None)
            self._fit_projects()
            return
        goal = self.controller.parent_of(direction)
        self.goal_label.setText(f"{goal.label}{goal.title}" if goal else "")
        self.title.setText(f"{direction.label} {direction.title}")
        self._bind(self._measures, direction.measures, MeasureWidget, self.measure_box)
        entries = self.visible_entries()
        self._bind(self._entries, entries, EntryWidget, self.entry_box)
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

    def _bind(self, pool: list, nodes: list, widget_type, box: QVBoxLayout) -> None:
        while len(pool) < len(nodes):
            widget = widget_type(self)
            pool.append(widget)
            box.addWidget(widget)
            editors = [widget.actual, widget.plan] if widget_type is EntryWidget else [widget.body]
            for editor in editors:
                editor.undo_requested.connect(self.controller.undo_stack.undo)
                editor.redo_requested.connect(self.controller.undo_stack.redo)
            if widget_type is EntryWidget:
                for editor in editors:
                    editor.focus_entered.connect(
                        lambda widget=widget: self.entry_focused.emit(widget.entry)
                    )
        for widget, node in zip(pool, nodes, strict=False):
            widget.bind(node)
            widget.setVisible(True)
        for widget in pool[len(nodes) :]:
            widget.setVisible(False)

    def _fit_projects(self) -> None:
        rows = self.projects.rowCount()
        header = self.project_table.horizontalHeader().height()
        row_height = self.project_table.verticalHeader().defaultSectionSize()
        self.project_table.setFixedHeight(header + row_height * max(rows, 1) + 4)

    def entry_widget(self, entry: Entry) -> EntryWidget | None:
        """The widget showing an entry, if it is shown."""
        return next((w for w in self._entries if w.entry is entry and w.isVisible()), None)

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
            self.ensureWidgetVisible(target, 0, 40)

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
            if self.controller.parent_of(self.direction) is None:
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
            self.title.setText(f"{node.label} {node.title}")

    # -- editing ---------------------------------------------------------------------------
    def add_measure(self) -> None:
        """A new measure at the end of the direction."""
        if self.direction is not None:
            self.set_details_visible(True)
            measure = Measure(title=self.tr("新しい施策"))
            self.controller.add(self.direction, measure)
            widget = self.measure_widget(measure)
            if widget is not None:
                widget.title.setFocus()
                widget.title.selectAll()

    def add_entry(self, after: Entry | None = None) -> None:
        """A new department row (of the filtered department, when one is chosen)."""
        if self.direction is None:
            return
        entry = Entry(departments=[self.department] if self.department else [])
        position = None
        if after is not None and after in self.direction.entries:
            position = self.direction.entries.index(after) + 1
        self.controller.add(self.direction, entry, position)
        widget = self.entry_widget(entry)
        if widget is not None:
            widget.departments.setFocus()

    def add_project(self) -> None:
        """A new main project; its name is edited at once."""
        if self.direction is None:
            return
        self.set_details_visible(True)
        self.controller.add(self.direction, MainProject(name=self.tr("新しい事業")))
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
        if project is not None and self.controller.move_by(project, step):
            row = self.direction.main_projects.index(project)
            self.project_table.setCurrentIndex(self.projects.index(row, 0))

    def _delete_project(self) -> None:
        project = self._selected_project()
        if project is not None:
            self.delete(project)

    def move(self, node: object, step: int) -> None:
        """Move a measure, project or entry up or down."""
        if node is not None:
            self.controller.move_by(node, step)

    def delete(self, node: object) -> None:
        """Delete after the window's confirmation."""
        window = self.window()
        if node is not None and hasattr(window, "confirm_delete") and window.confirm_delete(node):
            self.controller.delete(node)
