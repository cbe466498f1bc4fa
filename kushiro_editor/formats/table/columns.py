"""The official table's columns, declared once for every reader and writer.

The table has four columns: the left column (goals, directions, measures,
【主な事業】), 所管部署, and the two years' texts under 「進捗報告」. Each is one
``Column`` here: its role, the words a heading of it uses (what the readers
accept), the heading the writers print (its fiscal year rendered from the
report's), its share of the table's width and what its cells hold. The Word,
Excel and PDF writers, the layout and every reader (Word, Excel, PDF, the
text form) take the columns from ``declared()``, so that a new column is a
declaration here plus what its cells hold.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from ...core import fiscal
from ...core.model import Entry, Report

logger = logging.getLogger(__name__)

LEFT, DEPARTMENTS, ACTUAL, PLAN = "left", "departments", "actual", "plan"

# What a column's cells hold.
STRUCTURE = "structure"  # the left column: measures and 【主な事業】 of a direction
NAMES = "names"  # the departments of an entry, one per paragraph
TEXT = "text"  # a rich text of an entry

# The upper header row's heading over the two year columns, and the words a
# hand-made table heads them with together.
PROGRESS = "進捗報告"
PROGRESS_WORDS = ("進捗報告", "進捗状況", "進捗")


@dataclass(frozen=True)
class Column:
    """One column of the official table."""

    role: str
    name: str  # how a message names the column: 「取組予定」の列が見つかりません
    # A short cell holding one of these words heads this column.
    words: tuple[str, ...]
    # The printed heading; {actual} and {plan} are the two fiscal years' short labels.
    heading: str
    share: float  # of the table's width (Word, PDF)
    excel_width: float  # in Excel's width units (about one half-width character)
    holds: str  # STRUCTURE, NAMES or TEXT
    group: str = ""  # the upper header row's heading over this column; "" spans both rows
    # Headings are matched in rank order, lowest first: 「取組実績」 is the
    # past year's column although 取組 names the plan's.
    rank: int = 0
    # A table without a required column is not a report table.
    required: bool = True
    # Texts that show a header row wherever the header's words are (the
    # printed heading's part that no department row reads so).
    marks: tuple[str, ...] = ()
    # TEXT columns: an entry's cell as canonical rich text, and the cell read
    # back into an entry (None: the column is printed, not read back).
    cell: Callable[[Entry], str] | None = None
    store: Callable[[Entry, str], None] | None = None

    def printed(self, report: Report) -> str:
        """The heading as the writers print it, with the report's fiscal years."""
        return self.heading.format(
            actual=fiscal.short_label(report.actual_year),
            plan=fiscal.short_label(report.plan_year),
        )

    def names_heading(self, text: str) -> bool:
        """True when ``text`` (folded) holds one of this column's heading words."""
        return any(word in text for word in self.words)


def _set_actual(entry: Entry, text: str) -> None:
    entry.actual = text


def _set_plan(entry: Entry, text: str) -> None:
    entry.plan = text


COLUMNS: tuple[Column, ...] = (
    Column(
        role=LEFT,
        name="基本目標・施策",
        words=("基本目標", "基本的方向", "施策"),
        heading="基本目標と基本的方向、具体的な施策",
        share=0.31,
        excel_width=46,
        holds=STRUCTURE,
        rank=2,
        marks=("基本目標と基本的方向",),
    ),
    Column(
        role=DEPARTMENTS,
        name="所管部署",
        # Not a bare 「…課」: that is a department's name (or 課題), not a heading.
        words=("所管", "部署", "担当", "部局"),
        heading="所管部署",
        # Only where the width comes from when nothing is measured:
        # ``layout.column_widths`` sizes it to the names.
        share=0.09,
        excel_width=13,
        holds=NAMES,
        rank=3,
    ),
    Column(
        role=ACTUAL,
        name="実績",
        words=("実績",),
        heading="{actual}(実績)",
        share=0.30,
        excel_width=44,
        holds=TEXT,
        group=PROGRESS,
        rank=0,
        marks=("(実績)",),
        cell=lambda entry: entry.actual,
        store=_set_actual,
    ),
    Column(
        role=PLAN,
        name="取組予定",
        words=("予定", "取組", "取り組み", "計画"),
        heading="{plan}(取組予定)",
        share=0.30,
        excel_width=44,
        holds=TEXT,
        group=PROGRESS,
        rank=1,
        marks=("(取組予定)",),
        cell=lambda entry: entry.plan,
        store=_set_plan,
    ),
)


def declared() -> tuple[Column, ...]:
    """The table's columns, left to right."""
    return COLUMNS


def roles() -> tuple[str, ...]:
    """The columns' roles, left to right."""
    return tuple(column.role for column in COLUMNS)


def index(role: str) -> int:
    """The position of the column with this role."""
    return roles().index(role)


def column(role: str) -> Column:
    """The column with this role."""
    return COLUMNS[index(role)]


def text_indexes() -> tuple[int, ...]:
    """Positions of the columns holding an entry's texts (実績, 取組予定, …)."""
    return tuple(i for i, c in enumerate(COLUMNS) if c.holds == TEXT)


def by_rank() -> tuple[Column, ...]:
    """The columns in the order their heading words are tried."""
    return tuple(sorted(COLUMNS, key=lambda c: c.rank))


def width() -> int:
    """How many columns the table has."""
    return len(COLUMNS)


def sized(cells: list[str]) -> list[str]:
    """``cells`` cut or padded with empty cells to the table's width."""
    count = len(COLUMNS)
    return [*cells[:count], *[""] * (count - len(cells))]


def header_cells(report: Report) -> list[HeaderCell]:
    """The two header rows' cells, left to right, with the headings printed.

    A column without a group spans both rows; the columns of one group share
    an upper cell with the group's heading and head the lower row each.
    """
    out: list[HeaderCell] = []
    start = 0
    while start < len(COLUMNS):
        group = COLUMNS[start].group
        if not group:
            out.append(HeaderCell(0, start, 1, 2, COLUMNS[start].printed(report)))
            start += 1
            continue
        end = start
        while end < len(COLUMNS) and COLUMNS[end].group == group:
            end += 1
        out.append(HeaderCell(0, start, end - start, 1, group))
        out.extend(HeaderCell(1, i, 1, 1, COLUMNS[i].printed(report)) for i in range(start, end))
        start = end
    return out


@dataclass(frozen=True)
class HeaderCell:
    """A cell of the header: its row (0 upper, 1 lower), first column, spans and text."""

    row: int
    column: int
    span: int  # columns
    rows: int  # 1, or 2 for a heading over both header rows
    text: str
