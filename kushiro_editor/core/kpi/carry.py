"""A KPI carried into the new fiscal year: its history, and an empty value for the year."""

from __future__ import annotations

import logging

from ..model import Kpi, KpiValue, new_id
from . import fields

logger = logging.getLogger(__name__)


def carried(kpi: Kpi, actual_year: int) -> Kpi:
    """A new KPI (new id) for the report of ``actual_year``: every value that carries,
    the whole history of values, and the new year opened as not known yet.

    A year already in the history (a 見込み entered ahead) keeps its value.
    """
    values: dict[str, object] = {}
    for kpi_field in fields.FIELDS:
        value = fields.value(kpi, kpi_field) if kpi_field.carries else kpi_field.default
        values[kpi_field.name] = list(value) if kpi_field.type == fields.NAMES else value
    new = fields.make(new_id(), values)
    if new.value_of(actual_year) is None:
        opened = [*new.values, KpiValue(actual_year, None)]
        new.values = tuple(sorted(opened, key=lambda item: item.year))
    return new


def carry_all(old: object, new: object, actual_year: int) -> None:
    """Give a goal, direction or measure of the new year the KPIs of last year's."""
    new.kpis = [carried(kpi, actual_year) for kpi in old.kpis]
