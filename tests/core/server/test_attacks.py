"""A department's clerk with psql (or someone with a department's password) attacks the shared
store through plain SQL; so does a planner, where a planner must not go. Every attempt is
refused and leaves the store as it was."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from kushiro_editor.core import edits, snapshots, storecopy
from kushiro_editor.core.kpi import fields
from kushiro_editor.core.server import audit, logins, roles, rowstates, schema
from kushiro_editor.core.store import Store
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

DEPT, SECOND = "産業推進室", "水産課"
SECRET = "企画だけが知る下書き"


@pytest.fixture
def people(secured):
    """A department login (産業推進室), a planner login, the report as the admin sees it."""
    department, planner = secured.login("sangyo"), secured.login("kikaku")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, DEPT, department)
        logins.add_planner(admin, planner)
        report = admin.load()
    return department, planner, report


def _entries(report, dept=DEPT):
    entries = [row.entry for row in rowstates.rows(report)]
    mine = next(e for e in entries if dept in e.departments)
    other = next(e for e in entries if dept not in e.departments and SECOND not in e.departments)
    return mine, other


def _kpis(report, dept=DEPT):
    listed = [kpi for _owner, kpi in fields.kpis(report)]
    return (
        next(k for k in listed if dept in k.departments and k.values),
        next(k for k in listed if dept not in k.departments and k.values),
    )


def _everything(secured) -> dict:
    """The report's tables and the server's own (mapping, states, history, snapshots)."""
    with Store(secured.admin_url) as admin:
        found = storecopy.contents(admin)
    with psycopg.connect(secured.admin_url) as conn:
        for table in (roles.LOGIN_TABLE, roles.STATE_TABLE, audit.LOG, schema.SNAPSHOTS):
            found[table] = sorted(
                conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))).fetchall(),
                key=repr,
            )
    return found


def _not_refused(conn, attempts) -> list[str]:
    """The statements (each in its own transaction) that the server did not refuse."""
    passed = []
    for statement, params in attempts:
        try:
            with conn.transaction():
                conn.execute(statement, params)
        except psycopg.Error:
            continue
        passed.append(statement)
    return passed


def _privileged(secured) -> psycopg.Connection:
    return psycopg.connect(secured.admin_url, autocommit=True)


def test_a_department_cannot_lift_itself_past_the_policies(secured, people):
    department, _planner, report = people
    names = roles.role_names(secured.database)
    mine, other = _entries(report)
    before = _everything(secured)
    with secured.connect(department) as conn:
        attempts = [
            (sql.SQL("SET ROLE {}").format(sql.Identifier(names.planner)), ()),
            (sql.SQL("SET ROLE {}").format(sql.Identifier(names.owner)), ()),
            (sql.SQL("SET SESSION AUTHORIZATION {}").format(sql.Identifier(names.planner)), ()),
            (
                sql.SQL("GRANT {} TO current_user").format(sql.Identifier(names.planner)),
                (),
            ),
            (sql.SQL("GRANT {} TO current_user").format(sql.Identifier(names.owner)), ()),
            ("GRANT ALL ON server_snapshot TO current_user", ()),
            ("ALTER POLICY department_write ON entry WITH CHECK (true)", ()),
            ("DROP POLICY department_write ON entry", ()),
            ("CREATE POLICY mine ON entry FOR UPDATE USING (true) WITH CHECK (true)", ()),
            ("ALTER TABLE entry DISABLE ROW LEVEL SECURITY", ()),
            ("ALTER TABLE entry NO FORCE ROW LEVEL SECURITY", ()),
            ("ALTER TABLE entry DISABLE TRIGGER ALL", ()),
            (f"ALTER TABLE entry DISABLE TRIGGER {audit.TRIGGER}", ()),
            ("ALTER TABLE audit_log DISABLE TRIGGER kushiro_audit_kept", ()),
            ("ALTER TABLE entry ADD COLUMN mine TEXT", ()),
            ("ALTER ROLE current_user BYPASSRLS", ()),
            ("ALTER ROLE current_user SUPERUSER", ()),
            ("SET session_replication_role = replica", ()),
            ("SET row_security = off; SELECT * FROM department_login", ()),
            ("DROP TABLE department_login", ()),
            ("TRUNCATE entry_state", ()),
            ("TRUNCATE kpi_value", ()),
            ("LOCK TABLE entry IN ACCESS EXCLUSIVE MODE", ()),
            ("CREATE SCHEMA mine", ()),
            ("CREATE VIEW mine AS SELECT 1", ()),
            ("CREATE TEMP TABLE department_login (login TEXT, department TEXT)", ()),
            (
                "CREATE FUNCTION pg_temp.kushiro_my_departments() RETURNS TEXT[]"
                " LANGUAGE sql AS $$ SELECT ARRAY['農林課'] $$",
                (),
            ),
            (
                "CREATE OR REPLACE FUNCTION kushiro_my_departments() RETURNS TEXT[]"
                " LANGUAGE sql AS $$ SELECT ARRAY['農林課'] $$",
                (),
            ),
            (
                "CREATE OR REPLACE FUNCTION kushiro_is_planner() RETURNS BOOLEAN"
                " LANGUAGE sql AS $$ SELECT true $$",
                (),
            ),
            (
                "CREATE FUNCTION public.array_agg(TEXT) RETURNS TEXT[]"
                " LANGUAGE sql AS $$ SELECT ARRAY['農林課'] $$",
                (),
            ),
            ("ALTER FUNCTION kushiro_my_departments() OWNER TO current_user", ()),
            ("COMMENT ON TABLE entry IS 'mine'", ()),
            ("SELECT kushiro_audit_row()", ()),
            ("SELECT kushiro_entry_state_change()", ()),
            ("SELECT kushiro_report_stamp()", ()),
            ("SELECT kushiro_audit_kept()", ()),
            ("SELECT setval(c.oid, 1) FROM pg_class c WHERE c.relkind = 'S'", ()),
            ("UPDATE entry SET id = 'mine' WHERE id = %s", (mine.id,)),
            (
                "UPDATE entry SET direction_id = (SELECT direction_id FROM entry WHERE id = %s)"
                " WHERE id = %s",
                (other.id, mine.id),
            ),
            ("UPDATE entry SET version = version + 1 WHERE id = %s", (mine.id,)),
            ("UPDATE entry SET departments = %s WHERE id = %s", (f'["{DEPT}"]', other.id)),
            (
                "UPDATE entry SET actual = 'x' WHERE id = %s"
                " RETURNING (SELECT count(*) FROM server_snapshot)",
                (mine.id,),
            ),
        ]
        passed = _not_refused(conn, attempts)
        # Granting without the grant option is a warning that grants nothing.
        conn.execute("GRANT UPDATE ON entry TO current_user")
        conn.execute("GRANT ALL ON audit_log TO current_user")
        granted = conn.execute(
            "SELECT has_table_privilege('entry', 'UPDATE'),"
            " has_table_privilege('audit_log', 'INSERT'),"
            " has_table_privilege('audit_log', 'UPDATE'),"
            " has_table_privilege('server_snapshot', 'SELECT')"
        ).fetchone()
        assert granted == (False, False, False, False)
        # (TEMP is the database's to grant, and init takes it from PUBLIC)
        temp = conn.execute("SELECT has_database_privilege(current_database(), 'TEMP')")
        assert temp.fetchone()[0] is False
    assert passed == [], passed
    assert _everything(secured) == before


def test_a_department_writes_no_other_kpi_s_values_by_any_statement(secured, people):
    department, _planner, report = people
    own, other = _kpis(report)
    year = None
    before = _everything(secured)
    with secured.connect(department) as conn:
        if year is None:
            year = conn.execute(
                "SELECT fiscal_year FROM kpi_value WHERE kpi_id = %s LIMIT 1", (other.id,)
            ).fetchone()[0]
        attempts = [
            (
                "INSERT INTO kpi_value (kpi_id, fiscal_year, value) VALUES (%s, %s, '1')"
                " ON CONFLICT (kpi_id, fiscal_year) DO UPDATE SET value = excluded.value",
                (other.id, year),
            ),
            (  # its own KPI's new year, moved onto another KPI on the conflict
                "INSERT INTO kpi_value (kpi_id, fiscal_year, value) VALUES (%s, %s, '1')"
                " ON CONFLICT (kpi_id, fiscal_year) DO UPDATE SET value = '2'",
                (other.id, year),
            ),
            (
                "UPDATE kpi_value v SET value = '1' FROM kpi k WHERE k.id = v.kpi_id AND k.id = %s",
                (other.id,),
            ),
            (
                "WITH changed AS (UPDATE kpi_value SET value = '1' WHERE kpi_id = %s"
                " RETURNING 1) SELECT count(*) FROM changed",
                (other.id,),
            ),
            (
                "WITH made AS (INSERT INTO kpi_value (kpi_id, fiscal_year, value)"
                " VALUES (%s, 2999, '1') RETURNING 1) SELECT count(*) FROM made",
                (other.id,),
            ),
            ("UPDATE kpi_value SET kpi_id = %s WHERE kpi_id = %s", (other.id, own.id)),
            ("UPDATE kpi_value SET fiscal_year = fiscal_year + 1 WHERE kpi_id = %s", (own.id,)),
            ("UPDATE kpi SET departments = %s WHERE id = %s", (f'["{DEPT}"]', other.id)),
            ("UPDATE kpi_target SET value = '1' WHERE kpi_id = %s", (own.id,)),
            ("DELETE FROM kpi_target WHERE kpi_id = %s", (own.id,)),
        ]
        passed = _not_refused(conn, attempts)
        # A delete of rows the policy does not show it deletes none, even through a CTE.
        gone = conn.execute(
            "WITH gone AS (DELETE FROM kpi_value WHERE kpi_id = %s RETURNING 1)"
            " SELECT count(*) FROM gone",
            (other.id,),
        ).fetchone()[0]
        copying = "COPY kpi_value (kpi_id, fiscal_year, value) FROM STDIN"
        with pytest.raises(psycopg.Error), conn.cursor().copy(copying) as cp:
            cp.write_row((other.id, 2999, "1"))
    assert passed == [], passed
    assert gone == 0
    assert _everything(secured) == before


def test_a_department_reads_nothing_it_must_not(secured, people):
    department, planner, report = people
    _mine, other = _entries(report)
    with Store(secured.url(planner)) as office:
        loaded = office.load()
        target = next(e for e in (r.entry for r in rowstates.rows(loaded)) if e.id == other.id)
        edits.apply(office, loaded, [edits.SetField(target, "actual", f"<p>{SECRET}</p>")])
        snapshots.take(office, "manual", "提出版")
    before = _everything(secured)
    # A planner's session that sits with a secret in its last query.
    watched = secured.connect(planner)
    watched.execute("SELECT %s::text", (SECRET,))
    try:
        with secured.connect(department) as conn:
            refused = _not_refused(
                conn,
                [
                    ("SELECT * FROM server_snapshot", ()),
                    ("SELECT data FROM server_snapshot", ()),
                    ("SELECT count(*) FROM server_snapshot", ()),
                    ("COPY server_snapshot TO STDOUT", ()),
                    ("COPY entry TO '/tmp/kushiro_entry.txt'", ()),
                    ("COPY entry FROM '/etc/hostname'", ()),
                    ("COPY entry FROM PROGRAM 'id'", ()),
                    ("SELECT pg_read_file('/etc/hostname')", ()),
                    ("SELECT pg_ls_dir('.')", ()),
                    ("SELECT lo_import('/etc/hostname')", ()),
                    ("SELECT lo_export(lo_create(0), '/tmp/kushiro_lo')", ()),
                    ("SELECT * FROM pg_authid", ()),
                ],
            )
            activity = [
                row[0]
                for row in conn.execute(
                    "SELECT query FROM pg_stat_activity WHERE usename = %s", (planner,)
                )
            ]
            audit_rows = conn.execute(
                "SELECT count(*) FROM audit_log WHERE node_id = %s OR after LIKE %s",
                (other.id, f"%{SECRET}%"),
            ).fetchone()[0]
            # Whatever the search path, the record's policy asks the same mapping.
            tricked = []
            for path in ("pg_catalog", "information_schema", "pg_temp, public", "''"):
                try:
                    with conn.transaction():
                        conn.execute(f"SET LOCAL search_path = {path}")
                        tricked.append(
                            conn.execute(
                                "SELECT count(*) FROM public.audit_log"
                                " WHERE node_id = %s OR after LIKE %s",
                                (other.id, f"%{SECRET}%"),
                            ).fetchone()[0]
                        )
                except psycopg.Error:
                    tricked.append("refused")
    finally:
        watched.close()
    assert refused == [], refused
    assert activity and all(SECRET not in (query or "") for query in activity)
    assert audit_rows == 0
    assert all(count in (0, "refused") for count in tricked), tricked
    assert _everything(secured) == before
