"""One description of a KPI's values: a value declared there is stored, loaded, checked,
carried into a new year and written to JSON with no other change."""

from __future__ import annotations

import pytest

from kushiro_editor.core import yearly
from kushiro_editor.core.kpi import fields
from kushiro_editor.core.kpi.fields import KpiField
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.store import Store
from kushiro_editor.formats import reportjson

from .kpi_samples import by_name, kpi_report

SOURCE = KpiField("source", "出典")


@pytest.fixture
def source():
    """A value per KPI, declared for this test only."""
    fields.add_field(SOURCE)
    yield SOURCE
    fields.remove_field(SOURCE.name)


def test_a_store_made_before_the_value_gets_its_column(tmp_path):
    path = tmp_path / "older.sqlite3"
    with Store(path) as store:
        store.save(kpi_report())
    fields.add_field(SOURCE)
    try:
        with Store(path) as store:
            columns = {row[1] for row in store.conn.execute("PRAGMA table_info(kpi)")}
            assert "source" in columns
            assert by_name(store.load(2020), "漁獲量").source == ""
    finally:
        fields.remove_field(SOURCE.name)


def test_a_new_value_is_stored_loaded_updated_and_checked(source, store_path):
    report = kpi_report()
    by_name(report, "漁獲量").source = "北海道水産現勢"
    with Store(store_path) as store:
        store.save(report)
    with Store(store_path) as store:
        kpi = by_name(store.load(2020), "漁獲量")
        assert kpi.source == "北海道水産現勢"
        store.update([("kpi", kpi.id, "source", "漁業センサス")])
        assert by_name(store.load(2020), "漁獲量").source == "漁業センサス"
        with pytest.raises(ReportError, match="出典"):
            store.update([("kpi", kpi.id, "source", 3)])


def test_a_new_value_carries_and_goes_to_json_and_back(source):
    report = kpi_report()
    by_name(report, "漁獲量").source = "北海道水産現勢"
    assert by_name(yearly.rollover(report), "漁獲量").source == "北海道水産現勢"
    text = reportjson.dumps(report)
    assert '"source": "北海道水産現勢"' in text
    assert by_name(reportjson.loads(text).report, "漁獲量").source == "北海道水産現勢"


def test_a_value_that_does_not_carry_starts_the_new_year_empty():
    fields.add_field(KpiField("checked_by", "確認者", carries=False))
    try:
        report = kpi_report()
        by_name(report, "漁獲量").checked_by = "企画課"
        assert by_name(yearly.rollover(report), "漁獲量").checked_by == ""
    finally:
        fields.remove_field("checked_by")
    with pytest.raises(ValueError, match="declared already"):
        fields.add_field(KpiField("unit", "単位"))
    with pytest.raises(KeyError):
        fields.field("checked_by")
