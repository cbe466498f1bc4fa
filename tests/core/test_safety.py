"""One editor per store, and snapshots to compare with and go back to."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kushiro_editor.appdata import StoreLock, StoreLockedError
from kushiro_editor.cli import main as cli
from kushiro_editor.core import richtext, snapshots
from kushiro_editor.core.model import ReportError

ROOT = Path(__file__).resolve().parents[2]


def test_one_writer_at_a_time(store_path):
    first = StoreLock(store_path)
    first.acquire()
    second = StoreLock(store_path)
    with pytest.raises(StoreLockedError, match="使用中") as caught:
        second.acquire(timeout_ms=50)
    assert caught.value.holder.pid == os.getpid()
    first.release()
    second.acquire()
    second.release()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_lock_left_by_a_killed_process_is_recovered(store_path):
    code = (
        "import sys,time; from kushiro_editor.appdata import StoreLock; "
        f"lock = StoreLock({str(store_path)!r}); lock.acquire(); print('locked', flush=True); "
        "time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert child.stdout.readline().strip() == "locked"
    with pytest.raises(StoreLockedError):
        StoreLock(store_path).acquire(timeout_ms=50)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert store_path.with_name(store_path.name + ".lock").exists()  # left behind
    lock = StoreLock(store_path)
    lock.acquire()  # stale: its process is gone
    lock.release()


def test_writing_commands_refuse_a_store_in_use(sample_store, store_path, capsys):
    lock = StoreLock(store_path)
    lock.acquire()
    try:
        code = cli.main(
            [
                "import",
                str(ROOT / "resources/sample/kushiro_progress_r2_r3.tsv"),
                "--db",
                str(store_path),
                "--replace",
            ]
        )
        _out, err = capsys.readouterr()
        assert code == 2 and "使用中" in err and err.count("\n") == 1
        # Reading needs no lock.
        assert cli.main(["check", "--db", str(store_path), "--limit", "0"]) == 1
        assert cli.main(["dump", "--db", str(store_path)]) == 0
    finally:
        lock.release()


def test_a_second_window_opens_read_only(sample_store, store_path, tmp_path):
    lock = StoreLock(store_path)
    lock.acquire()
    try:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, str(ROOT / "app.py"), "--check", "--db", str(store_path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().endswith("read-only")
    finally:
        lock.release()


@pytest.mark.both_engines
def test_snapshots_create_list_compare_restore(sample_store, engine):
    named = snapshots.take(sample_store, "manual", "提出版 2021-05-31")
    assert named.named and named.name == "提出版 2021-05-31"
    if engine == "sqlite":
        assert snapshots.folder_of(sample_store.path).is_dir()
    else:
        assert named.path is None and snapshots.years_in(named) == [2020]
    report = sample_store.load()
    entry = report.goals[0].directions[0].entries[0]
    sample_store.update(
        [
            ("entry", entry.id, "actual", "<p>書き換えた実績</p>"),
            ("goal", report.goals[1].id, "title", "新しい題名"),
        ]
    )
    current = sample_store.load()
    with snapshots.open_snapshot(named) as old:
        differences = snapshots.compare(current, old.load(2020))
    fields = {(d.where, d.field) for d in differences}
    assert ("【基本目標1】① 農林課", "実績") in fields and ("【基本目標2】", "題名") in fields
    assert len(differences) == 2
    restored, before = snapshots.restore(sample_store, named, 2020)
    assert restored.actual_year == 2020
    assert sample_store.load().goals[0].directions[0].entries[0].actual == entry.actual
    assert before.reason == "restore"
    # Restoring is undone by restoring what was snapshotted first.
    snapshots.restore(sample_store, before, 2020)
    again = sample_store.load()
    assert richtext.to_plain(again.goals[0].directions[0].entries[0].actual) == "書き換えた実績"
    assert again.goals[1].title == "新しい題名"
    listed = snapshots.snapshots(sample_store)
    assert [s.reason for s in listed[:2]] == ["restore", "restore"] and listed[-1] == named
    assert snapshots.find(sample_store, str(len(listed))) == named
    assert snapshots.find(sample_store, named.id) == named
    with pytest.raises(ReportError):
        snapshots.find(sample_store, "99")


@pytest.mark.both_engines
def test_snapshots_are_checked_copies_and_pruned(sample_store, engine):
    for _ in range(5):
        snapshots.take(sample_store, "import", keep=3)
        time.sleep(0.002)
    kept = snapshots.take(sample_store, "manual", "残す", keep=3)
    for _ in range(3):
        snapshots.take(sample_store, "daily", keep=3)
        time.sleep(0.002)
    listed = snapshots.snapshots(sample_store)
    assert sum(1 for s in listed if not s.named) == 3
    assert kept in listed
    for snapshot in listed:
        with snapshots.open_snapshot(snapshot) as copy:
            assert copy.integrity_ok()
            assert len(list(copy.load().entries())) == 70
    assert snapshots.taken_today(sample_store)
    if engine == "sqlite":
        assert not list(snapshots.folder_of(sample_store.path).glob(".*.tmp"))
    else:
        count = sample_store.conn.execute("SELECT count(*) FROM server_snapshot").fetchone()[0]
        assert count == len(listed) == 4


def test_imports_and_yearly_work_snapshot_first(tmp_path, capsys):
    db = tmp_path / "x.sqlite3"
    sample = str(ROOT / "resources/sample/kushiro_progress_r2_r3.tsv")
    assert cli.main(["import", sample, "--db", str(db)]) == 0
    assert snapshots.snapshots(db) == []  # nothing to keep before the first report
    assert cli.main(["import", sample, "--db", str(db), "--replace"]) == 0
    assert cli.main(["rollover", "2020", "--db", str(db)]) == 0
    assert cli.main(["snapshot", "create", "提出版", "--db", str(db)]) == 0
    reasons = [s.reason for s in snapshots.snapshots(db)]
    assert reasons == ["manual", "rollover", "import"]
    capsys.readouterr()
    assert cli.main(["snapshot", "list", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "名前付き" in out and "新年度作成の前" in out
    # By name or by the id the list shows (a position would shift with every snapshot).
    assert cli.main(["snapshot", "diff", "提出版", "--db", str(db), "--year", "2021"]) == 0
    oldest = snapshots.snapshots(db)[2].id
    assert cli.main(["snapshot", "restore", oldest, "--db", str(db), "--year", "2020"]) == 0
    out = capsys.readouterr().out
    assert "戻す前の状態はスナップショット" in out
