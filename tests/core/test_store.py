"""The SQLite store: schema, migrations, transactions and node operations."""

from __future__ import annotations

import sqlite3

import pytest

from kushiro_editor.core import database, migrations
from kushiro_editor.core.model import Entry, Goal, MainProject, ReportError
from kushiro_editor.core.store import APPLICATION_ID, ReportExistsError, Store
from kushiro_editor.core.storeerror import StoreError
from kushiro_editor.formats import reportjson


def test_new_file_is_migrated_from_empty(store_path):
    with Store(store_path) as store:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"report", "goal", "direction", "measure", "main_project", "entry"} <= tables
        assert store.reports() == []
        assert store.integrity_ok()


def test_reopening_keeps_everything(sample_store, store_path):
    before = reportjson.dumps(sample_store.load())
    sample_store.close()
    with Store(store_path) as again:
        assert reportjson.dumps(again.load()) == before


@pytest.mark.both_engines
def test_store_round_trip_is_identical(sample_store, sample_result):
    expected = reportjson.dumps(sample_result.report, sample_result.warnings)
    loaded = sample_store.load(2020)
    assert reportjson.dumps(loaded, sample_store.warnings(2020)) == expected


def test_migration_copies_the_old_file_first(store_path, monkeypatch, sample_result):
    with Store(store_path) as store:
        store.save(sample_result.report)

    def next_version(conn):
        conn.execute("ALTER TABLE report ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    current = migrations.LATEST
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, next_version])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with Store(store_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert store.load().title == sample_result.report.title
    folder = store_path.with_name(store_path.name + ".snapshots")
    backups = list(folder.glob("*__migration__*.sqlite3"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == current
    assert old.execute("SELECT count(*) FROM entry").fetchone()[0] == 70
    old.close()


def test_failed_migration_leaves_the_previous_version(store_path, monkeypatch):
    Store(store_path).close()
    current = migrations.LATEST

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError):
        Store(store_path)
    conn = sqlite3.connect(store_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current
    assert not conn.execute("SELECT name FROM sqlite_master WHERE name='half_done'").fetchall()
    conn.close()


def test_file_from_a_newer_editor_is_refused(store_path):
    Store(store_path).close()
    conn = sqlite3.connect(store_path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    conn.close()
    with pytest.raises(ReportError, match="新しい版"):
        Store(store_path)


def test_other_sqlite_files_and_junk_are_refused(tmp_path):
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ReportError, match="進捗報告エディタのデータではありません"):
        Store(other)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ReportError, match="壊れているか"):
        Store(junk)


@pytest.mark.both_engines
def test_same_year_is_refused_unless_replaced(sample_store, sample_result):
    with pytest.raises(ReportExistsError):
        sample_store.save(sample_result.report)
    sample_result.report.title = "置き換え"
    sample_store.save(sample_result.report, replace=True)
    assert [r.title for r in sample_store.reports()] == ["置き換え"]


@pytest.mark.both_engines
def test_same_file_for_two_years_gets_fresh_ids(sample_store, sample_result):
    sample_result.report.actual_year = 2021
    sample_store.save(sample_result.report, sample_result.warnings)
    first, second = sample_store.load(2020), sample_store.load(2021)
    assert set(first.all_ids()).isdisjoint(second.all_ids())
    node_ids = set(second.all_ids())
    assert all(w.node_id in node_ids for w in sample_store.warnings(2021) if w.node_id)


@pytest.mark.both_engines
def test_failed_save_changes_nothing(sample_store, sample_result):
    before = sample_store.conn.execute("SELECT count(*) FROM entry").fetchone()[0]
    report = sample_result.report
    report.actual_year = 2030
    # The very last row fails (NOT NULL), after everything before it was written.
    report.goals[-1].directions[-1].entries[-1].actual = None
    with pytest.raises(StoreError) as caught:
        sample_store.save(report)
    assert caught.value.failure == "value"  # (sqlite3.IntegrityError or NotNullViolation)
    assert caught.value.failure == "value"
    assert sample_store.years() == [2020]
    assert sample_store.conn.execute("SELECT count(*) FROM entry").fetchone()[0] == before


@pytest.mark.both_engines
def test_update_insert_move_delete(sample_store):
    report = sample_store.load()
    direction = report.goals[0].directions[0]
    entry = direction.entries[0]
    sample_store.update(
        [
            ("entry", entry.id, "actual", "<p>新しい実績</p>"),
            ("entry", entry.id, "departments", ["農林課", "水産課"]),
        ]
    )
    again = sample_store.load()
    assert again.goals[0].directions[0].entries[0].actual == "<p>新しい実績</p>"
    assert again.goals[0].directions[0].entries[0].departments == ["農林課", "水産課"]

    new = Entry(departments=["博物館"], actual="<p>追加</p>")
    sample_store.insert(new, direction.id, 1)
    names = [e.departments for e in sample_store.load().goals[0].directions[0].entries]
    assert names == [["農林課", "水産課"], ["博物館"], ["水産課"]]

    target = report.goals[1].directions[0]
    sample_store.move("entry", new.id, target.id, 0)
    loaded = sample_store.load()
    assert [e.departments for e in loaded.goals[0].directions[0].entries] == [
        ["農林課", "水産課"],
        ["水産課"],
    ]
    assert loaded.goals[1].directions[0].entries[0].id == new.id

    sample_store.delete("direction", target.id)
    loaded = sample_store.load()
    assert len(loaded.goals[1].directions) == 4
    assert loaded.find_node(new.id) is None
    assert sample_store.integrity_ok()
    positions = sample_store.conn.execute(
        "SELECT position FROM direction WHERE goal_id = ? ORDER BY position", (loaded.goals[1].id,)
    ).fetchall()
    assert [p[0] for p in positions] == [0, 1, 2, 3]


@pytest.mark.both_engines
def test_insert_a_whole_goal_with_children(sample_store):
    report = sample_store.load()
    goal = report.goals[3]
    sample_store.delete("goal", goal.id)
    assert len(sample_store.load().goals) == 3
    sample_store.insert(goal, report.id, 3)
    assert reportjson.dumps(sample_store.load()) == reportjson.dumps(report)


@pytest.mark.both_engines
def test_update_rejects_unknown_fields_and_ids(sample_store):
    entry_id = sample_store.load().goals[0].directions[0].entries[0].id
    with pytest.raises(ValueError):
        sample_store.update([("entry", entry_id, "id", "x")])
    with pytest.raises(KeyError):
        sample_store.update([("entry", "missing", "actual", "")])


@pytest.mark.both_engines
def test_a_failed_action_rolls_back_completely(sample_store):
    report = sample_store.load()
    first = report.goals[0].directions[0].entries[0]
    with pytest.raises(KeyError):
        sample_store.update(
            [("entry", first.id, "actual", "<p>途中</p>"), ("entry", "missing", "actual", "")]
        )
    assert sample_store.load().goals[0].directions[0].entries[0].actual == first.actual


@pytest.mark.both_engines
def test_project_and_goal_fields(sample_store):
    report = sample_store.load()
    project = report.goals[0].directions[1].main_projects[0]
    sample_store.update(
        [
            ("project", project.id, "relisted", True),
            ("goal", report.goals[0].id, "title", "新しい目標"),
        ]
    )
    loaded = sample_store.load()
    assert loaded.goals[0].directions[1].main_projects[0].relisted is True
    assert loaded.goals[0].title == "新しい目標"
    assert isinstance(loaded.goals[0], Goal)
    assert isinstance(loaded.goals[0].directions[1].main_projects[0], MainProject)


def test_load_missing_year_and_empty_store(store_path):
    with Store(store_path) as store:
        with pytest.raises(ReportError, match="報告がありません"):
            store.load()
        with pytest.raises(ReportError, match="2020年度"):
            store.load(2020)


def test_version_1_files_are_migrated_to_the_department_list(store_path):
    """A store written by the first release gains the later tables and keeps its reports."""
    conn = database.connect_file(store_path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrations._v1(conn)
    conn.execute("PRAGMA user_version = 1")
    conn.executescript(
        """INSERT INTO report VALUES ('r', '報告', 2020, 'x', 'x');
           INSERT INTO goal VALUES ('g', 'r', 0, '目標');
           INSERT INTO direction VALUES ('d', 'g', 0, '方向');
           INSERT INTO entry (id, direction_id, position, departments, actual, plan)
           VALUES ('e', 'd', 0, '["農林課"]', '<p>実施した。</p>', '<p>実施する。</p>');"""
    )
    conn.close()
    with Store(store_path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        assert store.department_list() == []
        assert store.inquiries("r") == {}
        store.set_department_list(["農林課", "水産課", "農林課", " "])
        assert store.department_list() == ["農林課", "水産課"]
        store.add_departments(["水産課", "博物館"])
        assert store.department_list() == ["農林課", "水産課", "博物館"]
        report = store.load()
        assert report.goals[0].directions[0].entries[0].actual == "<p>実施した。</p>"
    folder = store_path.with_name(store_path.name + ".snapshots")
    assert list(folder.glob("*__migration__*.sqlite3"))


def test_a_migration_that_fails_in_sqlite_says_so(store_path, monkeypatch):
    Store(store_path).close()

    def clash(conn):
        conn.execute("CREATE TABLE report (x)")  # already exists

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, clash])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(ReportError, match=r"形式を更新できませんでした.*更新前のまま.*写し"):
        Store(store_path)


def test_a_damaged_negative_format_number_is_one_message(store_path, sample_store):
    """The header's user_version bytes damaged to a negative number (found by fuzzing)."""
    sample_store.close()
    data = bytearray(store_path.read_bytes())
    data[60:64] = b"\x80\x00\x00\x00"
    store_path.write_bytes(bytes(data))
    with pytest.raises(ReportError, match="形式の番号が壊れている"):
        Store(store_path)
