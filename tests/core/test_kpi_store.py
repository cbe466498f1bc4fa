"""KPIs in a real store (a file, and the server where marked): exact round trips, the settings,
cascades and migration."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest

from kushiro_editor.core import database, migrations
from kushiro_editor.core.kpi import fields, scales
from kushiro_editor.core.kpi.scales import RATE_TARGET, KpiSettings
from kushiro_editor.core.model import Kpi, KpiValue, ReportError
from kushiro_editor.core.store import APPLICATION_ID, Store
from kushiro_editor.core.storeerror import StoreError

from .kpi_samples import by_name, exact, kpi_report


@pytest.mark.both_engines
def test_kpis_round_trip_exactly_through_the_store(store_location):
    report = kpi_report()
    expected = exact(report)
    with Store(store_location) as store:
        store.save(report)
    with Store(store_location) as store:
        loaded = store.load(2020)
        assert store.integrity_ok()
    assert exact(loaded) == expected
    assert loaded == report
    visitors = by_name(loaded, "観光入込客数")
    assert str(visitors.values[0].value) == "512.30"  # the places as given
    assert visitors.values[1].note == "速報値"
    catch = by_name(loaded, "漁獲量")
    assert catch.values[1].value is None and catch.values[1].note == "集計中"
    waiting = by_name(loaded, "待機児童数")
    assert waiting.values[1].value == 0 and waiting.values[1].value is not None
    assert [k.name for k in loaded.goals[0].directions[0].kpis] == ["観光入込客数", "待機児童数"]
    assert [k.name for k in loaded.goals[0].kpis] == ["社会増減数"]
    assert [k.name for k in loaded.goals[0].directions[0].measures[0].kpis] == ["漁獲量"]


@pytest.mark.both_engines
def test_the_store_keeps_decimal_text_and_null_for_missing(store_location):
    report = kpi_report()
    with Store(store_location) as store:
        store.save(report)
        rows = {
            (name, year): value
            for name, year, value in store.conn.execute(
                "SELECT k.name, v.fiscal_year, v.value FROM kpi_value v"
                " JOIN kpi k ON k.id = v.kpi_id"
            )
        }
    assert rows[("観光入込客数", 2019)] == "512.30"
    assert rows[("待機児童数", 2020)] == "0"
    assert rows[("漁獲量", 2020)] is None


@pytest.mark.both_engines
def test_a_report_without_kpis_keeps_no_kpi_rows(sample_store):
    conn = sample_store.conn
    for table in ("kpi", "kpi_value", "kpi_target", "kpi_setting"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    loaded = sample_store.load()
    assert not fields.has_kpis(loaded) and loaded.kpi_settings.is_default


@pytest.mark.both_engines
def test_the_reports_settings_are_stored_and_the_defaults_are_no_row(store_location):
    report = kpi_report()
    report.kpi_settings = KpiSettings(RATE_TARGET, scales.preset("S〜C"))
    with Store(store_location) as store:
        store.save(report)
    with Store(store_location) as store:
        assert store.load(2020).kpi_settings == report.kpi_settings
        store.update([("report", report.id, "kpi_settings", KpiSettings())])
        assert store.conn.execute("SELECT count(*) FROM kpi_setting").fetchone()[0] == 0
        assert store.load(2020).kpi_settings == KpiSettings()
        with pytest.raises(KeyError):
            store.update([("report", "no-such-report", "kpi_settings", KpiSettings())])


@pytest.mark.both_engines
def test_kpis_go_with_their_node_and_their_report(store_location):
    report = kpi_report()
    with Store(store_location) as store:
        store.save(report)
        direction = report.goals[0].directions[0]
        store.delete("direction", direction.id)
        names = {row[0] for row in store.conn.execute("SELECT name FROM kpi")}
        assert names == {"社会増減数"}  # the direction's and its measure's KPIs went with it
        kept = {row[0] for row in store.conn.execute("SELECT kpi_id FROM kpi_value")}
        assert kept == {report.goals[0].kpis[0].id}
        store.delete_report(2020)
        for table in ("kpi", "kpi_value", "kpi_target", "kpi_setting"):
            assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
        assert store.integrity_ok()


@pytest.mark.both_engines
def test_replacing_and_saving_for_a_second_year_refreshes_kpi_ids(store_location):
    report = kpi_report()
    with Store(store_location) as store:
        store.save(report)
        store.save(kpi_report(), replace=True)
        first_ids = {row[0] for row in store.conn.execute("SELECT id FROM kpi")}
        again = store.load(2020)
        again.actual_year = 2021
        store.save(again)
        ids = {row[0] for row in store.conn.execute("SELECT id FROM kpi")}
        assert len(ids) == 2 * len(first_ids)
        assert exact(store.load(2021))[0][2:] == exact(store.load(2020))[0][2:]


@pytest.mark.both_engines
def test_a_value_the_store_cannot_hold_is_refused_and_nothing_changes(store_location):
    report = kpi_report()
    kpi = by_name(report, "観光入込客数")
    with Store(store_location) as store:
        store.save(report)
        for name, value in [
            ("baseline", 12.3),  # a float has drifted already
            ("baseline", Decimal("NaN")),
            ("target_year", 1800),
            ("better", "more"),
            ("values", (KpiValue(2021, None), KpiValue(2020, None))),  # out of order
            ("values", (KpiValue(2020, None), KpiValue(2020, Decimal(1)))),  # twice
            ("values", [KpiValue(2020, None)]),
            ("departments", "観光振興室"),
            ("name", None),
        ]:
            with pytest.raises(ReportError):
                store.update([("kpi", kpi.id, "unit", "人"), ("kpi", kpi.id, name, value)])
        with pytest.raises(ValueError):
            store.update([("kpi", kpi.id, "colour", "red")])
        with pytest.raises(KeyError):
            store.update([("kpi", "no-such-kpi", "unit", "人")])
        assert exact(store.load(2020)) == exact(report)


@pytest.mark.both_engines
def test_an_unknown_kpi_cannot_be_saved(store_location):
    report = kpi_report()
    report.goals[0].kpis.append(Kpi(name="壊れた指標", baseline=1.5))  # type: ignore[arg-type]
    with Store(store_location) as store, pytest.raises(ReportError):
        store.save(report)
    with Store(store_location) as store:
        assert store.years() == []  # nothing of the failed save is left


def _store_at_version_5(path) -> None:
    """A store as the release before KPIs made it, holding one report."""
    conn = database.connect_file(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    for number, migration in enumerate(migrations.MIGRATIONS[:5], start=1):
        migration(conn)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.executescript(
        """INSERT INTO report VALUES ('r', '報告', 2020, 'x', 'x');
           INSERT INTO goal VALUES ('g', 'r', 0, '目標');
           INSERT INTO direction VALUES ('d', 'g', 0, '方向');
           INSERT INTO measure VALUES ('m', 'd', 0, '施策', '');
           INSERT INTO entry (id, direction_id, position, departments, actual, plan)
           VALUES ('e', 'd', 0, '["農林課"]', '<p>実施した。</p>', '<p>実施する。</p>');"""
    )
    conn.close()


def test_a_store_from_before_kpis_comes_up_and_takes_kpis(store_path):
    _store_at_version_5(store_path)
    with Store(store_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"kpi", "kpi_value", "kpi_target", "kpi_setting"} <= tables
        report = store.load(2020)
        assert report.goals[0].directions[0].entries[0].actual == "<p>実施した。</p>"
        assert not fields.has_kpis(report) and report.kpi_settings.is_default
        kpi = Kpi(name="指標", values=(KpiValue(2020, Decimal("1.50")),))
        store.insert(kpi, "m", 0)
        assert store.integrity_ok()
    with Store(store_path) as store:
        measure = store.load(2020).goals[0].directions[0].measures[0]
        assert [str(v.value) for v in measure.kpis[0].values] == ["1.50"]
    folder = store_path.with_name(store_path.name + ".snapshots")
    copies = list(folder.glob("*__migration__*.sqlite3"))
    assert len(copies) == 1
    old = sqlite3.connect(copies[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == 5
    old.close()


@pytest.mark.both_engines
def test_a_kpi_belongs_to_exactly_one_node(store_location, engine):
    # The server's refusal comes as the store's own error (its "value" failure).
    refused = sqlite3.IntegrityError if engine == "sqlite" else StoreError
    with Store(store_location) as store:
        store.save(kpi_report())
        with pytest.raises(refused):
            store.conn.execute("INSERT INTO kpi (id, position) VALUES ('orphan', 0)")
        with pytest.raises(refused):
            store.conn.execute(
                "INSERT INTO kpi (id, goal_id, direction_id, position)"
                " SELECT 'both', g.id, d.id, 0 FROM goal g, direction d"
            )
        with pytest.raises(KeyError):
            store.insert(Kpi(name="行き先なし"), "no-such-node", 0)


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE kpi_value SET value = ? WHERE value IS NOT NULL", ("12人",)),
        ("UPDATE kpi SET departments = ?", ("[壊れた",)),
        ("INSERT OR REPLACE INTO kpi_setting VALUES ((SELECT id FROM report), 'x', ?)", ("{}",)),
    ],
)
def test_a_damaged_kpi_value_in_the_file_is_one_clear_message(store_path, sql, params):
    with Store(store_path) as store:
        store.save(kpi_report())
        store.conn.execute(sql, params)
        with pytest.raises(ReportError, match="指標の値が壊れている"):
            store.load(2020)
