"""The command line's ``history``: who changed what in the shared store, newest first."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import unicodedata

from ..core.model import ReportError, place_in
from ..core.validate import year_label
from .arguments import CliError, Subparsers, db_argument, year_argument
from .storeopen import EXIT_OK, for_reading

logger = logging.getLogger(__name__)

FIELDS = {"actual": "actual", "plan": "plan", "実績": "actual", "取組予定": "plan"}


def register(sub: Subparsers) -> None:
    """Add history."""
    p = sub.add_parser(
        "history", help="共有のデータベースの変更の履歴(いつ・誰が・どこの何を)を新しい順に"
    )
    db_argument(p)
    year_argument(p)
    p.add_argument("--dept", metavar="D", help="この部署の行と指標の変更だけ")
    p.add_argument(
        "--row",
        metavar="PLACE",
        help="この行の変更だけ(場所「【基本目標1】① 水産課」か行の id)",
    )
    p.add_argument("--field", type=field_name, help="この欄の変更だけ(actual=実績、plan=取組予定)")
    p.add_argument(
        "--limit", type=limit, default=None, help="表示する件数の上限(既定 50、最大 1000)"
    )
    p.set_defaults(func=cmd_history)


def field_name(text: str) -> str:
    """actual or plan (実績 and 取組予定 too)."""
    found = FIELDS.get(text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(
            f"欄は actual(実績)か plan(取組予定)で指定してください: {text[:20]}"
        )
    return found


def limit(text: str) -> int:
    """A count from 1 to the history's bound."""
    from ..core.history import MAX_LIMIT

    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(
            f"件数は 1 から {MAX_LIMIT} までの数で指定してください: {text[:20]}"
        )
    return int(text)


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


_ID = re.compile(r"^[0-9a-f]{32}$")


def find_row(report, typed: str) -> str:
    """The id of the node a --row names: its id (a row deleted since too), or its place as
    lists print it (one row only)."""
    node = report.find_node(typed.strip())
    if node is not None:
        return node.id
    if _ID.match(typed.strip()):
        return typed.strip()
    wanted = _folded(typed)
    found = [
        entry for _g, _d, entry in report.entries() if _folded(place_in(report, entry)) == wanted
    ]
    if len(found) == 1:
        return found[0].id
    if found:
        ids = "、".join(entry.id for entry in found)
        raise CliError(f"「{typed}」の行が {len(found)} 行あります。id で指定してください: {ids}")
    raise CliError(
        f"「{typed}」という行は{year_label(report.actual_year)}の報告にありません"
        "(場所は「【基本目標1】① 水産課」のように書きます)。"
    )


def cmd_history(args: argparse.Namespace) -> int:
    """One line per recorded change: when, who, where, which field, before → after."""
    from ..core import history
    from .kpi import department_name

    with for_reading(args) as store:
        if not store.on_server:
            raise ReportError(history.ON_FILE)
        report = store.load(args.year)
        node_ids = [find_row(report, args.row)] if args.row else []
        department = None
        if args.dept is not None:
            department = department_name(report, args.dept, store.department_list())
        bound = args.limit or history.DEFAULT_LIMIT
        found = history.changes(
            store,
            report,
            node_ids=node_ids,
            department=department,
            fields=(args.field,) if args.field else (),
            limit=bound,
        )
    for change in found:
        print(history.describe(change, report, args.field).text())
    year = year_label(report.actual_year)
    if not found:
        print(f"{year}: 条件に合う変更の記録はありません。", file=sys.stderr)
    else:
        more = f"(新しいものから {bound} 件まで)" if len(found) == bound else ""
        print(f"{year}: 変更 {len(found)} 件{more}", file=sys.stderr)
    return EXIT_OK
