"""Excel (.xlsx): reading report tables, ours and hand-made ones.

A sheet this editor wrote carries, on its very hidden sheet, each cell's shape
and a fingerprint of its lines (see ``xlsx_writer``): a cell whose lines still
match is read exactly; one edited in Excel is read from what it shows. Other
sheets in the same layout (one sheet, or one per goal) go through the shared
table reader's guesses.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core import richtext
from ..core.model import ImportResult, ImportWarning, Measure
from ..core.richtext import Block, Run
from .tablecells import LeftCell, project_item
from .tablereader import Row, is_header_row, read_rows
from .xlsx_cells import blocks_from_runs, cell_runs, open_workbook
from .xlsx_writer import (
    DATA_SHEET,
    DATA_VERSION,
    FIRST_BODY_ROW,
    MARKER,
    SEPARATOR,
    SHEET_TITLE,
    fingerprint,
)

logger = logging.getLogger(__name__)


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
            runs = cell_runs(cell.value)
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
    blocks = [blocks_from_runs(r) for r in runs]
    row.cells = [richtext.serialise(b) for b in blocks]
    if not notes:
        return row
    left_note = notes.get(("left", row.number))
    if left_note and not row.left_continues:
        shape, noted = (left_note[1] + ["", ""])[:2]
        lines = _lines(runs[0])
        left = (
            _left_from_shape(lines, shape)
            if fingerprint([_text(line) for line in lines]) == noted
            else None
        )
        if left is not None:
            row.left = left
        else:
            edited.append(f"{where}{row.number}行目の左欄")
    note = notes.get(("entry", row.number))
    if note:
        actual_shape, plan_shape, noted = (note[1] + ["", "", ""])[:3]
        departments, actual, plan = (_lines(runs[1]), _lines(runs[2]), _lines(runs[3]))
        shown = [
            *map(_text, departments),
            SEPARATOR,
            *map(_text, actual),
            SEPARATOR,
            *map(_text, plan),
        ]
        rebuilt = [_blocks_from_shape(actual, actual_shape), _blocks_from_shape(plan, plan_shape)]
        if fingerprint(shown) == noted and None not in rebuilt:
            row.cells[2], row.cells[3] = (richtext.serialise(b) for b in rebuilt)
            row.departments = [_text(line) for line in departments]
        else:
            edited.append(f"{where}{row.number}行目")
    return row


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
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
