"""Structural edits: adding, renaming, moving and deleting nodes."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from ...core import kinds
from ...core.model import Direction, Goal, Measure
from ..editor.reportpane import ReportPane
from ..session import Feature, Session

logger = logging.getLogger(__name__)


class StructureEditing(Feature):
    """Add, rename, move and delete goals, directions, measures and rows."""

    def __init__(self, session: Session, parent: QWidget, pane: ReportPane) -> None:
        super().__init__(session, parent)
        self.pane = pane
        self.act_rename = self.action(self.tr("名前の変更(&M)"), pane.edit_selected, "F2")
        self.act_delete = self.action(
            self.tr("削除(&D)…"), self.delete_selected, QKeySequence.StandardKey.Delete
        )
        # Delete is the tree's key only: in an editor it deletes characters.
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        pane.tree.addAction(self.act_delete)
        self.act_up = self.action(
            self.tr("上へ移動"), lambda: self.move_selected(-1), "Ctrl+Shift+Up"
        )
        self.act_down = self.action(
            self.tr("下へ移動"), lambda: self.move_selected(1), "Ctrl+Shift+Down"
        )
        self.act_add_goal = self.action(self.tr("基本目標を追加"), self.add_goal)
        self.act_add_direction = self.action(self.tr("基本的方向を追加"), self.add_direction)
        self.act_add_measure = self.action(self.tr("施策を追加"), self.add_measure)
        self.act_add_entry = self.action(
            self.tr("所管部署の行を追加"), self.add_entry, "Ctrl+Shift+N"
        )
        self.act_add_kpi = self.action(self.tr("指標を追加"), self.add_kpi, "Ctrl+K")
        pane.context_actions = [
            self.act_add_goal,
            self.act_add_direction,
            self.act_add_measure,
            self.act_add_entry,
            None,
            self.act_rename,
            self.act_up,
            self.act_down,
            self.act_delete,
        ]
        pane.delete_requested.connect(self.delete)

    def add_goal(self) -> None:
        """A new goal after the selected one."""
        if self.document is None:
            return
        node = self.pane.selected_node()
        goal = (
            node
            if isinstance(node, Goal)
            else (self.document.parent_of(node) if isinstance(node, Direction) else None)
        )
        report = self.document.report
        position = report.goals.index(goal) + 1 if goal in report.goals else None
        new = Goal(
            title=self.tr("新しい基本目標"),
            directions=[Direction(title=self.tr("新しい基本的方向"))],
        )
        self.document.add(report, new, position)
        self.pane.select_node(new)
        self.pane.edit_selected()

    def add_direction(self) -> None:
        """A new direction in the selected goal."""
        if self.document is None:
            return
        node = self.pane.selected_node()
        if isinstance(node, Measure):
            node = self.document.parent_of(node)
        if isinstance(node, Direction):
            goal = self.document.parent_of(node)
            position = goal.directions.index(node) + 1
        elif isinstance(node, Goal):
            goal, position = node, None
        else:
            return
        new = Direction(title=self.tr("新しい基本的方向"))
        self.document.add(goal, new, position)
        self.pane.select_node(new)
        self.pane.edit_selected()

    def add_measure(self) -> None:
        """A new measure in the shown direction."""
        if self.pane.view is not None:
            self.pane.view.add_measure()

    def add_entry(self) -> None:
        """A new department row in the shown direction."""
        if self.pane.view is not None:
            self.pane.view.add_entry()

    def add_kpi(self) -> None:
        """A new KPI in the shown direction (or the node of the KPI table the keyboard is in)."""
        if self.pane.view is not None:
            self.pane.view.kpis.add_kpi()

    def move_selected(self, step: int) -> None:
        """Move the row the keyboard is in up or down, else the chosen tree node."""
        view = self.pane.view
        row = view.focused_row() if view is not None else None
        if row is not None:
            view.move(row, step)
            return
        node = self.pane.selected_node()
        if self.document is not None and node is not None and self.document.move_by(node, step):
            self.pane.select_node(node)

    def delete_selected(self) -> None:
        """Delete the chosen tree node, after confirmation."""
        self.delete(self.pane.selected_node())

    def delete(self, node: object) -> None:
        """Delete a node, after confirmation."""
        if self.document is not None and node is not None and self.confirm_delete(node):
            self.document.delete(node)

    def confirm_delete(self, node: object) -> bool:
        """Ask before deleting; says what goes with it."""
        what = kinds.label_of(node)
        name = (
            getattr(node, "title", None)
            or getattr(node, "name", None)
            or getattr(node, "department_label", "")
        )
        detail = ""
        if isinstance(node, Goal):
            count = sum(len(d.entries) for d in node.directions)
            detail = (
                self.tr("基本的方向 {0} 件と所管部署の行 {1} 件も削除されます。")
                .replace("{0}", str(len(node.directions)))
                .replace("{1}", str(count))
            )
        elif isinstance(node, Direction):
            detail = (
                self.tr("施策 {0} 件と所管部署の行 {1} 件も削除されます。")
                .replace("{0}", str(len(node.measures)))
                .replace("{1}", str(len(node.entries)))
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("削除の確認"),
            self.tr("{0}「{1}」を削除しますか？")
            .replace("{0}", what)
            .replace("{1}", name or self.tr("(名前なし)")),
            parent=self.parent_widget,
        )
        box.setInformativeText(
            (detail + "\n" if detail else "")
            + self.tr("削除は「元に戻す」(Ctrl+Z)で取り消せます。")
        )
        delete = box.addButton(self.tr("削除する"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("キャンセル"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete
