"""Excel (.xlsx): the published version of the table.

Excel and LibreOffice do not fit the height of merged or wrapped rows
themselves, so row heights are computed from East-Asian character widths. A
row is at most 409 points in Excel: an entry taller than that continues on
further rows, its 所管部署 cell merged down over them. The pages are computed
here too (``_paginate``): a direction's merged left cell is closed at each
page break and opened again on the next page under its heading with
「（続き）」, each piece marked in the hidden notes.

A cell of Excel holds lines, not paragraphs, list items and line breaks. So
that this editor's own files read back exactly, a very hidden sheet keeps each
text's shape (what each line of a cell is) with a fingerprint of the lines;
the reader (``xlsx_reader``) uses it only where the visible cell still shows
what was written.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ...core.model import ReportError
from ...core.richtext import Block, Run
from ..files import collector_paused, write_atomically
from ..table import columns, layout
from ..table.layout import ExportOptions
from . import kpisheet
from .cells import cell_value, safe_text
from .shapes import SEPARATOR, fingerprint, left_shape, piece_shape

logger = logging.getLogger(__name__)

SHEET_TITLE = "進捗報告"
DATA_SHEET = "_kushiro"
MARKER = "kushiro-progress-report"
DATA_VERSION = 2
# Characters of the notes' JSON per cell (Excel holds at most 32,767).
NOTE_CHUNK = 30000
MAX_CELL = 32767  # Excel's limit on characters in a cell
# Excel width units (about one half-width character) per column, as
# ``columns`` declares them; read through ``_widths()`` at each export.
COLUMN_WIDTHS = tuple(column.excel_width for column in columns.declared())
# The workbook's default font, which column widths are measured in: a width
# unit is the width of its digit. It is the export's own font, at the size
# whose digit is 7 px in Excel as Calibri 11's (openpyxl's default) is, so the
# widths mean on a PC with ＭＳ 明朝 what they always meant; measured in
# Calibri, a PC lacking it measured them in a wider stand-in and printed the
# sheet two pages wide.
DEFAULT_FONT_SIZE = 11
DIGIT_PX = 7
# A PC without ＭＳ 明朝 measures the columns in its stand-in's digit: 0.5 em in
# the IPA fonts (5 % over Excel's whole pixels), 0.557 em in Noto CJK (17 %).
# The print scale leaves room for the widest, so that no column goes onto a
# second page; the rows are set in points and do not move.
WIDEST_DIGIT = 1.18
# Excel's ceiling, 409 points: fewer seams read better
# on screen, and a row this tall still fits a printed page.
MAX_ROW_POINTS = 409
FIRST_BODY_ROW = 4  # title, two header rows
# After a direction's heading where its left cell goes on over a page break.
CONTINUED = "（続き）"


# Line height per point of size. Excel sets ＭＳ 明朝 at about 1.25 times its
# size and the IPA fonts alike; a PC without them shows the 明朝 in Noto
# Serif CJK, whose lines are 1.44 times its size. Rows are sized for the tallest, so that nothing is
# clipped in any of them; the margin for a line broken earlier than estimated
# is in the widths (``_capacity`` counts characters as at 10.5 pt).
LINE_FACTOR = 1.45
# The printed page (A4 landscape, in points) and its margins (inches, as Excel
# keeps them).
PAGE_W, PAGE_H = 841.89, 595.28
MARGIN_X_IN, MARGIN_Y_IN = 0.5, 0.6
# Share of a page's computed body the rows may fill: Excel and LibreOffice
# round row heights to pixels differently.
PAGE_SAFETY = 0.95


def _line_points(options: ExportOptions) -> float:
    return options.size * LINE_FACTOR


def _capacity(column: int) -> float:
    """Half-width characters that fit on one line of a column (with margins).

    One width unit is the default font's digit: half of a full-width
    character in ＭＳ 明朝.
    """
    return (_widths()[column] - 1.0) * 0.96


def _widths() -> tuple[float, ...]:
    return tuple(column.excel_width for column in columns.declared())


@dataclass
class _Placed:
    """What a written row is, for the pagination: a heading, or a piece of an entry."""

    row: int
    level: str  # "heading" or "entry"
    block_start: int = 0  # entry rows: the first row of the direction's block
    continues: bool = False  # entry rows: the entry goes on in the next row


@dataclass
class _Left:
    """A direction's left cell: its rows, its heading and its lines (one block each)."""

    first: int
    last: int
    heading: str
    lines: list[Block]


