"""An export never replaces what the office still needs (issue 26, exports that destroy).

The store, its sidecar files and lock, its snapshots, another output of the same
command and a read-only file are refused by any name (the path itself, a symbolic
link, a hard link), and a file is written only under its format's suffix. Each
refusal is one Japanese line, exit 2, and every file as it was.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kushiro_editor.core import snapshots
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


def _files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (the data folder's log aside) by its contents."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name != "kushiro-editor.log":
            if path.name.endswith(("-wal", "-shm")):
                continue  # SQLite's, while a reader has the store open
            found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _refused(capsys, tmp_path, *args, contains: str) -> str:
    before = _files(tmp_path)
    code, out, err = run_cli(capsys, *args)
    lines = err.strip().splitlines()
    assert code == 2, (out, err)
    assert len(lines) == 1, err
    assert contains in lines[0], lines[0]
    assert "書き出しました" not in out
    assert _files(tmp_path) == before
    return lines[0]


@pytest.fixture
def snapshot(db) -> Path:
    with Store(db) as store:
        return snapshots.take(store, "manual", "提出版").path


def _link(kind: str, name: Path, target: Path) -> Path:
    if kind == "symlink":
        name.symlink_to(target)
    else:
        os.link(target, name)
    return name


# -- the store and what belongs to it -------------------------------------------------
def test_json_onto_the_store_itself_is_refused(tmp_path, sample_file, capsys):
    store = tmp_path / "報告.json"  # a store may be given any name
    assert run_cli(capsys, "import", sample_file, "--db", store)[0] == 0
    line = _refused(
        capsys, tmp_path, "export", "--json", store, "--db", store, contains="データファイル"
    )
    assert "別の名前" in line
    with Store(store) as opened:
        assert opened.years()


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
@pytest.mark.parametrize("option", ["--json", "--docx", "--xlsx", "--pdf"])
def test_another_name_of_the_store_is_refused(db, tmp_path, capsys, kind, option):
    name = _link(kind, tmp_path / f"提出{option.replace('--', '.')}", db)
    _refused(capsys, tmp_path, "export", option, name, "--db", db, contains="データファイル")
    with Store(db) as store:
        assert store.years()


@pytest.mark.parametrize("sidecar", ["-wal", "-shm", "-journal", ".lock"])
def test_a_link_to_a_sidecar_or_the_lock_is_refused(db, tmp_path, capsys, sidecar):
    # The sidecar need not exist yet: a file written under its name would be
    # taken by SQLite (or the lock) as its own on the next opening.
    name = _link("symlink", tmp_path / "out.json", db.with_name(db.name + sidecar))
    _refused(capsys, tmp_path, "export", "--json", name, "--db", db, contains="データファイル")


@pytest.mark.parametrize("kind", ["symlink", "hardlink"])
def test_a_snapshot_is_never_replaced(db, snapshot, tmp_path, capsys, kind):
    name = _link(kind, tmp_path / "控え.docx", snapshot)
    _refused(capsys, tmp_path, "export", "--docx", name, "--db", db, contains="スナップショット")
    assert snapshots.find(db, snapshot.name.split("__", 1)[0]).path == snapshot
    with Store(snapshot) as store:
        assert store.years()


def test_nothing_is_written_into_the_snapshot_folder(db, snapshot, tmp_path, capsys):
    target = snapshot.parent / "new.json"
    _refused(capsys, tmp_path, "export", "--json", target, "--db", db, contains="スナップショット")
    assert not target.exists()


def test_notation_rules_are_not_exported_onto_the_store(tmp_path, sample_file, capsys):
    store = tmp_path / "rules.json"
    assert run_cli(capsys, "import", sample_file, "--db", store)[0] == 0
    _refused(
        capsys,
        tmp_path,
        "notation-rules",
        "--export",
        store,
        "--db",
        store,
        contains="データファイル",
    )


def test_inquiry_packs_never_replace_a_snapshot(db, snapshot, tmp_path, capsys):
    # Each pack's and the letter's name is checked before the first is written.
    assert run_cli(capsys, "inquiry", "export", "--out", tmp_path / "packs", "--db", db)[0] == 0
    (link,) = (tmp_path / "packs").glob("依頼文_*.docx")
    link.unlink()
    link.symlink_to(snapshot)
    _refused(
        capsys,
        tmp_path,
        "inquiry",
        "export",
        "--out",
        tmp_path / "packs",
        "--db",
        db,
        contains="スナップショット",
    )


# -- the outputs themselves -----------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "name"),
    [("--docx", "out.xlsx"), ("--xlsx", "out.docx"), ("--pdf", "out.json"), ("--json", "out")],
)
def test_a_suffix_of_another_format_is_refused(db, tmp_path, capsys, option, name):
    line = _refused(capsys, tmp_path, "export", option, tmp_path / name, "--db", db, contains=name)
    assert "名前の末尾を" in line
    assert not (tmp_path / name).exists()


def test_two_outputs_of_one_command_on_one_file_are_refused(db, tmp_path, capsys):
    word = tmp_path / "提出.docx"
    assert run_cli(capsys, "export", "--docx", word, "--db", db)[0] == 0
    book = _link("symlink", tmp_path / "提出.xlsx", word)
    line = _refused(
        capsys, tmp_path, "export", "--docx", word, "--xlsx", book, "--db", db, contains="同じ"
    )
    assert "Word" in line and "Excel" in line


def test_the_same_name_twice_is_refused(db, tmp_path, capsys):
    out = tmp_path / "提出.docx"
    _refused(capsys, tmp_path, "export", "--docx", out, "--xlsx", out, "--db", db, contains=".xlsx")
    assert not out.exists()


@pytest.mark.parametrize("option", ["--json", "--docx"])
def test_a_read_only_file_is_not_replaced(db, tmp_path, capsys, option):
    out = tmp_path / f"配布{option.replace('--', '.')}"
    out.write_bytes(b"kept")
    out.chmod(0o444)
    line = _refused(capsys, tmp_path, "export", option, out, "--db", db, contains="読み取り専用")
    assert out.read_bytes() == b"kept"
    assert "別の名前" in line


# -- a full disk ----------------------------------------------------------------------
# The command in a process of its own, on a disk with room for a few kilobytes: what
# the garbage collector would print at exit (an unclosed zip) reaches its stderr.
FULL_DISK = """
import errno, os, sys

class FullDisk:
    def __init__(self, handle):
        self._handle, self._room = handle, 4096
    def write(self, data):
        size = len(memoryview(data).cast("B"))
        if size > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= size
        return self._handle.write(data)
    def __enter__(self):
        return self
    def __exit__(self, *exc):
        self._handle.close()
    def __getattr__(self, name):
        return getattr(self._handle, name)

real_fdopen = os.fdopen
os.fdopen = lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k))
from kushiro_editor.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("option", ["--docx", "--xlsx"])  # the zip packages
def test_a_full_disk_is_one_line_with_no_noise(db, tmp_path, option):
    out = tmp_path / f"提出{option.replace('--', '.')}"
    before = _files(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, "export", option, str(out), "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert "ディスクの空きが足りません" in lines[0]
    assert _files(tmp_path) == before
    assert not list(tmp_path.glob(".*.tmp"))
