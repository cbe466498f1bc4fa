"""The command line's snapshot commands: create, list, diff and restore.

A snapshot is named by its id (the time it was taken, which never shifts) or
by its name, never by its position in the list, which moves with every
automatic snapshot.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..core.model import ReportError
from ..core.store import Store
from ..core.validate import year_label
from .arguments import Parser, Subparsers, db_argument, year_argument
from .storeopen import EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add snapshot create, list, diff and restore."""
    p = sub.add_parser("snapshot", help="データファイルのスナップショット(作成・一覧・比較・復元)")
    snapshot_sub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    q = snapshot_sub.add_parser("create", help="名前を付けてスナップショットを作る")
    q.add_argument("name", nargs="?", help="名前(例: 提出版 2021-05-31)")
    db_argument(q)
    q.set_defaults(func=cmd_snapshot)
    q = snapshot_sub.add_parser("list", help="スナップショットの一覧(新しい順)")
    db_argument(q)
    q.set_defaults(func=cmd_snapshot)
    for action, text in (
        ("diff", "今の報告との違い"),
        ("restore", "報告をスナップショットの状態に戻す"),
    ):
        q = snapshot_sub.add_parser(action, help=text)
        q.add_argument(
            "key", metavar="ID", help="スナップショットの id か名前(snapshot list で一覧)"
        )
        db_argument(q)
        year_argument(q)
        q.set_defaults(func=cmd_snapshot)


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Create, list, compare or restore snapshots of the store."""
    from ..core import snapshots

    if args.action == "list":
        with for_reading(args) as store:
            listed = snapshots.snapshots(store)
        if not listed:
            print("スナップショットはありません。")
        for snapshot in listed:
            kind = "名前付き" if snapshot.named else "自動"
            print(f"{snapshot.id}  {kind}  {snapshot.label}")
        return EXIT_OK
    if args.action == "create":
        with for_writing(args) as store:
            snapshot = snapshots.take(store, "manual", args.name or "")
        print(f"スナップショットを作りました: {snapshot.label} ({snapshot.id})")
        return EXIT_OK
    if args.action == "diff":
        with for_reading(args) as store:
            snapshot = find_snapshot(store, args.key)
            report = store.load(args.year)
            with snapshots.open_snapshot(snapshot) as old:
                differences = snapshots.compare(report, old.load(report.actual_year))
        for difference in differences:
            print(
                f"{difference.where} {difference.field}: "
                f"{difference.old[:40]!r} → {difference.new[:40]!r}"
            )
        print(f"違いのある箇所: {len(differences)} 件", file=sys.stderr)
        return EXIT_OK
    with for_writing(args) as store:
        snapshot = find_snapshot(store, args.key)
        year = args.year or store.load().actual_year
        _report, before = snapshots.restore(store, snapshot, year)
    print(f"{year_label(year)}の報告を「{snapshot.label}」の状態に戻しました。")
    print(
        f"戻す前の状態はスナップショット {before.id} に保存しました"
        f"(取り消すには: snapshot restore {before.id})。"
    )
    return EXIT_OK


def find_snapshot(store: Store | Path, key: str):
    """A snapshot by its id (the time stamp, which never shifts) or its name."""
    from ..core import snapshots

    listed = snapshots.snapshots(store)
    for snapshot in listed:
        if key in snapshot.keys:
            return snapshot
    named = [s for s in listed if s.name == key]
    if len(named) == 1:
        return named[0]
    if named:
        ids = "、".join(s.id for s in named)
        raise ReportError(
            f"「{key}」という名前のスナップショットが複数あります。id で指定してください: {ids}"
        )
    raise ReportError(
        f"スナップショット「{key}」は見つかりません(id か名前で指定します。snapshot list で一覧)。"
    )
