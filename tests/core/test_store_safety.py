"""The store under a careless or unlucky hand (issue 26): an empty file, a full disk,
two processes creating one store, a lock file left empty."""

from __future__ import annotations

import collections
import fcntl
import sqlite3

import pytest

from kushiro_editor import appdata
from kushiro_editor.core import database, migrations, storeerror
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


# -- an empty file ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [["dump"], ["reports"], ["check"], ["export", "--json", "{out}"], ["inquiry", "status"]],
)
def test_a_reading_command_leaves_an_empty_file_empty(tmp_path, capsys, command):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    args = [a.replace("{out}", str(tmp_path / "out.json")) for a in command]
    code, _out, err = run_cli(capsys, *args, "--db", empty)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1, err
    assert "空のファイル" in lines[0] and "データファイルではありません" in lines[0]
    assert empty.stat().st_size == 0
    assert not (tmp_path / "out.json").exists()


def test_a_writing_command_may_start_a_store_in_an_empty_file(tmp_path, sample_file, capsys):
    # `touch store.sqlite3; kushiro-editor import … --db store.sqlite3` makes the store.
    empty = tmp_path / "store.sqlite3"
    empty.touch()
    assert run_cli(capsys, "import", sample_file, "--db", empty)[0] == 0
    with Store(empty) as store:
        assert store.years() == [2020]


# -- a full disk ------------------------------------------------------------------------
def _io_error(name: str) -> sqlite3.OperationalError:
    # What SQLite raises when its shared memory cannot grow on a full disk.
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 4874
    error.sqlite_errorname = name
    return error


def test_an_io_error_on_a_full_disk_is_called_full(db, monkeypatch):
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(storeerror.shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 0))
    error = storeerror.translate(_io_error("SQLITE_IOERR_SHMSIZE"), db)
    assert error.failure == "full"
    assert "ディスクの空きが足りない" in str(error)
    assert "スナップショット" not in str(error) and "壊れて" not in str(error)


def test_an_io_error_with_room_left_is_no_damage_either(db, monkeypatch):
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(storeerror.shutil, "disk_usage", lambda _p: usage(10**12, 0, 10**12))
    error = storeerror.translate(_io_error("SQLITE_IOERR_WRITE"), db)
    assert error.failure == "io"
    assert "スナップショット" not in str(error) and "壊れて" not in str(error)


# -- two processes creating one store ---------------------------------------------------
class _Racing:
    """A connection whose first write transaction comes just after another process
    made the same store: the interleaving two imports into a new store can meet."""

    def __init__(self, conn: sqlite3.Connection, path) -> None:
        self._conn = conn
        self._path = path
        self.raced = False

    def begin_write(self):
        if not self.raced:
            self.raced = True
            Store(self._path).close()  # the other process, start to end
        self._conn.begin_write()

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_a_store_made_meanwhile_by_another_process_is_not_migrated_twice(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = database.connect_file(path)
    racing = _Racing(conn, path)
    try:
        assert migrations.migrate(racing, path) == 0
        assert racing.raced
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    finally:
        conn.close()
    with Store(path) as store:
        assert store.years() == []


# -- a lock file left empty -------------------------------------------------------------
def test_an_empty_lock_no_process_holds_is_taken_over(db, capsys):
    lock = appdata.StoreLock(db).path
    lock.write_bytes(b"")  # a process killed between creating its lock and writing it
    code, _out, err = run_cli(capsys, "departments", "--add", "新設課", "--db", db)
    assert code == 0, err
    with Store(db) as store:
        assert "新設課" in store.department_list()
    assert not lock.exists()


def test_an_empty_lock_a_process_holds_still_refuses(db, capsys):
    lock = appdata.StoreLock(db).path
    lock.write_bytes(b"")
    with lock.open("rb") as held:  # a holder that has not written who it is yet
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        code, _out, err = run_cli(capsys, "departments", "--add", "新設課", "--db", db)
    assert code == 2 and "使用中" in err, err
    assert lock.exists()
    with Store(db) as store:
        assert "新設課" not in store.department_list()


def test_a_live_editors_lock_still_refuses(db, capsys):
    with appdata.StoreLock(db):
        code, _out, err = run_cli(capsys, "departments", "--add", "新設課", "--db", db)
    assert code == 2 and "使用中" in err, err
