"""The report's tree (goals → directions → measures) as one QAbstractItemModel.

The model wraps the report's own node objects. It never changes them itself:
renames and drops are handed to the document as undoable commands, and the
document calls the ``begin_*``/``end_*`` methods around every structural
change, so views and proxies stay in step.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    qVersion,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ...core.model import Direction, Goal, Measure, Report

# beginFilterChange/endFilterChange came with Qt 6.10 (invalidateRowsFilter before).
FILTER_CHANGE = tuple(int(p) for p in qVersion().split(".")[:2]) >= (6, 10)


class Document(Protocol):
    """What the tree model needs of the open report (``ReportDocument``)."""

    report: Report

    def direction_marker(self, direction: Direction) -> object | None:
        """An icon for a direction that needs attention, or None."""

    def rename(self, node: object, title: str) -> None:
        """Rename a node (one undo step)."""

    def move(self, node: object, target: object, position: int) -> None:
        """Move a node (one undo step)."""


logger = logging.getLogger(__name__)

MIME = "application/x-kushiro-node"
# Combined once: the view asks for every item's flags at every paint, and each
# combination of enum flags costs a Python call.
_COUNT_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_MEASURE_FLAGS = _COUNT_FLAGS | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
_NODE_FLAGS = _MEASURE_FLAGS | Qt.ItemFlag.ItemIsDropEnabled
NodeRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def children_of(node: object) -> list:
    """The tree children of a node (entries and projects are not in the tree)."""
    if isinstance(node, Report):
        return node.goals
    if isinstance(node, Goal):
        return node.directions
    if isinstance(node, Direction):
        return node.measures
    return []


def label_of(node: object) -> str:
    """A node as printed: 【基本目標1】…, ① …, ア …."""
    return node.heading if isinstance(node, Goal | Direction | Measure) else ""


class ReportTreeModel(QAbstractItemModel):
    """Goals, directions and measures, with a count of department entries."""

    COLUMNS = ("項目", "部署")

    def __init__(self, document: Document) -> None:
        super().__init__()
        self.document = document
        self.report = document.report
        self._parents: dict[int, object] = {}
        self._rows: dict[int, int] = {}
        self.department = ""  # counts only this department's entries when set
        # Made once: data() is asked for them for every row at every paint.
        self._goal_font = QFont()
        self._goal_font.setBold(True)
        self._direction_font = QFont()
        self._measure_brush = QBrush(QColor("#444444"))
        self._right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.rebuild_parents()

    # -- bookkeeping --------------------------------------------------------
    def rebuild_parents(self) -> None:
        """Refresh the child → parent and child → row maps after the tree changed."""
        parents: dict[int, object] = {}
        rows: dict[int, int] = {}
        for goal_row, goal in enumerate(self.report.goals):
            parents[id(goal)] = self.report
            rows[id(goal)] = goal_row
            for direction_row, direction in enumerate(goal.directions):
                parents[id(direction)] = goal
                rows[id(direction)] = direction_row
                for measure_row, measure in enumerate(direction.measures):
                    parents[id(measure)] = direction
                    rows[id(measure)] = measure_row
        self._parents = parents
        self._rows = rows

    def parent_node(self, node: object) -> object | None:
        """The tree parent of a node (the report for goals)."""
        return self._parents.get(id(node))

    def node(self, index: Index) -> object:
        """The report node behind an index (the report for the root)."""
        return index.internalPointer() if index.isValid() else self.report

    def index_of(self, node: object, column: int = 0) -> QModelIndex:
        """The index of a goal, direction or measure."""
        if node is self.report or node is None:
            return QModelIndex()
        parent = self.parent_node(node)
        if parent is None:
            return QModelIndex()
        row = self._rows.get(id(node), -1)
        siblings = children_of(parent)
        if not (0 <= row < len(siblings) and siblings[row] is node):
            row = next((r for r, s in enumerate(siblings) if s is node), -1)
            if row < 0:
                return QModelIndex()
        return self.createIndex(row, column, node)

    # -- QAbstractItemModel ------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        children = children_of(self.node(parent))
        if 0 <= row < len(children) and 0 <= column < len(self.COLUMNS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self.parent_node(index.internalPointer())
        if parent is None or parent is self.report:
            return QModelIndex()
        return self.index_of(parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(children_of(self.node(parent)))

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.COLUMNS[section])
        return None

    def entry_count(self, direction: Direction) -> int:
        """Entries of a direction (of the filtered department, when one is chosen)."""
        if not self.department:
            return len(direction.entries)
        return sum(1 for e in direction.entries if self.department in e.departments)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = index.internalPointer()
        column = index.column()
        if role == NodeRole:
            return node
        if column == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return label_of(node) or self.tr("(題名なし)")
            if role == Qt.ItemDataRole.EditRole:
                return node.title
            if role == Qt.ItemDataRole.ToolTipRole:
                if isinstance(node, Direction) and self.document.direction_marker(node):
                    return label_of(node) + self.tr("\n前年度から引継ぎ・未確認の文章があります")
                return label_of(node)
            if role == Qt.ItemDataRole.FontRole and isinstance(node, Goal | Direction):
                return self._goal_font if isinstance(node, Goal) else self._direction_font
            if role == Qt.ItemDataRole.ForegroundRole and isinstance(node, Measure):
                return self._measure_brush
            if role == Qt.ItemDataRole.DecorationRole and isinstance(node, Direction):
                return self.document.direction_marker(node)
        elif column == 1 and isinstance(node, Direction):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.entry_count(node))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._right
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("所管部署の行の数")
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != 0:
            return False
        title = str(value).strip()
        node = index.internalPointer()
        if title == node.title:
            return False
        self.document.rename(node, title)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        if index.column() != 0:
            return _COUNT_FLAGS
        return _MEASURE_FLAGS if isinstance(index.internalPointer(), Measure) else _NODE_FLAGS

    # -- drag and drop ---------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:
        data = QMimeData()
        nodes = [self.node(i) for i in indexes if i.isValid() and i.column() == 0]
        if nodes:
            data.setData(MIME, QByteArray(nodes[0].id.encode()))
        return data

    def _drop_target(self, data: QMimeData, row: int, parent: Index):
        if not data.hasFormat(MIME):
            return None
        node = self.report.find_node(bytes(data.data(MIME).data()).decode())
        target = self.node(parent)
        wanted = {Goal: Report, Direction: Goal, Measure: Direction}.get(type(node))
        if wanted is None or not isinstance(target, wanted):
            return None
        siblings = children_of(target)
        position = row if 0 <= row <= len(siblings) else len(siblings)
        source = self.parent_node(node)
        if source is target:
            old = siblings.index(node)
            if position > old:
                position -= 1  # the position once the node has left its place
            if position == old:
                return None
        return node, target, position

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return self._drop_target(data, row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        found = self._drop_target(data, row, parent)
        if found is not None:
            self.document.move(*found)
        # The move is done (as a command); returning False keeps the view from
        # removing the source rows itself.
        return False

    # -- called by the document around changes --------------------------------------
    def begin_insert(self, parent: object, position: int) -> None:
        """Before inserting a node at ``position`` under ``parent``."""
        self.beginInsertRows(self.index_of(parent), position, position)

    def end_insert(self) -> None:
        """After an insert."""
        self.rebuild_parents()
        self.endInsertRows()

    def begin_remove(self, parent: object, position: int) -> None:
        """Before removing the node at ``position`` under ``parent``."""
        self.beginRemoveRows(self.index_of(parent), position, position)

    def end_remove(self) -> None:
        """After a removal."""
        self.rebuild_parents()
        self.endRemoveRows()

    def begin_move(self, source: object, old: int, target: object, new: int) -> bool:
        """Before a move; ``new`` is the node's index once moved."""
        destination = new + 1 if source is target and new > old else new
        return self.beginMoveRows(
            self.index_of(source), old, old, self.index_of(target), destination
        )

    def end_move(self) -> None:
        """After a move."""
        self.rebuild_parents()
        self.endMoveRows()

    def node_changed(self, node: object) -> None:
        """A node's title or entries changed."""
        first, last = self.index_of(node, 0), self.index_of(node, 1)
        if first.isValid():
            self.dataChanged.emit(first, last)

    def relabel(self) -> None:
        """Numbers and labels are derived from positions: refresh every row."""

        def walk(parent_index: QModelIndex, parent: object) -> None:
            children = children_of(parent)
            if not children:
                return
            self.dataChanged.emit(
                self.index(0, 0, parent_index), self.index(len(children) - 1, 1, parent_index)
            )
            for row, child in enumerate(children):
                if children_of(child):
                    walk(self.index(row, 0, parent_index), child)

        walk(QModelIndex(), self.report)


