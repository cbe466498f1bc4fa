"""PDF: the Word file's table, printed by the editor itself.

Built on ReportLab (pure Python, already what the tests used to draw PDFs),
not on Qt's QPdfWriter: the command line exports without a GUI, and Qt's
QTextDocument neither keeps a heading with the row after it nor lets a merged
cell run on over a page break under our control. ReportLab's own Table
repeats header rows and splits rows, but a span over rows is not split; so
each direction is one flowable (``DirectionBlock``) that draws its heading
rows, its left cell and its department rows, and splits itself at the
page's foot: department rows break between lines, the left cell continues on
the next page, and a heading never stays behind without the row below it.
The two header rows (and, on the first page, the title) are drawn by the page,
so they are on every page; the page numbers 「- n / N -」 are drawn once the
number of pages is known. Fonts are TrueType subsets (``pdf_fonts``).
For the city's website the file names its title, author, subject and language
(``ja-JP``) in its information and in XMP metadata, and opens on an outline
of every goal and direction. ReportLab cannot tag the content (no structure
tree, no marked content), so the PDF is not a tagged PDF.
A cell's paragraphs, items and line breaks are set a hair apart (``GAPS``),
so that the PDF reads back to the same report.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus import Paragraph as _ReportLabParagraph
from reportlab.platypus.paragraph import cjkFragSplit

from ...core import richtext
from ...core.model import Report
from ...core.richtext import Block
from ..files import write_atomically
from ..table import columns, layout
from ..table.layout import GAPS, ExportOptions
from . import fonts as pdf_fonts
from . import kpisection
from .metadata import CREATOR, LANGUAGE, subject, xmp_packet

logger = logging.getLogger(__name__)

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 42.52  # 15 mm, as the Word file
TABLE_W = PAGE_W - 2 * MARGIN
PAD_X, PAD_Y = 2.85, 1.4  # the Word file's cell margins
# Line height per point of size. Word sets ＭＳ 明朝 (and LibreOffice the IPA
# fonts) at exactly the size with single spacing; a tenth more reads easier.
LEADING = 1.1
HEAD_FILL, GOAL_FILL = (0.851, 0.851, 0.851), (0.949, 0.949, 0.949)
BIG = 1e7


class Paragraph(_ReportLabParagraph):
    """ReportLab's paragraph, keeping a space where a line wraps at the end of the line.

    ReportLab strips the spaces at both ends of a wrapped Japanese line of
    plain text, starts the next line with one in mixed (bold) text, and adds
    one at the end of every line of a paragraph it splits at a page break. A
    space kept at the end of the line, past the text's edge where it shows
    nothing, is what a word processor does, and keeps the page's text whole
    for reading back.
    """

    def breakLinesCJK(self, maxWidths):  # noqa: N803 (ReportLab's names)
        """The lines of the paragraph, every glyph in the text on one of them."""
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        widths = maxWidths if isinstance(maxWidths, list | tuple) else [maxWidths]
        if not self.frags or any(hasattr(f, "cbDefn") for f in self.frags):
            return super().breakLinesCJK(widths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        para = cjkFragSplit(self.frags, widths, auto not in ("", "off"))
        for before, line in zip(para.lines, para.lines[1:], strict=False):
            if not before.words or not line.words:
                continue
            first = line.words[0]
            spaces = len(first.text) - len(first.text.lstrip(" "))
            if spaces:
                before.words[-1].text += first.text[:spaces]
                first.text = first.text[spaces:]
        return para

    def split(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        """ReportLab's split, without the space it appends to every line it cuts off."""
        if not hasattr(self, "blPara"):
            self.wrap(availWidth, availHeight)
        lines = getattr(self.blPara, "lines", [])
        kept = [(word, word.text) for line in lines for word in getattr(line, "words", [])]
        parts = super().split(availWidth, availHeight)
        for word, text in kept:
            word.text = text
        return parts


@dataclass(frozen=True)
class Styles:
    """The paragraph styles and fonts of one export."""

    body: ParagraphStyle
    item: ParagraphStyle
    item_rest: ParagraphStyle  # the lines after a line break in a 「・」 item
    head: ParagraphStyle
    heading_font: str
    body_font: str
    size: float

    @property
    def line(self) -> float:
        """Height of one line of text."""
        return self.size * LEADING


def styles(options: ExportOptions) -> Styles:
    """Fonts registered and paragraph styles built for ``options``."""
    from reportlab.lib.fonts import addMapping

    body_font = pdf_fonts.register(options.font)
    head_font = pdf_fonts.register(options.heading_font, heading=True)
    # Bold text is set in the heading face: ＭＳ 明朝 has no bold, and Word's
    # emboldened 明朝 is what the ゴシック face stands for in print.
    addMapping(body_font, 0, 0, body_font)
    addMapping(body_font, 1, 0, head_font)
    addMapping(body_font, 0, 1, body_font)
    addMapping(body_font, 1, 1, head_font)
    size = options.size
    body = ParagraphStyle(
        "body", fontName=body_font, fontSize=size, leading=size * LEADING, wordWrap="CJK"
    )
    item = ParagraphStyle("item", parent=body, leftIndent=size, firstLineIndent=-size)
    item_rest = ParagraphStyle("item_rest", parent=body, leftIndent=size)
    head = ParagraphStyle("head", parent=body, fontName=head_font)
    return Styles(body, item, item_rest, head, head_font, body_font, size)


def _markup(block: Block) -> list[str]:
    """The block's markup, one string per line its line breaks start."""
    lines = [""]
    for run in block.runs:
        for number, piece in enumerate(richtext.clean_text(run.text).split("\n")):
            if number:
                lines.append("")
            text = escape(piece)
            lines[-1] += f"<b>{text}</b>" if run.bold and text else text
    return lines


def block_paragraphs(block: Block, style: ParagraphStyle, rest: ParagraphStyle) -> list[Paragraph]:
    """A block as paragraphs: a line break starts the next, a hair below.

    ReportLab draws a space at the end of the wrapped lines of a paragraph
    holding a ``<br/>``; separate paragraphs keep the text of the page exact.
    """
    out = []
    kind = "item" if block.tag == "li" else "para"
    for number, markup in enumerate(_markup(block)):
        para = Paragraph(markup, style if number == 0 else rest)
        para.kr_gap = "break" if number else kind
        out.append(para)
    return out


def paragraphs(blocks, style: Styles) -> list[Paragraph]:
    """Paragraphs of the blocks; 「・」 items hang by one character, as in Word."""
    out: list[Paragraph] = []
    for block in blocks:
        if block.text.strip():
            li = block.tag == "li"
            paras = block_paragraphs(
                block, style.item if li else style.body, style.item_rest if li else style.body
            )
            paras[0].kr_bullet_paragraph = not li and block.text.lstrip().startswith("・")
            out.extend(paras)
    return out


def text_width(cell_width: float, size: float) -> float:
    """Width a cell's lines wrap at: room is kept on the right for one character,
    since a 「。」 or 「、」 that cannot start a line hangs past the line's end."""
    return cell_width - 2 * PAD_X - size


def para_height(para: Paragraph, width: float) -> float:
    """Height of a paragraph wrapped at ``width``, laid out once per width.

    A block is measured to place it, to split it and to draw it: laying a
    Japanese paragraph out again each time was most of an export's time.
    """
    # Keyed by the object too: a split copies its paragraph's attributes.
    known = getattr(para, "kr_height", None)
    if known is not None and known[:2] == (id(para), width) and hasattr(para, "blPara"):
        return known[2]
    height = para.wrap(width, BIG)[1]
    para.kr_height = (id(para), width, height)
    return height


def para_gap(para: Paragraph) -> float:
    """The space kept above a paragraph of a cell."""
    return para.style.fontSize * GAPS[getattr(para, "kr_gap", "para")]


def _gap_at(para: Paragraph, index: int) -> float:
    """The gap above the paragraph at ``index`` of a cell.

    None above the first, unless a page break fell just before it (the gap
    then shows the break fell between paragraphs), or it is a paragraph that
    starts with 「・」 without being a list item: a hair tells it from one.
    """
    if index or getattr(para, "kr_top_gap", False):
        return para_gap(para)
    if getattr(para, "kr_bullet_paragraph", False):
        return para.style.fontSize * GAPS["break"]
    return 0.0


def _height(paras: list[Paragraph], width: float) -> float:
    heights = sum(para_height(para, width) for para in paras)
    return heights + sum(_gap_at(para, index) for index, para in enumerate(paras))


def _split(
    paras: list[Paragraph], width: float, height: float
) -> tuple[list[Paragraph], list[Paragraph]]:
    """The paragraphs that fit in ``height`` and the rest, cutting one between lines."""
    done: list[Paragraph] = []
    used = 0.0
    for index, para in enumerate(paras):
        used += _gap_at(para, index)
        need = para_height(para, width)
        if used + need <= height:
            done.append(para)
            used += need
            continue
        parts = para.split(width, height - used) if height - used > 0 else []
        if len(parts) == 2:
            parts[0].kr_gap = getattr(para, "kr_gap", "para")
            parts[0].kr_top_gap = getattr(para, "kr_top_gap", False)
            parts[0].kr_bullet_paragraph = getattr(para, "kr_bullet_paragraph", False)
            return [*done, parts[0]], [parts[1], *paras[index + 1 :]]
        if index:
            para.kr_top_gap = True
        return done, paras[index:]
    return done, []


@dataclass
class EntryCells:
    """One department row: the names, 実績 and 取組予定 as paragraphs."""

    cells: list[list[Paragraph]]  # the columns right of the left one: 所管部署, 実績, 取組予定

    def height(self, inner: list[float], line: float) -> float:
        """Height of the row: its tallest cell, at least one line (``inner``: text widths)."""
        inner = max(
            (_height(paras, w) for paras, w in zip(self.cells, inner, strict=True)),
            default=0.0,
        )
        return max(inner, line) + 2 * PAD_Y


@dataclass
class Heading:
    """A goal or direction row across the table."""

    para: Paragraph
    fill: tuple[float, float, float] | None
    # The outline's entry: the heading's text, its level (goal 0, direction 1)
    # and the key its bookmark is known by.
    title: str = ""
    level: int = 0
    key: str = ""

    def height(self, inner: float) -> float:
        """Height of the row whose text is ``inner`` wide."""
        return para_height(self.para, inner) + 2 * PAD_Y


class DirectionBlock(Flowable):
    """A direction's rows: headings, the left cell down the block, one row per department."""

    def __init__(
        self,
        headings: list[Heading],
        left: list[Paragraph],
        entries: list[EntryCells],
        widths: list[float],
        line: float,
    ) -> None:
        super().__init__()
        self.headings = headings
        self.left = left
        self.entries = entries
        self.widths = widths
        self.line = line
        size = line / LEADING
        self.inner = [text_width(width, size) for width in widths]
        self.full = text_width(TABLE_W, size)

    def _measure(self) -> tuple[float, list[float], float]:
        heads = sum(h.height(self.full) for h in self.headings)
        rows = [entry.height(self.inner[1:], self.line) for entry in self.entries]
        left = _height(self.left, self.inner[0]) + 2 * PAD_Y if self.left else 0.0
        body = max(sum(rows), left)
        if rows and body > sum(rows):
            rows[-1] += body - sum(rows)  # the last row grows, as under a merged cell in Word
        return heads, rows, body

    def wrap(self, availWidth, availHeight):  # noqa: N803 (ReportLab's names)
        """Width of the table, height of every row of the block."""
        heads, _rows, body = self._measure()
        self.width, self.height = TABLE_W, heads + body
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803
        """This block cut at ``availHeight``: what fits, and the rest for the next page."""
        heads = sum(h.height(self.full) for h in self.headings)
        space = availHeight - heads
        if space < self.line + 2 * PAD_Y:
            return []  # a heading goes with at least a line of its block
        first: list[EntryCells] = []
        rest: list[EntryCells] = []
        used = 0.0
        for index, entry in enumerate(self.entries):
            need = entry.height(self.inner[1:], self.line)
            if used + need <= space:
                first.append(entry)
                used += need
                continue
            room = space - used - 2 * PAD_Y
            cut = [
                _split(paras, width, room)
                for paras, width in zip(entry.cells, self.inner[1:], strict=True)
            ]
            if room >= self.line and any(done for done, _rest in cut):
                first.append(EntryCells([done for done, _rest in cut]))
                rest.append(EntryCells([more for _done, more in cut]))
            else:
                rest.append(entry)
            rest.extend(self.entries[index + 1 :])
            break
        left_first, left_rest = _split(self.left, self.inner[0], space - 2 * PAD_Y)
        if not first and not left_first:
            return []
        empty = [[] for _width in self.widths[1:]]
        if not rest and left_rest:
            rest = [EntryCells(empty)]
        if not first:
            first = [EntryCells(empty)]
        head = DirectionBlock(self.headings, left_first, first, self.widths, self.line)
        tail = DirectionBlock([], left_rest, rest, self.widths, self.line)
        return [head, tail]

    def draw(self):
        """Draw the rows from the top of the block down."""
        canvas = self.canv
        heads, rows, body = self._measure()
        top = heads + body
        for heading in self.headings:
            height = heading.height(self.full)
            _box(canvas, 0, top - height, TABLE_W, height, heading.fill)
            if heading.key:
                canvas.bookmarkHorizontal(heading.key, 0, top)
                canvas.addOutlineEntry(heading.title, heading.key, heading.level)
            heading.para.drawOn(canvas, PAD_X, top - height + PAD_Y)
            top -= height
        x = [0.0]
        for width in self.widths:
            x.append(x[-1] + width)
        _box(canvas, 0, top - body, self.widths[0], body)
        _paras_on(canvas, self.left, x[0], top, self.inner[0])
        for entry, height in zip(self.entries, rows, strict=True):
            for column, paras in enumerate(entry.cells, start=1):
                _box(canvas, x[column], top - height, self.widths[column], height)
                _paras_on(canvas, paras, x[column], top, self.inner[column])
            top -= height


def _box(canvas: Canvas, x: float, y: float, w: float, h: float, fill=None) -> None:
    canvas.saveState()
    canvas.setLineWidth(0.5)
    if fill is not None:
        canvas.setFillColorRGB(*fill)
    canvas.rect(x, y, w, h, stroke=1, fill=1 if fill is not None else 0)
    canvas.restoreState()


def _paras_on(canvas: Canvas, paras: list[Paragraph], x: float, top: float, inner: float) -> None:
    y = top - PAD_Y
    for index, para in enumerate(paras):
        height = para_height(para, inner)
        y -= height + _gap_at(para, index)
        para.drawOn(canvas, x + PAD_X, y)


def _entry_cell(column: columns.Column, row: layout.TableRow, style: Styles) -> list[Paragraph]:
    """A department row's cell in ``column``, by what the column holds."""
    if column.holds == columns.NAMES:
        return [Paragraph(escape(name), style.body) for name in row.departments]
    return paragraphs(row.blocks(column.role), style)


def blocks(report: Report, style: Styles, widths: list[float]) -> list[DirectionBlock]:
    """The report as direction blocks; a goal's heading rides on its first direction."""
    out: list[DirectionBlock] = []
    pending: list[Heading] = []
    entries: list[EntryCells] = []
    left: list[Paragraph] = []
    role_style = {"measure": style.body, "projects": style.body, "project": style.item}
    # The left column is the block's own; a department row has a cell in each other one.
    right = columns.declared()[1:]
    for row in layout.rows(report):
        if row.level != "entry":
            fill = GOAL_FILL if row.level == "goal" else None
            para = Paragraph(f"<b>{escape(row.text)}</b>", style.head)
            title, level = " ".join(row.text.split()), 0 if row.level == "goal" else 1
            pending.append(
                Heading(para, fill, title, level, f"kr-heading-{len(out)}-{len(pending)}")
            )
            continue
        if row.first_of_block:
            left = [
                para
                for item in row.left
                if item.block.text.strip()
                for para in block_paragraphs(
                    item.block,
                    style.item if item.block.tag == "li" else role_style.get(item.role, style.body),
                    style.item_rest if item.block.tag == "li" else style.body,
                )
            ]
            entries = []
        entries.append(EntryCells([_entry_cell(column, row, style) for column in right]))
        if len(entries) == row.block_size:
            out.append(DirectionBlock(pending, left, entries, widths, style.line))
            pending = []
    if pending:  # a goal without directions still shows its heading
        out.append(DirectionBlock(pending, [], [], widths, style.line))
    return out


class _Pages:
    """What every page carries: the title (first page), the two header rows, the number."""

    def __init__(self, report: Report, style: Styles, widths: list[float]) -> None:
        self.heads = layout.headings(report)
        self.style = style
        self.widths = widths
        self.row = style.line + 2 * PAD_Y + 2
        self.title_height = style.size * 2.2

    def header(self, canvas: Canvas, doc) -> None:
        """Draw the title on the first page and the two header rows on every page."""
        canvas.saveState()
        top = PAGE_H - MARGIN
        if doc.page == 1:
            canvas.setFont(self.style.heading_font, self.style.size + 3)
            canvas.drawCentredString(PAGE_W / 2, top - self.style.size - 3, self.heads.title)
            top -= self.title_height
        x = [MARGIN]
        for width in self.widths:
            x.append(x[-1] + width)
        row = self.row
        # (left, bottom, width, height, text) of each header cell, as ``columns`` lays them out.
        cells = [
            (
                x[cell.column],
                top - (cell.row + cell.rows) * row,
                x[cell.column + cell.span] - x[cell.column],
                cell.rows * row,
                cell.text,
            )
            for cell in self.heads.cells
        ]
        canvas.setFont(self.style.heading_font, self.style.size)
        for left, bottom, width, height, text in cells:
            _box(canvas, left, bottom, width, height, HEAD_FILL)
            canvas.setFillColorRGB(0, 0, 0)
            baseline = bottom + height / 2 - self.style.size * 0.35
            canvas.drawCentredString(left + width / 2, baseline, text)
        canvas.restoreState()

    def frame(self, first: bool) -> Frame:
        """The room below the header for the table's body."""
        top = PAGE_H - MARGIN - 2 * self.row - (self.title_height if first else 0)
        return Frame(MARGIN, MARGIN, TABLE_W, top - MARGIN, 0, 0, 0, 0, id="first" * first)


def _numbered(font: str, size: float, xmp: bytes):
    """A canvas class that writes 「- n / N -」 once the number of pages is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            # The canvas's own default (Helvetica) would be named, unembedded:
            # the document template passes None for it, which ``setdefault`` keeps.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or font
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or size
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []
            self._marks: list[tuple[str, dict]] = []
            self.showOutline()
            self.setCatalogEntry("Metadata", XMP(creator=lambda _doc: xmp))

        def bookmarkPage(self, key, **kwargs):
            # A bookmark names the page being written, which is only written in
            # ``save``: until then every page would be the first.
            self._marks.append((key, kwargs))

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._marks = []
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                for key, kwargs in self._marks:
                    Canvas.bookmarkPage(self, key, **kwargs)
                self.setFont(font, size)
                self.drawCentredString(PAGE_W / 2, MARGIN / 2, f"- {number} / {total} -")
                super().showPage()
            super().save()

    return NumberedCanvas


def build(report: Report, options: ExportOptions | None = None) -> bytes:
    """The report as the bytes of a PDF in the official layout."""
    options = options or ExportOptions()
    style = styles(options)
    widths = layout.column_widths(report, TABLE_W, options.size, 2 * PAD_X + options.size)
    pages = _Pages(report, style, widths)
    heads = layout.headings(report)
    about = subject(report)
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=(PAGE_W, PAGE_H),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=heads.title,
        author=options.author,
        subject=about,
        creator=CREATOR,
        lang=LANGUAGE,
        displayDocTitle=True,  # a reader's window shows the title, not the file's name
        initialFontName=style.body_font,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "first", [pages.frame(True)], onPage=pages.header, autoNextPageTemplate="later"
            ),
            PageTemplate("later", [pages.frame(False)], onPage=pages.header),
            kpisection.page_template(PAGE_W, PAGE_H, MARGIN),
        ]
    )
    story = blocks(report, style, widths)
    fonts, fills = (style.body_font, style.heading_font), (HEAD_FILL, GOAL_FILL)
    story += kpisection.story(report, options, fonts, TABLE_W, fills)
    xmp = xmp_packet(heads.title, options.author, about)
    doc.build(story or [Paragraph("", style.body)], canvasmaker=_numbered(style.body_font, 9, xmp))
    return out.getvalue()


def write_file(report: Report, path: Path | str, options: ExportOptions | None = None) -> None:
    """Write the report as a PDF, atomically."""
    data = build(report, options)
    write_atomically(path, lambda handle: handle.write(data))
