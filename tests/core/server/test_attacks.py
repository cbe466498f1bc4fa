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
    department, planner = secured.people(DEPT, "sangyo")
    with Store(secured.admin_url) as admin:
        return department, planner, admin.load()


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
    """The statements (each in its own transaction) that the server neither refused nor
    left without a row to touch (what row security hides a statement silently skips)."""
    passed = []
    for statement, params in attempts:
        try:
            with conn.transaction():
                done = conn.execute(statement, params)
        except psycopg.Error:
            continue
        if done.rowcount != 0:
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
            # (its own row's version it counts up with every save; another's it may not)
            ("UPDATE entry SET version = version + 1 WHERE id = %s", (other.id,)),
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


def _state(secured, entry_id):
    with psycopg.connect(secured.admin_url) as conn:
        return conn.execute(
            f"SELECT state, comment, changed_by FROM {roles.STATE_TABLE} WHERE entry_id = %s",
            (entry_id,),
        ).fetchone()


def test_a_department_cannot_unfreeze_accept_or_forge_row_states(secured, people):
    department, planner, report = people
    mine, other = _entries(report)
    with Store(secured.url(department)) as dept:
        rowstates.submit(dept, report, [mine.id])
    before = _everything(secured)
    table = roles.STATE_TABLE
    with secured.connect(department) as conn:
        attempts = [
            (f"UPDATE {table} SET state = %s WHERE entry_id = %s", (roles.ACCEPTED, mine.id)),
            (f"UPDATE {table} SET state = %s WHERE entry_id = %s", (roles.DRAFT, mine.id)),
            (f"UPDATE {table} SET comment = 'x' WHERE entry_id = %s", (mine.id,)),
            (f"UPDATE {table} SET changed_by = %s WHERE entry_id = %s", (planner, mine.id)),
            (f"UPDATE {table} SET entry_id = %s WHERE entry_id = %s", (other.id, mine.id)),
            (f"DELETE FROM {table} WHERE entry_id = %s", (mine.id,)),
            (
                f"INSERT INTO {table} (entry_id, state) VALUES (%s, %s)"
                " ON CONFLICT (entry_id) DO UPDATE SET state = %s",
                (mine.id, roles.SUBMITTED, roles.DRAFT),
            ),
            (
                f"INSERT INTO {table} (entry_id, state, changed_by) VALUES (%s, %s, %s)",
                (other.id, roles.SUBMITTED, planner),
            ),
            (f"INSERT INTO {table} (entry_id, state) VALUES (%s, %s)", (other.id, roles.ACCEPTED)),
            # Frozen: none of its own row's texts, nor through the row's 未確認 marks.
            ("UPDATE entry SET actual = 'x' WHERE id = %s", (mine.id,)),
            ("UPDATE entry SET actual_state = '' WHERE id = %s", (mine.id,)),
        ]
        passed = _not_refused(conn, attempts)
    assert passed == [], passed
    assert _everything(secured) == before
    assert _state(secured, mine.id)[:2] == (roles.SUBMITTED, "")
    # A row never submitted cannot be put straight to 確認済み by it either.
    with secured.connect(department) as conn:
        fresh = next(r.entry for r in rowstates.rows(report, [DEPT]) if r.entry.id != mine.id)
        with pytest.raises(psycopg.Error):
            conn.execute(
                f"INSERT INTO {table} (entry_id, state) VALUES (%s, %s)",
                (fresh.id, roles.ACCEPTED),
            )
    assert _state(secured, fresh.id) is None


def test_a_department_stamps_the_report_with_the_present_in_the_store_s_own_form(secured, people):
    department, _planner, _report = people
    before = _everything(secured)
    with secured.connect(department) as conn:
        attempts = [
            ("UPDATE report SET modified_at = %s", (text,))
            for text in ("now", "today", "tomorrow", "yesterday", "allballs", "epoch")
        ] + [
            ("UPDATE report SET modified_at = now()::text || ' <script>'", ()),
            ("UPDATE report SET modified_at = to_char(now(), 'Dy Mon DD HH24:MI:SS YYYY')", ()),
            ("UPDATE report SET modified_at = now()::text || repeat(' ', 100000)", ()),
        ]
        passed = _not_refused(conn, attempts)
        # What the store writes is taken.
        conn.execute(
            "UPDATE report SET modified_at = to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SSOF') || ':00'"
        )
    assert passed == [], passed
    after = _everything(secured)
    assert {k: v for k, v in after.items() if k not in ("report", audit.LOG)} == {
        k: v for k, v in before.items() if k not in ("report", audit.LOG)
    }


