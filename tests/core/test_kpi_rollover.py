"""The new year carries every KPI with its history and opens its value as not known yet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kushiro_editor.core import yearly
from kushiro_editor.core.kpi import fields, scales
from kushiro_editor.core.kpi.achievement import rating
from kushiro_editor.core.kpi.scales import RATE_TARGET, KpiSettings
from kushiro_editor.core.model import KpiValue
from kushiro_editor.core.store import Store

from .kpi_samples import by_name, exact, kpi_report


def test_every_kpi_carries_with_its_history_and_an_empty_new_year():
    previous = kpi_report()
    before = exact(previous)
    report = yearly.rollover(previous)
    assert exact(previous) == before  # last year's report is not changed
    old = list(fields.kpis(previous))
    new = list(fields.kpis(report))
    assert [(type(o).__name__, k.name) for o, k in new] == [
        (type(o).__name__, k.name) for o, k in old
    ]
    for (_o, old_kpi), (_n, kpi) in zip(old, new, strict=True):
        assert kpi.id != old_kpi.id
        assert kpi.values[:-1] == old_kpi.values  # the history, exactly
        assert kpi.values[-1] == KpiValue(2021, None)  # opened, not zero
        assert kpi.yearly_targets == old_kpi.yearly_targets
        assert (kpi.baseline, kpi.target, kpi.unit) == (
            old_kpi.baseline,
            old_kpi.target,
            old_kpi.unit,
        )
        assert kpi.departments == old_kpi.departments
        assert kpi.departments is not old_kpi.departments
        assert kpi.comment == old_kpi.comment
    assert str(by_name(report, "観光入込客数").value_of(2019).value) == "512.30"
    assert by_name(report, "観光入込客数").value_of(2020).note == "速報値"


def test_a_hand_set_rating_stays_with_its_year():
    previous = kpi_report()
    visitors = by_name(previous, "観光入込客数")
    visitors.override, visitors.override_reason = "A", "確定値で達成の見込み"
    report = yearly.rollover(previous)
    carried = by_name(report, "観光入込客数")
    assert (carried.override, carried.override_reason) == ("", "")
    assert rating(report, carried).label == "－"  # this year's value is not known yet
    assert rating(report, carried, 2020).label == rating(previous, visitors).computed


def test_a_value_entered_ahead_for_the_new_year_is_kept():
    previous = kpi_report()
    kpi = by_name(previous, "漁獲量")
    kpi.values = (*kpi.values, KpiValue(2021, Decimal("1100"), "見込み"))
    carried = by_name(yearly.rollover(previous), "漁獲量")
    assert [v.year for v in carried.values] == [2019, 2020, 2021]
    assert carried.value_of(2021) == KpiValue(2021, Decimal("1100"), "見込み")


def test_the_reports_way_of_rating_carries_too():
    previous = kpi_report()
    previous.kpi_settings = KpiSettings(RATE_TARGET, scales.preset("◎○△×"))
    assert yearly.rollover(previous).kpi_settings == previous.kpi_settings


@pytest.mark.both_engines
def test_the_new_year_is_stored_beside_the_old_one(store_location):
    previous = kpi_report()
    with Store(store_location) as store:
        store.save(previous)
        report = yearly.rollover(store.load(2020))
        store.save(report)
        assert exact(store.load(2021)) == exact(report)
        assert exact(store.load(2020)) == exact(previous)
        assert store.integrity_ok()


def test_a_report_without_kpis_rolls_over_without_any(sample_result):
    report = yearly.rollover(sample_result.report)
    assert not fields.has_kpis(report)
    assert report.kpi_settings.is_default
