"""A KPI's achievement rate and rating for a fiscal year: computed, never typed.

Pure functions over the model. The rate is a percentage, a Decimal rounded to
:data:`RATE_STEP`; a rate that cannot be computed (no value, no target, a
division by zero) is None, and its rating is the scale's label for "no value".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..model import LOWER, Kpi, Report
from .scales import RATE_PROGRESS, RATE_TARGET, KpiSettings

logger = logging.getLogger(__name__)

# Rates are shown to one decimal place (85.3%) and rounded half up (四捨五入),
# the way offices round by hand; the rating is judged on the rate as shown, so
# that a table never prints 「100.0%」 beside a grade meant for below 100 %.
RATE_STEP = Decimal("0.1")
_HUNDRED = Decimal(100)
# Working precision of the division before rounding: far more places than any
# value has, so that the rounding above is the only one.
_PRECISION = 100


def target_for(kpi: Kpi, year: int) -> Decimal | None:
    """The target a year is judged against: its own on the target path, else the final one."""
    own = kpi.target_of(year)
    return own.value if own is not None else kpi.target


def value_for(kpi: Kpi, year: int) -> Decimal | None:
    """The value of a year, None when not known (or the year has no entry)."""
    item = kpi.value_of(year)
    return item.value if item is not None else None


def achievement_rate(
    value: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    *,
    mode: str,
    lower_is_better: bool = False,
) -> Decimal | None:
    """The rate in %, rounded to :data:`RATE_STEP`; None when it cannot be computed.

    ``progress``: (v − b) ÷ (t − b), how far the value has come from the
    baseline toward the target (it needs no turning round for a lower-is-better
    KPI: its target lies below its baseline). ``target``: v ÷ t, or t ÷ v when
    lower is better.
    """
    if value is None or target is None:
        return None
    with localcontext() as context:
        context.prec = _PRECISION
        if mode == RATE_PROGRESS:
            if baseline is None or target == baseline:
                return None
            ratio = (value - baseline) / (target - baseline)
        elif mode == RATE_TARGET:
            numerator, denominator = (target, value) if lower_is_better else (value, target)
            if denominator == 0:
                return None
            ratio = numerator / denominator
        else:
            raise ValueError(f"unknown rate mode {mode!r}")
        return (ratio * _HUNDRED).quantize(RATE_STEP, rounding=ROUND_HALF_UP)


def rate_of(kpi: Kpi, year: int, mode: str) -> Decimal | None:
    """The achievement rate of a KPI's value of a year (None when it cannot be computed)."""
    return achievement_rate(
        value_for(kpi, year),
        kpi.baseline,
        target_for(kpi, year),
        mode=mode,
        lower_is_better=kpi.better == LOWER,
    )


def format_rate(rate: Decimal | None, *, missing: str = "－") -> str:
    """A rate as printed: 「85.3%」, the missing mark when there is none."""
    return missing if rate is None else f"{format(rate, 'f')}%"


@dataclass(frozen=True)
class Rating:
    """The rating of one KPI for one year: computed, or set by hand (then shown as such)."""

    label: str  # what the report shows
    rate: Decimal | None
    computed: str  # what the scale gives for the rate
    overridden: bool = False
    reason: str = ""

    @property
    def display(self) -> str:
        """The label as a table prints it; a hand-set one says so: 「B（手動）」."""
        return f"{self.label}（手動）" if self.overridden else self.label

    @property
    def explanation(self) -> str:
        """One line for a tooltip or a note: how the rating came about."""
        rate = format_rate(self.rate, missing="算定できません")
        if not self.overridden:
            return f"達成率 {rate} から算定: {self.label}"
        reason = f"。理由: {self.reason}" if self.reason else ""
        return f"手動で {self.label} としました(算定では {self.computed}、達成率 {rate}){reason}"


def computed_rating(kpi: Kpi, year: int, settings: KpiSettings) -> Rating:
    """The rating the scale gives a KPI's value of a year (no hand-set rating)."""
    rate = rate_of(kpi, year, settings.rate_mode)
    label = settings.scale.label_for(rate)
    return Rating(label, rate, label)


def rating(report: Report, kpi: Kpi, year: int | None = None) -> Rating:
    """A KPI's rating in a report: its year's (実績 year by default), with its override.

    The override is a judgement of the report's own year; an earlier year of the
    history is always rated as computed.
    """
    year = report.actual_year if year is None else year
    computed = computed_rating(kpi, year, report.kpi_settings)
    if year != report.actual_year or not kpi.override:
        return computed
    return Rating(
        kpi.override, computed.rate, computed.label, overridden=True, reason=kpi.override_reason
    )
