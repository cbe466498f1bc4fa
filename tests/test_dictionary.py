"""The packed dictionary of the folder build: unpacked once, checked, never half-written."""

from __future__ import annotations

import errno
import hashlib
import json
import lzma
import os
import sys
from pathlib import Path

import pytest

from kushiro_editor import appdata, dictionary

# Stands in for the 115 MB dictionary: what matters is that the bytes come back exactly.
CONTENT = b"".join(f"{n:08d} 取り組み 及び 子供\n".encode() for n in range(20000))


def pack(folder: Path, content: bytes = CONTENT, *, packed: bytes | None = None) -> Path:
    """A packed dictionary as the build writes it: the .xz and its size and hash."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / dictionary.PACKED_NAME).write_bytes(
        lzma.compress(content, preset=0) if packed is None else packed
    )
    info = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    (folder / dictionary.INFO_NAME).write_text(json.dumps(info), encoding="utf-8")
    return folder


def packed_in(folder: Path, **kwargs) -> dictionary.Packed:
    found = dictionary.read_packed(pack(folder, **kwargs))
    assert found is not None
    return found


def test_unpacks_once_and_reuses_the_copy(tmp_path):
    packed = packed_in(tmp_path / "resources")
    target_folder = tmp_path / "data" / "analyser"
    unpacked = dictionary.unpack(packed, target_folder)
    assert unpacked == target_folder / f"system-{hashlib.sha256(CONTENT).hexdigest()[:12]}.dic"
    assert unpacked.read_bytes() == CONTENT
    assert sorted(p.name for p in target_folder.iterdir()) == [unpacked.name]
    # A later run opens the copy without reading the packed file again.
    packed.path.write_bytes(b"gone")
    stamp = unpacked.stat().st_mtime_ns
    assert dictionary.unpack(packed, target_folder) == unpacked
    assert unpacked.stat().st_mtime_ns == stamp
    assert unpacked.read_bytes() == CONTENT


@pytest.mark.parametrize(
    "packed",
    [
        lzma.compress(CONTENT, preset=0)[: len(lzma.compress(CONTENT, preset=0)) // 2],
        lzma.compress(CONTENT[:-1] + b"?", preset=0),  # right size, wrong bytes
        lzma.compress(CONTENT[:1000], preset=0),  # complete, but short
        b"not xz at all",
    ],
    ids=["truncated", "changed", "short", "garbage"],
)
def test_a_damaged_packed_file_gives_none_and_leaves_nothing(tmp_path, packed):
    found = packed_in(tmp_path / "resources", packed=packed)
    target_folder = tmp_path / "data" / "analyser"
    assert dictionary.unpack(found, target_folder) is None
    assert list(target_folder.iterdir()) == []


def test_a_full_disk_gives_none_and_leaves_nothing(tmp_path, monkeypatch):
    found = packed_in(tmp_path / "resources")
    target_folder = tmp_path / "data" / "analyser"

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    assert dictionary.unpack(found, target_folder) is None
    assert list(target_folder.iterdir()) == []


def test_a_folder_that_cannot_be_made_gives_none(tmp_path):
    found = packed_in(tmp_path / "resources")
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    assert dictionary.unpack(found, blocker / "analyser") is None
    assert blocker.read_text(encoding="utf-8").startswith("a file")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="permissions do not bind here"
)
def test_a_read_only_folder_gives_none(tmp_path):
    found = packed_in(tmp_path / "resources")
    target_folder = tmp_path / "data" / "analyser"
    target_folder.mkdir(parents=True)
    target_folder.chmod(0o500)
    try:
        assert dictionary.unpack(found, target_folder) is None
        assert list(target_folder.iterdir()) == []
    finally:
        target_folder.chmod(0o700)


def test_a_new_dictionary_replaces_the_old_copy(tmp_path):
    target_folder = tmp_path / "data" / "analyser"
    old = dictionary.unpack(packed_in(tmp_path / "old", content=b"old" * 1000), target_folder)
    new = dictionary.unpack(packed_in(tmp_path / "new"), target_folder)
    assert old is not None and new is not None and old != new
    assert sorted(p.name for p in target_folder.iterdir()) == [new.name]


@pytest.mark.parametrize(
    "info",
    ["{", json.dumps({"size": 10}), json.dumps({"size": -1, "sha256": "0" * 64})],
    ids=["not json", "no hash", "bad size"],
)
def test_an_unreadable_description_means_no_packed_dictionary(tmp_path, info):
    folder = pack(tmp_path / "resources")
    (folder / dictionary.INFO_NAME).write_text(info, encoding="utf-8")
    assert dictionary.read_packed(folder) is None


def test_the_finder_unpacks_into_the_data_folder_only_in_a_build(tmp_path, monkeypatch):
    resources = tmp_path / "resources"
    pack(resources / dictionary.PACKED_FOLDER)
    monkeypatch.setattr(appdata, "resources_dir", lambda: resources)
    # Here the dictionary package is installed: the finder leaves it to SudachiPy.
    assert dictionary.analyser_dictionary() is None
    assert not (appdata.data_dir() / dictionary.UNPACKED_FOLDER).exists()
    # In the build the package has no dictionary of its own.
    monkeypatch.setattr(dictionary, "PACKAGE", "kushiro_no_such_dictionary")
    found = dictionary.analyser_dictionary()
    assert found is not None
    assert found.parent == appdata.data_dir() / dictionary.UNPACKED_FOLDER
    assert found.read_bytes() == CONTENT


def test_the_source_tree_has_no_packed_dictionary():
    assert dictionary.read_packed(appdata.resources_dir() / dictionary.PACKED_FOLDER) is None
    assert dictionary.analyser_dictionary() is None


def test_check_notation_without_the_dictionary_says_so_once(tmp_path, monkeypatch, capsys):
    from kushiro_editor.cli import main as cli
    from kushiro_editor.core import analyser

    db = tmp_path / "s.sqlite3"
    assert cli.main(["import", str(appdata.sample_path()), "--db", str(db)]) == 0
    code = cli.main(["check", "--notation", "--db", str(db)])
    with_analyser = capsys.readouterr()
    assert code == cli.EXIT_FINDINGS
    assert "注意" not in with_analyser.err
    # A build whose packed dictionary could not be unpacked: the finder finds nothing.
    monkeypatch.setattr(dictionary, "analyser_dictionary", lambda: tmp_path / "absent.dic")
    try:
        code = cli.main(["check", "--notation", "--db", str(db)])
        without = capsys.readouterr()
    finally:
        analyser.use_dictionary_finder(None)
    assert code == cli.EXIT_FINDINGS
    notes = [line for line in without.err.splitlines() if "注意" in line]
    assert notes == [
        f"kushiro-editor: 注意: {cli.ANALYSER_MISSING}(詳しくは {appdata.log_path()})。"
    ]
    # The rules that need parts of speech stay silent rather than guess.
    assert 0 < len(without.out.splitlines()) < len(with_analyser.out.splitlines())


def test_a_copy_another_program_unpacked_meanwhile_is_used(tmp_path, monkeypatch):
    found = packed_in(tmp_path / "resources")
    target_folder = tmp_path / "data" / "analyser"
    target = target_folder / found.file_name

    def in_use(self: Path, to: Path) -> Path:
        # The other program renamed its copy first and holds it open (Windows).
        to.write_bytes(CONTENT)
        raise PermissionError(13, "The process cannot access the file", str(to))

    monkeypatch.setattr(Path, "replace", in_use)
    assert dictionary.unpack(found, target_folder) == target
    assert sorted(p.name for p in target_folder.iterdir()) == [target.name]