def test_a_department_s_texts_cannot_carry_nul_or_swamp_the_server(secured, people):
    department, _planner, report = people
    mine, _other = _entries(report)
    before = _everything(secured)
    with secured.connect(department) as conn:
        attempts = [
            ("UPDATE entry SET actual = 'a' || chr(0) || 'b' WHERE id = %s", (mine.id,)),
            (
                "UPDATE entry SET actual = convert_from('\\x00'::bytea, 'UTF8') WHERE id = %s",
                (mine.id,),
            ),
            (
                "UPDATE entry SET actual = repeat('あ', 20000000) WHERE id = %s",
                (mine.id,),
            ),
        ]
        passed = _not_refused(conn, attempts)
        with pytest.raises(psycopg.DataError):  # (psycopg itself sends no NUL)
            conn.execute("UPDATE entry SET actual = %s WHERE id = %s", ("a\x00b", mine.id))
    assert passed == [], passed
    assert _everything(secured) == before


def test_a_login_of_two_departments_writes_both_rows_and_no_third(secured):
    login = secured.login("futatsu")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, DEPT, login)
        logins.add_department(admin, SECOND, login)
        report = admin.load()
    first = rowstates.rows(report, [DEPT])[0].entry
    second = rowstates.rows(report, [SECOND])[0].entry
    third = next(
        r.entry
        for r in rowstates.rows(report)
        if not {DEPT, SECOND}.intersection(r.entry.departments)
    )
    before = _everything(secured)
    with secured.connect(login) as conn:
        for entry in (first, second):
            done = conn.execute("UPDATE entry SET plan = '両方' WHERE id = %s", (entry.id,))
            assert done.rowcount == 1
        passed = _not_refused(
            conn,
            [
                ("UPDATE entry SET plan = '三つ目' WHERE id = %s", (third.id,)),
                (
                    "UPDATE entry SET plan = '三つ目' WHERE id = ANY(%s)",
                    ([first.id, second.id, third.id],),
                ),
            ],
        )
        mapped = conn.execute(f"SELECT department FROM {roles.LOGIN_TABLE}").fetchall()
    assert passed == [], passed
    assert sorted(mapped) == sorted([(DEPT,), (SECOND,)])
    with psycopg.connect(secured.admin_url) as conn:
        plans = dict(conn.execute("SELECT id, plan FROM entry").fetchall())
    assert plans[first.id] == plans[second.id] == "両方"
    assert plans[third.id] != "三つ目"
    unchanged = {k: v for k, v in _everything(secured).items() if k not in ("entry", audit.LOG)}
    assert unchanged == {k: v for k, v in before.items() if k not in ("entry", audit.LOG)}


def test_a_planner_cannot_rewrite_the_record_or_the_rules(secured, people):
    _department, planner, report = people
    mine, _other = _entries(report)
    names = roles.role_names(secured.database)
    with Store(secured.url(planner)) as office:
        loaded = office.load()
        target = next(r.entry for r in rowstates.rows(loaded) if r.entry.id == mine.id)
        edits.apply(office, loaded, [edits.SetField(target, "actual", "<p>記録に残る。</p>")])
        snapshots.take(office, "manual", "提出版")
    before = _everything(secured)
    assert before[audit.LOG]
    with secured.connect(planner) as conn:
        attempts = [
            ("UPDATE audit_log SET changed_by = 'someone'", ()),
            ("UPDATE audit_log SET after = 'x' WHERE node_id = %s", (mine.id,)),
            ("DELETE FROM audit_log", ()),
            ("DELETE FROM audit_log WHERE node_id = %s", (mine.id,)),
            ("TRUNCATE audit_log", ()),
            (
                "INSERT INTO audit_log (table_name, action, node_id, changed_by)"
                " VALUES ('entry', 'update', %s, 'someone')",
                (mine.id,),
            ),
            ("ALTER TABLE audit_log DISABLE TRIGGER kushiro_audit_kept", ()),
            (f"ALTER TABLE entry DISABLE TRIGGER {audit.TRIGGER}", ()),
            (f"DROP TRIGGER {audit.TRIGGER} ON entry", ()),
            ("ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY", ()),
            ("DROP POLICY audit_log_read ON audit_log", ()),
            ("DROP TABLE audit_log", ()),
            ("DROP TABLE entry CASCADE", ()),
            ("ALTER TABLE entry NO FORCE ROW LEVEL SECURITY", ()),
            ("SET session_replication_role = replica", ()),
            (sql.SQL("SET ROLE {}").format(sql.Identifier(names.owner)), ()),
            (sql.SQL("GRANT {} TO current_user").format(sql.Identifier(names.owner)), ()),
            (
                "CREATE OR REPLACE FUNCTION kushiro_audit_row() RETURNS trigger"
                " LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                (),
            ),
            ("CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$", ()),
            ("UPDATE server_snapshot SET data = '\\x00'::bytea", ()),
            ("UPDATE server_snapshot SET taken_by = 'someone'", ()),
            ("UPDATE server_snapshot SET name = '差し替え'", ()),
            (
                "INSERT INTO server_snapshot (reason, data, taken_by) VALUES ('manual', '', %s)",
                (_department,),
            ),
            (
                f"UPDATE {roles.STATE_TABLE} SET state = %s WHERE entry_id = %s",
                (roles.ACCEPTED, mine.id),
            ),
        ]
        passed = _not_refused(conn, attempts)
    assert passed == [], passed
    assert _everything(secured) == before


