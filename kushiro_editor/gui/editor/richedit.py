"""A text editor limited to the report's rich-text subset.

Documents are filled from canonical HTML through a ``QTextCursor`` and
serialised back by walking their blocks and fragments: ``toHtml()`` would
bake fonts and styles into the stored text. A list item (「・」 line) is a
block carrying :data:`LIST_ITEM` with a hanging indent, its 「・」 part of the
text, as in the exported documents. Pasted HTML is sanitised to the subset.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextEdit, QWidget

from ...core import richtext
from ...core.richtext import Block, Run

logger = logging.getLogger(__name__)

LIST_ITEM = QTextFormat.Property.UserProperty + 1
LINE_SEPARATOR = "\u2028"
BULLET = "・"
# The cell with the keyboard: a pale blue ground and a frame in the selection's blue.
FOCUS_BACKGROUND = QColor("#eef5ff")
FOCUS_FRAME = QColor("#1f6feb")


def _block_format(kind: str, indent_px: float) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    if kind == "li":
        fmt.setProperty(LIST_ITEM, True)
        fmt.setLeftMargin(indent_px)
        fmt.setTextIndent(-indent_px)
    return fmt


def _char_format(bold: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    return fmt


def insert_blocks(
    cursor: QTextCursor,
    blocks: tuple[Block, ...] | list[Block],
    indent_px: float,
    *,
    inline_first: bool = False,
) -> None:
    """Insert blocks at the cursor; the first continues the cursor's block.

    With ``inline_first`` the first block's text joins the current paragraph
    as it is (pasting into the middle of a line); otherwise the current
    paragraph takes the first block's kind.
    """
    for index, block in enumerate(blocks):
        if index:
            cursor.insertBlock(_block_format(block.tag, indent_px), _char_format(False))
        elif not inline_first:
            cursor.setBlockFormat(_block_format(block.tag, indent_px))
        for run in block.runs:
            cursor.insertText(run.text.replace("\n", LINE_SEPARATOR), _char_format(run.bold))


def load(document: QTextDocument, markup: str, indent_px: float) -> None:
    """Replace the document's content with canonical HTML, outside its undo history."""
    enabled = document.isUndoRedoEnabled()
    document.setUndoRedoEnabled(False)
    document.clear()
    cursor = QTextCursor(document)
    insert_blocks(cursor, richtext.parse(markup), indent_px)
    document.setUndoRedoEnabled(enabled)
    document.setModified(False)


def replace_all(document: QTextDocument, markup: str, indent_px: float) -> None:
    """Replace the content as one undoable edit (for changes made from outside)."""
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.removeSelectedText()
    insert_blocks(cursor, richtext.parse(markup), indent_px)
    cursor.endEditBlock()


def blocks_of(document: QTextDocument) -> list[Block]:
    """The document as blocks of the subset."""
    out: list[Block] = []
    block = document.begin()
    while block.isValid():
        kind = "li" if block.blockFormat().property(LIST_ITEM) else "p"
        runs: list[Run] = []
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid():
                bold = fragment.charFormat().fontWeight() >= QFont.Weight.DemiBold
                text = fragment.text().replace(LINE_SEPARATOR, "\n").replace("\ufffc", "")
                runs.append(Run(text, bold))
            iterator += 1
        out.append(Block(kind, tuple(runs)))
        block = block.next()
    return out


def serialise(document: QTextDocument) -> str:
    """The document as canonical HTML."""
    return richtext.serialise(blocks_of(document))


def marker_at(block, position: int) -> bool:
    """Whether ``position`` is in front of the 「・」 that starts a list item."""
    return (
        position == block.position()
        and bool(block.blockFormat().property(LIST_ITEM))
        and block.text().startswith(BULLET)
    )


def _move_mode(cursor: QTextCursor) -> QTextCursor.MoveMode:
    # A selection keeps its anchor; only the caret end steps over the marker.
    return (
        QTextCursor.MoveMode.KeepAnchor
        if cursor.hasSelection()
        else QTextCursor.MoveMode.MoveAnchor
    )


def plain_length(document: QTextDocument) -> int:
    """Characters a reader counts (no paragraph or line separators)."""
    text = document.toPlainText()
    return len(text) - text.count("\n") - text.count(LINE_SEPARATOR)


_PLACEHOLDER: list[QTextDocument] = []


def _placeholder() -> QTextDocument:
    """One empty document shown by editors not bound yet (bound before any keystroke)."""
    if not _PLACEHOLDER:
        document = QTextDocument()
        document.setUndoRedoEnabled(False)
        _PLACEHOLDER.append(document)
    return _PLACEHOLDER[0]


