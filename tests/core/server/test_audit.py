"""The server records every change of the report (who, when, field, before, after), and
nobody can change or delete that record."""

from __future__ import annotations

import json
from datetime import datetime

import psycopg
import pytest

from kushiro_editor.core import edits
from kushiro_editor.core.kpi import demo
from kushiro_editor.core.kpi import fields as kpi_fields
from kushiro_editor.core.kpi.editing import set_value
from kushiro_editor.core.model import Entry
from kushiro_editor.core.server import audit, schema
from kushiro_editor.core.store import Store
from kushiro_editor.core.storeerror import StoreError
from tests.core.server.logins import application_login


@pytest.fixture
def app_login(pg_admin, pg_cluster):
    """A login of the application's kind (not the tables' owner): its URL and name."""
    with application_login(pg_admin, pg_cluster) as login:
        yield login


def _log(url: str, *where: str) -> list[dict]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(
            "SELECT * FROM audit_log"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY id"
        )
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def _first_entry(report) -> Entry:
    return next(entry for _g, _d, entry in report.entries())


def test_an_edit_is_one_row_per_changed_field_with_who_and_both_sides(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        entry = _first_entry(report)
        before_text = entry.actual
        edits.apply(store, report, [edits.SetField(entry, "actual", "<p>新しい実績</p>")])
    rows = _log(pg_url, "action = 'update'", f"node_id = '{entry.id}'")
    changed = {row["field"]: row for row in rows}
    # The text, and its 未確認 mark the edit path clears with it: nothing else.
    assert set(changed) <= {"actual", "actual_state"} and "actual" in changed
    row = changed["actual"]
    assert row["before"] == before_text and row["after"] == "<p>新しい実績</p>"
    assert row["changed_by"] == "kushiro_admin"
    assert row["table_name"] == "entry"
    assert row["report_id"] == report.id
    assert row["departments"] == entry.departments
    assert isinstance(row["changed_at"], datetime) and row["changed_at"].tzinfo is not None
    # The report's modification time changes with every edit and is not history.
    assert not _log(pg_url, "table_name = 'report'", "action = 'update'")


def test_inserts_and_deletes_are_one_row_each_holding_the_whole_row(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        _goal, direction, _entry = next(report.entries())
        row = Entry(["水産課"], actual="<p>追加した行</p>")
        edits.apply(store, report, [edits.Insert(direction, row, 0)])
        edits.apply(store, report, [edits.Remove(direction, row, 0)])
    inserted = _log(pg_url, f"node_id = '{row.id}'", "action = 'insert'")
    deleted = _log(pg_url, f"node_id = '{row.id}'", "action = 'delete'")
    assert len(inserted) == 1 and len(deleted) == 1
    assert json.loads(inserted[0]["after"])["actual"] == "<p>追加した行</p>"
    assert json.loads(deleted[0]["before"])["departments"] == '["水産課"]'
    assert inserted[0]["departments"] == deleted[0]["departments"] == ["水産課"]
    assert inserted[0]["before"] is None and deleted[0]["after"] is None
    assert inserted[0]["report_id"] == report.id


def test_a_row_given_to_another_department_is_in_the_history_of_both(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        entry = _first_entry(report)
        old = list(entry.departments)
        edits.apply(store, report, [edits.SetField(entry, "departments", ["水産課"])])
    [row] = _log(pg_url, f"node_id = '{entry.id}'", "field = 'departments'")
    assert set(row["departments"]) == {*old, "水産課"}


def test_a_kpi_value_changed_is_one_row_carrying_the_kpis_departments(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(demo.demo_report(sample_result.report))
        report = store.load(2020)
        kpi = next(
            k
            for _o, k in kpi_fields.kpis(report)
            if k.departments and k.value_of(2020) and k.value_of(2020).value is not None
        )
        old = kpi.value_of(2020).value
        edits.apply(store, report, set_value(kpi, 2020, "4321"))
    [row] = _log(pg_url, "table_name = 'kpi_value'", f"node_id = '{kpi.id}'", "action <> 'insert'")
    # The one year changed, not every year deleted and written again.
    assert (row["action"], row["field"], row["fiscal_year"]) == ("update", "value", 2020)
    assert (row["before"], row["after"]) == (str(old), "4321")
    assert row["departments"] == kpi.departments


def test_the_application_login_can_neither_change_nor_delete_the_history(
    app_login, pg_url, sample_result
):
    url, role = app_login
    with Store(url) as store:  # not the owner: the store opens as it is
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        entry = _first_entry(report)
        edits.apply(store, report, [edits.SetField(entry, "plan", "<p>予定</p>")])
    [row] = _log(pg_url, f"node_id = '{entry.id}'", "field = 'plan'")
    assert row["changed_by"] == role  # the trigger writes as the owner, records the login
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in (
            "UPDATE audit_log SET after = 'forged'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "INSERT INTO audit_log (table_name, action, node_id) VALUES ('entry', 'update', 'x')",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "DROP TABLE audit_log",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    assert _log(pg_url, f"node_id = '{entry.id}'", "field = 'plan'") == [row]


def test_even_the_owner_cannot_rewrite_the_history(pg_url, sample_result):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
    count = len(_log(pg_url))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in ("UPDATE audit_log SET after = 'forged'", "DELETE FROM audit_log"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="never changed"):
                conn.execute(statement)
    assert len(_log(pg_url)) == count > 0


def test_a_login_reads_only_its_departments_history_unless_a_planner(
    app_login, pg_url, sample_result
):
    url, role = app_login
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        entries = [entry for _g, _d, entry in report.entries()]
        suisan = next(e for e in entries if e.departments == ["水産課"])
        other = next(e for e in entries if "水産課" not in e.departments)
        edits.apply(
            store,
            report,
            [edits.SetField(suisan, "actual", "<p>水産</p>"), edits.SetField(other, "actual", "x")],
        )
    with psycopg.connect(pg_url, autocommit=True) as conn:  # a mapping, as the roles make one
        conn.execute(
            "CREATE OR REPLACE FUNCTION kushiro_my_departments() RETURNS text[] LANGUAGE sql"
            " STABLE AS $$ SELECT CASE WHEN current_user = %s"
            " THEN ARRAY['水産課'] ELSE '{}'::text[] END $$".replace("%s", f"'{role}'")
        )
    with psycopg.connect(url, autocommit=True) as conn:
        seen = {row[0] for row in conn.execute("SELECT node_id FROM audit_log")}
    assert suisan.id in seen and other.id not in seen
    with Store(pg_url) as store:  # the roles' redefinition survives the owner's next open
        pass
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role}_g")
        conn.execute(f"ALTER ROLE {role}_g RENAME TO {conn.info.dbname}_planner")
        conn.execute(f"GRANT {conn.info.dbname}_planner TO {role}")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            seen = {row[0] for row in conn.execute("SELECT node_id FROM audit_log")}
        assert {suisan.id, other.id} <= seen
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP ROLE {conn.info.dbname}_planner")


def test_opening_a_current_store_changes_nothing_and_a_missing_trigger_comes_back(pg_url):
    Store(pg_url).close()
    with Store(pg_url) as store:
        assert audit.current(store.conn)
        store.conn.raw.execute("DROP TRIGGER kushiro_audit ON entry")
        assert not audit.current(store.conn)
    with Store(pg_url) as store:
        assert audit.current(store.conn)


def test_a_login_that_may_not_add_the_history_opens_the_store_as_it_is(app_login, pg_url):
    url, _role = app_login
    with Store(pg_url) as owner:
        owner.conn.raw.execute("DROP TRIGGER kushiro_audit ON entry")
    with Store(url) as store:
        assert not schema.may_change(store.conn)
        assert not audit.current(store.conn)  # left for the owner to put back
        assert store.years() == []


def test_a_name_with_quotes_is_recorded_as_written(pg_url, sample_result):
    hostile = "水産課'); DELETE FROM audit_log; --"
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
        report = store.load(2020)
        entry = _first_entry(report)
        edits.apply(store, report, [edits.SetField(entry, "departments", [hostile])])
    [row] = _log(pg_url, f"node_id = '{entry.id}'", "field = 'departments'")
    assert hostile in row["departments"] and json.loads(row["after"]) == [hostile]


def test_an_error_of_the_history_is_one_japanese_line(pg_url):
    with Store(pg_url) as store:
        store.conn.raw.execute("ALTER TABLE audit_log ADD CONSTRAINT no CHECK (false) NOT VALID")
        with pytest.raises(StoreError) as caught:
            store.conn.execute(
                "INSERT INTO report (id, title, actual_year, created_at, modified_at)"
                " VALUES ('r', 't', 2020, '', '')"
            )
    assert "\n" not in str(caught.value) and caught.value.failure == "value"


def test_editors_opening_at_once_put_the_missing_history_back_once(pg_url):
    from concurrent.futures import ThreadPoolExecutor

    with Store(pg_url) as store:  # (a new database's first opening is the migrations')
        store.conn.raw.execute("DROP TRIGGER kushiro_audit ON entry")
        store.conn.raw.execute("DROP POLICY audit_log_read ON audit_log")

    def open_and_close(_number):
        Store(pg_url).close()
        return True

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(open_and_close, range(4)))
    with psycopg.connect(pg_url, autocommit=True) as conn:
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname = 'kushiro_audit'"
        ).fetchone()[0]
        policies = conn.execute(
            "SELECT count(*) FROM pg_policies WHERE tablename = 'audit_log'"
        ).fetchone()[0]
    assert triggers == len(audit.TABLES) and policies == 2
