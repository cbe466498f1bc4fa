"""The report as a plain tree: report → goals → directions → measures, projects, entries.

Numbers (基本目標1, ①) and labels (ア, イ) are positions, not text: titles are
stored without them and :func:`Report.renumber` derives them, so that moving a
node renumbers everything after it. Every node has a stable id.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .kpi.scales import KpiSettings

logger = logging.getLogger(__name__)

# 具体的な施策 are labelled in gojūon order, as the city's documents do.
KANA_LABELS = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"

RELISTED_MARK = "【再掲】"
MAIN_PROJECTS_HEADING = "【主な事業】"

# Review state of one text (実績 or 予定) of an entry.
STATE_NONE = ""  # written or edited in this report
STATE_CARRIED = "carried"  # 前年度から引継ぎ・未確認
STATE_CONFIRMED = "confirmed"  # carried over, then confirmed as it is

# The two texts of an entry, as the report heads them.
TEXT_LABELS = {"actual": "実績", "plan": "取組予定"}

# Department names typed in one cell are separated by 、 , or spaces.
_SEPARATORS = re.compile(r"[、,，\s\u3000]+")


def new_id() -> str:
    """A new stable node id."""
    return uuid.uuid4().hex


def circled(number: int) -> str:
    """① for 1 … ㊿ for 50; beyond that, the number in parentheses."""
    if 1 <= number <= len(_CIRCLED):
        return _CIRCLED[number - 1]
    return f"({number})"


def circled_value(char: str) -> int | None:
    """The number of a circled digit, or None."""
    index = _CIRCLED.find(char)
    return index + 1 if index >= 0 else None


def kana_label(index: int) -> str:
    """ア for 0, イ for 1, …; past ン, ア2 and so on."""
    if index < len(KANA_LABELS):
        return KANA_LABELS[index]
    return f"{KANA_LABELS[index % len(KANA_LABELS)]}{index // len(KANA_LABELS) + 1}"


def kana_index(label: str) -> int | None:
    """The position of a kana label, or None."""
    index = KANA_LABELS.find(label) if len(label) == 1 else -1
    return index if index >= 0 else None


# Which way a KPI gets better.
HIGHER = "higher"
LOWER = "lower"
BETTER_LABELS = {HIGHER: "高いほどよい", LOWER: "低いほどよい"}


def _exact(value: Decimal | None) -> str | None:
    # Decimal's own == says 12.3 == 12.30; a KPI's value keeps the places it was given.
    return None if value is None else str(value)


@dataclass(frozen=True, eq=False)
class KpiValue:
    """A KPI's value of one fiscal year: None until it is known (never zero), and a note."""

    year: int
    value: Decimal | None = None
    note: str = ""  # 速報値, 見込み …

    def _key(self) -> tuple[object, ...]:
        return (self.year, _exact(self.value), self.note)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KpiValue) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(frozen=True, eq=False)
class KpiTarget:
    """A target set for one fiscal year on the way to the final target (the target path)."""

    year: int
    value: Decimal

    def _key(self) -> tuple[object, ...]:
        return (self.year, _exact(self.value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KpiTarget) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())