class DepartmentFilter(QSortFilterProxyModel):
    """Shows only the goals, directions and measures where a department has entries."""

    def __init__(self) -> None:
        super().__init__()
        self.department = ""
        # The direction being edited stays listed even when a rename takes its
        # last row of the department away (it leaves once another is chosen).
        self.kept: Direction | None = None

    def set_kept(self, direction: Direction | None) -> None:
        """The direction shown in the editor: listed whatever its rows now say."""
        old, self.kept = self.kept, direction
        if old is not None and old is not direction and self.department and not self._has(old):
            if FILTER_CHANGE:
                self.beginFilterChange()
                self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            else:
                self.invalidateRowsFilter()

    def set_department(self, name: str) -> None:
        """Filter by a department ("" shows everything)."""
        source = self.sourceModel()
        if name == self.department and (source is None or source.department == name):
            return
        if FILTER_CHANGE:
            self.beginFilterChange()
        self.department = name
        if source is not None:
            source.department = name
        if FILTER_CHANGE:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
        if source is not None:
            source.relabel()

    def _has(self, direction: Direction) -> bool:
        return any(self.department in e.departments for e in direction.entries)

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        if not self.department:
            return True
        model = self.sourceModel()
        node = model.node(model.index(row, 0, parent))
        if isinstance(node, Goal):
            return any(d is self.kept or self._has(d) for d in node.directions)
        if isinstance(node, Direction):
            return node is self.kept or self._has(node)
        if isinstance(node, Measure):
            direction = model.parent_node(node)
            return direction is self.kept or self._has(direction)
        return True
