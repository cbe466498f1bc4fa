"""Snapshots of the store: copies kept beside it, to compare with and go back to.

A snapshot is the whole store written with ``VACUUM INTO`` to a temporary
name, checked with ``PRAGMA quick_check`` and then renamed into the snapshot
folder (``reports.sqlite3.snapshots/``). Automatic ones are taken before every
import, rollover, prefill, inquiry merge and migration, and once a day while
editing; only the newest :data:`DEFAULT_KEEP` of those are kept. Named ones
(「提出版 2021-05-31」) are kept until deleted by hand.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import database, inquiryrecord, kinds, migrations, richtext, snapshotnames, validate
from .model import Entry, Report, ReportError, place
from .store import Store

logger = logging.getLogger(__name__)

DEFAULT_KEEP = 20
REASONS = {
    "manual": "手動",
    "import": "取り込みの前",
    "rollover": "新年度作成の前",
    "prefill": "取組予定の補完の前",
    "merge": "照会回答の取り込みの前",
    "migration": "形式の更新の前",
    "daily": "毎日の自動保存",
    "restore": "復元の前",
    "notation": "表記の統一の前",
    "pasttense": "過去形への書き換えの前",
}
folder_of = snapshotnames.folder_of


@dataclass(frozen=True)
class Snapshot:
    """One snapshot file."""

    path: Path
    created: datetime
    reason: str
    name: str
    sequence: int = 1  # the second snapshot of the same millisecond is 2

    @property
    def named(self) -> bool:
        """A snapshot taken by hand with a name (never pruned)."""
        return self.reason == "manual"

    @property
    def label(self) -> str:
        """「2021-05-31 10:00 提出版」, as listed."""
        what = self.name or REASONS.get(self.reason, self.reason)
        return f"{self.created:%Y-%m-%d %H:%M:%S} {what}"

    @property
    def id(self) -> str:
        """A stable short id: the time stamp."""
        return self.path.name.split("__", 1)[0]


def _check(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise ReportError(f"スナップショットの検査に失敗しました: {result}")


def take(store: Store, reason: str, name: str = "", *, keep: int = DEFAULT_KEEP) -> Snapshot:
    """Copy the whole store into a new snapshot (checked, then renamed into place)."""
    if reason not in REASONS:
        raise ValueError(reason)
    validate.text(name, "スナップショットの名前")
    folder = folder_of(store.path)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now()
    final = snapshotnames.free_path(folder, reason, name, now)
    tmp = folder / f".{final.name}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        store.conn.execute("VACUUM INTO ?", (str(tmp),))
        _check(tmp)
        conn = sqlite3.connect(tmp)
        conn.execute("CREATE TABLE snapshot_info (name TEXT, reason TEXT, created TEXT)")
        conn.execute(
            "INSERT INTO snapshot_info VALUES (?, ?, ?)",
            (name, reason, now.isoformat(timespec="seconds")),
        )
        conn.commit()
        conn.close()
        if final.exists():  # taken meanwhile by another process: never replace it
            final = snapshotnames.free_path(folder, reason, name, now)
        tmp.replace(final)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ReportError(f"スナップショットを作れませんでした: {exc}") from exc
    prune(store.path, keep)
    logger.info("snapshot %s", final.name)
    return _read(final)


def _read(path: Path) -> Snapshot | None:
    parsed = snapshotnames.parse(path.name)
    if parsed is None:
        return None
    name = parsed.name
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT name FROM snapshot_info").fetchone()
            name = row[0] if row else name
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # an unreadable snapshot still lists under its file name
    return Snapshot(path, parsed.created, parsed.reason, name, parsed.sequence)


def snapshots(store_path: Path) -> list[Snapshot]:
    """The store's snapshots, newest first."""
    folder = folder_of(store_path)
    if not folder.is_dir():
        return []
    found = [s for s in (_read(p) for p in folder.glob("*.sqlite3")) if s is not None]
    return sorted(found, key=lambda s: (s.created, s.sequence), reverse=True)


def find(store_path: Path, key: str) -> Snapshot:
    """A snapshot by its number in the list (1 = newest) or its id."""
    listed = snapshots(store_path)
    if key.isdigit() and 1 <= int(key) <= len(listed):
        return listed[int(key) - 1]
    for snapshot in listed:
        if key in (snapshot.id, snapshot.path.name):
            return snapshot
    raise ReportError(f"スナップショット「{key}」は見つかりません。")


