"""The report pane: the tree of goals, directions and measures beside the direction editor.

It shows the open report, follows the department filter and finds any place
of the report for the window (a search result, a finding, an import note).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...core.kpi import fields as kpi_fields
from ...core.merge import department_status
from ...core.model import Direction, Entry, Goal, Kpi, MainProject, Measure
from ..session import Session
from . import previousplanbox
from .directionview import DirectionView
from .document import ReportDocument
from .richedit import RichTextEdit
from .treemodel import DepartmentFilter, NodeRole

logger = logging.getLogger(__name__)


def department_order(names: dict[str, int] | list[str], office: list[str]) -> list[str]:
    """Departments as the office list orders them, then as the report first names them.

    An order a clerk can find a name in: the office's own list (by 部 and 課),
    not by how many rows each has.
    """
    place = {name: index for index, name in enumerate(office)}
    found = list(names)
    first = {name: index for index, name in enumerate(found)}
    return sorted(found, key=lambda n: (n not in place, place.get(n, 0), first[n]))


class ReportPane(QSplitter):
    """The tree (with the department filter) and the editor of the chosen direction."""

    compare_requested = Signal(object)  # an entry: compare it with last year
    delete_requested = Signal(object)  # a node: delete it (after confirmation)

    def __init__(self, session: Session, font: QFont, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.editor_font = QFont(font)
        self.length_limit = int(session.settings.value("review/limit", 0) or 0)
        self.context_actions: list[QAction | None] = []
        # The filter proxy sits between the model and the tree only while a
        # department is chosen: mapping every row through it costs at start.
        self.filter = DepartmentFilter()
        self.department = ""
        self.tree = QTreeView()
        self.tree.setHeaderHidden(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        if session.read_only:
            self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        else:
            self.tree.setEditTriggers(
                QAbstractItemView.EditTrigger.EditKeyPressed
                | QAbstractItemView.EditTrigger.SelectedClicked
            )
            self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
            self.tree.setDropIndicatorShown(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.setAccessibleName(self.tr("基本目標と基本的方向の一覧"))
        self.departments = QComboBox()
        self.departments.setToolTip(self.tr("所管部署で絞り込む"))
        self.departments.setMinimumContentsLength(14)
        # Forty departments: a name is found by typing any part of it (「水産」).
        self.departments.setEditable(True)
        self.departments.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.departments.lineEdit().setPlaceholderText(self.tr("部署名の一部を入力"))
        completer = self.departments.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self._department_typed)
        self.departments.lineEdit().editingFinished.connect(self._department_left)
        self.departments.currentIndexChanged.connect(self._department_chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(self.tr("所管部署:")))
        filter_row.addWidget(self.departments, 1)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.tree, 1)

        self.view_holder = QWidget()
        self.view_layout = QVBoxLayout(self.view_holder)
        self.view_layout.setContentsMargins(0, 0, 0, 0)
        self.view: DirectionView | None = None
        self.addWidget(left)
        self.addWidget(self.view_holder)
        self.setStretchFactor(1, 1)
        self.setSizes([420, 980])
        self.document: ReportDocument | None = None
        session.document_changed.connect(self.show_document)
        session.departments_changed.connect(self.refresh_departments)
        session.reveal.connect(self.reveal)
        session.reveal_id.connect(self.jump_to_id)
        session.limit_changed.connect(self._limit_changed)

    # -- the open report ---------------------------------------------------------------
    def show_document(self, document: ReportDocument | None) -> None:
        """Show a report (None: the store has none)."""
        self.document = document
        self.department = ""
        if document is None:
            self._set_view(None)
            self.filter.setSourceModel(None)
            self.tree.setModel(None)
            self.departments.clear()
            return
        document.set_font(self.editor_font)
        document.structure_changed.connect(self.refresh_departments)
        document.departments_changed.connect(self.refresh_departments)
        document.reveal.connect(self.reveal)
        self.filter.setSourceModel(document.tree)
        self._set_view(document)
        self._attach_tree(document.tree)
        self.refresh_departments()
        self._start_on_own_rows(document)
        self.select_first_direction()

    def _start_on_own_rows(self, document: ReportDocument) -> None:
        """A department's login on the shared store starts on its own 所管部署's rows."""
        rows = document.sharing.access()
        mine = sorted(rows.departments) if rows is not None else []
        index = self.departments.findData(mine[0]) if mine else -1
        if index > 0:
            self.departments.setCurrentIndex(index)

    def _set_view(self, document: ReportDocument | None) -> None:
        if self.view is not None:
            self.view_layout.removeWidget(self.view)
            self.view.deleteLater()
            self.view = None
        if document is None:
            return
        self.view = DirectionView(document)
        self.view.setFont(self.editor_font)
        self.view_layout.addWidget(self.view)
        # Shown now, not at the next event loop turn, so that a jump right after
        # switching reports finds its editor.
        self.view.show()
        self.view.compare_requested.connect(self.compare_requested)
        self.view.delete_requested.connect(self.delete_requested)
        if self.session.read_only:
            self.view.set_read_only(True)
        self.view.length_limit = self.length_limit
        self.view.show_previous_plans = self.session.settings.value(
            previousplanbox.SETTING, True, type=bool
        )

    def set_previous_plans_visible(self, visible: bool) -> None:
        """Show or fold away last year's 取組予定 under the 実績 (remembered in the settings)."""
        self.session.settings.setValue(previousplanbox.SETTING, visible)
        if self.view is not None:
            self.view.set_previous_plans_visible(visible)

    def _limit_changed(self, value: int) -> None:
        self.length_limit = value
        if self.view is not None:
            self.view.set_length_limit(value)

    def set_editor_font(self, font: QFont) -> None:
        """The editors' text size changed: rebuild the editors in the new font."""
        self.editor_font = QFont(font)
        if self.document is not None:
            current = self.view.direction if self.view is not None else None
            self.document.set_font(self.editor_font)
            self._set_view(self.document)
            self.view.show_direction(current, department=self.department)

    def refresh_departments(self, *_args) -> None:
        """The department filter's list: every department with its rows and 照会 state."""
        if self.document is None:
            return
        report = self.document.report
        current = self.departments.currentData() or ""
        counts: dict[str, int] = {}  # in the order the report first names them
        for _g, _d, entry in report.entries():
            for name in entry.departments:
                counts[name] = counts.get(name, 0) + 1
        if self.department and self.department not in counts:
            # The filtered department's last row was just renamed: keep it chosen.
            counts[self.department] = 0
        total = sum(1 for _ in report.entries())
        self.departments.blockSignals(True)
        self.departments.clear()
        self.departments.addItem(self.tr("すべての部署 ({0}行)").replace("{0}", str(total)), "")
        status = department_status(report, self.session.store.inquiries(report.id))
        for name in department_order(counts, self.session.store.department_list()):
            state = status.get(name, "")
            shown = f" {state}" if state and state != "未照会" else ""
            self.departments.addItem(f"{name} ({counts[name]}){shown}", name)
        index = max(self.departments.findData(current), 0)
        self.departments.setCurrentIndex(index)
        self.departments.blockSignals(False)

    def _attach_tree(self, model) -> None:
        """Show a model in the tree (the report's, or the department filter over it)."""
        if self.tree.model() is not model:
            self.tree.setModel(model)
            self.tree.selectionModel().currentChanged.connect(self._tree_current)
            header = self.tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            # The count column is sized for its header and a three-digit count:
            # sizing it to its contents asks the model for every row at start.
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
            metrics = self.tree.fontMetrics()
            label = str(model.headerData(1, Qt.Orientation.Horizontal) or "")
            header.resizeSection(
                1, max(metrics.horizontalAdvance(label), metrics.horizontalAdvance("999")) + 16
            )
        # Goals open on their directions; a direction opens on its measures.
        self.tree.expandToDepth(0)

    def _department_typed(self, text: str) -> None:
        index = self.departments.findText(text)
        if index >= 0:
            self.departments.setCurrentIndex(index)

    def _department_left(self) -> None:
        # Typed text that names no department: the filter stays, and says which it is.
        if self.departments.findText(self.departments.currentText()) < 0:
            self.departments.setEditText(self.departments.itemText(self.departments.currentIndex()))

    def _department_chosen(self, index: int) -> None:
        if self.document is None or self.view is None:
            return
        name = self.departments.itemData(index) or ""
        if name == self.department:
            return
        self.department = name
        direction = self.view.direction
        if direction is None:
            # Nothing shown (its rows all left the filter): stay where the tree was.
            node = self.selected_node()
            direction = node if isinstance(node, Direction) else None
        if (
            direction is not None
            and name
            and not any(name in e.departments for e in direction.entries)
        ):
            direction = None
        self.filter.set_kept(direction)
        self.filter.set_department(name)
        self._attach_tree(self.filter if name else self.document.tree)
        self.view.show_direction(direction, department=name)
        if direction is None:
            self.select_first_direction()
        else:
            self.select_node(direction)

    # -- the tree and the view ----------------------------------------------------------
    def selected_node(self) -> object | None:
        """The goal, direction or measure chosen in the tree."""
        index = self.tree.currentIndex()
        return index.data(NodeRole) if index.isValid() else None

    def select_node(self, node: object) -> None:
        """Choose a node in the tree (and show its direction)."""
        if self.document is None:
            return
        index = self.document.tree.index_of(node)
        if self.tree.model() is self.filter:
            index = self.filter.mapFromSource(index)
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def edit_selected(self) -> None:
        """Start editing the chosen node's title in the tree."""
        if self.tree.currentIndex().isValid():
            self.tree.setFocus()
            self.tree.edit(self.tree.currentIndex().siblingAtColumn(0))

    def select_first_direction(self) -> None:
        """Choose the first direction the tree shows."""
        model = self.tree.model()
        if model is None:
            return
        for row in range(model.rowCount()):
            goal = model.index(row, 0)
            if model.rowCount(goal):
                self.tree.setCurrentIndex(model.index(0, 0, goal))
                return
        if self.view is not None:
            self.view.show_direction(None)

    def _tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = current.data(NodeRole) if current.isValid() else None
        if self.view is None or node is None:
            return
        measure = None
        if isinstance(node, Goal):
            node = next(
                (
                    d
                    for d in node.directions
                    if not self.department
                    or any(self.department in e.departments for e in d.entries)
                ),
                None,
            )
        elif isinstance(node, Measure):
            measure = node
            node = self.document.parent_of(node)
        if node is not self.view.direction:
            self.view.show_direction(node)
        if self.department:
            self.filter.set_kept(node)
        self.view.highlight_measure(measure)

    def jump_to_id(self, node_id: str) -> None:
        """Show the node with this id (a warning's entry)."""
        if self.document is None:
            return
        node = self.document.report.find_node(node_id)
        if node is None:
            self.session.message.emit(self.tr("その行はもうありません。"), 5000)
            return
        self.reveal(node, "actual" if isinstance(node, Entry) else "")

    def reveal(self, node: object, field: str, start: int = -1, end: int = -1) -> None:
        """Show a node's place: its direction, the entry's editor, the text span.

        A KPI is shown at the goal, direction or measure holding it.
        """
        if self.document is None or self.view is None:
            return
        if isinstance(node, Kpi):
            self.reveal_kpi(node)
            return
        direction = node
        if isinstance(node, Entry | MainProject | Measure):
            direction = self.document.parent_of(node)
        if isinstance(node, Goal):
            self.select_node(node)
            return
        if isinstance(node, Entry) and self.department and self.department not in node.departments:
            self.departments.setCurrentIndex(0)
        if direction is not self.view.direction:
            self.select_node(direction)
            if direction is not self.view.direction:
                self.view.show_direction(direction)
        if isinstance(node, Measure):
            self.view.highlight_measure(node)
        editor = self.view.editor_for(node, field) if field else None
        if editor is None and isinstance(node, Entry):
            widget = self.view.entry_widget(node)
            editor = widget.departments if widget is not None else None
        if editor is None:
            return
        editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(editor, RichTextEdit) and start >= 0:
            cursor = editor.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
            editor.setTextCursor(cursor)
        row = None
        if isinstance(node, Entry):
            row = self.view.entry_widget(node)
        elif isinstance(node, Measure):
            row = self.view.measure_widget(node)  # its heading too, not only its text
        QTimer.singleShot(0, lambda: self._scroll_to(row or editor, editor))

    def reveal_kpi(self, kpi: Kpi) -> None:
        """Show the direction a KPI is under (its goal's first, for a 数値目標) with the
        keyboard on its row."""
        owner = kpi_fields.owner_of(self.document.report, kpi)
        if owner is None:
            self.session.message.emit(self.tr("その指標はもうありません。"), 5000)
            return
        if self.department:
            self.departments.setCurrentIndex(0)  # the KPI's direction may have left the filter
        self.select_node(owner)
        direction = owner if isinstance(owner, Direction) else self.view.direction
        if isinstance(owner, Measure):
            direction = self.document.parent_of(owner)
        if direction is not self.view.direction:
            self.view.show_direction(direction)
        table = self.view.kpis.focus_kpi(kpi)
        if table is not None:
            QTimer.singleShot(0, lambda: self.view and self.view.ensureWidgetVisible(table, 0, 40))

    def _scroll_to(self, row, editor) -> None:
        """The found row near the top, under the headings; its caret in view."""
        view = self.view
        if view is None:
            return
        # Rows above it sized from estimates would move it once laid out: lay them out now.
        view.complete_pending()
        view.widget().layout().activate()
        view.scroll_to_row(row)
        if isinstance(editor, RichTextEdit):
            caret = editor.cursorRect().center()
            y = editor.viewport().mapTo(view.widget(), caret).y()
            bar = view.verticalScrollBar()
            if y > bar.value() + view.viewport().height() - 40:
                bar.setValue(y - view.viewport().height() // 3)

    def switch_pane(self) -> None:
        """F6: between the tree and the editors."""
        if self.tree.hasFocus() and self.view is not None:
            self.view.focus_neighbour(0)
        else:
            self.tree.setFocus()

    def _tree_menu(self, point) -> None:
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.tree.viewport().mapToGlobal(point))
