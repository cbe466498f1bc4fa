"""The edits that change a KPI, each a batch for the one edit path (:func:`..edits.apply`).

Nothing here writes: each function returns the batch that the window hands to
``ReportDocument.apply`` (one undo step, autosave, snapshots) and the command
line to ``edits.apply``. A KPI is a node like the others: added and removed
with ``Insert``/``Remove`` under its goal, direction or measure, reordered with
``Move``, its values set with ``SetField``; a year's value changes the KPI's
``values`` as a whole, so that its undo puts back exactly what was.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from .. import fiscal
from ..edits import Edit, Insert, Move, Remove, SetField, parent_of, position_of
from ..model import Kpi, KpiTarget, KpiValue, Report, ReportError
from ..store import KPI_SETTINGS
from . import fields
from .numbers import parse_value
from .scales import KpiSettings, RatingScale

logger = logging.getLogger(__name__)


def _owner(report: Report, kpi: Kpi) -> object:
    owner = parent_of(report, kpi)
    if owner is None:
        raise ReportError(f"指標「{kpi.name}」はこの報告にありません。")
    return owner


def _number(value: Decimal | str | None) -> Decimal | None:
    # Typed text is read here, so that a float never reaches a KPI.
    return parse_value(value) if isinstance(value, str) else value


def add(owner: object, kpi: Kpi, position: int | None = None) -> list[Edit]:
    """A new KPI under a goal, direction or measure (at the end by default)."""
    if type(owner) not in fields.OWNER_COLUMNS:
        raise ReportError("指標は基本目標、基本的方向、施策のいずれかに付けてください。")
    fields.check_kpi(kpi)
    position = len(owner.kpis) if position is None else position
    return [Insert(owner, kpi, position)]


def remove(report: Report, kpi: Kpi) -> list[Edit]:
    """The KPI leaves its owner, with all its values."""
    owner = _owner(report, kpi)
    return [Remove(owner, kpi, position_of(owner, kpi))]


def move(report: Report, kpi: Kpi, position: int, target: object | None = None) -> list[Edit]:
    """The KPI moves to ``position`` (its index once moved) under ``target`` (default: its own)."""
    source = _owner(report, kpi)
    target = source if target is None else target
    if type(target) not in fields.OWNER_COLUMNS:
        raise ReportError("指標は基本目標、基本的方向、施策のいずれかに付けてください。")
    old = position_of(source, kpi)
    limit = len(target.kpis) - (1 if target is source else 0)
    if not 0 <= position <= limit:
        raise ReportError("指標をその位置へは移せません。")
    if target is source and position == old:
        return []
    return [Move(kpi, source, old, target, position)]


def move_by(report: Report, kpi: Kpi, delta: int) -> list[Edit]:
    """The KPI moves up (−1) or down (+1) among its owner's KPIs; empty at either end."""
    owner = _owner(report, kpi)
    new = position_of(owner, kpi) + delta
    if not 0 <= new < len(owner.kpis):
        return []
    return move(report, kpi, new)


def _year(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        return fiscal.parse_label(text, whole=True)
    except ValueError:
        raise ReportError(f"「{text[:30]}」は年度として読めません(例: R2年度、2020)。") from None


def set_field(kpi: Kpi, name: str, value: object) -> list[Edit]:
    """One value of a KPI (its name, unit, baseline, …); a number or a year may be text
    (「12.30」, 「令和2年度」)."""
    kpi_field = fields.field(name)
    if kpi_field.type == fields.NUMBER:
        value = _number(value)  # type: ignore[arg-type]
    elif kpi_field.type == fields.YEAR and isinstance(value, str):
        value = _year(value)
    elif kpi_field.type == fields.NAMES:
        value = list(value)  # type: ignore[call-overload]
    return [SetField(kpi, name, fields.check(name, value))]


def with_value(
    kpi: Kpi, year: int, value: Decimal | str | None, note: str | None = None
) -> tuple[KpiValue, ...]:
    """The KPI's values with one year's set (its note kept unless given), in year order."""
    old = kpi.value_of(year)
    note = (old.note if old is not None else "") if note is None else note
    kept = [item for item in kpi.values if item.year != year]
    return tuple(sorted([*kept, KpiValue(year, _number(value), note)], key=lambda i: i.year))


def set_value(
    kpi: Kpi, year: int, value: Decimal | str | None, note: str | None = None
) -> list[Edit]:
    """A year's value (None or 「－」: not known yet) and, if given, its note (速報値 …)."""
    return [SetField(kpi, "values", fields.check("values", with_value(kpi, year, value, note)))]


def remove_year(kpi: Kpi, year: int) -> list[Edit]:
    """The year leaves the KPI's history altogether (not the same as a missing value)."""
    return [SetField(kpi, "values", tuple(item for item in kpi.values if item.year != year))]


def set_yearly_target(kpi: Kpi, year: int, value: Decimal | str | None) -> list[Edit]:
    """The target of one year on the target path; None takes the year's target away."""
    number = _number(value)
    kept = [item for item in kpi.yearly_targets if item.year != year]
    if number is not None:
        kept.append(KpiTarget(year, number))
    targets = tuple(sorted(kept, key=lambda item: item.year))
    return [SetField(kpi, "yearly_targets", fields.check("yearly_targets", targets))]


def set_override(report: Report, kpi: Kpi, label: str, reason: str = "") -> list[Edit]:
    """A rating set by hand, with why; an empty label goes back to the computed rating.

    The label is one of the report's scale (a grade or its mark for no value).
    """
    scale = report.kpi_settings.scale
    if label and label not in (*scale.labels, scale.missing):
        allowed = "、".join((*scale.labels, scale.missing))
        raise ReportError(f"評価「{label}」はこの報告の評価の基準にありません({allowed})。")
    if label and not reason.strip():
        raise ReportError("手動で評価するときは理由を書いてください。")
    return [
        SetField(kpi, "override", fields.check("override", label)),
        SetField(kpi, "override_reason", fields.check("override_reason", reason if label else "")),
    ]


def set_settings(
    report: Report, *, rate_mode: str | None = None, scale: RatingScale | None = None
) -> list[Edit]:
    """The report's rate mode and/or rating scale (what is not given stays)."""
    current = report.kpi_settings
    try:
        settings = KpiSettings(
            current.rate_mode if rate_mode is None else rate_mode,
            current.scale if scale is None else scale,
        )
    except ValueError as exc:
        raise ReportError(f"{exc}。") from exc
    return [SetField(report, KPI_SETTINGS, settings)]