@dataclass(eq=False)
class Kpi:
    """A 数値目標 or KPI of a goal, a direction or a measure, with its values by fiscal year.

    Numbers are exact decimals or None (not known yet); ``values`` and
    ``yearly_targets`` are ordered by year, one item per year. ``override`` is a
    rating set by hand for the report's year, ``override_reason`` why.
    """

    name: str
    unit: str = ""
    departments: list[str] = field(default_factory=list)
    better: str = HIGHER
    baseline: Decimal | None = None
    baseline_year: int | None = None
    target: Decimal | None = None
    target_year: int | None = None
    yearly_targets: tuple[KpiTarget, ...] = ()
    values: tuple[KpiValue, ...] = ()
    comment: str = ""
    override: str = ""
    override_reason: str = ""
    id: str = field(default_factory=new_id)

    def _key(self) -> tuple[object, ...]:
        return (
            self.name,
            self.unit,
            list(self.departments),
            self.better,
            _exact(self.baseline),
            self.baseline_year,
            _exact(self.target),
            self.target_year,
            self.yearly_targets,
            self.values,
            self.comment,
            self.override,
            self.override_reason,
            self.id,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Kpi) and self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the other nodes

    def value_of(self, year: int) -> KpiValue | None:
        """The value kept for a fiscal year (None when the year has no entry at all)."""
        return next((item for item in self.values if item.year == year), None)

    def target_of(self, year: int) -> KpiTarget | None:
        """The target set for that fiscal year on the target path, if any."""
        return next((item for item in self.yearly_targets if item.year == year), None)

    @property
    def department_label(self) -> str:
        """The departments as printed in a 所管 cell."""
        return " ".join(self.departments)


@dataclass
class Measure:
    """具体的な施策: label (ア…), title, and a rich-text body."""

    title: str
    body: str = ""
    label: str = ""
    id: str = field(default_factory=new_id)
    kpis: list[Kpi] = field(default_factory=list)

    @property
    def heading(self) -> str:
        """「ア 持続的成長を目指した水産業の振興」."""
        return f"{self.label} {self.title}"


@dataclass
class MainProject:
    """One line of 【主な事業】; ``relisted`` prints 【再掲】 after the name."""

    name: str
    relisted: bool = False
    id: str = field(default_factory=new_id)

    @property
    def display(self) -> str:
        """The name as printed."""
        return f"{self.name}{RELISTED_MARK}" if self.relisted else self.name


@dataclass
class Entry:
    """One department row: the department(s), 実績 and 取組予定 (rich text)."""

    departments: list[str]
    actual: str = ""
    plan: str = ""
    id: str = field(default_factory=new_id)
    actual_state: str = STATE_NONE
    plan_state: str = STATE_NONE
    # Last year's texts of the entry this one was carried over from.
    previous_actual: str | None = None
    previous_plan: str | None = None
    # Set when a department's answer to an inquiry was merged in.
    answered_by: str = ""
    answered_at: str = ""

    @property
    def department_label(self) -> str:
        """The departments as printed in the 所管部署 cell."""
        return " ".join(self.departments)


def parse_departments(text: str) -> list[str]:
    """「観光振興室、阿寒観光振興課」 → both names."""
    return [name for name in _SEPARATORS.split(text.strip()) if name]