def _left_lines(blocks: list[Block]) -> list[Block]:
    """The left cell's blocks cut at their line breaks: a page break falls only between them."""
    return [Block(block.tag, line) for block in blocks for line in layout.broken_lines(block.runs)]


@dataclass
class _Writer:
    sheet: object
    options: ExportOptions
    fonts: dict = field(default_factory=dict)
    data: list[list] = field(default_factory=list)
    styles: dict = field(default_factory=dict)
    placed: list[_Placed] = field(default_factory=list)
    lefts: list[_Left] = field(default_factory=list)
    bold_inline: object = None

    def set(
        self,
        row: int,
        column: int,
        value,
        *,
        font: str = "body",
        fill=None,
        align: str = "left",
        valign: str = "top",
        border: str = "border",
        number_format: str = "General",
    ) -> None:
        """Write a cell with one of the layout's styles, and a number format."""
        cell = self.sheet.cell(row=row, column=column)
        if isinstance(value, str) and len(value) > MAX_CELL:
            raise ReportError(
                f"{row}行目のセルが Excel の上限({MAX_CELL:,}字)を超えています。"
                "文章を短くするか、Word で書き出してください。"
            )
        cell.value = value
        quote = False
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
            quote = value[:1] in ("=", "+", "-", "@")
        # Each distinct style is built once and copied to the cells that use it, as
        # openpyxl's own worksheet copier does: assigning style objects cell by cell
        # hashes them every time.
        key = (font, id(fill), align, valign, border, quote, number_format)
        style = self.styles.get(key)
        if style is None:
            from openpyxl.styles import Alignment

            cell.font = self.fonts[font]
            cell.border = self.fonts[border]
            cell.alignment = Alignment(wrap_text=True, vertical=valign, horizontal=align)
            if fill is not None:
                cell.fill = fill
            cell.quotePrefix = quote
            cell.number_format = number_format
            self.styles[key] = copy.copy(cell._style)
        else:
            cell._style = copy.copy(style)

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Merge a range whose cells are already written and styled.

        Registered directly: ``merge_cells`` would turn every covered cell into a
        placeholder and restyle its borders, which costs more than the export.
        """
        if (first_row, first_col) == (last_row, last_col):
            return
        from openpyxl.worksheet.cell_range import CellRange

        # Our ranges never overlap: skip MultiCellRange.add's check against every
        # range so far (quadratic over a large report). The writer needs only the
        # coordinates, so a plain CellRange does.
        self.sheet.merged_cells.ranges.add(
            CellRange(min_col=first_col, min_row=first_row, max_col=last_col, max_row=last_row)
        )

    def note(self, kind: str, first: int, last: int, payload: list[str]) -> None:
        """Record what rows first..last show, in the few letters reading them back needs."""
        self.data.append([kind, first, last, *payload])


def _prepare(sheet, options: ExportOptions) -> _Writer:
    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin", color="000000")
    writer = _Writer(sheet, options)
    writer.fonts = {
        "body": Font(name=options.font, size=options.size),
        "bold": Font(name=options.font, size=options.size, bold=True),
        "heading": Font(name=options.heading_font, size=options.size, bold=True),
        "title": Font(name=options.heading_font, size=options.size + 3, bold=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        # Pieces of one entry continued on further rows show as one cell.
        "open-bottom": Border(left=thin, right=thin, top=thin),
        "open-top": Border(left=thin, right=thin, bottom=thin),
        "open": Border(left=thin, right=thin),
        "none": Border(),
    }
    return writer


def _height(lines: int, options: ExportOptions) -> float:
    return round(lines * _line_points(options) + 4, 1)


def _write_block(
    writer: _Writer,
    block: list[layout.TableRow],
    row: int,
    heights: dict[int, float],
    bold_inline,
    max_lines: int,
) -> int:
    """Write one direction's entry rows; returns the next row.

    The left cell is only recorded here: it is written, cut at the page
    breaks, once the pages are known (``_paginate``).

    An entry taller than a row may continue on further rows (its 所管部署
    merged down, no border between the pieces). When the left cell needs more
    room than the entries take, the block's last row grows, as in Word.
    """
    options = writer.options
    declared = columns.declared()
    texts = columns.text_indexes()
    left_at, names_at = columns.index(columns.LEFT), columns.index(columns.DEPARTMENTS)
    first_item = block[0]
    left = [entry.block for entry in first_item.left]
    left_need = _height(layout.count_lines(left, _capacity(left_at)), options)
    direction = first_item.direction
    # Plan: per entry, its pieces of each text (実績, 取組予定) and each piece's
    # height, a piece being [blocks of each text, height].
    plans = []
    for item in block:
        split = [
            layout.split_blocks(item.blocks(declared[at].role), _capacity(at), max_lines)
            for at in texts
        ]
        pieces = []
        for index in range(max(len(parts) for parts in split)):
            cells = [parts[index].blocks if index < len(parts) else [] for parts in split]
            lines = max(
                *(
                    layout.count_lines(tuple(blocks), _capacity(at)) if blocks else 1
                    for blocks, at in zip(cells, texts, strict=True)
                ),
                len(item.departments) if index == 0 else 1,
            )
            pieces.append([cells, _height(min(lines, max_lines), options)])
        plans.append((pieces, split))
    missing = left_need - sum(piece[1] for pieces, _split in plans for piece in pieces)
    last = plans[-1][0]
    while missing > 0:
        room = MAX_ROW_POINTS - last[-1][1]
        if room <= 0:
            last.append([[[] for _at in texts], 0])
            continue
        grow = min(room, missing)
        last[-1][1] += grow
        missing -= grow

    block_start = row
    lines, shape = left_shape(direction)
    writer.note("left", row, row, [shape, fingerprint(lines)])
    for item, (pieces, split) in zip(block, plans, strict=True):
        first = row
        for index, (cells, height) in enumerate(pieces):
            seam = (
                "border"
                if len(pieces) == 1
                else "open-bottom"
                if index == 0
                else "open-top"
                if index == len(pieces) - 1
                else "open"
            )
            writer.set(
                row, left_at + 1, None
            )  # the left cells are written once the pages are known
            names = "\n".join(safe_text(n) for n in item.departments) if index == 0 else ""
            writer.set(row, names_at + 1, names or None)
            for blocks, at in zip(cells, texts, strict=True):
                writer.set(row, at + 1, cell_value(blocks, bold_inline) or None, border=seam)
            heights[row] = max(height, _height(1, options))
            writer.placed.append(_Placed(row, "entry", block_start, index < len(pieces) - 1))
            row += 1
        writer.merge(first, names_at + 1, row - 1, names_at + 1)
        if item.node is not None:
            shown: list[str] = [*item.node.departments]
            shapes = []
            for parts in split:
                text_lines, text_shape = piece_shape(parts)
                shown += [SEPARATOR, *text_lines]
                shapes.append(text_shape)
            writer.note("entry", first, row - 1, [*shapes, fingerprint(shown)])
    writer.lefts.append(
        _Left(block_start, row - 1, first_item.direction_heading, _left_lines(left))
    )
    return row


def _scale() -> int:
    """The print scale (percent) at which the four columns fit the page's width
    in every font an office suite may measure the columns in."""
    pixels = sum(width * DIGIT_PX * WIDEST_DIGIT + 5 for width in _widths())
    return int((PAGE_W - 2 * 72 * MARGIN_X_IN) / (pixels * 0.75) * 100)


def _breaks(writer: _Writer, heights: dict[int, float], scale: int) -> list[int]:
    """The rows after which a page ends: no heading ends a page, no row crosses a break."""
    options = writer.options
    body = (PAGE_H - 2 * 72 * MARGIN_Y_IN) / (scale / 100) * PAGE_SAFETY
    header = sum(heights.get(r, _height(1, options) + 2) for r in (2, 3))
    first_page = body - header - (_height(1, options) + 8)
    room, used = first_page, 0.0
    placed = writer.placed
    breaks: list[int] = []
    for index, item in enumerate(placed):
        height = heights[item.row]
        need = height
        if item.level == "heading" and index and placed[index - 1].level == "heading":
            need = 0.0  # placed with the heading above it
        elif item.level == "heading":
            # The heading, any heading right after it, and the first row of the block.
            follow = index
            while follow < len(placed) and placed[follow].level == "heading":
                follow += 1
            need = sum(heights[p.row] for p in placed[index:follow])
            if follow < len(placed):
                need += heights[placed[follow].row]
        elif index and placed[index - 1].level == "heading":
            need = 0.0  # placed with its heading
        if used and used + need > room:
            breaks.append(item.row - 1)
            room, used = body - header, 0.0
        used += height
    return breaks


@dataclass
class _LeftPiece:
    """The part of a left cell on one page: its rows and the lines it shows."""

    first: int
    last: int
    lines: list[Block]


def _left_pieces(
    left: _Left, breaks: list[int], heights: dict[int, float], options: ExportOptions
) -> tuple[list[_LeftPiece], float]:
    """A left cell cut at the page breaks, and the points its last piece still lacks.

    Every piece after the first repeats the direction's heading with 「（続き）」;
    the lines go to the first piece with room for them whole, never cut.
    """
    inside = [b for b in breaks if left.first <= b < left.last]
    bounds = list(zip([left.first, *(b + 1 for b in inside)], [*inside, left.last], strict=True))
    line_pt, capacity = _line_points(options), _capacity(columns.index(columns.LEFT))
    pieces: list[_LeftPiece] = []
    index, lacking = 0, 0.0
    for number, (first, last) in enumerate(bounds):
        final = number == len(bounds) - 1
        room = (sum(heights[r] for r in range(first, last + 1)) - 4) / line_pt
        lines = [] if number == 0 else [Block("p", (Run(left.heading + CONTINUED, True),))]
        used = float(layout.count_lines(lines, capacity)) if lines else 0.0
        while index < len(left.lines):
            need = layout.count_lines((left.lines[index],), capacity)
            if used + need > room + 1e-6 and not final:
                break
            lines.append(left.lines[index])
            used += need
            index += 1
        if final:
            lacking = max(0.0, (used - room) * line_pt)
        pieces.append(_LeftPiece(first, last, lines))
    return pieces, lacking


def _paginate(writer: _Writer, heights: dict[int, float], scale: int) -> None:
    """Manual page breaks, and the left cells closed at them, so that every page reads whole.

    A heading never ends a page (it goes over with the row after it); a row
    never crosses a break, so no line of the right-hand cells is cut at the
    bottom edge; an entry that goes on over the break is closed with a
    bottom border and reopened with a top one; and a direction's left cell
    is closed at the break and opened again on the next page under its
    heading with 「（続き）」, carrying on its lines where they no longer fit.
    Where the last piece of a left cell lacks room its block's last row
    grows, which may move the breaks: the pages are computed again until
    they hold (heights only grow, so this ends).
    """
    from openpyxl.styles import Border, Side
    from openpyxl.worksheet.pagebreak import Break

    sheet, options = writer.sheet, writer.options
    left_column = columns.index(columns.LEFT) + 1
    for _attempt in range(12):
        breaks = _breaks(writer, heights, scale)
        cut = [_left_pieces(left, breaks, heights, options) for left in writer.lefts]
        grown = False
        for left, (_pieces, lacking) in zip(writer.lefts, cut, strict=True):
            height = min(MAX_ROW_POINTS, round(heights[left.last] + lacking + 0.05, 1))
            if lacking > 0 and height > heights[left.last]:
                heights[left.last] = height
                grown = True
        if not grown:
            break
    for left, (pieces, lacking) in zip(writer.lefts, cut, strict=True):
        if lacking > 0:
            logger.warning(
                "the left cell of rows %d-%d does not fit its rows", left.first, left.last
            )
        for number, piece in enumerate(pieces):
            value = cell_value(piece.lines, writer.bold_inline) or None
            writer.set(piece.first, left_column, value)
            writer.merge(piece.first, left_column, piece.last, left_column)
            if number:
                writer.note("cont", piece.first, piece.last, [str(left.first)])
    thin = Side(style="thin", color="000000")
    by_row = {p.row: p for p in writer.placed}
    for row in breaks:
        sheet.row_breaks.append(Break(id=row))
        before = by_row.get(row)
        if before is not None and before.level == "entry" and before.continues:
            for at in columns.text_indexes():
                column = at + 1
                above, below = sheet.cell(row, column), sheet.cell(row + 1, column)
                above.border = Border(left=thin, right=thin, top=above.border.top, bottom=thin)
                below.border = Border(left=thin, right=thin, top=thin, bottom=below.border.bottom)


def _header_rows(writer: _Writer, cells: list[columns.HeaderCell], fill) -> None:
    """Rows 2 and 3, as ``columns`` lays the header out: merged down or across."""
    merges = []
    for cell in cells:
        row, column = 2 + cell.row, cell.column + 1
        if cell.row == 0:
            writer.set(
                row, column, cell.text, font="heading", fill=fill, align="center", valign="center"
            )
            for covered in range(column + 1, column + cell.span):
                writer.set(row, covered, None, font="heading", fill=fill)
        else:
            writer.set(row, column, cell.text, font="heading", fill=fill, align="center")
        if cell.rows == 2:
            writer.set(3, column, None, font="heading", fill=fill)
            merges.append((2, column, 3, column))
        elif cell.span > 1:
            merges.append((row, column, row, column + cell.span - 1))
    for merge in merges:
        writer.merge(*merge)


def _default_font(workbook, options: ExportOptions) -> None:
    """Make the export's font the workbook's first font and its Normal style's."""
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    # charset 128 (Shift_JIS) tells an office suite lacking the font to put a
    # Japanese one in its place.
    font = Font(name=options.font, size=DEFAULT_FONT_SIZE, family=1, charset=128)
    workbook._fonts = IndexedList([font])
    workbook._named_styles["Normal"].font = copy.copy(font)


