"""The official layout, walked once for every writer.

Both the Word and the Excel writer draw the same table: a title, two header
rows, a full-width row per goal and per direction, then one row per
department entry with the left column merged down the direction's block.
This module turns a report into that sequence of rows (with the left
column's measures and 【主な事業】 as rich-text blocks) and estimates how many
lines a text takes in a column, from East-Asian character widths.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ...core import fiscal, richtext
from ...core.model import MAIN_PROJECTS_HEADING, Direction, Entry, Goal, Report, kana_label
from ...core.richtext import Block, Run
from . import columns
from .columns import HeaderCell

logger = logging.getLogger(__name__)

# The headings, widths and contents of the columns are declared in ``columns``.
# The default size of the exported table. The original fills 16 A4 landscape
# pages with this table at about 9-10 pt: at 9.5 pt the sample takes 17 (at
# 10 pt, 19).
DEFAULT_SIZE = 9.5
# Space above a paragraph of a 実績/予定 cell, as a share of the size: a little
# more between paragraphs than between 「・」 items, and a hair above a line that
# a line break starts. The Word and PDF files both keep them, so that a printed
# copy read back tells a paragraph, an item and a line break from a line that
# wrapped (pdf_cells.GAP_KINDS reads them).
GAPS = {"break": 0.1, "item": 0.2, "para": 0.3}
# A department name up to this many half-width units (seven kanji, as
# 市民協働推進課) stays on one line; longer names wrap.
DEPARTMENT_HALF_WIDTHS = 14
# Who publishes the exported documents: their author in the PDF's and the Word
# file's properties, which the city's website and a screen reader show.
DEFAULT_AUTHOR = "釧路市"


@dataclass(frozen=True)
class ExportOptions:
    """What the user may change about the exported documents."""

    font: str = "ＭＳ 明朝"
    heading_font: str = "ＭＳ ゴシック"
    size: float = DEFAULT_SIZE
    author: str = DEFAULT_AUTHOR


@dataclass(frozen=True)
class Headings:
    """The title line and the cells of the two header rows."""

    title: str
    cells: list[HeaderCell]

    def of(self, role: str) -> str:
        """The printed heading of the column with this role."""
        at = columns.index(role)
        return next(c.text for c in self.cells if c.column == at and (c.span == 1))

    @property
    def left(self) -> str:
        """The left column's heading."""
        return self.of(columns.LEFT)

    @property
    def department(self) -> str:
        """The 所管部署 heading."""
        return self.of(columns.DEPARTMENTS)

    @property
    def progress(self) -> str:
        """The heading over the two year columns."""
        return columns.PROGRESS

    @property
    def actual(self) -> str:
        """The 実績 heading, with its fiscal year."""
        return self.of(columns.ACTUAL)

    @property
    def plan(self) -> str:
        """The 取組予定 heading, with its fiscal year."""
        return self.of(columns.PLAN)


def headings(report: Report) -> Headings:
    """Every heading, with the year labels taken from the report's years."""
    actual, plan = report.actual_year, report.plan_year
    title = f"{report.title}（{fiscal.long_label(actual)}実績・{fiscal.long_label(plan)}取組予定）"
    return Headings(title=title, cells=columns.header_cells(report))


# -- the left column ----------------------------------------------------------
@dataclass(frozen=True)
class LeftBlock:
    """A paragraph of the left column, with the part of the structure it shows."""

    role: str  # "measure", "body", "projects", "project"
    block: Block


def left_blocks(direction: Direction) -> list[LeftBlock]:
    """The left column of a direction's block: measures, then 【主な事業】."""
    out: list[LeftBlock] = []
    for number, measure in enumerate(direction.measures):
        # The label from the position, as ``Report.renumber`` gives it: a
        # writer never renumbers the report it was handed.
        label = kana_label(number)
        heading = f"{label} {measure.title}" if measure.title else label
        out.append(LeftBlock("measure", Block("p", (Run(heading, True),))))
        out.extend(LeftBlock("body", block) for block in richtext.parse(measure.body))
    if direction.main_projects:
        out.append(LeftBlock("projects", Block("p", (Run(MAIN_PROJECTS_HEADING),))))
        out.extend(
            LeftBlock("project", Block("li", (Run(f"・{p.display}"),)))
            for p in direction.main_projects
        )
    return out


def broken_lines(runs: tuple[Run, ...]) -> list[tuple[Run, ...]]:
    """A block's runs cut at its line breaks: one tuple of runs per line (empty ones too)."""
    lines: list[list[Run]] = [[]]
    for run in runs:
        for number, piece in enumerate(run.text.split("\n")):
            if number:
                lines.append([])
            if piece:
                lines[-1].append(Run(piece, run.bold))
    return [tuple(line) for line in lines]


def department_half_widths(report: Report) -> int:
    """Half-width units the 所管部署 column needs: its widest name, up to seven kanji."""
    widest = max(
        (
            text_width(name)
            for goal in report.goals
            for direction in goal.directions
            for entry in direction.entries
            for name in entry.departments
        ),
        default=0,
    )
    heading = columns.column(columns.DEPARTMENTS).heading
    return max(min(widest, DEPARTMENT_HALF_WIDTHS), text_width(heading))


def column_widths(report: Report, total: float, size: float, padding: float) -> list[float]:
    """Widths in points of the columns of a table ``total`` points wide, from their shares.

    ``padding`` is a cell's left plus right margin. The department column is
    as wide as its names need at ``size`` points (plus a point of slack, as a
    renderer's line may be a hair narrower); the left column gives up the
    difference from its share.
    """
    widths = [total * column.share for column in columns.declared()]
    left, department = columns.index(columns.LEFT), columns.index(columns.DEPARTMENTS)
    need = department_half_widths(report) * size / 2 + 1 + padding
    widths[left] -= need - widths[department]
    widths[department] = need
    return widths


# -- rows -------------------------------------------------------------------------
@dataclass
class TableRow:
    """One row of the table below the header."""

    level: str  # "goal", "direction", "entry"
    text: str = ""  # goal and direction rows
    node: Goal | Direction | Entry | None = None
    direction: Direction | None = None
    first_of_block: bool = False  # entry rows: the left cell starts here
    block_size: int = 1  # entry rows: how many rows the left cell spans
    left: list[LeftBlock] = field(default_factory=list)
    direction_heading: str = ""  # entry rows: their direction's heading, numbered
    departments: list[str] = field(default_factory=list)
    # Entry rows: the blocks of each column holding a text (columns.TEXT), by role.
    texts: dict[str, tuple[Block, ...]] = field(default_factory=dict)

    def blocks(self, role: str) -> tuple[Block, ...]:
        """The blocks of the text column with this role (none in a row without entry)."""
        return self.texts.get(role, ())

    @property
    def actual(self) -> tuple[Block, ...]:
        """The 実績 text's blocks."""
        return self.blocks(columns.ACTUAL)

    @property
    def plan(self) -> tuple[Block, ...]:
        """The 取組予定 text's blocks."""
        return self.blocks(columns.PLAN)


def rows(report: Report) -> Iterator[TableRow]:
    """Every row below the header, in order.

    A direction without entries still gets one row, so that its measures
    and projects are printed. Numbers and labels come from positions, as
    ``Report.renumber`` gives them, without changing the report.
    """
    texts = [c for c in columns.declared() if c.holds == columns.TEXT and c.cell is not None]
    for goal_number, goal in enumerate(report.goals, start=1):
        yield TableRow("goal", text=replace(goal, number=goal_number).heading, node=goal)
        for number, direction in enumerate(goal.directions, start=1):
            heading = replace(direction, number=number).heading
            yield TableRow("direction", text=heading, node=direction)
            entries = direction.entries or [None]
            left = left_blocks(direction)
            for index, entry in enumerate(entries):
                yield TableRow(
                    "entry",
                    direction_heading=heading,
                    node=entry,
                    direction=direction,
                    first_of_block=index == 0,
                    block_size=len(entries),
                    left=left if index == 0 else [],
                    departments=list(entry.departments) if entry else [],
                    texts={c.role: richtext.parse(c.cell(entry)) for c in texts} if entry else {},
                )


# -- measuring -----------------------------------------------------------------------
@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    # Ambiguous-width characters (①, ・, ○, ※) are full width in Japanese fonts.
    return 2 if unicodedata.east_asian_width(char) in "WFA" else 1


# The blocks where nearly every character of these reports lies (kana, kanji,
# full-width forms), all of them East-Asian wide.  Anything else that is not
# ASCII is looked up one character at a time: a class of every wide character
# took longer to build than the rest of the editor's start.
_COMMON_WIDE = re.compile(
    "[\u2e5e-\u303e\u3040-\u4dbf\u4e00-\ua4cf\uabfa-\ud7af\ue000-\ufaff"
    "\uff01-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]+"
)


def text_width(text: str) -> int:
    """Width in half-width units (a kanji counts 2, an ASCII letter 1)."""
    if text.isascii():
        return len(text)
    rest = _COMMON_WIDE.sub("", text)
    width = len(text) + (len(text) - len(rest))
    if not rest.isascii():
        width += sum(_char_width(char) - 1 for char in rest if char >= "\x80")
    return width


def count_lines(
    blocks: tuple[Block, ...] | list[Block],
    half_widths_per_line: float,
    indent_half_widths: int = 2,
) -> int:
    """Lines the blocks take when wrapped at ``half_widths_per_line``.

    List items wrap with a hanging indent of one full-width character.
    """
    capacity = max(half_widths_per_line, 4)
    return max(sum(_block_lines(b, capacity, indent_half_widths) for b in blocks), 1)


@lru_cache(maxsize=65536)
def _block_lines(block: Block, capacity: float, indent_half_widths: int) -> int:
    # Cached: an export counts each block twice (to cut rows, then to size them).
    lines = 0
    for line in block.text.split("\n"):
        width = text_width(line)
        if block.tag == "li" and width > capacity:
            lines += 1 + math.ceil((width - capacity) / max(capacity - indent_half_widths, 2))
        else:
            lines += max(1, math.ceil(width / capacity))
    return lines


def _wrap_points(text: str, capacity: float) -> list[int]:
    """Indexes where a line of ``text`` wraps at ``capacity`` half-widths."""
    points, width = [], 0
    for index, char in enumerate(text):
        char_width = _char_width(char)
        if width + char_width > capacity and width:
            points.append(index)
            width = 0
        width += char_width
    return points


@dataclass
class Piece:
    """A part of a text that fits one spreadsheet row.

    ``join`` says how its first block continues the previous piece: "new" (a
    block of its own), "br" (after a line break of the same block) or "line"
    (the same line, cut where it wrapped).
    """

    blocks: list[Block]
    join: str = "new"


def split_blocks(blocks: tuple[Block, ...], capacity: float, max_lines: int) -> list[Piece]:
    """Cut blocks into pieces of at most ``max_lines`` wrapped lines each.

    Used where a medium limits a row's height (Excel: 409 points): a
    paragraph longer than a piece is cut at a wrapped line's end.
    """
    pieces: list[Piece] = [Piece([])]
    used = 0
    for block in blocks:
        need = count_lines((block,), capacity)
        if used + need <= max_lines:
            pieces[-1].blocks.append(block)
            used += need
            continue
        if need <= max_lines:
            pieces.append(Piece([block]))
            used = need
            continue
        # One paragraph taller than a piece: cut it between wrapped lines.
        text = block.text
        cuts, lines = [], 0
        for line_start, line in _line_spans(text):
            wraps = [0, *_wrap_points(line, capacity)]
            for wrap in wraps:
                if lines and lines % max_lines == 0 and (line_start + wrap) not in cuts:
                    cuts.append(line_start + wrap)
                lines += 1
        bounds = [0, *cuts, len(text)]
        for index, (start, end) in enumerate(itertools.pairwise(bounds)):
            # A cut at the start of a line falls just after a line break: that
            # break becomes the boundary between the two pieces.
            after_break = index > 0 and text[start - 1] == "\n"
            if end < len(text) and text[end - 1] == "\n":
                end -= 1
            runs = richtext.slice_runs(block.runs, start, end)
            join = "new" if index == 0 else ("br" if after_break else "line")
            if index == 0 and pieces[-1].blocks:
                pieces.append(Piece([]))
            if index:
                pieces.append(Piece([], join))
            pieces[-1].blocks.append(Block(block.tag, runs))
        used = count_lines(tuple(pieces[-1].blocks), capacity)
    return [piece for piece in pieces if piece.blocks] or [Piece([])]


def _line_spans(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1
