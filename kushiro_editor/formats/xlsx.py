"""Excel (.xlsx): the published version of the table, and reading such sheets back.

Excel and LibreOffice do not fit the height of merged or wrapped rows
themselves, so row heights are computed from East-Asian character widths. A
row is at most 409 points in Excel: an entry taller than that continues on
further rows, its 所管部署 cell merged down over them.

A cell of Excel holds lines, not paragraphs, list items and line breaks. So
that this editor's own files read back exactly, a very hidden sheet keeps each
text in the report's rich-text form; it is used only where the visible cell
still shows what was written (a cell edited in Excel is read from what it
shows).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core import richtext
from ..core.model import (
    ImportResult,
    ImportWarning,
    Measure,
    ReportError,
)
from ..core.richtext import Block, Run
from . import layout
from .common import open_zip, write_atomically
from .layout import ExportOptions
from .table import LeftCell, Row, is_header_row, project_item, read_rows

logger = logging.getLogger(__name__)

SHEET_TITLE = "進捗報告"
DATA_SHEET = "_kushiro"
MARKER = "kushiro-progress-report"
DATA_VERSION = 2
# Characters of the notes' JSON per cell (Excel holds at most 32,767).
NOTE_CHUNK = 30000
MAX_CELL = 32767  # Excel's limit on characters in a cell
COLUMN_WIDTHS = (46, 13, 44, 44)  # Excel width units (about one half-width character)
# Excel's ceiling is 409 points. Kept just under it: the Excel version is read
# on screen (the Word file is what is printed), where fewer seams read better.
MAX_ROW_POINTS = 400
FIRST_BODY_ROW = 4  # title, two header rows


def _line_points(options: ExportOptions) -> float:
    # Excel sets ＭＳ 明朝 at about 1.25 times its size; a little more is kept
    # so that a line broken earlier than estimated still fits.
    return options.size * 1.3


def _capacity(column: int) -> float:
    """Half-width characters that fit on one line of a column (with margins).

    One width unit is the default font's digit: half of a full-width
    character in ＭＳ 明朝.
    """
    return (COLUMN_WIDTHS[column] - 1.0) * 0.96


def _safe(text: str) -> str:
    return richtext.clean_text(text)


def _cell_value(blocks: tuple[Block, ...] | list[Block], bold_font):
    """A cell's value: plain text, or rich text when something is bold."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    parts: list[Run] = []
    for index, block in enumerate(blocks):
        if index:
            parts.append(Run("\n"))
        parts.extend(block.runs)
    if not any(run.bold for run in parts):
        return _safe("".join(run.text for run in parts))
    rich = CellRichText()
    for run in parts:
        text = _safe(run.text)
        if text:
            rich.append(TextBlock(bold_font, text) if run.bold else text)
    return rich


@dataclass
class _Writer:
    sheet: object
    options: ExportOptions
    fonts: dict = field(default_factory=dict)
    data: list[list] = field(default_factory=list)
    styles: dict = field(default_factory=dict)

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
    ) -> None:
        """Write a cell with one of the layout's styles."""
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
        key = (font, id(fill), align, valign, border, quote)
        style = self.styles.get(key)
        if style is None:
            from openpyxl.styles import Alignment

            cell.font = self.fonts[font]
            cell.border = self.fonts[border]
            cell.alignment = Alignment(wrap_text=True, vertical=valign, horizontal=align)
            if fill is not None:
                cell.fill = fill
            cell.quotePrefix = quote
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
    }
    return writer


def _height(lines: int, options: ExportOptions) -> float:
    return round(lines * _line_points(options) + 4, 1)


# What a cell's lines are, one letter each: P starts a paragraph, L a 「・」 item,
# B continues the block after a line break, J continues the same line (cut
# between two rows); in the left column M is a measure's heading, H the
# 【主な事業】 heading, R and N a main project with and without 【再掲】.
SEPARATOR = "\x1f"


