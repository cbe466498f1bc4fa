"""One description of a KPI's values, and where a KPI stands in the report.

The store (its columns, loading, inserting, updating), the checks at the door,
the JSON file and the new year read :data:`FIELDS` instead of naming values,
so that a new value of a KPI is one :class:`KpiField` here and one attribute of
:class:`~kushiro_editor.core.model.Kpi`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .. import validate
from ..model import (
    BETTER_LABELS,
    HIGHER,
    Direction,
    Goal,
    Kpi,
    KpiTarget,
    KpiValue,
    Measure,
    Report,
    ReportError,
    place,
)
from .numbers import is_exact_number

logger = logging.getLogger(__name__)

KIND = "kpi"  # as the store and the edit path name the kind
LABEL = "指標"
HOLDER = "kpis"  # the list of the goal, direction or measure holding its KPIs
# The node a KPI belongs to, and the store's column naming it.
OWNER_COLUMNS: dict[type, str] = {Goal: "goal_id", Direction: "direction_id", Measure: "measure_id"}
OWNER_TABLES = {"goal_id": "goal", "direction_id": "direction", "measure_id": "measure"}

# What a value holds, which decides how it is stored and checked.
TEXT = "text"
NAMES = "names"  # a list of department names (a JSON array in the store)
NUMBER = "number"  # an exact decimal or None (decimal text in the store, NULL for none)
YEAR = "year"  # a fiscal year or None
BETTER = "better"  # HIGHER or LOWER
VALUES = "values"  # the values by year (a table of their own)
TARGETS = "targets"  # the yearly targets (a table of their own)
IN_ROW = (TEXT, NAMES, NUMBER, YEAR, BETTER)  # kept in the KPI's own row


@dataclass(frozen=True)
class KpiField:
    """One value of a KPI."""

    name: str
    label: str  # as the office names it
    type: str = TEXT
    default: object = ""
    carries: bool = True  # copied into the new year's KPI

    @property
    def column(self) -> str:
        """The column's declaration in the kpi table."""
        if self.type in (NUMBER, YEAR):
            return f"{self.name} {'TEXT' if self.type == NUMBER else 'INTEGER'}"
        default = "'[]'" if self.type == NAMES else f"'{self.default}'"
        return f"{self.name} TEXT NOT NULL DEFAULT {default}"


FIELDS: tuple[KpiField, ...] = (
    KpiField("name", "指標名"),
    KpiField("unit", "単位"),
    KpiField("departments", "所管部署", NAMES, ()),
    KpiField("better", "よい方向", BETTER, HIGHER),
    KpiField("baseline", "基準値", NUMBER, None),
    KpiField("baseline_year", "基準値の年度", YEAR, None),
    KpiField("target", "目標値", NUMBER, None),
    KpiField("target_year", "目標年度", YEAR, None),
    KpiField("yearly_targets", "年度ごとの目標値", TARGETS, ()),
    KpiField("values", "実績値", VALUES, ()),
    KpiField("comment", "備考"),
    # A rating set by hand judges this report's year only: the new year judges its own.
    KpiField("override", "評価(手動)", carries=False),
    KpiField("override_reason", "手動で評価した理由", carries=False),
)


def field(name: str) -> KpiField:
    """The field of that name (KeyError for a name a KPI does not have)."""
    for kpi_field in FIELDS:
        if kpi_field.name == name:
            return kpi_field
    raise KeyError(f"kpi.{name}")


def value(kpi: Kpi, kpi_field: KpiField) -> object:
    """A KPI's value of a field (a field its class lacks: the default)."""
    return getattr(kpi, kpi_field.name, kpi_field.default)


def make(kpi_id: str, values: dict[str, object]) -> Kpi:
    """A KPI with these values; one its class does not declare becomes an attribute."""
    own = {f.name for f in dataclasses.fields(Kpi)}
    kpi = Kpi(id=kpi_id, **{k: v for k, v in values.items() if k in own})
    for name, item in values.items():
        if name not in own:
            setattr(kpi, name, item)
    return kpi


def add_field(kpi_field: KpiField) -> None:
    """Declare one more value of a KPI (the store adds its column on opening)."""
    global FIELDS  # noqa: PLW0603 - the one description, extended as kinds.add_field does
    if any(f.name == kpi_field.name for f in FIELDS):
        raise ValueError(f"kpi.{kpi_field.name} is declared already")
    FIELDS = (*FIELDS, kpi_field)


