"""Excel (.xlsx): reading report tables, ours and hand-made ones.

A sheet this editor wrote carries, on its very hidden sheet, each cell's shape
and a fingerprint of its lines (see ``xlsx_writer``): a cell whose lines still
match is read exactly; one edited in Excel is read from what it shows. Other
sheets in the same layout (one sheet, or one per goal) go through the shared
table reader's guesses. A left cell cut at a page break (「…（続き）」 on the
next page) is joined back to the cell it continues before the rows are read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ...core import richtext
from ...core.model import ImportResult, ImportWarning
from ...core.richtext import Run
from ..table import columns, kpitable
from ..table.header import find_header, unread_columns_warning
from ..table.reader import Row, is_header_row, read_rows
from . import kpireader, kpisheet
from .cells import (
    Book,
    SheetFacts,
    blocks_from_runs,
    open_workbook,
    plain_row,
    quiet_openpyxl,
)
from .hidden import HiddenCells
from .shapes import SEPARATOR, blocks_from_shape, fingerprint, left_from_shape
from .writer import CONTINUED, DATA_SHEET, DATA_VERSION, FIRST_BODY_ROW, MARKER, SHEET_TITLE

logger = logging.getLogger(__name__)

HEADER_SEARCH = 40  # rows of a sheet looked at for its header


def _plain(runs: list[Run]) -> str:
    return "".join(r.text for r in runs).replace("\r\n", "\n").replace("\r", "\n")


Runs = list[Run]


@dataclass
class _Grid:
    """A sheet's declared columns: values and merges, by row (columns counted from 1)."""

    name: str
    rows: list[int]
    values: dict[tuple[int, int], Runs]
    # (row, col) → "above" when merged from the row above, "left" when covered
    # by a cell to its left.
    covered: dict[tuple[int, int], str]
    header_row: int = 0  # the header's first row: rows above it are titles
    unread: list[str] = field(default_factory=list)  # headings of columns not read
    hidden: list[str] = field(default_factory=list)  # hidden rows and columns left out, in words


def _covered(
    merges: list[tuple[int, int, int, int]], rows: list[int], sheet_columns: list[int | None]
) -> dict[tuple[int, int], str]:
    """(row, logical column) → "above" or "left", for the rows that hold values.

    One sweep per column over the merges sorted by their first row: the work
    follows the rows and ranges that exist, never the cells a range claims
    (one range may claim the whole sheet).
    """
    covered: dict[tuple[int, int], str] = {}
    for logical, column in enumerate(sheet_columns, start=1):
        if column is None:
            continue
        ranges = sorted(m for m in merges if m[1] <= column <= m[3])
        if not ranges:
            continue
        index = 0
        widest: tuple[int, int, int, int] | None = None  # started range reaching furthest down
        for number in rows:
            while index < len(ranges) and ranges[index][0] <= number:
                if widest is None or ranges[index][2] > widest[2]:
                    widest = ranges[index]
                index += 1
            if widest is None or widest[2] < number:
                continue
            min_row, min_col = widest[0], widest[1]
            if (number, column) != (min_row, min_col):
                covered[(number, logical)] = "left" if column > min_col else "above"
    return covered


WIDTH = 12  # columns read from the first used one: the four, and others beside them