@pytest.fixture
def with_temp(secured, people):
    """The departments' group given TEMP on the database, as an office may for its tools."""
    names = roles.role_names(secured.database)
    with _privileged(secured) as conn:
        conn.execute(
            sql.SQL("GRANT TEMPORARY ON DATABASE {} TO {}").format(
                sql.Identifier(secured.database), sql.Identifier(names.department)
            )
        )
    return people


def test_a_temporary_mapping_does_not_show_another_department_s_history(secured, with_temp):
    department, planner, report = with_temp
    _mine, other = _entries(report)
    with Store(secured.url(planner)) as office:
        loaded = office.load()
        target = next(r.entry for r in rowstates.rows(loaded) if r.entry.id == other.id)
        edits.apply(office, loaded, [edits.SetField(target, "actual", f"<p>{SECRET}</p>")])
    with secured.connect(department) as conn:
        conn.execute("CREATE TEMP TABLE department_login (login TEXT, department TEXT)")
        conn.execute(
            "INSERT INTO pg_temp.department_login SELECT current_user, d FROM unnest(%s::text[]) d",
            (list(other.departments),),
        )
        mine = conn.execute("SELECT kushiro_my_departments()").fetchone()[0]
        seen = conn.execute(
            "SELECT count(*) FROM audit_log WHERE node_id = %s", (other.id,)
        ).fetchone()[0]
    assert mine == [DEPT]
    assert seen == 0


def test_a_temporary_table_does_not_take_a_department_s_changes_out_of_the_record(
    secured, with_temp
):
    department, _planner, report = with_temp
    mine, _other = _entries(report)
    with secured.connect(department) as conn:
        conn.execute("CREATE TEMP TABLE audit_log AS SELECT * FROM public.audit_log WITH NO DATA")
        conn.execute("CREATE TEMP TABLE kpi (LIKE public.kpi)")
        # Its own tables it may open to anyone, the log's owner too.
        conn.execute("GRANT ALL ON pg_temp.audit_log, pg_temp.kpi TO PUBLIC")
        conn.execute("UPDATE entry SET actual = '<p>記録に残す。</p>' WHERE id = %s", (mine.id,))
        kept_aside = conn.execute("SELECT count(*) FROM pg_temp.audit_log").fetchone()[0]
    with psycopg.connect(secured.admin_url) as conn:
        recorded = conn.execute(
            "SELECT changed_by, after FROM audit_log WHERE node_id = %s AND field = 'actual'",
            (mine.id,),
        ).fetchall()
    assert kept_aside == 0
    assert recorded == [(department, "<p>記録に残す。</p>")]


def test_the_security_definer_functions_fix_their_search_path(secured):
    with _privileged(secured) as conn:
        found = conn.execute(
            "SELECT p.proname, p.proconfig, has_function_privilege('public', p.oid, 'EXECUTE')"
            " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE p.prosecdef AND n.nspname = current_schema()"
        ).fetchall()
    assert [name for name, _config, _public in found] == ["kushiro_audit_row"]
    for _name, config, public in found:
        path = next(c for c in config if c.startswith("search_path="))
        assert path.replace(" ", "").endswith(",pg_temp"), path
        assert not public


def test_init_again_closes_what_an_earlier_init_left_open(secured):
    names = roles.role_names(secured.database)
    with _privileged(secured) as conn:
        # As the init before these fixes left a database.
        conn.execute("ALTER FUNCTION kushiro_audit_row() SET search_path = pg_catalog, public")
        conn.execute(
            sql.SQL("GRANT INSERT ON server_snapshot TO {}").format(sql.Identifier(names.planner))
        )
        conn.execute(
            "CREATE OR REPLACE FUNCTION kushiro_my_departments() RETURNS TEXT[]"
            " LANGUAGE sql STABLE AS $$ SELECT coalesce(array_agg(department), '{}')"
            " FROM department_login WHERE login = current_user $$"
        )
    with Store(secured.admin_url) as admin:
        roles.init(admin)
    with _privileged(secured) as conn:
        config, body = conn.execute(
            "SELECT (SELECT proconfig FROM pg_proc WHERE proname = 'kushiro_audit_row'),"
            " (SELECT prosrc FROM pg_proc WHERE proname = 'kushiro_my_departments')"
        ).fetchone()
        forged = conn.execute(
            "SELECT has_column_privilege(%s, 'server_snapshot', 'taken_by', 'INSERT'),"
            " has_column_privilege(%s, 'server_snapshot', 'created', 'INSERT'),"
            " has_column_privilege(%s, 'server_snapshot', 'data', 'INSERT')",
            (names.planner,) * 3,
        ).fetchone()
    assert config == ["search_path=pg_catalog, public, pg_temp"]
    assert '"public"."department_login"' in body
    assert forged == (False, False, True)
