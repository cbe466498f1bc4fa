"""Inputs that never end (issue 26): every reader takes only regular files, bounded.

A pipe (FIFO), a device or a folder given to ``import`` (under any suffix),
``notation-rules --import`` or ``inquiry import`` is refused at once with one
Japanese line; a large file is refused without being read whole; a LibreOffice
conversion that hangs is ended with every process it started.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import legacy, read_file

# The command in a process of its own: a reader that blocks on a pipe would hang
# the test run; here it is ended (and the test fails) after a generous while.
CLI = "import sys; from kushiro_editor.cli.main import main; sys.exit(main(sys.argv[1:]))"
HUNG = 120  # seconds: a refusal takes a fraction of one


def _cli(*args) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            [sys.executable, "-c", CLI, *map(str, args)],
            capture_output=True,
            text=True,
            timeout=HUNG,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"never ended: {args}")


def _refused(*args, contains: str) -> str:
    done = _cli(*args)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert contains in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def db(tmp_path, sample_file):
    path = tmp_path / "store.sqlite3"
    assert _cli("import", sample_file, "--db", path).returncode == 0
    return path


def _input(kind: str, path: Path) -> Path:
    """A pipe, a device or a folder under ``path``'s name."""
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(f"/dev/{kind}")
    return path


NOT_REGULAR = {"fifo": "通常のファイルではありません", "folder": "フォルダです"}
NOT_REGULAR |= dict.fromkeys(("zero", "urandom"), "通常のファイルではありません")


SUFFIXES = (".tsv", ".txt", ".json", ".docx", ".xlsx", ".pdf", ".xls", ".doc")
IMPORTS = [(kind, suffix) for kind in ("fifo", "zero", "folder") for suffix in SUFFIXES]
IMPORTS += [("urandom", suffix) for suffix in (".tsv", ".json", ".docx")]


@pytest.mark.parametrize(("kind", "suffix"), IMPORTS)
def test_import_refuses_what_is_not_a_regular_file(db, tmp_path, kind, suffix):
    path = _input(kind, tmp_path / f"報告{suffix}")
    before = db.read_bytes()
    _refused("import", path, "--db", db, contains=NOT_REGULAR[kind])
    assert db.read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_notation_rules_refuse_what_is_not_a_regular_file(db, tmp_path, kind):
    path = _input(kind, tmp_path / "rules.json")
    _refused("notation-rules", "--import", path, "--db", db, contains=NOT_REGULAR[kind])


@pytest.mark.parametrize("kind", ["fifo", "urandom", "folder"])
def test_inquiry_import_refuses_what_is_not_a_regular_file(db, tmp_path, kind):
    path = _input(kind, tmp_path / "照会_農林課_R2年度.xlsx")
    _refused("inquiry", "import", path, "--db", db, contains=NOT_REGULAR[kind])


# -- bounded before reading --------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".tsv", ".json"])
def test_a_huge_text_file_is_refused_without_being_read_whole(tmp_path, suffix):
    huge = tmp_path / f"huge{suffix}"
    with huge.open("wb") as handle:  # sparse: large on paper, nothing on the disk
        handle.truncate(512 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(ReportError, match="大きすぎる"):
            read_file(huge)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024  # the limit and a byte, not the whole file


def test_a_huge_rules_file_is_refused(db, tmp_path):
    huge = tmp_path / "rules.json"
    with huge.open("wb") as handle:
        handle.truncate(512 * 1024 * 1024)
    _refused("notation-rules", "--import", huge, "--db", db, contains="大きすぎる")


# -- a conversion that hangs --------------------------------------------------------------
def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's record is left


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table in /proc")
def test_a_hung_conversion_ends_every_process_it_started(tmp_path, monkeypatch):
    # soffice starts the converter as a child of its own, as LibreOffice does.
    tools = tmp_path / "bin"
    tools.mkdir()
    worker = tmp_path / "worker.pid"
    script = tools / "soffice"
    script.write_text(f'#!/bin/sh\nsleep 600 >/dev/null 2>&1 &\necho $! > "{worker}"\nwait\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(legacy, "CONVERT_TIMEOUT", 2)
    old = tmp_path / "昨年度.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 1024)
    pid = None
    try:
        with pytest.raises(ReportError, match="変換できませんでした"):
            read_file(old)
        pid = int(worker.read_text())
        # The kill is sent before read_file returns; on a loaded machine the
        # process may take a moment to be gone.
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid)
    finally:
        if pid is not None and _alive(pid):
            os.kill(pid, 9)
