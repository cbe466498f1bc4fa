"""Departments only where they belong, enforced by the server: a department login through
plain SQL (as psql would send it) and through the store, a planner, names that try injection."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from kushiro_editor.core import edits
from kushiro_editor.core.kpi import editing, fields
from kushiro_editor.core.model import Entry, ReportError
from kushiro_editor.core.server import audit, logins, roles, rowstates
from kushiro_editor.core.store import Store, declare_columns
from kushiro_editor.core.storeerror import StoreError
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

DEPT = "産業推進室"


def _mine_and_other(report, dept=DEPT) -> tuple[Entry, Entry]:
    entries = [row.entry for row in rowstates.rows(report)]
    mine = next(e for e in entries if dept in e.departments)
    other = next(e for e in entries if dept not in e.departments)
    return mine, other


def _kpis(report, dept=DEPT):
    listed = [kpi for _owner, kpi in fields.kpis(report)]
    return (
        next(k for k in listed if dept in k.departments and k.values),
        next(k for k in listed if dept not in k.departments and k.values),
    )


def _removal(report, entry: Entry) -> edits.Remove:
    parent = edits.parent_of(report, entry)
    return edits.Remove(parent, entry, edits.position_of(parent, entry))


@pytest.fixture
def department(secured):
    """A department login mapped to 産業推進室, and the report as the administrator sees it."""
    login = secured.login("sangyo")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, DEPT, login)
        report = admin.load()
    return login, report


def _actual(secured, entry_id: str) -> tuple:
    with psycopg.connect(secured.admin_url) as conn:
        return conn.execute(
            "SELECT actual, departments FROM entry WHERE id = %s", (entry_id,)
        ).fetchone()


def test_a_department_updates_only_its_own_rows_texts(secured, department):
    login, report = department
    mine, other = _mine_and_other(report)
    before = _actual(secured, other.id)
    with secured.connect(login) as conn:
        updated = conn.execute(
            "UPDATE entry SET actual = '自分の実績', actual_state = '' WHERE id = %s", (mine.id,)
        )
        assert updated.rowcount == 1
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE entry SET actual = '乗っ取り' WHERE id = %s", (other.id,))
        # Nor count another's row's version up (a false conflict for its writers).
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE entry SET version = version + 1 WHERE id = %s", (other.id,))
        # A sweeping update fails whole: not even its own rows change.
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE entry SET plan = '全部'")
    assert _actual(secured, mine.id)[0] == "自分の実績"
    assert _actual(secured, other.id) == before


def test_a_department_cannot_rename_move_insert_or_delete_rows(secured, department):
    login, report = department
    mine, _other = _mine_and_other(report)
    before = _actual(secured, mine.id)
    with secured.connect(login) as conn:
        for statement, params in (
            ("UPDATE entry SET departments = '[\"水産課\"]' WHERE id = %s", (mine.id,)),
            ("UPDATE entry SET position = 99 WHERE id = %s", (mine.id,)),
            ("UPDATE entry SET answered_by = 'x' WHERE id = %s", (mine.id,)),
            ("DELETE FROM entry WHERE id = %s", (mine.id,)),
            (
                "INSERT INTO entry (id, direction_id, position, departments)"
                " SELECT 'new', direction_id, 50, '[\"産業推進室\"]' FROM entry WHERE id = %s",
                (mine.id,),
            ),
            ("UPDATE goal SET title = 'x'", ()),
            ("DELETE FROM report", ()),
            ("UPDATE kpi SET name = 'x'", ()),
            (f"INSERT INTO {roles.LOGIN_TABLE} VALUES (current_user, '水産課')", ()),
            (f"DELETE FROM {roles.LOGIN_TABLE}", ()),
            ("CREATE TABLE mine (x int)", ()),
            ("UPDATE report SET modified_at = '1999-01-01T00:00:00+09:00'", ()),
            ("UPDATE report SET modified_at = 'いつか'", ()),
            ("UPDATE report SET title = 'x'", ()),
        ):
            with pytest.raises(errors.InsufficientPrivilege):
                conn.execute(statement, params)
        count = conn.execute("SELECT count(*) FROM entry").fetchone()[0]
        # It reads the whole report, and of the mapping only its own line.
        assert count == len(rowstates.rows(report))
        assert conn.execute(f"SELECT login, department FROM {roles.LOGIN_TABLE}").fetchall() == [
            (login, DEPT)
        ]
    assert _actual(secured, mine.id) == before


def test_a_department_changes_its_own_kpis_values_only(secured, department):
    login, report = department
    own, other = _kpis(report)
    with secured.connect(login) as conn:
        counted = conn.execute("UPDATE kpi SET version = version + 1 WHERE id = %s", (other.id,))
        assert counted.rowcount == 0  # another's KPI is not even seen to be counted up
        conn.execute("UPDATE kpi_value SET note = '速報値' WHERE kpi_id = %s", (own.id,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute("UPDATE kpi_value SET value = '1' WHERE kpi_id = %s", (other.id,))
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO kpi_value (kpi_id, fiscal_year, value) VALUES (%s, 2030, '1')",
                (other.id,),
            )
        # Deleting what the policy hides from it deletes nothing.
        gone = conn.execute("DELETE FROM kpi_value WHERE kpi_id = %s", (other.id,))
        assert gone.rowcount == 0
    with Store(secured.admin_url) as admin:
        after = admin.load()
    after_kpis = {kpi.id: kpi for _o, kpi in fields.kpis(after)}
    assert after_kpis[other.id].values == other.values
    assert {item.note for item in after_kpis[own.id].values} == {"速報値"}


def test_a_department_edits_through_the_one_edit_path(secured, department):
    login, _report = department
    with Store(secured.url(login)) as store:
        report = store.load()
        mine, other = _mine_and_other(report)
        own, theirs = _kpis(report)
        edits.apply(store, report, [edits.SetField(mine, "actual", "<p>実施した。</p>")])
        edits.apply(store, report, editing.set_value(own, 2020, "42", "速報値"))
        with pytest.raises(StoreError) as refused:
            edits.apply(store, report, [edits.SetField(other, "plan", "<p>実施する。</p>")])
        assert refused.value.failure == "permission"
        assert "\n" not in str(refused.value) and "権限がありません" in str(refused.value)
        with pytest.raises(StoreError) as refused:
            edits.apply(store, report, editing.set_value(theirs, 2020, "1"))
        assert refused.value.failure == "permission"
        with pytest.raises(StoreError) as refused:
            edits.apply(store, report, [edits.SetField(mine, "departments", ("水産課",))])
        assert refused.value.failure == "permission"
        with pytest.raises(StoreError):
            edits.apply(store, report, [_removal(report, mine)])
    with Store(secured.admin_url) as admin:
        stored = admin.load()
    by_id = {row.entry.id: row.entry for row in rowstates.rows(stored)}
    assert by_id[mine.id].actual == "<p>実施した。</p>"
    assert by_id[mine.id].departments == mine.departments
    assert by_id[other.id].plan == other.plan
    kpis = {kpi.id: kpi for _o, kpi in fields.kpis(stored)}
    assert kpis[theirs.id].values == theirs.values
    assert [(v.year, str(v.value), v.note) for v in kpis[own.id].values if v.year == 2020] == [
        (2020, "42", "速報値")
    ]


def test_a_planner_changes_everything(secured):
    login = secured.login("kikaku")
    with Store(secured.admin_url) as admin:
        logins.add_planner(admin, login)
    with Store(secured.url(login)) as store:
        assert logins.whoami(store).planner
        report = store.load()
        mine, other = _mine_and_other(report)
        edits.apply(
            store,
            report,
            [
                edits.SetField(other, "plan", "<p>企画課が直す。</p>"),
                edits.SetField(mine, "departments", ("水産課",)),
                edits.SetField(report.goals[0], "title", "【基本目標1】新しい名前"),
            ],
        )
        edits.apply(store, report, [_removal(report, other)])
        store.set_department_list(["水産課", "産業推進室"])
        again = store.load()
    entries = {row.entry.id: row.entry for row in rowstates.rows(again)}
    assert other.id not in entries and entries[mine.id].departments == ["水産課"]
    assert again.goals[0].title == "【基本目標1】新しい名前"


def test_the_tables_owner_never_logs_in_and_row_security_is_forced(secured):
    names = roles.role_names(secured.database)
    with psycopg.connect(secured.admin_url) as conn:
        owners = dict(
            conn.execute(
                "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        )
        forced = dict(
            conn.execute(
                "SELECT relname, relforcerowsecurity FROM pg_class WHERE relname = ANY(%s)",
                (["entry", "kpi_value", roles.LOGIN_TABLE, roles.STATE_TABLE],),
            ).fetchall()
        )
        can_login = conn.execute(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (names.owner,)
        ).fetchone()[0]
    assert set(owners.values()) == {names.owner}
    assert all(forced.values()) and len(forced) == 4
    assert not can_login
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(secured.url(names.owner)).close()


def test_init_twice_changes_nothing(secured):
    def policies():
        with psycopg.connect(secured.admin_url) as conn:
            return conn.execute(
                "SELECT tablename, policyname, cmd, roles::text, qual, with_check"
                " FROM pg_policies ORDER BY 1, 2"
            ).fetchall()

    first = policies()
    with Store(secured.admin_url) as admin:
        roles.init(admin)
    assert policies() == first and len(first) >= 10


def test_names_that_try_injection_stay_names(secured):
    hostile = "水産課'; DROP TABLE entry;--"
    login = secured.login('x"; DROP TABLE entry;--')
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, hostile, login)
        logins.grant(admin, login, '港湾空港課"); DELETE FROM report;--')
        listed = {item.name: item for item in logins.logins(admin)}
        assert listed[login].departments == tuple(
            sorted([hostile, '港湾空港課"); DELETE FROM report;--'])
        )
        assert admin.years() == [2020]
        assert len(rowstates.rows(admin.load())) == 70
    text = "<p>'); DROP TABLE entry;-- \\'; DELETE FROM report WHERE ''='</p>"
    with Store(secured.url(login)) as store:
        assert logins.whoami(store).departments == listed[login].departments
        with Store(secured.admin_url) as admin:
            logins.grant(admin, login, DEPT)
        report = store.load()
        mine, _other = _mine_and_other(report)
        edits.apply(store, report, [edits.SetField(mine, "actual", text)])
        rowstates.submit(store, report, [mine.id])
    with Store(secured.admin_url) as admin:
        again = admin.load()
        assert rowstates.states(admin, again)[mine.id].state == rowstates.SUBMITTED
    assert {row.entry.id: row.entry for row in rowstates.rows(again)}[mine.id].actual == text
    assert len(rowstates.rows(again)) == 70


def test_a_department_opens_the_store_without_altering_it(secured, department, monkeypatch):
    login, _report = department
    with Store(secured.url(login)) as store:
        # Nothing to declare: a current schema starts no writing transaction.
        monkeypatch.setattr(store.conn, "begin_write", lambda: pytest.fail("DDL attempted"))
        declare_columns(store.conn)
        assert store.conn.schema_version() > 0
        assert logins.whoami(store) == roles.Login(login, False, (DEPT,))


def test_administrative_steps_as_a_department_are_one_permission_line(secured, department):
    login, _report = department
    with Store(secured.url(login)) as store:
        for step in (
            lambda: roles.init(store),
            lambda: logins.add_department(store, "水産課", secured.login("other")),
            lambda: logins.grant(store, login, "水産課"),
        ):
            with pytest.raises(ReportError) as refused:
                step()
            assert "\n" not in str(refused.value)
            assert getattr(refused.value, "failure", "permission") == "permission"
        assert logins.whoami(store).departments == (DEPT,)


def test_a_store_file_keeps_no_roles_or_states(sample_store):
    report = sample_store.load()
    for step in (
        lambda: rowstates.states(sample_store, report),
        lambda: roles.init(sample_store),
        lambda: logins.logins(sample_store),
    ):
        with pytest.raises(ReportError, match="共有のデータベース"):
            step()


def test_a_planner_copies_a_file_up_after_init(pg_admin, tmp_path, sample_result):
    from kushiro_editor.core import storecopy
    from kushiro_editor.core.kpi import demo
    from tests.serverroles import Secured

    url, name = pg_admin
    with Store(url) as admin:
        roles.init(admin)  # (an empty database: the tables made, then secured)
    secured = Secured(url, name)
    try:
        login = secured.login("kikaku")
        with Store(url) as admin:
            logins.add_planner(admin, login)
        with Store(tmp_path / "a.sqlite3") as first, Store(secured.url(login)) as server:
            first.save(demo.demo_report(sample_result.report), sample_result.warnings)
            storecopy.copy(first, server)
            assert storecopy.contents(server) == storecopy.contents(first)
            assert server.load(2020) == first.load(2020)
    finally:
        secured.drop_roles()


def test_an_older_schema_is_left_to_the_administrator(secured, department):
    login, _report = department
    with psycopg.connect(secured.admin_url, autocommit=True) as conn:
        conn.execute("UPDATE kushiro_store SET value = '6' WHERE key = 'version'")
    with pytest.raises(ReportError, match="管理者が server init を実行するまで") as refused:
        Store(secured.url(login))
    assert "\n" not in str(refused.value)
    with psycopg.connect(secured.admin_url) as conn:
        assert conn.execute("SELECT value FROM kushiro_store WHERE key = 'version'").fetchone() == (
            "6",
        )


def test_a_long_department_name_is_kept_and_a_too_long_login_refused(secured):
    long_name = "こども保健部こども支援課子育て世代包括支援センター母子保健担当係"
    login = secured.login("long")
    with Store(secured.admin_url) as admin:
        assert len(long_name.encode("utf-8")) > 63
        logins.add_department(admin, long_name, login)
        assert {item.name: item for item in logins.logins(admin)}[login].departments == (long_name,)
        with pytest.raises(ReportError, match="63 バイトまで") as refused:
            logins.add_planner(admin, "企" * 22)
        assert "\n" not in str(refused.value)


def test_init_leaves_a_person_of_a_group_s_name_alone(pg_admin):
    from psycopg import sql

    from tests.serverroles import Secured

    url, name = pg_admin
    planner = roles.role_names(name).planner
    secured = Secured(url, name)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(planner)))
        with Store(url) as admin, pytest.raises(ReportError, match="すでにあります") as refused:
            roles.init(admin)
        assert "\n" not in str(refused.value)
        with psycopg.connect(url) as conn:
            assert conn.execute(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (planner,)
            ).fetchone() == (True,)
            # (the change record has its own policies from the first open, not from init)
            assert not conn.execute(
                "SELECT 1 FROM pg_policies WHERE tablename <> %s", (audit.LOG,)
            ).fetchall()
    finally:
        secured.drop_roles()
