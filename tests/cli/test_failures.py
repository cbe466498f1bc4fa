"""Issue 13's classes on the command line: one Japanese line, exit 2, the store as it was."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest

from kushiro_editor.core import snapshotnames
from kushiro_editor.core.store import Store
from kushiro_editor.core.storeerror import StoreError, translate
from tests.cli.running import run_cli


def _digest(path) -> str:
    with Store(path) as store:
        return hashlib.sha256(
            json.dumps([store.load(y).title for y in store.years()]).encode()
            + repr([(i.actual_year, i.entries) for i in store.reports()]).encode()
        ).hexdigest()


def _refused(capsys, *args, contains: str):
    code, _out, err = run_cli(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert contains in lines[0], lines[0]
    assert "Traceback" not in err
    return lines[0]


# -- 1. values at the door -----------------------------------------------------------
def test_years_outside_the_eras_and_huge_numbers_are_refused(db, sample_file, capsys):
    before = _digest(db)
    _refused(capsys, "import", sample_file, "--db", db, "--year", "1800", contains="1800年度")
    _refused(capsys, "dump", "--db", db, "--year", "9" * 30, contains="年度として読めません")
    _refused(capsys, "dump", "--db", db, "--year", "9999", contains="対応していない年")
    assert _digest(db) == before


@pytest.mark.parametrize("typed", ["R150", "令和999年度", "R2.5", "2020.9", "20201", "R2年度版"])
def test_a_year_is_read_whole_or_refused(db, sample_file, capsys, typed):
    # Once stored as R15, R99 or 2020: a typed year is the whole argument or nothing.
    before = _digest(db)
    # (20201 is a number: refused as a year the editor does not support.)
    for command in (["import", sample_file], ["dump"]):
        _refused(capsys, *command, "--db", db, "--year", typed, contains="年度")
    assert _digest(db) == before


def test_the_usual_ways_of_typing_a_year_still_work(db, capsys):
    for typed in ("2020", "R2", "r2", "令和2年度", "令和2", "２０２０", "R2年度"):
        code, _out, err = run_cli(capsys, "dump", "--db", db, "--year", typed)
        assert code == 0, (typed, err)


def test_a_store_holding_an_unsupported_year_opens_and_can_delete_it(db, capsys):
    with sqlite3.connect(db) as conn:  # as an older version let it in
        conn.execute("UPDATE report SET actual_year = 1800")
    code, out, _err = run_cli(capsys, "reports", "--db", db)
    assert code == 0 and "1800年度(対応していない年)" in out
    _refused(capsys, "dump", "--db", db, contains="報告がありません")
    assert run_cli(capsys, "reports", "delete", "1800", "--db", db)[0] == 0
    with Store(db) as store:
        assert store.years() == [] and store.unsupported_years() == []


# -- 4. SQLite failures ---------------------------------------------------------------
def test_a_damaged_page_is_named_as_damage(db, capsys):
    data = bytearray(db.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)
    db.write_bytes(bytes(data))
    for name in (f"{db}-wal", f"{db}-shm"):
        Path(name).unlink(missing_ok=True)
    line = _refused(capsys, "dump", "--db", db, contains="壊れて")
    assert "スナップショット" in line


def test_a_full_disk_keeps_the_store_as_it_was(db):
    with Store(db) as store:
        before = store.load(2020)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        report = store.load(2020)
        report.actual_year = 2021
        with pytest.raises(StoreError, match="ディスクの空きが足りない") as caught:
            store.save(report)
        assert caught.value.failure == "full"
        assert store.years() == [2020]
        assert store.load(2020) == before


@pytest.mark.slow
def test_a_store_locked_by_another_program_waits_then_says_so(db, capsys):
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE report SET title = title")
    release = threading.Timer(12, holder.execute, ("ROLLBACK",))
    release.start()
    try:
        line = _refused(capsys, "departments", "--db", db, "--add", "新設課", contains="使用中")
        assert "終了してから" in line
    finally:
        release.cancel()
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
    with Store(db) as store:
        assert "新設課" not in store.department_list()


def test_read_only_file_and_folder_have_their_own_messages(db, tmp_path):
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        reader.execute("CREATE TABLE x (y)")
    reader.close()
    readonly = translate(caught.value, db)
    assert readonly.failure == "readonly" and "読み取り専用" in str(readonly)
    unable = sqlite3.OperationalError("unable to open database file")
    missing = translate(unable, tmp_path / "no-such-folder" / "store.sqlite3")
    assert missing.failure == "open" and "壊れて" not in str(missing)
    if os.geteuid() != 0:  # root writes anywhere: the folder case needs a plain user
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            folder_error = translate(unable, folder / "store.sqlite3")
            assert folder_error.failure == "readonly" and "フォルダ" in str(folder_error)
        finally:
            folder.chmod(stat.S_IRWXU)


# -- 5. no traceback, details in the log ---------------------------------------------
def test_an_unexpected_error_is_one_line_and_the_details_go_to_the_log(
    db, capsys, monkeypatch, tmp_path
):

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("w:gridSpan='abc'")

    monkeypatch.setattr("kushiro_editor.formats.read_file", broken)
    from kushiro_editor import appdata

    log = tmp_path / "cli.log"
    monkeypatch.setattr(appdata, "log_path", lambda: log)
    line = _refused(capsys, "import", db, "--db", db, contains="予期しない問題")
    assert str(log) in line
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")


# -- 6. texts that cannot be stored ---------------------------------------------------
@pytest.mark.parametrize(
    ("bad_id", "message"),
    [
        ("\\udc80abc", "サロゲート"),
        ("id\\u0007bell", "使えない文字"),
        ("id\\u200b", "使えない文字"),
    ],
)
def test_ids_that_no_file_can_hold_are_refused_at_import(db, tmp_path, capsys, bad_id, message):
    before = _digest(db)
    out = tmp_path / "r.json"
    assert run_cli(capsys, "export", "--json", out, "--db", db)[0] == 0
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    old_id = data["goals"][0]["id"]
    out.write_text(text.replace(f'"{old_id}"', f'"{bad_id}"', 1), encoding="utf-8")
    _refused(capsys, "import", out, "--db", db, "--replace", contains=message)
    assert _digest(db) == before


def test_snapshot_names_and_folder_oddities_are_one_line_each(db, capsys):
    code, out, _ = run_cli(capsys, "snapshot", "create", "📸" * 60, "--db", db)
    assert code == 0 and "スナップショットを作りました" in out
    folder = snapshotnames.folder_of(db)
    (folder / "20211399-256199-000__manual__x.sqlite3").write_bytes(b"")
    assert run_cli(capsys, "import", db.parent / "missing.tsv", "--db", db)[0] == 2
    code, out, _ = run_cli(capsys, "snapshot", "list", "--db", db)
    assert code == 0 and "📸" in out
    corrupt = folder / "20210101-000000-000__manual__corrupt.sqlite3"
    corrupt.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    before = _digest(db)
    _refused(capsys, "snapshot", "diff", "20210101-000000-000", "--db", db, contains="読め")
    _refused(capsys, "snapshot", "restore", "20210101-000000-000", "--db", db, contains="読め")
    assert _digest(db) == before


# -- 9. smaller gaps -------------------------------------------------------------------
def test_dump_of_a_missing_store_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    _refused(capsys, "dump", "--db", missing, contains="データファイルがありません")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace('"version": 1', '"version": -1', 1), "版(-1)"),
        (lambda t: t.replace('"version": 1', '"version": 1, "version": 1', 1), "同じキー"),
    ],
)
def test_json_with_a_negative_version_or_duplicate_keys_is_refused(
    db, tmp_path, capsys, edit, message
):
    out = tmp_path / "r.json"
    assert run_cli(capsys, "export", "--json", out, "--db", db)[0] == 0
    out.write_text(edit(out.read_text(encoding="utf-8")), encoding="utf-8")
    _refused(capsys, "import", out, "--db", tmp_path / "other.sqlite3", contains=message)


# -- 7. what is at the export's target path ------------------------------------------
def test_export_writes_through_a_link_and_keeps_the_file_mode(db, tmp_path, capsys):
    real = tmp_path / "shared" / "報告.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run_cli(capsys, "export", "--json", link, "--db", db)[0] == 0
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert json.loads(real.read_text(encoding="utf-8"))["actual_year"] == 2020
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    fresh = tmp_path / "new.json"
    assert run_cli(capsys, "export", "--json", fresh, "--db", db)[0] == 0
    assert stat.S_IMODE(fresh.stat().st_mode) & 0o044  # not a private temporary file


@pytest.mark.parametrize("kind", ["json", "docx", "xlsx"])
def test_export_refuses_devices_and_folders(db, tmp_path, capsys, kind):
    null = Path(os.devnull)
    before = null.stat()
    _refused(
        capsys, "export", f"--{kind}", null, "--db", db, contains="通常のファイルではありません"
    )
    after = null.stat()
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino
    folder = tmp_path / "folder.json"
    folder.mkdir()
    _refused(capsys, "export", f"--{kind}", folder, "--db", db, contains="フォルダです")
    assert folder.is_dir() and not any(folder.iterdir())
