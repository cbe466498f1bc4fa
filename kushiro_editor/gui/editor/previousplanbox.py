"""Last year's 取組予定 of a department row, shown under its 実績 while it is written.

Read-only and set apart (a grey box with its own heading), so that it never
reads as part of the text being written. Once the 実績 says something other
than the plan, the parts of the plan it no longer says are marked; the
comparison (:mod:`kushiro_editor.core.previousplan`) runs a moment after the
typing pauses, on the text of the 実績's own document.
"""

from __future__ import annotations

import html
import logging
import math

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QColor,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core import richtext
from ...core.previousplan import Span, compare_plain, missing_share
from .richedit import blocks_of

logger = logging.getLogger(__name__)

COMPARE_MS = 300  # after the last keystroke: a comparison per pause, not per character
MISSING_BACKGROUND = "#ffd5c7"
BOX_BACKGROUND = "#f1f1ef"
SETTING = "view/previous_plan"  # whether the boxes are shown (the 表示 menu's tick)


def _colour(widget: QWidget, text: str, *, background: str | None = None) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(text))
    if background is not None:
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        widget.setAutoFillBackground(True)
    widget.setPalette(palette)


def spans_html(spans: list[Span], indent_px: int = 12) -> str:
    """The plan as the box shows it: the parts the 実績 no longer says on a coloured ground.

    One paragraph per line of the plan; a 「・」 item hangs as it does in the editors.
    """
    lines: list[list[Span]] = [[]]
    for span in spans:
        for index, piece in enumerate(span.text.split("\n")):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Span(piece, span.missing))
    paragraphs = []
    for line in lines:
        text = "".join(
            f'<span style="background-color:{MISSING_BACKGROUND};">{html.escape(s.text)}</span>'
            if s.missing
            else html.escape(s.text)
            for s in line
        )
        item = "".join(s.text for s in line).lstrip(" \u3000").startswith("・")
        hang = f"margin-left:{indent_px}px;text-indent:-{indent_px}px;" if item else ""
        paragraphs.append(f'<p style="margin-top:0;margin-bottom:0;{hang}">{text or "&nbsp;"}</p>')
    return "".join(paragraphs)


class PlanText(QWidget):
    """Rich text that only shows: laid out once per width, painted as it is.

    A word-wrapped QLabel lays its text out again for every height it is asked
    for; with a box under every row that made switching directions twice as slow.
    """

    def __init__(self) -> None:
        super().__init__()
        self.document = QTextDocument(self)
        self.document.setDocumentMargin(0)
        self.document.setDefaultFont(self.font())
        self._html = ""
        self._width = -1
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:
        """The text shown, as it was given (HTML)."""
        return self._html

    def setText(self, text: str) -> None:
        if text != self._html:
            self._html = text
            self.document.setHtml(text)
            self._width = -1
            self.updateGeometry()
            self.update()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        if width != self._width:
            self.document.setTextWidth(max(width, 1))
            self._width = width
        return math.ceil(self.document.size().height())

    def sizeHint(self) -> QSize:
        return QSize(200, self.heightForWidth(self.width() if self.width() > 1 else 200))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.document.setDefaultFont(self.font())
            self._width = -1
            self.updateGeometry()

    def paintEvent(self, event) -> None:
        self.heightForWidth(self.width())
        painter = QPainter(self)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, self.palette().windowText().color())
        self.document.documentLayout().draw(painter, context)


class PreviousPlanBox(QFrame):
    """「前年度の取組予定」: last year's plan of the row, compared with the 実績 as it is typed.

    While the 実績 is still word for word the plan (a new year starts it so), the box
    says so in one line instead of repeating the text just above it.
    """

    folded = Signal()  # the text was shown or hidden: the box's height changed

    def __init__(self) -> None:
        super().__init__()
        self.plan = ""  # last year's plan, plain text
        self.spans: list[Span] = []
        self._actual: QTextDocument | None = None
        self._source: tuple[str, object] | None = None  # what is shown: (plan, 実績)
        self.setFrameShape(QFrame.Shape.NoFrame)
        _colour(self, "#333333", background=BOX_BACKGROUND)
        self.heading = QLabel(self.tr("前年度の取組予定"))
        _colour(self.heading, "#5a5a5a")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        _colour(self.legend, "#5a5a5a")
        self.text = PlanText()  # never typed into, and not a stop of the Tab key
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 4)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.text)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COMPARE_MS)
        self._timer.timeout.connect(self.compare)
        self.setAccessibleName(self.tr("前年度の取組予定"))
        # The text cannot be selected: it is copied whole, to rewrite it in the 実績.
        self.act_copy = QAction(self.tr("前年度の取組予定をコピー"), self)
        self.act_copy.triggered.connect(lambda: QApplication.clipboard().setText(self.plan))
        self.addAction(self.act_copy)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def show_plan(self, plan: str, actual: QTextDocument | str | None) -> bool:
        """Show last year's plan (markup) beside a 実績: its document, or its markup until bound.

        False when that was shown already.
        """
        if self._source == (plan, actual):
            return False
        self._source = (plan, actual)
        if self._actual is not None:
            self._actual.contentsChanged.disconnect(self._timer.start)
        self._actual = actual if isinstance(actual, QTextDocument) else None
        if self._actual is not None:
            self._actual.contentsChanged.connect(self._timer.start)
        self.plan = richtext.to_plain(plan)
        self.text.setAccessibleDescription(self.plan)
        self._timer.stop()
        self.compare(actual if isinstance(actual, str) else None)
        return True

    def compare(self, actual: str | None = None) -> None:
        """Mark what the plan says that the 実績 (markup, else its document) does not."""
        if actual is not None:
            written = richtext.to_plain(actual)
        elif self._actual is not None:
            written = richtext.blocks_to_plain(tuple(blocks_of(self._actual)))
        else:
            written = ""
        self.spans = compare_plain(self.plan, written)
        missing = any(span.missing for span in self.spans)
        same = written == self.plan
        indent = self.text.fontMetrics().horizontalAdvance("あ")
        self.text.setText(spans_html(self.spans, indent))
        if self.text.isHidden() != same:
            self.text.setVisible(not same)
            self.folded.emit()
        self.legend.setText(
            self.tr('<span style="background-color:{0};">実績にない部分</span> {1}%')
            .replace("{0}", MISSING_BACKGROUND)
            .replace("{1}", str(round(missing_share(self.spans) * 100)))
            if missing
            else self.tr("実績と同じ文章です")
            if same
            else ""
        )
        self.legend.setVisible(missing or same)

    def missing_texts(self) -> list[str]:
        """The parts of the plan shown as no longer in the 実績."""
        return [span.text for span in self.spans if span.missing]
