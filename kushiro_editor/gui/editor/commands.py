"""Undo commands: the only place that builds a QUndoCommand.

Every change to the open report is one command on the report's one
QUndoStack, so that Ctrl+Z walks back through text and structure in the order
they happened:

- :class:`TextCommand` stands for one undo step of a field's QTextDocument
  (typing, paste, bold…), which the document has already applied;
- :class:`EditCommand` is one batch of :mod:`kushiro_editor.core.edits`
  (a rename, a new row, a merge of answers, a replace-all…), written to the
  store first by the document it is given.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QTextDocument, QUndoCommand

from ...core.edits import Edit

logger = logging.getLogger(__name__)


def tr(text: str) -> str:
    """Translate a command label."""
    return QCoreApplication.translate("commands", text)


class Target(Protocol):
    """What a command changes: the open report (``ReportDocument``)."""

    def text_restored(self, key: tuple[str, str]) -> None:
        """An undo or redo changed a field's text."""

    def run_edits(
        self, edits: Sequence[Edit], texts: list[QTextDocument] | None, step: str
    ) -> bool:
        """Apply a batch to the store and the report; False when the store refused it."""


class TextCommand(QUndoCommand):
    """One undo step of a field's QTextDocument (typing, paste, bold…)."""

    def __init__(self, target: Target, key: tuple[str, str], document: QTextDocument) -> None:
        super().__init__(tr("文字の編集"))
        self.target = target
        self.key = key
        self.document = document
        self._done = True  # the document has already applied it

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.document.redo()
        self.target.text_restored(self.key)

    def undo(self) -> None:
        self.document.undo()
        self.target.text_restored(self.key)


class EditCommand(QUndoCommand):
    """A batch of edits and the batch that undoes it.

    The text fields a batch changes take one undo step in their own
    QTextDocument when first applied (``texts`` collects those documents), so
    that the documents' histories stay in step with this stack: undo and redo
    walk those steps back and forth instead of loading the text again.
    """

    def __init__(
        self, target: Target, label: str, edits: Sequence[Edit], inverse: Sequence[Edit]
    ) -> None:
        super().__init__(label)
        self.target = target
        self.edits = list(edits)
        self.inverse = list(inverse)
        self.texts: list[QTextDocument] = []
        self._applied = False

    def redo(self) -> None:
        step = "redo" if self._applied else "first"
        if not self.target.run_edits(self.edits, self.texts, step):
            self.setObsolete(True)
            return
        self._applied = True

    def undo(self) -> None:
        self.target.run_edits(self.inverse, self.texts, "undo")
