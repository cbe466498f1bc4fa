"""Snapshots of the store: copies kept beside it, to compare with and go back to.

A store file's snapshot is the whole store written with ``VACUUM INTO`` to a
temporary name, checked with ``PRAGMA quick_check`` and then renamed into the
snapshot folder (``reports.sqlite3.snapshots/``). A server store keeps its
snapshots on the server, in ``server_snapshot``: the whole store copied into a
temporary SQLite file (:func:`.storecopy.copy`, in one repeatable-read
transaction, so that others' edits meanwhile do not tear it), its bytes
compressed, with the years it holds beside them; a snapshot's bytes are read
only when it is opened. Either is listed, compared and restored alike.
Automatic ones are taken before every import, rollover, prefill, inquiry merge
and migration, and once a day while editing; only the newest
:data:`DEFAULT_KEEP` of those are kept. Named ones (「提出版 2021-05-31」) are
kept until deleted by hand.

The functions take the store (a file's may be named by its path): a server's
snapshots are the server's.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import tempfile
import zlib
from dataclasses import dataclass, field
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
    """One snapshot: a file beside a store file, or a row of a server store's."""

    path: Path | None  # None for a snapshot kept on the server
    created: datetime
    reason: str
    name: str
    sequence: int = 1  # the second snapshot of the same millisecond is 2
    server_id: int | None = None
    years: tuple[int, ...] = ()  # the years a server's snapshot holds (a file's: years_in)
    # The server store it is kept in, whose connection reads its bytes when opened.
    store: object = field(default=None, compare=False, repr=False)

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
        """A stable short id: the time stamp (with the server's number on a server)."""
        if self.server_id is not None:
            return f"{self.created:%Y%m%d-%H%M%S}-{self.server_id}"
        return self.path.name.split("__", 1)[0]

    @property
    def keys(self) -> tuple[str, ...]:
        """What a person may name it by besides its name: its id, a file's name."""
        return (self.id,) if self.path is None else (self.id, self.path.name)


def _is_path(where: object) -> bool:
    return isinstance(where, (str, os.PathLike))


def _on_server(where: object) -> bool:
    return not _is_path(where) and where.on_server


def _path(where: object) -> Path:
    return Path(where) if _is_path(where) else where.path


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
    if store.on_server:
        taken = _take_on_server(store, reason, name)
        prune(store, keep)
        return taken
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
    prune(store, keep)
    logger.info("snapshot %s", final.name)
    return _read(final)


def _take_on_server(store: Store, reason: str, name: str) -> Snapshot:
    conn = store.conn
    try:
        with tempfile.TemporaryDirectory(prefix="kushiro-snapshot-") as folder:
            data, years = _copied(store, Path(folder) / "snapshot.sqlite3")
    except (sqlite3.Error, OSError) as exc:
        raise ReportError(f"スナップショットを作れませんでした: {exc}") from exc
    with store.transaction():
        row = conn.execute(
            "INSERT INTO server_snapshot (reason, name, years, data) VALUES (?, ?, ?, ?)"
            " RETURNING id, created",
            (reason, name, years, data),
        ).fetchone()
    logger.info("snapshot %s on the server (%d bytes)", row[0], len(data))
    return _server_snapshot(store, row[0], row[1], reason, name, years)


def _copied(store: Store, path: Path) -> tuple[bytes, list[int]]:
    """The server's store as a checked SQLite file's bytes (compressed), and its years."""
    from . import storecopy

    conn = store.conn
    with Store(path) as copied:
        began = not conn.in_transaction
        if began:  # every table as of one moment
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            storecopy.copy(store, copied)
        finally:
            if began:
                conn.execute("COMMIT")
        years = sorted(row[0] for row in copied.conn.execute("SELECT actual_year FROM report"))
    # Bytes opened in memory cannot be in WAL mode: the file is made a plain one first.
    plain = sqlite3.connect(path, isolation_level=None)
    try:
        plain.execute("PRAGMA journal_mode=DELETE")
    finally:
        plain.close()
    _check(path)
    return zlib.compress(path.read_bytes(), 6), years