def _grid(sheet, facts: SheetFacts | None) -> _Grid:
    """The sheet's four columns, found by their header, read as the clerk sees them."""
    # A sheet's claimed size is not trusted: without it the read-only reader
    # steps only over the rows the file holds.
    sheet.reset_dimensions()
    facts = facts or SheetFacts()
    # Only what the sheet prints, when a print area is set (notes and sums beside it stay out).
    area = facts.print_area or (1, 1, None, None)
    first_col = None
    for row in sheet.iter_rows(
        min_row=area[0], max_row=area[0] + 79, min_col=area[1], max_col=area[3], values_only=True
    ):
        for column, value in enumerate(row, start=area[1]):
            if value not in (None, ""):
                first_col = column if first_col is None else min(first_col, column)
                break
    first_col = first_col or area[1]
    # Hidden columns (last year's, kept beside this year's) are not read; the
    # columns after them are, so that the four are still found.
    hidden = HiddenCells(facts, first_col, area[3], WIDTH)
    wide: dict[int, dict[int, Runs]] = {}
    for number, row in enumerate(
        sheet.iter_rows(min_col=first_col, max_col=hidden.last or first_col, values_only=True),
        start=1,
    ):
        if area[2] is not None and not area[0] <= number <= area[2]:
            continue
        if not any(row):
            continue  # the read-only reader fills the rows a file skips
        cells: dict[int, Runs] = {}
        for column, value in enumerate(row, start=first_col):
            runs = facts.runs(number, column, value)
            if runs:
                hidden.place(number, column, runs, cells)
        if cells:
            wide[number] = cells
    numbers = sorted(wide)
    texts = [
        [_plain(wide[n].get(offset, [])) for offset in range(WIDTH)]
        for n in numbers[:HEADER_SEARCH]
    ]
    header = find_header(texts)
    # Each declared column's offset among the shown ones (None: the sheet lacks it).
    offsets: list[int | None] = list(range(columns.width()))
    header_row, header_rows, unread = 0, [], []
    if header is not None and header.complete:
        offsets = [header.columns.get(role) for role in columns.roles()]
        header_row = numbers[header.first_row]
        header_rows = numbers[header.first_row : header.first_row + header.height]
        unread = [text for _column, text in header.others]
    values: dict[tuple[int, int], Runs] = {}
    for number in numbers:
        cells = wide[number]
        if offsets[0] not in cells and cells and max(cells) < offsets[0]:
            # A goal row typed in a column left of the left column (a 番号 column).
            cells = {offsets[0]: cells[min(cells)]}
        for logical, offset in enumerate(offsets, start=1):
            if offset is not None and offset in cells:
                values[(number, logical)] = cells[offset]
    rows = sorted({number for number, _logical in values})
    covered = _covered(
        facts.merges,
        rows,
        [
            hidden.shown[offset] if offset is not None and offset < len(hidden.shown) else None
            for offset in offsets
        ],
    )
    notes = hidden.notes(header_rows, offsets)
    return _Grid(sheet.title, rows, values, covered, header_row, unread, notes)


def _data_notes(workbook) -> dict[tuple[str, int], tuple[int, list[str]]]:
    """The hidden sheet's notes, by (kind, first row)."""
    if DATA_SHEET not in workbook.sheetnames:
        return {}
    sheet = workbook[DATA_SHEET]
    sheet.reset_dimensions()
    rows = [plain_row(row) for row in sheet.iter_rows(values_only=True, max_col=2) if any(row)]
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


CONTINUED_MARKS = (CONTINUED, "(続き)")


def _continues_left(runs: Runs) -> bool:
    """True when a left cell's first line ends with 「（続き）」."""
    lines = _lines(runs)
    return bool(lines) and _text(lines[0]).strip().endswith(CONTINUED_MARKS)


def _continued_pieces(grid: _Grid) -> dict[int, int]:
    """In a file of another program: left cells 「…（続き）」 under a direction's rows.

    Such a cell opens a page with the rest of the block above it: it is
    taken as that block's left cell going on (first row → the block's first row).
    """
    pieces: dict[int, int] = {}
    left_at = columns.index(columns.LEFT) + 1
    names_at = columns.index(columns.DEPARTMENTS) + 1
    block_start: int | None = None
    in_block = False
    for number in grid.rows:
        left = grid.values.get((number, left_at))
        has_department = (number, names_at) in grid.values or (
            grid.covered.get((number, names_at)) == "above"
        )
        starts = left is not None and (number, left_at) not in grid.covered
        if starts and has_department and in_block and block_start and _continues_left(left):
            pieces[number] = block_start
            continue
        if starts:
            block_start = number if has_department else None
        in_block = has_department or grid.covered.get((number, left_at)) == "above"
    return pieces


