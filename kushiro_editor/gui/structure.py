"""The window's structural edits: adding, renaming, moving and deleting nodes."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox

from ..core.model import Direction, Goal, Measure, kind_label

logger = logging.getLogger(__name__)


class StructureMixin:
    """Add, rename, move and delete goals, directions, measures and rows."""

    def _current_direction(self) -> Direction | None:
        return self.view.direction if self.view is not None else None

    def add_goal(self) -> None:
        """A new goal after the selected one."""
        if self.controller is None:
            return
        node = self.selected_node()
        goal = (
            node
            if isinstance(node, Goal)
            else (self.controller.parent_of(node) if isinstance(node, Direction) else None)
        )
        report = self.controller.report
        position = report.goals.index(goal) + 1 if goal in report.goals else None
        new = Goal(
            title=self.tr("新しい基本目標"),
            directions=[Direction(title=self.tr("新しい基本的方向"))],
        )
        self.controller.add(report, new, position)
        self.select_node(new)
        self.tree.edit(self.tree.currentIndex())

    def add_direction(self) -> None:
        """A new direction in the selected goal."""
        if self.controller is None:
            return
        node = self.selected_node()
        if isinstance(node, Measure):
            node = self.controller.parent_of(node)
        if isinstance(node, Direction):
            goal = self.controller.parent_of(node)
            position = goal.directions.index(node) + 1
        elif isinstance(node, Goal):
            goal, position = node, None
        else:
            return
        new = Direction(title=self.tr("新しい基本的方向"))
        self.controller.add(goal, new, position)
        self.select_node(new)
        self.tree.edit(self.tree.currentIndex())

    def add_measure(self) -> None:
        """A new measure in the shown direction."""
        if self.view is not None:
            self.view.add_measure()

    def add_entry(self) -> None:
        """A new department row in the shown direction."""
        if self.view is not None:
            self.view.add_entry()

    def rename_selected(self) -> None:
        """F2: rename the chosen tree node."""
        if self.tree.currentIndex().isValid():
            self.tree.setFocus()
            self.tree.edit(self.tree.currentIndex().siblingAtColumn(0))

    def move_selected(self, step: int) -> None:
        """Move the chosen tree node up or down."""
        node = self.selected_node()
        if self.controller is not None and node is not None and self.controller.move_by(node, step):
            self.select_node(node)

    def delete_selected(self) -> None:
        """Delete the chosen tree node, after confirmation."""
        node = self.selected_node()
        if self.controller is not None and node is not None and self.confirm_delete(node):
            self.controller.delete(node)

    def confirm_delete(self, node: object) -> bool:
        """Ask before deleting; says what goes with it."""
        what = kind_label(node)
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
            parent=self,
        )
        box.setInformativeText(
            (detail + "\n" if detail else "")
            + self.tr("削除は「元に戻す」(Ctrl+Z)で取り消せます。")
        )
        delete = box.addButton(self.tr("削除する"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(self.tr("キャンセル"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete
