"""The KPI progress table every writer prints: one row per KPI under its goal, direction, measure.

The Word, Excel and PDF files show the same table after the text table: the
rows of every KPI in report order, grouped under full-width rows naming its
goal, direction or measure, with the columns 指標 / 単位 / 基準値 / 目標値 /
one per fiscal year any KPI has a value for / 達成率 / 評価 / 所管. The rate and
the rating come from ``core.kpi`` (computed, never typed; a hand-set rating
shows as 「B（手動）」) and every number through ``numbers.format_value``, so
that 12.30 keeps its places. A report without KPIs has no table (None), and its
files are written as before.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ...core import fiscal
from ...core.kpi import fields, progress, scales
from ...core.kpi.achievement import Rating, format_rate, rating
from ...core.kpi.numbers import format_value
from ...core.model import (
    Direction,
    Goal,
    ImportWarning,
    Kpi,
    Measure,
    Report,
    circled_value,
    kana_index,
    kana_label,
)

logger = logging.getLogger(__name__)

TITLE = "数値目標・重要業績評価指標（KPI）の進捗"
MISSING = "－"
# The columns' roles, in order; YEARS stands for one column per fiscal year.
NAME, UNIT, BASELINE, TARGET, YEARS, RATE, RATING, DEPARTMENTS = (
    "name",
    "unit",
    "baseline",
    "target",
    "years",
    "rate",
    "rating",
    "departments",
)
ROLES = (NAME, UNIT, BASELINE, TARGET, YEARS, RATE, RATING, DEPARTMENTS)
HEADINGS = {
    NAME: "指標",
    UNIT: "単位",
    BASELINE: "基準値",
    TARGET: "目標値",
    RATE: "達成率",
    RATING: "評価",
    DEPARTMENTS: "所管",
}
# Shares of a table's width (Word, PDF); the year columns share YEARS between them.
SHARES = {
    NAME: 0.21,
    UNIT: 0.06,
    BASELINE: 0.10,
    TARGET: 0.10,
    YEARS: 0.28,
    RATE: 0.07,
    RATING: 0.06,
    DEPARTMENTS: 0.12,
}
# A hand-set rating is printed as the rating's display says: 「B（手動）」.
MANUAL = "（手動）"

_GOAL = re.compile(r"^【基本目標(\d+)】")


@dataclass(frozen=True)
class Number:
    """A number as a cell prints it: the exact value, its text, and a note (速報値, H30年度)."""

    value: Decimal | None
    note: str = ""

    @property
    def text(self) -> str:
        """The value with its places, digits grouped (118,000); 「－」 when not known."""
        return format_value(self.value, missing=MISSING, grouping=True)

    @property
    def display(self) -> str:
        """The value and its note in parentheses, as Word and the PDF print it."""
        return f"{self.text}（{self.note}）" if self.note else self.text


@dataclass(frozen=True)
class Column:
    """One column of the table: its role, heading and (for a year column) its fiscal year."""

    role: str
    heading: str
    share: float
    year: int | None = None


@dataclass
class Row:
    """A heading row (goal, direction, measure) or a KPI's row."""

    level: str  # "goal", "direction", "measure" or "kpi"
    text: str = ""  # heading rows: the numbered heading
    kpi: Kpi | None = None
    baseline: Number = Number(None)
    target: Number = Number(None)
    values: list[Number] = field(default_factory=list)  # one per year column
    rate: Decimal | None = None
    rating: Rating | None = None

    @property
    def rate_text(self) -> str:
        """「85.3%」, or 「－」 when the rate cannot be computed."""
        return format_rate(self.rate, missing=MISSING)

    @property
    def rating_text(self) -> str:
        """The rating as printed: computed, or 「B（手動）」."""
        return self.rating.display if self.rating is not None else MISSING

    def cells(self) -> list[str]:
        """The row's texts, one per column (a heading row: its heading alone)."""
        if self.kpi is None:
            return [self.text]
        kpi = self.kpi
        return [
            kpi.name,
            kpi.unit,
            self.baseline.display,
            self.target.display,
            *(value.display for value in self.values),
            self.rate_text,
            self.rating_text,
            kpi.department_label,
        ]


@dataclass
class KpiTable:
    """The columns and rows of a report's KPI table, and the lines printed under it."""

    columns: list[Column]
    rows: list[Row]
    legend: list[str]

    @property
    def years(self) -> list[int]:
        """The fiscal years of the year columns."""
        return [c.year for c in self.columns if c.year is not None]

    @property
    def headings(self) -> list[str]:
        """The header row's texts."""
        return [c.heading for c in self.columns]

    def index(self, role: str) -> int:
        """The position of the first column with this role."""
        return next(i for i, c in enumerate(self.columns) if c.role == role)

    def kpi_rows(self) -> list[Row]:
        """The rows that hold a KPI."""
        return [row for row in self.rows if row.kpi is not None]


def year_heading(year: int) -> str:
    """A year column's heading, as the editor writes years: 「R3年度」, 「令和元年度」."""
    return fiscal.short_label(year)


def table_columns(years: list[int]) -> list[Column]:
    """The columns for these value years."""
    out = []
    for role in ROLES:
        if role == YEARS:
            share = SHARES[YEARS] / max(len(years), 1)
            out.extend(Column(YEARS, year_heading(y), share, y) for y in years)
        else:
            out.append(Column(role, HEADINGS[role], SHARES[role]))
    if not years:
        # No year columns: their share goes to the name.
        out[0] = replace(out[0], share=out[0].share + SHARES[YEARS])
    return out


def _year_note(year: int | None) -> str:
    return "" if year is None else fiscal.short_label(year)


def kpi_row(report: Report, kpi: Kpi, years: list[int]) -> Row:
    """A KPI's row: baseline and target with their years, a value per year, rate, rating."""
    values = []
    for year in years:
        item = kpi.value_of(year)
        values.append(Number(None) if item is None else Number(item.value, item.note))
    judged = rating(report, kpi)
    return Row(
        "kpi",
        kpi=kpi,
        baseline=Number(kpi.baseline, _year_note(kpi.baseline_year)),
        target=Number(kpi.target, _year_note(kpi.target_year)),
        values=values,
        rate=judged.rate,
        rating=judged,
    )


def _headings(report: Report) -> dict[int, str]:
    """The numbered heading of every goal, direction and measure (by id of the node)."""
    out: dict[int, str] = {}
    for goal_number, goal in enumerate(report.goals, start=1):
        out[id(goal)] = replace(goal, number=goal_number).heading
        for number, direction in enumerate(goal.directions, start=1):
            out[id(direction)] = replace(direction, number=number).heading
            for index, measure in enumerate(direction.measures):
                out[id(measure)] = replace(measure, label=kana_label(index)).heading
    return out


def legend(report: Report) -> list[str]:
    """How the rate and the rating were reached, printed under the table."""
    settings = report.kpi_settings
    year = fiscal.short_label(report.actual_year)
    lines = [f"達成率: {year}の{scales.RATE_MODES[settings.rate_mode]}"]
    lines.append("評価: " + "、".join(settings.scale.legend()) + f"。{MANUAL}は手動で評価したもの")
    return lines


def build(report: Report) -> KpiTable | None:
    """The report's KPI table; None for a report without KPIs."""
    if not fields.has_kpis(report):
        return None
    years = progress.value_years(report)
    headings = _headings(report)
    rows: list[Row] = []
    shown: set[int] = set()
    for goal, direction, owner in fields.owners(report):
        if not owner.kpis:
            continue
        path: list[tuple[str, object]] = [("goal", goal)]
        if direction is not None:
            path.append(("direction", direction))
        if isinstance(owner, Measure):
            path.append(("measure", owner))
        for level, node in path:
            if id(node) not in shown:
                shown.add(id(node))
                rows.append(Row(level, text=headings[id(node)]))
        rows.extend(kpi_row(report, kpi, years) for kpi in owner.kpis)
    return KpiTable(table_columns(years), rows, legend(report))


# -- reading back -------------------------------------------------------------------------
def starts_section(first_line: str) -> bool:
    """Whether a page or paragraph opening with this line is the KPI section (a reader of
    the text table stops there, so that the section is never taken for report rows)."""
    return "".join(first_line.split()).startswith("".join(TITLE.split()))


def heading_level(text: str) -> tuple[str, int] | None:
    """What a heading row names, by position: ("goal", 0) for 【基本目標1】, ("direction", 1)
    for ②, ("measure", 2) for ウ; None for a text that is no heading of this table."""
    text = text.strip()
    match = _GOAL.match(text)
    if match:
        return "goal", int(match[1]) - 1
    if not text:
        return None
    number = circled_value(text[0])
    if number is not None:
        return "direction", number - 1
    label = text.split(maxsplit=1)[0]
    index = kana_index(label)
    if index is not None and (len(text) == len(label) or text[len(label)].isspace()):
        return "measure", index
    return None


def header_roles(texts: list[str]) -> dict[int, tuple[str, int | None]] | None:
    """Column → (role, fiscal year of a year column) of a header row; None when the row is
    not this table's header (it must name at least 指標, 基準値 and 目標値)."""
    wanted = {heading: role for role, heading in HEADINGS.items()}
    found: dict[int, tuple[str, int | None]] = {}
    for index, text in enumerate(texts):
        text = text.strip()
        if text in wanted:
            found[index] = (wanted[text], None)
            continue
        try:
            found[index] = (YEARS, fiscal.parse_label(text, whole=True))
        except ValueError:
            continue
    roles = {role for role, _year in found.values()}
    return found if {NAME, BASELINE, TARGET} <= roles else None


@dataclass
class Placed:
    """A KPI read back and the positions of the goal, direction and measure it was under."""

    kpi: Kpi
    goal: int
    direction: int | None
    measure: int | None
    row: int  # where it was read, for a message


def attach(report: Report, read: list[Placed], where: str) -> list[ImportWarning]:
    """Put KPIs read back under the nodes they were written under; a warning for each
    whose node the report lacks (``where`` names the sheet or section in the message)."""
    warnings = []
    for item in read:
        owner = owner_at(report, item.goal, item.direction, item.measure)
        if owner is None:
            warnings.append(
                ImportWarning(
                    row=item.row,
                    topic="kpi",
                    message=f"{where}の{item.row}行目の指標「{item.kpi.name}」の見出しにあたる"
                    "基本目標・基本的方向・施策が表にないため、読み込んでいません。",
                )
            )
            continue
        owner.kpis.append(item.kpi)
    return warnings


def owner_at(report: Report, goal: int, direction: int | None, measure: int | None):
    """The goal, direction or measure at these positions; None when the report lacks it."""
    if not 0 <= goal < len(report.goals):
        return None
    node: Goal | Direction | Measure = report.goals[goal]
    if direction is None:
        return node
    if not 0 <= direction < len(node.directions):
        return None
    node = node.directions[direction]
    if measure is None:
        return node
    return node.measures[measure] if 0 <= measure < len(node.measures) else None
