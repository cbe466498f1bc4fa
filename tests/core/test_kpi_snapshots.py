"""Snapshots hold the KPIs: a restored snapshot brings back their values and settings."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits, snapshots
from kushiro_editor.core.kpi import editing, scales
from kushiro_editor.core.store import Store

from .kpi_samples import by_name, exact, kpi_report


@pytest.mark.both_engines
def test_restoring_a_snapshot_brings_back_the_kpis(store_location):
    with Store(store_location) as store:
        store.save(kpi_report())
        report = store.load(2020)
        before = exact(report)
        taken = snapshots.take(store, "manual", "提出版")
        visitors = by_name(report, "観光入込客数")
        edits.apply(store, report, editing.set_value(visitors, 2020, "531.0", "確定値"))
        edits.apply(store, report, editing.remove(report, by_name(report, "漁獲量")))
        edits.apply(store, report, editing.set_settings(report, scale=scales.PRESETS[1]))
        assert exact(store.load(2020)) != before
        restored, _before_restore = snapshots.restore(store, taken, 2020)
        assert exact(restored) == before
        assert exact(store.load(2020)) == before
        assert store.load(2020).kpi_settings.is_default
        assert store.integrity_ok()
