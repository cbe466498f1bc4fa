"""Hidden rows and columns: a sheet read as the clerk sees it, and what was hidden named.

A clerk keeps last year's columns beside this year's and hides them, and
hides the row of a department that no longer reports. Neither is the
report: hidden cells are set aside while the sheet is read, and the import
names the hidden columns and table rows that held something. A merged cell
begun in a hidden row or column still shows where its range does, and is
read there.
"""

from __future__ import annotations

import logging

from ...core import richtext
from ...core.richtext import Run
from ..table import columns
from ..table.reader import is_header_row
from .cells import MAX_COLUMN, SheetFacts

logger = logging.getLogger(__name__)

Runs = list[Run]
MAX_ROW_NOTES = 20  # hidden rows named one by one; the others counted


def _plain(runs: Runs) -> str:
    return "".join(r.text for r in runs).replace("\r\n", "\n").replace("\r", "\n").strip()


class HiddenCells:
    """One sheet's shown columns, and the cells it hides, set aside to be named."""

    def __init__(self, facts: SheetFacts, first: int, last: int | None, width: int) -> None:
        self.facts = facts
        # The first ``width`` columns from ``first`` the clerk has not hidden.
        self.shown: list[int] = []
        column = facts.next_shown(first)
        while len(self.shown) < width and column <= (last or MAX_COLUMN):
            self.shown.append(column)
            column = facts.next_shown(column + 1)
        self.position = {column: index for index, column in enumerate(self.shown)}
        self.anchors: dict[tuple[int, int], list[tuple[int, int, int, int]]] = {}
        for merge in facts.merges:
            self.anchors.setdefault(merge[:2], []).append(merge)
        self.rows: dict[int, dict[int, Runs]] = {}  # hidden row → its cells by position
        self.columns: dict[int, dict[int, Runs]] = {}  # hidden column → its cells by row

    @property
    def last(self) -> int | None:
        """The last column to read, if any is shown."""
        return self.shown[-1] if self.shown else None

    def _shows_elsewhere(self, row: int, column: int) -> bool:
        """Whether ``(row, column)`` begins a merged range that shows outside what is hidden."""
        hidden_rows = self.facts.hidden_rows
        for min_row, min_col, max_row, max_col in self.anchors.get((row, column), ()):
            # More rows than are hidden: one of them shows (a range may claim the whole sheet).
            rows_shown = max_row - min_row >= len(hidden_rows) or any(
                number not in hidden_rows for number in range(min_row, max_row + 1)
            )
            if rows_shown and self.facts.next_shown(min_col) <= max_col:
                return True
        return False

    def place(self, row: int, column: int, runs: Runs, cells: dict[int, Runs]) -> None:
        """Put a cell's runs where the sheet shows them (``cells``, by position), or aside."""
        row_hidden = row in self.facts.hidden_rows
        if not row_hidden and column in self.position:
            cells[self.position[column]] = runs
        elif self._shows_elsewhere(row, column) and not row_hidden:
            at = self.position.get(self.facts.next_shown(column))
            if at is not None:
                cells.setdefault(at, runs)
        elif self._shows_elsewhere(row, column) and column in self.position:
            # The row is kept for this cell alone: the rows below show it.
            cells[self.position[column]] = runs
        elif row_hidden:
            self.rows.setdefault(row, {})[self.position.get(column, -column)] = runs
        else:
            self.columns.setdefault(column, {})[row] = runs

    def notes(self, header_rows: list[int], offsets: list[int | None]) -> list[str]:
        """What was hidden and held something, in words, columns first."""
        return [*self._column_notes(header_rows), *self._row_notes(header_rows, offsets)]

    def _column_notes(self, header_rows: list[int]) -> list[str]:
        """「非表示の列 D: R1年度(実績) は読み込んでいません。」 for each column holding text."""
        from openpyxl.utils.cell import get_column_letter

        top = header_rows[0] if header_rows else 0
        notes = []
        for column, cells in sorted(self.columns.items()):
            if not any(number >= top for number in cells):
                continue  # beside the title only
            headings = [_plain(cells[number]) for number in header_rows if number in cells]
            heading = next((text for text in reversed(headings) if text), "")
            letter = get_column_letter(column)
            named = f"{letter}: {heading} " if heading else f"{letter} "
            notes.append(f"非表示の列 {named}は読み込んでいません。")
        return notes

    def _row_notes(self, header_rows: list[int], offsets: list[int | None]) -> list[str]:
        """「非表示の行 12(観光振興課)は読み込んでいません。」 for each hidden row of the table."""
        top = header_rows[-1] if header_rows else 0
        names_at = offsets[columns.index(columns.DEPARTMENTS)]
        notes = []
        for number, cells in sorted(self.rows.items()):
            if number <= top:
                continue  # a title or the header: nothing of the report
            logical = [_plain(cells.get(at, [])) if at is not None else "" for at in offsets]
            if is_header_row([richtext.paragraph(text) for text in logical]):
                continue  # the header typed again at a page break
            department = _plain(cells.get(names_at, [])) if names_at is not None else ""
            texts = [department, *logical, *map(_plain, cells.values())]
            line = next((text for text in texts if text), "").split("\n")[0]
            notes.append(f"非表示の行 {number}({line if len(line) <= 20 else line[:20] + '…'})")
        if len(notes) > MAX_ROW_NOTES:
            rest = len(notes) - MAX_ROW_NOTES
            notes = [*notes[:MAX_ROW_NOTES], f"ほかの非表示の行 {rest} 行"]
        return [f"{note}は読み込んでいません。" for note in notes]