def prune(store_path: Path, keep: int = DEFAULT_KEEP) -> None:
    """Delete automatic snapshots beyond the newest ``keep`` (named ones stay)."""
    automatic = [s for s in snapshots(store_path) if not s.named]
    for snapshot in automatic[keep:]:
        with contextlib.suppress(OSError):
            snapshot.path.unlink()


def taken_today(store_path: Path) -> bool:
    """Whether a snapshot was taken today (the daily one is then not needed)."""
    today = datetime.now().date()
    return any(s.created.date() == today for s in snapshots(store_path))


def open_snapshot(snapshot: Snapshot) -> Store:
    """The snapshot as a store in memory (older formats brought up to date there)."""
    memory = sqlite3.connect(":memory:", isolation_level=None, factory=database.SqliteConnection)
    try:
        source = sqlite3.connect(f"file:{snapshot.path}?mode=ro", uri=True)
        source.backup(memory)
        source.close()
        migrations.migrate(memory, Path(":memory:"))
    except sqlite3.Error as exc:
        memory.close()
        raise ReportError(f"スナップショットを読めません: {snapshot.path.name} ({exc})") from exc
    store = Store.__new__(Store)
    store.path = snapshot.path
    store.location = str(snapshot.path)
    store._depth = 0
    store.conn = memory
    return store


@dataclass(frozen=True)
class Difference:
    """An entry (or title) that differs between a snapshot and the report."""

    where: str
    field: str
    old: str
    new: str


def compare(current: Report, old: Report) -> list[Difference]:
    """What differs between a snapshot's report and the current one, by node: the rows
    added and removed, and every value the kinds' description marks as compared."""
    out: list[Difference] = []
    now_entries = {e.id: (g, d, e) for g, d, e in current.entries()}
    old_entries = {e.id: (g, d, e) for g, d, e in old.entries()}
    for entry_id, (goal, direction, entry) in now_entries.items():
        where = place(goal, direction, entry)
        if entry_id not in old_entries:
            out.append(Difference(where, "行", "", "(追加された行)"))
            continue
        out += _differences(where, old_entries[entry_id][2], entry)
    for entry_id, (goal, direction, entry) in old_entries.items():
        if entry_id not in now_entries:
            out.append(Difference(place(goal, direction, entry), "行", "(削除された行)", ""))
    before = {node.id: node for node in kinds.nodes(old) if not isinstance(node, Entry)}
    for goal in current.goals:
        out += _differences(goal.label, before.get(goal.id), goal)
        for direction in goal.directions:
            out += _differences(direction.label, before.get(direction.id), direction)
            for node in (*direction.measures, *direction.main_projects):
                out += _differences(place(goal, direction, node), before.get(node.id), node)
    return out


def _differences(where: str, old: object | None, new: object) -> list[Difference]:
    if old is None:
        return []
    return [
        Difference(where, field.label, _shown(field, old), _shown(field, new))
        for field in kinds.of(new).fields
        if field.compared
        and getattr(old, field.name, field.default) != getattr(new, field.name, field.default)
    ]


def _shown(field: kinds.Field, node: object) -> str:
    value = getattr(node, field.name, field.default)
    if field.type == kinds.NAMES:
        return " ".join(value)
    if field.type == kinds.RICH:
        return richtext.to_plain(value)
    if field.type == kinds.FLAG:
        return field.label if value else ""
    return "" if value is None else str(value)


def restore(store: Store, snapshot: Snapshot, year: int) -> tuple[Report, Snapshot]:
    """Put a report back as the snapshot had it; the current state is snapshotted first.

    Returns the restored report and the snapshot of what it replaced (restore
    that one to undo).
    """
    with open_snapshot(snapshot) as old_store:
        if year not in old_store.years():
            raise ReportError(f"このスナップショットには{year}年度の報告がありません。")
        report = old_store.load(year)
        warnings = old_store.warnings(year)
        before = take(store, "restore", f"「{snapshot.label}」を復元する前")
        with store.transaction():
            store.save(report, warnings, replace=True)
            inquiryrecord.restore_answers(store, old_store, year)
    return report, before


def years_in(snapshot: Snapshot) -> list[int]:
    """The fiscal years of a snapshot's reports, read in place (none if it cannot be read)."""
    try:
        conn = sqlite3.connect(f"file:{snapshot.path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT actual_year FROM report").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows if isinstance(row[0], int)]