class FocusTinted:
    """A text field that shows it has the keyboard by its colours (a mix-in)."""

    _unfocused: QPalette | None = None  # the palette to go back to

    def show_focus(self, focused: bool) -> None:
        """The cell with the keyboard is tinted and framed in the focus colour: a caret
        alone is easy to lose among forty cells (and does not show while it blinks off).
        Colours only, so the text keeps its width and its line breaks."""
        if focused and self._unfocused is None:
            self._unfocused = QPalette(self.palette())
            palette = QPalette(self._unfocused)
            palette.setColor(QPalette.ColorRole.Base, FOCUS_BACKGROUND)
            palette.setColor(QPalette.ColorRole.WindowText, FOCUS_FRAME)
            self.setPalette(palette)
        elif not focused and self._unfocused is not None:
            self.setPalette(self._unfocused)
            self._unfocused = None


BELOW_SPACING = 1  # the spacing of an entry's text column


class RichTextEdit(FocusTinted, QTextEdit):
    """A QTextEdit for one field: bold, 「・」 items, line breaks; grows with its text.

    Undo and redo are routed to the window's stack (``undo_requested`` /
    ``redo_requested``) so that text and structure share one history.
    """

    undo_requested = Signal()
    redo_requested = Signal()
    focus_left = Signal()
    focus_entered = Signal()

    def __init__(self, parent: QWidget | None = None, *, minimum_lines: int = 3) -> None:
        super().__init__(parent)
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        # A plain one-pixel box: it reads as a table cell, and paints far faster
        # than the style's sunken panel.
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWidth(1)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._minimum_lines = minimum_lines
        self._bound: QTextDocument | None = None
        self._waiting: str | None = None  # the markup shown later (see show_placeholder)
        self.partner: RichTextEdit | None = None
        self.below: QWidget | None = None  # shown under this editor, in the row's height
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        # 「・」 is the list item's marker, not text to write in front of.
        self.cursorPositionChanged.connect(self.keep_after_marker)

    # -- documents ---------------------------------------------------------
    def bind(self, document: QTextDocument) -> None:
        """Show and edit a field's document (kept by the window, shared undo)."""
        if self._bound is document:
            return
        if self._bound is not None:
            self._bound.documentLayout().documentSizeChanged.disconnect(self._fit)
        self._bound = document
        self._waiting = None
        if document.defaultFont() != self.font():
            document.setDefaultFont(self.font())
        width = self.viewport().width()
        if width > 0 and document.textWidth() != width:
            document.setTextWidth(width)  # laid out once, at the width it is shown at
        self.setDocument(document)
        document.documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def show_placeholder(self, markup: str) -> None:
        """Show nothing yet, at about the height ``markup`` will take (see EntryWidget)."""
        if self._bound is not None:
            self._bound.documentLayout().documentSizeChanged.disconnect(self._fit)
            self._bound = None
        self._waiting = markup
        self.setDocument(_placeholder())
        self._fit()

    def estimate(self, markup: str) -> int:
        """The height ``markup`` would take at this editor's width, from character widths."""
        from ...formats.table.layout import count_lines

        metrics = self.fontMetrics()
        half = max(metrics.horizontalAdvance("あ") / 2, 1)
        # Japanese line breaking (禁則) and list indents end lines a little early.
        capacity = max((self.viewport().width() - 12) / half * 0.95, 8)
        lines = max(count_lines(richtext.parse(markup), capacity), self._minimum_lines)
        return int(lines * metrics.lineSpacing() + 2 * self.frameWidth() + 12)

    def indent_px(self) -> float:
        """One full-width character: the hanging indent of a list item."""
        return float(self.fontMetrics().horizontalAdvance("あ"))

    # -- the list marker ----------------------------------------------------------
    def keep_after_marker(self) -> None:
        """Move the caret past a list item's 「・」 (Home, a click, a jump before it)."""
        cursor = self.textCursor()
        if marker_at(cursor.block(), cursor.position()):
            cursor.setPosition(cursor.position() + 1, _move_mode(cursor))
            self.setTextCursor(cursor)

    # -- sizing ------------------------------------------------------------------
    def desired_height(self) -> int:
        """The height that shows the whole text (and at least a few lines)."""
        if self._bound is None and self._waiting is not None:
            return self.estimate(self._waiting)
        lines = self.fontMetrics().lineSpacing() * self._minimum_lines
        return int(max(self.document().size().height(), lines) + 2 * self.frameWidth() + 4)

    def below_height(self) -> int:
        """The room what stands under the editor takes (last year's plan under a 実績)."""
        below = self.below
        if below is None or below.isHidden():
            return 0
        height = below.heightForWidth(self.width())
        return (height if height > 0 else below.sizeHint().height()) + BELOW_SPACING

    def refit(self) -> None:
        """Size the row's editors again (what stands under one came or went)."""
        self._fit()

    def _fit(self, *_args) -> None:
        # Editors of one row (実績 and 取組予定) end level, as cells do, with what
        # stands under either counted in its column.
        height = self.desired_height()
        if self.partner is not None:
            total = max(
                height + self.below_height(),
                self.partner.desired_height() + self.partner.below_height(),
            )
            height = total - self.below_height()
            partner = total - self.partner.below_height()
            if self.partner.height() != partner:
                self.partner.setFixedHeight(partner)
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        if self.document().textWidth() != width:
            self.document().setTextWidth(width)
        if event.size().width() != event.oldSize().width():
            self._fit()

    def sizeHint(self) -> QSize:
        return QSize(320, self.height())

    # -- editing ------------------------------------------------------------------
    def toggle_bold(self) -> None:
        """Bold on or off for the selection (or the word being typed)."""
        cursor = self.textCursor()
        bold = self.fontWeight() < QFont.Weight.DemiBold
        if cursor.hasSelection():
            cursor.mergeCharFormat(_char_format(bold))
        else:
            self.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)

    def toggle_list(self) -> None:
        """Make the selected paragraphs 「・」 items, or plain paragraphs again."""
        cursor = self.textCursor()
        document = self.document()
        start = document.findBlock(cursor.selectionStart())
        end = document.findBlock(cursor.selectionEnd())
        make_list = not start.blockFormat().property(LIST_ITEM)
        edit = QTextCursor(document)
        edit.beginEditBlock()
        block = start
        while block.isValid():
            edit.setPosition(block.position())
            edit.setBlockFormat(_block_format("li" if make_list else "p", self.indent_px()))
            text = block.text()
            if make_list and not text.lstrip("\u3000").startswith(BULLET):
                edit.insertText(BULLET, _char_format(False))
            elif not make_list and text.startswith(BULLET):
                edit.deleteChar()
            if block == end:
                break
            block = block.next()
        edit.endEditBlock()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo_requested.emit()
            return
        if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.redo_requested.emit()
            return
        if event.key() == Qt.Key.Key_Backspace and self._unlist_at_caret():
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.textCursor().insertText(LINE_SEPARATOR)
                return
            cursor = self.textCursor()
            block = cursor.block()
            if block.blockFormat().property(LIST_ITEM) and not cursor.hasSelection():
                if block.text().strip() in ("", BULLET):
                    # Enter on an empty item ends the list, as in Word.
                    cursor.beginEditBlock()
                    cursor.select(QTextCursor.SelectionType.BlockUnderCursor)
                    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
                    cursor.movePosition(
                        QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor
                    )
                    cursor.removeSelectedText()
                    cursor.setBlockFormat(_block_format("p", self.indent_px()))
                    cursor.endEditBlock()
                    return
                cursor.beginEditBlock()
                cursor.insertBlock(_block_format("li", self.indent_px()), _char_format(False))
                cursor.insertText(BULLET)
                cursor.endEditBlock()
                self.setTextCursor(cursor)
                return
            cursor.insertBlock(_block_format("p", self.indent_px()), _char_format(False))
            self.setTextCursor(cursor)
            return
        super().keyPressEvent(event)

    def _unlist_at_caret(self) -> bool:
        """Backspace right after 「・」 ends the item (as in Word), marker and all."""
        cursor = self.textCursor()
        block = cursor.block()
        if cursor.hasSelection() or not marker_at(block, cursor.position() - 1):
            return False
        cursor.beginEditBlock()
        cursor.setPosition(block.position())
        cursor.deleteChar()
        cursor.setBlockFormat(_block_format("p", self.indent_px()))
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.show_focus(False)
        self.focus_left.emit()

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.show_focus(True)
        # Tab into an item leaves the caret where it was: possibly before 「・」.
        self.keep_after_marker()
        self.focus_entered.emit()

    # -- paste and drop --------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasHtml() or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Keep only the subset of what is pasted (no fonts, colours, tables, images)."""
        if source.hasHtml():
            blocks = richtext.parse(source.html())
        elif source.hasText():
            blocks = richtext.parse(richtext.from_plain(source.text()))
        else:
            return
        if not blocks:
            return
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        if marker_at(cursor.block(), cursor.position()):
            # Replacing a selection from the item's start leaves the caret before 「・」.
            cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        insert_blocks(cursor, blocks, self.indent_px(), inline_first=not cursor.atBlockStart())
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
