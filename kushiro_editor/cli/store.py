"""The command line's store commands: a whole store copied between a file and a server."""

from __future__ import annotations

import argparse
import logging

from ..core.database import is_server
from .arguments import CliError, Subparsers, store_location
from .storeopen import EXIT_OK

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add store copy."""
    p = sub.add_parser("store", help="データファイルと共有のデータベースの間のコピー")
    store_sub = p.add_subparsers(dest="action", required=True)
    q = store_sub.add_parser(
        "copy", help="データ全体を別のデータファイルかデータベースへ写す(コピー先は空であること)"
    )
    q.add_argument("source", type=store_location, help="写す元(ファイルか postgresql://…)")
    q.add_argument("target", type=store_location, help="写す先(新しいファイルか空のデータベース)")
    q.set_defaults(func=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy every report and record of one store into an empty other."""
    from ..core import storecopy
    from ..workspace import open_store, writing

    if str(args.source) == str(args.target):
        raise CliError("写す元と写す先が同じです。")
    if not is_server(args.target) and args.target.exists() and args.target.stat().st_size:
        raise CliError(f"{args.target} はすでにあります。新しいファイルの名前を指定してください。")
    with open_store(args.source, create=False) as source, writing(args.target) as target:
        counts = storecopy.copy(source, target)
    reports = counts.get("report", 0)
    print(
        f"写しました: {source.location} → {target.location}(報告 {reports} 件、"
        f"部署の行 {counts.get('entry', 0)} 件、指標 {counts.get('kpi', 0)} 件)"
    )
    return EXIT_OK
