"""What every view of a KPI shows: its years' rows, its target path, the report's list.

The window, the exports, the review and the command line read these rows, so
that a rate or a rating reads the same wherever it appears.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from ..model import Kpi, Report
from . import fields
from .achievement import Rating, rate_of, rating, target_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class YearRow:
    """One fiscal year of a KPI: its value (None: not known), note, target, rate and rating."""

    year: int
    value: Decimal | None
    note: str
    target: Decimal | None
    rate: Decimal | None
    rating: Rating


def history(report: Report, kpi: Kpi) -> list[YearRow]:
    """A row for each year of the KPI's values, in year order, rated by the report's scale."""
    mode = report.kpi_settings.rate_mode
    return [
        YearRow(
            item.year,
            item.value,
            item.note,
            target_for(kpi, item.year),
            rate_of(kpi, item.year, mode),
            rating(report, kpi, item.year),
        )
        for item in kpi.values
    ]


def target_path(kpi: Kpi) -> list[tuple[int, Decimal]]:
    """The line a chart draws from the baseline through the yearly targets to the target.

    Only points with both a year and a value; a yearly target of the baseline's
    or the target's own year gives way to them.
    """
    points: dict[int, Decimal] = {t.year: t.value for t in kpi.yearly_targets}
    if kpi.baseline is not None and kpi.baseline_year is not None:
        points[kpi.baseline_year] = kpi.baseline
    if kpi.target is not None and kpi.target_year is not None:
        points[kpi.target_year] = kpi.target
    return sorted(points.items())


def value_years(report: Report) -> list[int]:
    """The fiscal years any KPI of the report has a value for, in order (a table's columns)."""
    return sorted({item.year for _owner, kpi in fields.kpis(report) for item in kpi.values})


@dataclass(frozen=True)
class KpiState:
    """A KPI as the report's list of KPIs shows it: where, this year's value, rate and rating."""

    place: str
    owner: object
    kpi: Kpi
    value: Decimal | None
    rating: Rating


def states(
    report: Report, *, department: str | None = None, rating_label: str | None = None
) -> list[KpiState]:
    """Every KPI of the report in document order, with this year's state; filtered by a
    department it names and by the label of its rating (as shown: computed or hand-set)."""
    out = []
    for owner, kpi in fields.kpis(report):
        if department is not None and department not in kpi.departments:
            continue
        judged = rating(report, kpi)
        if rating_label is not None and judged.label != rating_label:
            continue
        item = kpi.value_of(report.actual_year)
        out.append(
            KpiState(
                fields.place_of(report, kpi),
                owner,
                kpi,
                item.value if item is not None else None,
                judged,
            )
        )
    return out