def _fingerprint(lines: list[str]) -> str:
    return hashlib.sha1("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def _block_shape(block: Block, first: str) -> tuple[list[str], list[str]]:
    lines = block.text.split("\n")
    return lines, [first] + ["B"] * (len(lines) - 1)


def _piece_shape(pieces: list[layout.Piece]) -> tuple[list[str], str]:
    """The lines a reader sees once an entry's rows are joined, and their shape."""
    lines: list[str] = []
    shape: list[str] = []
    for piece in pieces:
        for index, block in enumerate(piece.blocks):
            if index == 0 and piece.join != "new":
                first = "B" if piece.join == "br" else "J"
            else:
                first = "L" if block.kind == "li" else "P"
            more, kinds = _block_shape(block, first)
            lines += more
            shape += kinds
    return lines, "".join(shape)


def _left_shape(direction) -> tuple[list[str], str]:
    lines: list[str] = []
    shape: list[str] = []
    for item in layout.left_blocks(direction):
        if item.role == "body":
            more, kinds = _block_shape(item.block, "L" if item.block.kind == "li" else "P")
            lines += more
            shape += kinds
        else:
            lines.append(item.block.text)
            shape.append({"measure": "M", "projects": "H"}.get(item.role, "N"))
    projects = iter(direction.main_projects)
    shape = [("R" if next(projects).relisted else "N") if kind == "N" else kind for kind in shape]
    return lines, "".join(shape)


def _write_block(
    writer: _Writer,
    block: list[layout.TableRow],
    row: int,
    heights: dict[int, float],
    bold_inline,
    max_lines: int,
) -> int:
    """Write one direction's entry rows with the left cell merged down; returns the next row.

    An entry taller than a row may continue on further rows (its 所管部署
    merged down, no border between the pieces). When the left cell needs more
    room than the entries take, the block's last row grows, as in Word.
    """
    options = writer.options
    first_item = block[0]
    left = [entry.block for entry in first_item.left]
    left_need = _height(layout.count_lines(left, _capacity(0)), options)
    direction = first_item.direction
    # Plan: per entry, its pieces of 実績 and 取組予定 and each piece's height.
    plans = []
    for item in block:
        actual = layout.split_blocks(item.actual, _capacity(2), max_lines)
        plan = layout.split_blocks(item.plan, _capacity(3), max_lines)
        pieces = []
        for index in range(max(len(actual), len(plan))):
            a = actual[index].blocks if index < len(actual) else []
            p = plan[index].blocks if index < len(plan) else []
            lines = max(
                layout.count_lines(tuple(a), _capacity(2)) if a else 1,
                layout.count_lines(tuple(p), _capacity(3)) if p else 1,
                len(item.departments) if index == 0 else 1,
            )
            pieces.append([a, p, _height(min(lines, max_lines), options)])
        plans.append((pieces, actual, plan))
    missing = left_need - sum(piece[2] for pieces, _a, _p in plans for piece in pieces)
    last = plans[-1][0]
    while missing > 0:
        room = MAX_ROW_POINTS - last[-1][2]
        if room <= 0:
            last.append([[], [], 0])
            continue
        grow = min(room, missing)
        last[-1][2] += grow
        missing -= grow

    block_start = row
    writer.set(row, 1, _cell_value(left, bold_inline))
    lines, shape = _left_shape(direction)
    writer.note("left", row, row, [shape, _fingerprint(lines)])
    for item, (pieces, actual_pieces, plan_pieces) in zip(block, plans, strict=True):
        first = row
        for index, (a, p, height) in enumerate(pieces):
            seam = (
                "border"
                if len(pieces) == 1
                else "open-bottom"
                if index == 0
                else "open-top"
                if index == len(pieces) - 1
                else "open"
            )
            if row != block_start:
                writer.set(row, 1, None)
            names = "\n".join(_safe(n) for n in item.departments) if index == 0 else ""
            writer.set(row, 2, names or None)
            writer.set(row, 3, _cell_value(a, bold_inline) or None, border=seam)
            writer.set(row, 4, _cell_value(p, bold_inline) or None, border=seam)
            heights[row] = max(height, _height(1, options))
            row += 1
        writer.merge(first, 2, row - 1, 2)
        if item.node is not None:
            entry = item.node
            actual_lines, actual_shape = _piece_shape(actual_pieces)
            plan_lines, plan_shape = _piece_shape(plan_pieces)
            shown = [*entry.departments, SEPARATOR, *actual_lines, SEPARATOR, *plan_lines]
            writer.note("entry", first, row - 1, [actual_shape, plan_shape, _fingerprint(shown)])
    writer.merge(block_start, 1, row - 1, 1)
    return row


def build(report, options: ExportOptions | None = None):
    """The openpyxl Workbook of the report in the official layout."""
    from openpyxl import Workbook
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Border, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    options = options or ExportOptions()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    writer = _prepare(sheet, options)
    bold_inline = InlineFont(b=True, rFont=options.font, sz=options.size)
    head_fill = PatternFill("solid", fgColor="D9D9D9")
    goal_fill = PatternFill("solid", fgColor="F2F2F2")
    heads = layout.headings(report)
    line_pt = _line_points(options)
    max_lines = max(1, int((MAX_ROW_POINTS - 4) // line_pt))

    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    writer.set(1, 1, heads.title, font="title", align="center", valign="center")
    sheet.cell(row=1, column=1).border = Border()
    writer.merge(1, 1, 1, 4)
    sheet.row_dimensions[1].height = _height(1, options) + 8
    for column, text in ((1, heads.left), (2, heads.department), (3, heads.progress)):
        writer.set(2, column, text, font="heading", fill=head_fill, align="center", valign="center")
    writer.set(2, 4, None, font="heading", fill=head_fill)
    for column in (1, 2):
        writer.set(3, column, None, font="heading", fill=head_fill)
    writer.set(3, 3, heads.actual, font="heading", fill=head_fill, align="center")
    writer.set(3, 4, heads.plan, font="heading", fill=head_fill, align="center")
    writer.merge(2, 1, 3, 1)
    writer.merge(2, 2, 3, 2)
    writer.merge(2, 3, 2, 4)
    for number in (2, 3):
        sheet.row_dimensions[number].height = _height(1, options) + 2
    writer.note("report", 0, 0, [report.title, str(report.actual_year)])

    full_capacity = sum(_capacity(i) for i in range(4))
    row = FIRST_BODY_ROW
    heights: dict[int, float] = {}
    block: list[layout.TableRow] = []
    for item in layout.rows(report):
        if item.kind == "entry":
            block.append(item)
            if item.node is None or item.direction.entries[-1] is item.node:
                row = _write_block(writer, block, row, heights, bold_inline, max_lines)
                block = []
            continue
        fill = goal_fill if item.kind == "goal" else None
        writer.set(row, 1, item.text, font="heading", fill=fill)
        for column in (2, 3, 4):
            writer.set(row, column, None, font="heading", fill=fill)
        writer.merge(row, 1, row, 4)
        lines = layout.count_lines((Block("p", (Run(item.text),)),), full_capacity)
        heights[row] = _height(lines, options)
        row += 1
    for number, height in heights.items():
        sheet.row_dimensions[number].height = max(height, _height(1, options))

    sheet.freeze_panes = f"A{FIRST_BODY_ROW}"
    sheet.print_title_rows = "2:3"
    sheet.print_area = f"A1:D{max(row - 1, 3)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "- &P / &N -"
    sheet.oddFooter.center.font = options.font

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


def write(report, path: Path | str, options: ExportOptions | None = None) -> None:
    """Write the report as an Excel file, atomically."""
    workbook = build(report, options)
    write_atomically(path, workbook.save)


# -- reading ---------------------------------------------------------------------
def _runs(value) -> list[Run]:
    """A cell's value as runs (rich text keeps its bold parts)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if value is None:
        return []
    if isinstance(value, CellRichText):
        runs = []
        for part in value:
            if isinstance(part, TextBlock):
                bold = bool(part.font is not None and part.font.b)
                runs.append(Run(part.text or "", bold))
            else:
                runs.append(Run(str(part)))
        return runs
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [Run(str(value))]


def _blocks_from_runs(runs: list[Run]) -> list[Block]:
    """Lines of a cell as paragraphs; 「・」 lines as list items."""
    blocks: list[Block] = []
    current: list[Run] = []

    def close() -> None:
        if current:
            text = "".join(r.text for r in current).lstrip(" \u3000")
            blocks.append(Block("li" if text.startswith("・") else "p", tuple(current)))
        current.clear()

    for run in runs:
        pieces = run.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
            if piece:
                current.append(Run(piece, run.bold))
    close()
    return blocks


def _plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs).replace("\r\n", "\n").replace("\r", "\n")


Runs = list[Run]


@dataclass
class _Grid:
    """A sheet's first four used columns: values and merges, by row."""

    name: str
    rows: list[int]
    values: dict[tuple[int, int], Runs]
    # (row, col) → "above" when merged from the row above, "left" when covered
    # by a cell to its left.
    covered: dict[tuple[int, int], str]


def _grid(sheet) -> _Grid:
    first_col = None
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 80)):
        for cell in row:
            if cell.value not in (None, ""):
                first_col = cell.column if first_col is None else min(first_col, cell.column)
    first_col = first_col or 1
    columns = list(range(first_col, first_col + 4))
    covered: dict[tuple[int, int], str] = {}
    for merged in sheet.merged_cells.ranges:
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if (r, c) == (merged.min_row, merged.min_col):
                    continue
                covered[(r, c - first_col + 1)] = "left" if c > merged.min_col else "above"
    values: dict[tuple[int, int], Runs] = {}
    rows = []
    for row in sheet.iter_rows(
        min_row=1, max_row=sheet.max_row, min_col=columns[0], max_col=columns[-1]
    ):
        number = row[0].row
        rows.append(number)
        for offset, cell in enumerate(row):
            runs = _runs(cell.value)
            if runs:
                values[(number, offset + 1)] = runs
    return _Grid(sheet.title, rows, values, covered)


def _data_notes(workbook) -> dict[tuple[str, int], tuple[int, list[str]]]:
    """The hidden sheet's notes, by (kind, first row)."""
    if DATA_SHEET not in workbook.sheetnames:
        return {}
    sheet = workbook[DATA_SHEET]
    rows = list(sheet.iter_rows(values_only=True, max_col=2))
    if not rows or rows[0][0] != MARKER or rows[0][1] != DATA_VERSION:
        return {}
    chunks = [row[0] for row in rows[1:] if isinstance(row[0], str) and row[0][:1] == "|"]
    try:
        lines = json.loads("".join(chunk[1:] for chunk in chunks))
    except ValueError:
        logger.warning("the hidden sheet is unreadable; the file is read as shown")
        return {}
    notes = {}
    for line in lines if isinstance(lines, list) else ():
        try:
            kind, first, last, *payload = line
            notes[(str(kind), int(first))] = (int(last), [str(p) for p in payload])
        except (ValueError, TypeError):
            logger.warning("skipping an unreadable note of the hidden sheet")
    return notes


def _lines(runs: Runs) -> list[Runs]:
    """A cell's runs cut at its line breaks."""
    lines: list[Runs] = [[]]
    for run in runs:
        pieces = run.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, piece in enumerate(pieces):
            if index:
                lines.append([])
            if piece:
                lines[-1].append(Run(piece, run.bold))
    return [] if lines == [[]] else lines


def _text(line: Runs) -> str:
    return "".join(run.text for run in line)


def _blocks_from_shape(lines: list[Runs], shape: str) -> list[Block] | None:
    """Blocks rebuilt from a cell's lines and their shape letters (None if they disagree)."""
    if len(lines) != len(shape):
        return None
    blocks: list[tuple[str, list[Run]]] = []
    for line, kind in zip(lines, shape, strict=True):
        if kind in "PL" or not blocks:
            blocks.append(("li" if kind == "L" else "p", list(line)))
        elif kind == "B":
            blocks[-1][1].extend([Run("\n"), *line])
        elif kind == "J":
            blocks[-1][1].extend(line)
        else:
            return None
    return [Block(kind, tuple(runs)) for kind, runs in blocks]


def _left_from_shape(lines: list[Runs], shape: str) -> LeftCell | None:
    """The left column's measures and projects, from its lines and shape letters."""
    if len(lines) != len(shape):
        return None
    left = LeftCell()
    measure: Measure | None = None
    body = ""
    for start in range(len(shape)):
        kind = shape[start]
        text = _text(lines[start])
        if kind == "M":
            left.add_measure(measure, body)
            label, _space, title = text.partition(" ")
            measure, body = Measure(title=title, label=label), ""
            end = start + 1
            while end < len(shape) and shape[end] in "PLBJ":
                end += 1
            blocks = _blocks_from_shape(lines[start + 1 : end], shape[start + 1 : end])
            body = richtext.serialise(blocks or [])
        elif kind == "H":
            left.has_projects_heading = True
        elif kind in "RN":
            left.projects.append(project_item(text, kind == "R"))
        elif measure is None:
            return None
    left.add_measure(measure, body)
    return left


def _rows(grid: _Grid, notes, edited: list[str]) -> Iterator[Row]:
    """Logical rows: an entry's continuation rows joined to it."""
    pending: Row | None = None
    pending_runs: list[Runs] = []
    pending_is_entry = False
    where = f"{grid.name} "

    for number in grid.rows:
        cells = [grid.values.get((number, c), []) for c in (1, 2, 3, 4)]
        cover = [grid.covered.get((number, c)) for c in (1, 2, 3, 4)]
        continues_entry = cover[1] == "above" and pending is not None and pending_is_entry
        if continues_entry:
            for column in (2, 3):
                if cells[column]:
                    if pending_runs[column]:
                        pending_runs[column] = [*pending_runs[column], Run("\n"), *cells[column]]
                    else:
                        pending_runs[column] = list(cells[column])
            continue
        if pending is not None:
            yield _complete(pending, pending_runs, notes, edited, where)
            pending = None
        if not any(cells) and cover[0] != "above":
            continue
        pending = Row(
            number=number,
            cells=["", "", "", ""],
            left_continues=cover[0] == "above",
            where=where,
            # Our own title line (row 1) is never structure, whatever it says.
            preamble=bool(notes) and number < FIRST_BODY_ROW - 2,
        )
        pending_runs = [list(c) for c in cells]
        pending_is_entry = bool(cells[1]) and not is_header_row(
            [richtext.paragraph(_plain(c)) for c in cells]
        )
    if pending is not None:
        yield _complete(pending, pending_runs, notes, edited, where)


def _complete(row: Row, runs: list[Runs], notes, edited: list[str], where: str) -> Row:
    blocks = [_blocks_from_runs(r) for r in runs]
    row.cells = [richtext.serialise(b) for b in blocks]
    if not notes:
        return row
    left_note = notes.get(("left", row.number))
    if left_note and not row.left_continues:
        shape, fingerprint = (left_note[1] + ["", ""])[:2]
        lines = _lines(runs[0])
        left = (
            _left_from_shape(lines, shape)
            if _fingerprint([_text(line) for line in lines]) == fingerprint
            else None
        )
        if left is not None:
            row.left = left
        else:
            edited.append(f"{where}{row.number}行目の左欄")
    note = notes.get(("entry", row.number))
    if note:
        actual_shape, plan_shape, fingerprint = (note[1] + ["", "", ""])[:3]
        departments, actual, plan = (_lines(runs[1]), _lines(runs[2]), _lines(runs[3]))
        shown = [
            *map(_text, departments),
            SEPARATOR,
            *map(_text, actual),
            SEPARATOR,
            *map(_text, plan),
        ]
        rebuilt = [_blocks_from_shape(actual, actual_shape), _blocks_from_shape(plan, plan_shape)]
        if _fingerprint(shown) == fingerprint and None not in rebuilt:
            row.cells[2], row.cells[3] = (richtext.serialise(b) for b in rebuilt)
            row.departments = [_text(line) for line in departments]
        else:
            edited.append(f"{where}{row.number}行目")
    return row


def _caused_by(exc: BaseException, kind: type) -> bool:
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def open_workbook(path: Path, what: str = "Excel のブック"):
    """An untrusted workbook, opened safely, or one ReportError saying why not.

    The zip is checked first (size, members, ratio); openpyxl parses with
    defusedxml, which it uses when installed (a dependency).
    """
    import zipfile

    from defusedxml.common import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with open_zip(path, "Excel") as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise ReportError(f"{path.name} は Excel のブックではありません。")
    try:
        # Not read_only: that mode loses merged cells.
        return load_workbook(path, rich_text=True, data_only=True)
    except DefusedXmlException as exc:  # a ValueError: caught before the others
        raise ReportError(
            f"{path.name} には安全でない XML が含まれているため読み込みません。"
        ) from exc
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
        AttributeError,
        SyntaxError,
    ) as exc:
        if _caused_by(exc, DefusedXmlException):  # openpyxl wraps the refusal
            raise ReportError(
                f"{path.name} には安全でない XML が含まれているため読み込みません。"
            ) from exc
        raise ReportError(f"{path.name} を{what}として読めません({type(exc).__name__})。") from exc


def read(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read an Excel file holding the report table (one sheet, or one per goal)."""
    path = Path(path)
    workbook = open_workbook(path)
    notes = _data_notes(workbook)
    trusted = bool(notes)
    title = None
    if notes.get(("report", 0)):
        title = notes[("report", 0)][1][0] or None
    edited: list[str] = []
    sheets = [s for s in workbook.worksheets if s.sheet_state == "visible"]

    def all_rows() -> Iterator[Row]:
        for sheet in sheets:
            yield from _rows(_grid(sheet), notes if sheet.title == SHEET_TITLE else {}, edited)

    result = read_rows(all_rows(), trusted=trusted, title=title, actual_year=actual_year)
    workbook.close()
    if edited:
        result.warnings.insert(
            0,
            ImportWarning(
                row=0,
                kind="edited",
                message=f"Excel で書き換えられたセル({'、'.join(edited[:5])}"
                f"{' ほか' if len(edited) > 5 else ''})は、表示されている文字から読み込みました"
                "(段落と改行の区別は行ごとの段落になります)。",
            ),
        )
    return result