def _join_left_pieces(grid: _Grid, notes) -> list[int]:
    """Left cells cut at a page break joined back into the cell they continue.

    Our own files name each piece in the hidden notes; in another file a
    piece is recognised by its 「（続き）」 heading (returned, to be reported).
    Either way the heading line is dropped and the lines after it are added
    to the block's left cell, whose rows then read as one merged block.
    """
    if notes:
        pieces = {
            first: int(payload[0])
            for (kind, first), (_last, payload) in notes.items()
            if kind == "cont" and payload and payload[0].isdigit()
        }
        guessed: list[int] = []
    else:
        pieces = _continued_pieces(grid)
        guessed = sorted(pieces)
    left_at = columns.index(columns.LEFT) + 1
    for number in sorted(pieces):
        runs = grid.values.pop((number, left_at), [])
        target = grid.values.setdefault((pieces[number], left_at), [])
        for line in _lines(runs)[1:]:
            if target:
                target.append(Run("\n"))
            target.extend(line)
        grid.covered[(number, left_at)] = "above"
    return guessed


def _rows(grid: _Grid, notes, edited: list[str]) -> Iterator[Row]:
    """Logical rows: an entry's continuation rows joined to it."""
    pending: Row | None = None
    pending_runs: list[Runs] = []
    pending_is_entry = False
    where = f"{grid.name} "

    logical = range(1, columns.width() + 1)
    names_at, texts = columns.index(columns.DEPARTMENTS), columns.text_indexes()
    for number in grid.rows:
        cells = [grid.values.get((number, c), []) for c in logical]
        cover = [grid.covered.get((number, c)) for c in logical]
        continues_entry = cover[names_at] == "above" and pending is not None and pending_is_entry
        if continues_entry:
            for column in texts:
                if cells[column]:
                    # Extended in place: copying the text so far for every
                    # continuation row made a long entry quadratic.
                    if pending_runs[column]:
                        pending_runs[column].append(Run("\n"))
                    pending_runs[column].extend(cells[column])
            continue
        if pending is not None:
            yield _complete(pending, pending_runs, notes, edited, where)
            pending = None
        if not any(cells) and cover[0] != "above":
            continue
        pending = Row(
            number=number,
            cells=columns.sized([]),
            left_continues=cover[0] == "above",
            where=where,
            # Our own title line (row 1) is never structure, whatever it says.
            preamble=(bool(notes) and number < FIRST_BODY_ROW - 2) or number < grid.header_row,
        )
        pending_runs = [list(c) for c in cells]
        pending_is_entry = bool(cells[names_at]) and not is_header_row(
            [richtext.paragraph(_plain(c)) for c in cells]
        )
    if pending is not None:
        yield _complete(pending, pending_runs, notes, edited, where)