def build(report, options: ExportOptions | None = None):
    """The openpyxl Workbook of the report in the official layout."""
    from openpyxl import Workbook
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Border, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    options = options or ExportOptions()
    workbook = Workbook()
    _default_font(workbook, options)
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    writer = _prepare(sheet, options)
    bold_inline = InlineFont(b=True, rFont=options.font, sz=options.size)
    writer.bold_inline = bold_inline
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    goal_fill = PatternFill("solid", fgColor="F2F2F2")
    heads = layout.headings(report)
    line_pt = _line_points(options)
    max_lines = max(1, int((MAX_ROW_POINTS - 4) // line_pt))

    count = columns.width()
    for column, width in enumerate(_widths(), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    writer.set(1, 1, heads.title, font="title", align="center", valign="center")
    sheet.cell(row=1, column=1).border = Border()
    writer.merge(1, 1, 1, count)
    sheet.row_dimensions[1].height = _height(1, options) + 8
    _header_rows(writer, heads.cells, head_fill)
    for number in (2, 3):
        sheet.row_dimensions[number].height = _height(1, options) + 2
    writer.note("report", 0, 0, [report.title, str(report.actual_year)])

    full_capacity = sum(_capacity(i) for i in range(count))
    row = FIRST_BODY_ROW
    heights: dict[int, float] = {}
    block: list[layout.TableRow] = []
    for item in layout.rows(report):
        if item.level == "entry":
            block.append(item)
            if item.node is None or item.direction.entries[-1] is item.node:
                row = _write_block(writer, block, row, heights, bold_inline, max_lines)
                block = []
            continue
        fill = goal_fill if item.level == "goal" else None
        writer.set(row, 1, item.text, font="heading", fill=fill)
        for column in range(2, count + 1):
            writer.set(row, column, None, font="heading", fill=fill)
        writer.merge(row, 1, row, count)
        lines = layout.count_lines((Block("p", (Run(item.text),)),), full_capacity)
        heights[row] = _height(lines, options)
        writer.placed.append(_Placed(row, "heading"))
        row += 1
    sheet.freeze_panes = f"A{FIRST_BODY_ROW}"
    sheet.print_title_rows = "2:3"
    sheet.print_area = f"A1:{get_column_letter(count)}{max(row - 1, 3)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    # The pages are computed here, at a scale fixed here: left to Excel or
    # LibreOffice, a heading ends a page, a merged cell is cut mid-line and
    # text runs into the bottom edge.
    scale = _scale()
    sheet.page_setup.scale = scale
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
    _paginate(writer, heights, scale)
    for number, height in heights.items():
        sheet.row_dimensions[number].height = max(height, _height(1, options))
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = MARGIN_X_IN
    sheet.page_margins.top = sheet.page_margins.bottom = MARGIN_Y_IN
    sheet.oddFooter.center.text = "- &P / &N -"
    sheet.oddFooter.center.font = options.font

    style = kpisheet.Style(
        lambda kpis: _prepare(kpis, options), head_fill, goal_fill, lambda n: _height(n, options)
    )
    writer.data += kpisheet.add_sheet(workbook, report, style)
    data = workbook.create_sheet(DATA_SHEET)
    data.append([MARKER, DATA_VERSION])
    # The notes go as JSON in a few long cells, not a cell each: one cell per
    # note doubled the cells Excel has to write and read.  Each chunk starts
    # with a bar so that no chunk can start with "=" and be taken for a formula.
    text = json.dumps(writer.data, ensure_ascii=False, separators=(",", ":"))
    for start in range(0, len(text), NOTE_CHUNK):
        data.append(["|" + text[start : start + NOTE_CHUNK]])
    data.sheet_state = "veryHidden"
    workbook.properties.title = report.title
    workbook.properties.subject = heads.title
    workbook.properties.category = MARKER
    workbook.properties.creator = "釧路市"
    workbook.properties.language = "ja-JP"
    return workbook


def write_file(report, path: Path | str, options: ExportOptions | None = None) -> None:
    """Write the report as an Excel file, atomically."""
    with collector_paused():
        workbook = build(report, options)
        write_atomically(path, workbook.save)