def remove_field(name: str) -> None:
    """Take back a value declared by :func:`add_field` (its stored column stays)."""
    global FIELDS  # noqa: PLW0603
    FIELDS = tuple(f for f in FIELDS if f.name != name)


def label(name: str) -> str:
    """A value's name as the office says it (基準値, 目標年度 …)."""
    return field(name).label


def check(name: str, value: object) -> object:
    """A value the store and every export can hold, or ReportError saying what is wrong."""
    kpi_field = field(name)
    what = f"指標の{kpi_field.label}"
    kind = kpi_field.type
    if kind == TEXT:
        if not isinstance(value, str):
            raise ReportError(f"{what}は文字列にしてください。")
        return validate.text(value, what)
    if kind == NAMES:
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            raise ReportError(f"{what}は部署名の一覧にしてください。")
        for department in value:
            validate.text(department, what)
        return value
    if kind == NUMBER:
        return _number(value, what, optional=True)
    if kind == YEAR:
        return None if value is None else validate.fiscal_year(value)
    if kind == BETTER:
        if value not in BETTER_LABELS:
            raise ReportError(f"{what}は「高いほどよい」か「低いほどよい」です: {value!r}")
        return value
    items = value
    item_type = KpiValue if kind == VALUES else KpiTarget
    if not isinstance(items, tuple) or not all(isinstance(i, item_type) for i in items):
        raise ReportError(f"{what}の形が違います。")
    years = [item.year for item in items]
    for year in years:
        validate.fiscal_year(year)
    if years != sorted(set(years)):
        raise ReportError(f"{what}は年度の順に、1 年度 1 つにしてください。")
    for item in items:
        _number(item.value, what, optional=kind == VALUES)
        if isinstance(item, KpiValue):
            validate.text(item.note, f"{what}の注記")
    return items


def _number(value: object, what: str, *, optional: bool) -> Decimal | None:
    if value is None and optional:
        return None
    if not is_exact_number(value):
        raise ReportError(f"{what}は数値(10進数)にしてください: {str(value)[:30]}")
    return value  # type: ignore[return-value]


def check_kpi(kpi: Kpi) -> None:
    """Every value of a KPI checked (an import, a copy), or ReportError."""
    validate.node_id(kpi.id)
    for kpi_field in FIELDS:
        check(kpi_field.name, value(kpi, kpi_field))


# -- where KPIs are ----------------------------------------------------------------
def is_kpi(node: object) -> bool:
    """Whether a node is a KPI."""
    return isinstance(node, Kpi)


def owners(report: Report) -> Iterator[tuple[Goal, Direction | None, object]]:
    """Every node that can hold KPIs, with its goal and direction, in document order."""
    for goal in report.goals:
        yield goal, None, goal
        for direction in goal.directions:
            yield goal, direction, direction
            for measure in direction.measures:
                yield goal, direction, measure


def kpis(report: Report) -> Iterator[tuple[object, Kpi]]:
    """Every KPI of the report with the node it belongs to, in document order."""
    for _goal, _direction, owner in owners(report):
        for kpi in owner.kpis:
            yield owner, kpi


def has_kpis(report: Report) -> bool:
    """Whether any goal, direction or measure of the report has a KPI."""
    return any(True for _ in kpis(report))


def owner_of(report: Report, kpi: Kpi) -> object | None:
    """The goal, direction or measure holding a KPI (by identity); None when not in it."""
    for owner, candidate in kpis(report):
        if candidate is kpi:
            return owner
    return None


def place_of(report: Report, kpi: Kpi) -> str:
    """Where a KPI is, as a reader names it: 【基本目標1】① ア 指標「観光入込客数」."""
    for goal, direction, owner in owners(report):
        if any(candidate is kpi for candidate in owner.kpis):
            return kpi_place(goal, direction, owner, kpi)
    return ""


def kpi_place(goal: Goal, direction: Direction | None, owner: object, kpi: Kpi) -> str:
    """Where a KPI is, from its goal, direction and holder (see :func:`place_of`)."""
    where = place(goal, direction, owner if isinstance(owner, Measure) else None)
    return f"{where} {LABEL}「{kpi.name}」"
