"""Undo commands: the only place that builds a QUndoCommand.

Every change to the open report is one command on the report's one
QUndoStack, so that Ctrl+Z walks back through text and structure in the order
they happened:

- :class:`TextCommand` stands for one undo step of a field's QTextDocument
  (typing, paste, bold…), which the document has already applied;
- :class:`EditCommand` is one batch of :mod:`kushiro_editor.core.edits`
  (a rename, a new row, a merge of answers, a replace-all…), run by the
  document through the core's one edit path before the command is pushed.
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


class Document(Protocol):
    """What a command changes: the open report (``ReportDocument``)."""

    def text_restored(self, key: tuple[str, str]) -> None:
        """An undo or redo changed a field's text."""

    def mark_restored(self, key: tuple[str, str]) -> None:
        """An undo took a carried text back to what was carried: its mark comes back."""

    def text_typed_again(self, key: tuple[str, str]) -> None:
        """A redo typed the first step into a carried text again."""

    def run_edits(self, edits: Sequence[Edit], texts: list[QTextDocument], step: str) -> bool:
        """Undo or redo a batch in the store and the report; False when the store refused it."""


class TextCommand(QUndoCommand):
    """One undo step of a field's QTextDocument (typing, paste, bold…).

    ``carried`` marks the first step typed into a text carried over from last
    year (前年度から引継ぎ・未確認): saving it cleared the mark, so its undo puts
    the mark back with the text.
    """

    def __init__(
        self,
        document: Document,
        key: tuple[str, str],
        text: QTextDocument,
        *,
        carried: bool = False,
    ) -> None:
        super().__init__(tr("文字の編集"))
        self.document = document
        self.key = key
        self.text = text
        self.carried = carried
        self._done = True  # the text document has already applied it

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.text.redo()
        if self.carried:
            self.document.text_typed_again(self.key)
        self.document.text_restored(self.key)

    def undo(self) -> None:
        self.text.undo()
        if self.carried:
            self.document.mark_restored(self.key)
        self.document.text_restored(self.key)


class EditCommand(QUndoCommand):
    """A batch of edits, already run by the document, and the batch that undoes it.

    The text fields a batch changes took one undo step in their own
    QTextDocument when it was run (``texts`` holds those documents), so that
    the documents' histories stay in step with this stack: undo and redo walk
    those steps back and forth instead of loading the text again.
    """

    def __init__(
        self,
        document: Document,
        label: str,
        edits: Sequence[Edit],
        inverse: Sequence[Edit],
        texts: Sequence[QTextDocument] = (),
    ) -> None:
        super().__init__(label)
        self.document = document
        self.edits = list(edits)
        self.inverse = list(inverse)
        self.texts = list(texts)
        self._done = True  # the document ran the batch before pushing this command

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if not self.document.run_edits(self.edits, self.texts, "redo"):
            self.setObsolete(True)

    def undo(self) -> None:
        self.document.run_edits(self.inverse, self.texts, "undo")
