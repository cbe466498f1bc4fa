"""Undo commands: every change to the report is one of these on one QUndoStack.

Text typed into a field stays in its QTextDocument's own undo history; a
:class:`TextCommand` stands for each of those steps on the window's stack, so
that Ctrl+Z walks back through text and structure in the order they happened.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument, QUndoCommand

if TYPE_CHECKING:
    from .document import ReportDocument

logger = logging.getLogger(__name__)


def tr(text: str) -> str:
    """Translate a command label."""
    return QCoreApplication.translate("commands", text)


class TextCommand(QUndoCommand):
    """One undo step of a field's QTextDocument (typing, paste, bold…)."""

    def __init__(
        self, controller: ReportDocument, key: tuple[str, str], document: QTextDocument
    ) -> None:
        super().__init__(tr("文字の編集"))
        self.controller = controller
        self.key = key
        self.document = document
        self._done = True  # the document has already applied it

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.document.redo()
        self.controller.text_restored(self.key)

    def undo(self) -> None:
        self.document.undo()
        self.controller.text_restored(self.key)


class SetFieldCommand(QUndoCommand):
    """A plain field: a title, the departments, a project's name or 【再掲】."""

    def __init__(
        self,
        controller: ReportDocument,
        node: object,
        field: str,
        old: object,
        new: object,
        label: str,
    ) -> None:
        super().__init__(label)
        self.controller = controller
        self.node = node
        self.field = field
        self.old = old
        self.new = new

    def redo(self) -> None:
        if not self.controller.apply_field(self.node, self.field, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        self.controller.apply_field(self.node, self.field, self.old)


class InsertCommand(QUndoCommand):
    """A new goal, direction, measure, project or entry."""

    def __init__(
        self, controller: ReportDocument, parent: object, node: object, position: int, label: str
    ) -> None:
        super().__init__(label)
        self.controller = controller
        self.parent = parent
        self.node = node
        self.position = position

    def redo(self) -> None:
        if not self.controller.insert_node(self.parent, self.node, self.position):
            self.setObsolete(True)

    def undo(self) -> None:
        self.controller.remove_node(self.parent, self.node)


class DeleteCommand(InsertCommand):
    """A node removed with everything below it; undo puts it back where it was."""

    def redo(self) -> None:
        if not self.controller.remove_node(self.parent, self.node):
            self.setObsolete(True)

    def undo(self) -> None:
        self.controller.insert_node(self.parent, self.node, self.position)


class MoveCommand(QUndoCommand):
    """A node moved among its siblings or to another parent of the same kind."""

    def __init__(
        self,
        controller: ReportDocument,
        node: object,
        source: tuple[object, int],
        target: tuple[object, int],
        label: str,
    ) -> None:
        super().__init__(label)
        self.controller = controller
        self.node = node
        self.source = source
        self.target = target

    def redo(self) -> None:
        if not self.controller.move_node(self.node, *self.source, *self.target):
            self.setObsolete(True)

    def undo(self) -> None:
        self.controller.move_node(self.node, *self.target, *self.source)