def _complete(row: Row, runs: list[Runs], notes, edited: list[str], where: str) -> Row:
    blocks = [blocks_from_runs(r) for r in runs]
    row.cells = [richtext.serialise(b) for b in blocks]
    if not notes:
        return row
    left_note = notes.get(("left", row.number))
    if left_note and not row.left_continues:
        shape, noted = (left_note[1] + ["", ""])[:2]
        lines = _lines(runs[columns.index(columns.LEFT)])
        left = (
            left_from_shape(lines, shape)
            if fingerprint([_text(line) for line in lines]) == noted
            else None
        )
        if left is not None:
            row.left = left
        else:
            edited.append(f"{where}{row.number}行目の左欄")
    note = notes.get(("entry", row.number))
    if note:
        # A shape per text column, then the fingerprint of every line shown.
        texts = columns.text_indexes()
        *shapes, noted = (note[1] + [""] * (len(texts) + 1))[: len(texts) + 1]
        departments = _lines(runs[columns.index(columns.DEPARTMENTS)])
        shown = [*map(_text, departments)]
        rebuilt = []
        for at, shape in zip(texts, shapes, strict=True):
            lines = _lines(runs[at])
            shown += [SEPARATOR, *map(_text, lines)]
            rebuilt.append(blocks_from_shape(lines, shape))
        if fingerprint(shown) == noted and None not in rebuilt:
            for at, blocks in zip(texts, rebuilt, strict=True):
                row.cells[at] = richtext.serialise(blocks)
            row.departments = [_text(line) for line in departments]
        else:
            edited.append(f"{where}{row.number}行目")
    return row


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read an Excel file holding the report table (one sheet, or one per goal)."""
    path = Path(path)
    with quiet_openpyxl():
        book = open_workbook(path)
        try:
            return _read_book(book, actual_year)
        finally:
            book.close()


def _read_book(book: Book, actual_year: int | None) -> ImportResult:
    workbook = book.workbook
    notes = _data_notes(workbook)
    trusted = bool(notes)
    title = None
    if notes.get(("report", 0)):
        title = notes[("report", 0)][1][0] or None
    edited: list[str] = []
    # Our own sheet 「指標」 is the KPIs' table, read apart, never the report's table.
    kpi_sheet = trusted and kpisheet.SHEET_TITLE in workbook.sheetnames
    sheets = [
        s
        for s in workbook.worksheets
        if s.sheet_state == "visible" and not (kpi_sheet and s.title == kpisheet.SHEET_TITLE)
    ]

    unread: list[str] = []
    continued: list[str] = []
    hidden: list[str] = []

    def all_rows() -> Iterator[Row]:
        for sheet in sheets:
            grid = _grid(sheet, book.facts.get(sheet.title))
            unread.extend(text for text in grid.unread if text not in unread)
            where = f"シート「{sheet.title}」の" if len(sheets) > 1 else ""
            hidden.extend(f"{where}{note}" for note in grid.hidden)
            own = notes if sheet.title == SHEET_TITLE else {}
            continued.extend(f"{sheet.title} {n}行目" for n in _join_left_pieces(grid, own))
            yield from _rows(grid, own, edited)

    result = read_rows(all_rows(), trusted=trusted, title=title, actual_year=actual_year)
    if kpi_sheet:
        read, problems = kpireader.read_sheet(workbook[kpisheet.SHEET_TITLE], notes)
        where = f"シート「{kpisheet.SHEET_TITLE}」"
        result.warnings += problems + kpitable.attach(result.report, read, where)
    formulas = [
        f"{sheet.title} {cell}"
        for sheet in sheets
        for cell in book.facts.get(sheet.title, SheetFacts()).uncached_formulas
    ]
    if formulas:
        result.warnings.insert(
            0,
            ImportWarning(
                row=0,
                topic="formula",
                message=f"計算結果が保存されていない数式のセル({'、'.join(formulas[:5])}"
                f"{' ほか' if len(formulas) > 5 else ''})は空欄として読み込みました"
                "(数式そのものは取り込みません)。Excel で開いて保存し直すと値が読めます。",
            ),
        )
    if unread:
        result.warnings.insert(0, unread_columns_warning(unread))
    result.warnings[:0] = [ImportWarning(row=0, topic="hidden", message=note) for note in hidden]
    if continued:
        result.warnings.insert(
            0,
            ImportWarning(
                row=0,
                message=f"「（続き）」で始まる左欄({'、'.join(continued[:5])}"
                f"{' ほか' if len(continued) > 5 else ''})は、前の基本的方向の左欄の続きとして"
                "つなぎました。確認してください。",
            ),
        )
    if edited:
        result.warnings.insert(
            0,
            ImportWarning(
                row=0,
                topic="edited",
                message=f"Excel で書き換えられたセル({'、'.join(edited[:5])}"
                f"{' ほか' if len(edited) > 5 else ''})は、表示されている文字から読み込みました"
                "(段落と改行の区別は行ごとの段落になります)。",
            ),
        )
    return result
