"""Snapshot file names: one clock reading each, never replacing a snapshot, any name fits."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from kushiro_editor.core import snapshotnames, snapshots
from kushiro_editor.core.model import ReportError

FIXED = dt.datetime(2021, 5, 31, 10, 0, 0, 123456)


class _FrozenClock(dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return FIXED


def test_two_snapshots_in_the_same_millisecond_are_both_kept(sample_store, monkeypatch):
    monkeypatch.setattr(snapshots, "datetime", _FrozenClock)
    first = snapshots.take(sample_store, "manual", "提出版")
    second = snapshots.take(sample_store, "manual", "提出版")
    assert first.path != second.path
    assert first.path.exists() and second.path.exists()
    assert first.id == "20210531-100000-123"
    assert second.id == "20210531-100000-123-2"
    listed = snapshots.snapshots(sample_store.path)
    assert [s.path for s in listed] == [second.path, first.path]  # newest first
    assert snapshots.find(sample_store.path, second.id) == second
    # The time inside the snapshot is the same clock reading as its name.
    assert first.created == dt.datetime(2021, 5, 31, 10, 0, 0, 123000)


def test_a_long_name_is_cut_to_fit_the_file_system_and_kept_whole_inside(sample_store):
    name = "📸" * 60 + "/提出版:\x07"
    snapshot = snapshots.take(sample_store, "manual", name)
    assert len(os.fsencode(snapshot.path.name)) <= 255
    assert snapshot.name == name
    assert snapshots.find(sample_store.path, snapshot.id).name == name
    before = sorted(folder.name for folder in snapshotnames.folder_of(sample_store.path).iterdir())
    with pytest.raises(ReportError, match="サロゲート"):
        snapshots.take(sample_store, "manual", "壊れた\udc80文字")
    after = sorted(folder.name for folder in snapshotnames.folder_of(sample_store.path).iterdir())
    assert after == before


def test_files_that_are_not_snapshots_are_ignored(sample_store):
    folder = snapshotnames.folder_of(sample_store.path)
    folder.mkdir(exist_ok=True)
    (folder / "20211399-250000-000__manual__impossible.sqlite3").write_bytes(b"x")
    (folder / "notes.txt").write_text("memo", encoding="utf-8")
    taken = snapshots.take(sample_store, "import")
    assert [s.path for s in snapshots.snapshots(sample_store.path)] == [taken.path]
    assert snapshotnames.parse("20211399-250000-000__manual__x.sqlite3") is None
    parsed = snapshotnames.parse("20210531-100000-123-3__daily__.sqlite3")
    assert (parsed.sequence, parsed.reason, parsed.name) == (3, "daily", "")