def _server_snapshot(
    store: Store, number: int, created: datetime, reason: str, name: str, years: list[int]
) -> Snapshot:
    # Shown in local time without a zone, as a file's snapshots are.
    local = created.astimezone().replace(tzinfo=None)
    return Snapshot(None, local, reason, name, 1, number, tuple(years or ()), store)


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


def snapshots(where: Store | Path) -> list[Snapshot]:
    """The store's snapshots, newest first."""
    if _on_server(where):
        rows = where.conn.execute(
            "SELECT id, created, reason, name, years FROM server_snapshot"
            " ORDER BY created DESC, id DESC"
        ).fetchall()
        return [_server_snapshot(where, *row) for row in rows]
    folder = folder_of(_path(where))
    if not folder.is_dir():
        return []
    found = [s for s in (_read(p) for p in folder.glob("*.sqlite3")) if s is not None]
    return sorted(found, key=lambda s: (s.created, s.sequence), reverse=True)


def find(where: Store | Path, key: str) -> Snapshot:
    """A snapshot by its number in the list (1 = newest) or its id."""
    listed = snapshots(where)
    if key.isdigit() and 1 <= int(key) <= len(listed):
        return listed[int(key) - 1]
    for snapshot in listed:
        if key in snapshot.keys:
            return snapshot
    raise ReportError(f"スナップショット「{key}」は見つかりません。")


def prune(where: Store | Path, keep: int = DEFAULT_KEEP) -> None:
    """Delete automatic snapshots beyond the newest ``keep`` (named ones stay)."""
    automatic = [s for s in snapshots(where) if not s.named]
    if _on_server(where):
        gone = [s.server_id for s in automatic[keep:]]
        if gone:
            with where.transaction() as conn:
                conn.execute("DELETE FROM server_snapshot WHERE id = ANY(?)", (gone,))
        return
    for snapshot in automatic[keep:]:
        with contextlib.suppress(OSError):
            snapshot.path.unlink()


def taken_today(where: Store | Path) -> bool:
    """Whether a snapshot was taken today (the daily one is then not needed)."""
    today = datetime.now().date()
    return any(s.created.date() == today for s in snapshots(where))


def location_of(where: Store | Path) -> str:
    """Where the snapshots are kept, as the window says it."""
    if _on_server(where):
        return f"{where.location} の中"
    return str(folder_of(_path(where)))


def _bytes_of(snapshot: Snapshot) -> bytes:
    row = snapshot.store.conn.execute(
        "SELECT data FROM server_snapshot WHERE id = ?", (snapshot.server_id,)
    ).fetchone()
    if row is None:
        raise ReportError(f"スナップショット「{snapshot.label}」はもうサーバーにありません。")
    try:
        return zlib.decompress(bytes(row[0]))
    except zlib.error as exc:
        raise ReportError(f"スナップショットを読めません: {snapshot.label} ({exc})") from exc


def open_snapshot(snapshot: Snapshot) -> Store:
    """The snapshot as a store in memory (older formats brought up to date there)."""
    data = _bytes_of(snapshot) if snapshot.path is None else None
    memory = sqlite3.connect(":memory:", isolation_level=None, factory=database.SqliteConnection)
    try:
        if data is not None:
            memory.deserialize(data)
        else:
            source = sqlite3.connect(f"file:{snapshot.path}?mode=ro", uri=True)
            source.backup(memory)
            source.close()
        migrations.migrate(memory, Path(":memory:"))
    except sqlite3.Error as exc:
        memory.close()
        what = snapshot.label if snapshot.path is None else snapshot.path.name
        raise ReportError(f"スナップショットを読めません: {what} ({exc})") from exc
    store = Store.__new__(Store)
    store.path = snapshot.path
    store.location = str(snapshot.path) if snapshot.path else f"スナップショット {snapshot.label}"
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
    if snapshot.path is None:
        return list(snapshot.years)
    try:
        conn = sqlite3.connect(f"file:{snapshot.path}?mode=ro", uri=True)
        try:
            rows = conn.execute("SELECT actual_year FROM report").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows if isinstance(row[0], int)]