@dataclass
class Direction:
    """基本的方向 (①…) with its measures, main projects and department entries."""

    title: str
    measures: list[Measure] = field(default_factory=list)
    main_projects: list[MainProject] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    number: int = 0
    id: str = field(default_factory=new_id)
    kpis: list[Kpi] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The circled number as printed."""
        return circled(self.number)

    @property
    def heading(self) -> str:
        """「① 釧路らしさを生み出す農林水産業の成長産業化」."""
        return f"{self.label} {self.title}"


@dataclass
class Goal:
    """基本目標N with its directions."""

    title: str
    directions: list[Direction] = field(default_factory=list)
    number: int = 0
    id: str = field(default_factory=new_id)
    kpis: list[Kpi] = field(default_factory=list)  # 数値目標

    @property
    def label(self) -> str:
        """【基本目標N】 as printed."""
        return f"【基本目標{self.number}】"

    @property
    def heading(self) -> str:
        """「【基本目標1】地域の魅力を生かして…」."""
        return f"{self.label}{self.title}"


@dataclass
class Report:
    """One year's progress report; ``actual_year`` is the fiscal year of 実績."""

    title: str
    actual_year: int
    goals: list[Goal] = field(default_factory=list)
    id: str = field(default_factory=new_id)
    # How this report computes its KPIs' achievement and rates them.
    kpi_settings: KpiSettings = field(default_factory=KpiSettings)

    @property
    def plan_year(self) -> int:
        """The fiscal year of the 取組予定 column."""
        return self.actual_year + 1

    def renumber(self) -> None:
        """Derive numbers and labels from positions."""
        for goal_index, goal in enumerate(self.goals):
            goal.number = goal_index + 1
            for direction_index, direction in enumerate(goal.directions):
                direction.number = direction_index + 1
                for measure_index, measure in enumerate(direction.measures):
                    measure.label = kana_label(measure_index)

    def directions(self) -> Iterator[tuple[Goal, Direction]]:
        """Every direction with its goal, in order."""
        for goal in self.goals:
            for direction in goal.directions:
                yield goal, direction

    def entries(self) -> Iterator[tuple[Goal, Direction, Entry]]:
        """Every entry with its goal and direction, in order."""
        for goal, direction in self.directions():
            for entry in direction.entries:
                yield goal, direction, entry

    def departments(self) -> list[str]:
        """Every department named in the report, in order of first appearance."""
        seen: dict[str, None] = {}
        for _goal, _direction, entry in self.entries():
            for name in entry.departments:
                seen.setdefault(name, None)
        return list(seen)

    def find_node(self, node_id: str) -> object | None:
        """The goal, direction, measure, project, entry or KPI with this id."""
        for goal in self.goals:
            if goal.id == node_id:
                return goal
            for kpi in goal.kpis:
                if kpi.id == node_id:
                    return kpi
            for direction in goal.directions:
                if direction.id == node_id:
                    return direction
                for item in _below(direction):
                    if item.id == node_id:
                        return item
        return None

    def all_ids(self) -> Iterator[str]:
        """Every node id of the report (KPIs too), the report's own first."""
        yield self.id
        for goal in self.goals:
            yield goal.id
            yield from (kpi.id for kpi in goal.kpis)
            for direction in goal.directions:
                yield direction.id
                yield from (item.id for item in _below(direction))


def _below(direction: Direction) -> Iterator[object]:
    """The nodes under a direction with the KPIs of it and of its measures."""
    yield from direction.kpis
    for measure in direction.measures:
        yield measure
        yield from measure.kpis
    yield from (*direction.main_projects, *direction.entries)


def place(goal: Goal, direction: Direction | None = None, node: object = None) -> str:
    """Where a node is, as a reader names it: 【基本目標1】① 農林課, 【基本目標1】① ア, 主な事業."""
    if direction is None:
        return goal.label
    where = f"{goal.label}{direction.label}"
    if isinstance(node, Measure):
        return f"{where} {node.label}"
    if isinstance(node, MainProject):
        return f"{where} 主な事業"
    if isinstance(node, Entry):
        return f"{where} {node.department_label or '(部署なし)'}"
    return where


def place_in(report: Report, node: object) -> str:
    """Where a node is in a report (by identity); empty for a node not in it."""
    for goal in report.goals:
        if node is goal:
            return place(goal)
        for direction in goal.directions:
            if node is direction:
                return place(goal, direction)
            for item in (*direction.measures, *direction.main_projects, *direction.entries):
                if item is node:
                    return place(goal, direction, node)
    return ""


@dataclass(frozen=True)
class ImportWarning:
    """Something an importer had to guess; ``node_id`` names the entry to check."""

    row: int
    message: str
    node_id: str = ""
    # What was guessed or left out (guess, column, department, joined, …);
    # the store keeps it in import_warning.kind and JSON under "kind".
    topic: str = "guess"

    def __str__(self) -> str:
        where = f"{self.row}行目: " if self.row else ""
        return f"{where}{self.message}"


@dataclass
class ImportResult:
    """A report read from a file, with what had to be guessed on the way."""

    report: Report
    warnings: list[ImportWarning] = field(default_factory=list)


class ReportError(Exception):
    """A file or input that cannot become a report; the message is for the user."""
