"""Fuzzing the store file and the snapshot folder: a clear ReportError or a working store."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kushiro_editor.core import database, snapshots
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.store import Store

pytestmark = pytest.mark.slow

DAMAGE = st.lists(
    st.tuples(st.integers(min_value=0, max_value=400_000), st.binary(min_size=1, max_size=512)),
    min_size=1,
    max_size=6,
)


@pytest.fixture
def pristine(sample_store, tmp_path):
    """A closed copy of the sample store to damage."""
    sample_store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = tmp_path / "pristine.sqlite3"
    shutil.copyfile(sample_store.path, path)
    return path


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=DAMAGE)
# A row's parent id read from a damaged page that its index still found (a KeyError once).
@example(damage=[(399999, b"\x00")])
def test_damaged_pages_give_a_report_error_or_a_store_that_reads(pristine, tmp_path, damage):
    path = tmp_path / "damaged.sqlite3"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    data = bytearray(pristine.read_bytes())
    for offset, chunk in damage:
        where = offset % len(data)
        data[where : where + len(chunk)] = chunk
    path.write_bytes(bytes(data[: len(pristine.read_bytes())]))
    try:
        with Store(path) as store:
            for year in store.years():
                store.load(year)
            store.delete_report(2020)
    except ReportError:
        pass  # one clear message: the class the command line prints as one line


def test_a_locked_store_refuses_writes_clearly(pristine):
    holder = sqlite3.connect(pristine, isolation_level=None, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.__new__(Store)  # a store opened before the lock, with a short wait
        store.path, store._depth = pristine, 0
        store.conn = sqlite3.connect(
            pristine, isolation_level=None, timeout=0.1, factory=database.SqliteConnection
        )
        with pytest.raises(ReportError, match="使用中"):
            store.delete_report(2020)
        store.conn.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(pristine) as store:
        assert store.years() == [2020]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.text(min_size=1, max_size=80), max_size=8))
def test_any_file_in_the_snapshot_folder_lists_or_is_ignored(sample_store, names):
    folder = snapshots.folder_of(sample_store.path)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in names:
        safe = "".join(ch for ch in name if ch not in "/\\\x00" and not 0xD800 <= ord(ch) < 0xE000)
        for candidate in (f"{safe}.sqlite3", f"2021{safe[:4]}-000000-000__manual__{safe}.sqlite3"):
            try:
                (folder / candidate).write_bytes(name.encode("utf-8", "replace"))
            except OSError:
                continue  # a name the file system refuses is not in the folder
    listed = snapshots.snapshots(sample_store.path)
    for snapshot in listed:
        assert snapshot.path.parent == folder
