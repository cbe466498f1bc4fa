"""The command line's review commands: check, the notation commands and departments."""

from __future__ import annotations

import argparse
import logging
import sys

from ..core.validate import year_label
from . import notation
from .arguments import Subparsers, db_argument, year_argument
from .inquiry import row_place
from .storeopen import EXIT_FINDINGS, EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add check, fix-notation, notation-rules and departments."""
    from ..core.review import DEFAULT_LIMIT

    p = sub.add_parser("check", help="提出前の点検(見つかれば終了コード 1)")
    db_argument(p)
    year_argument(p)
    p.add_argument(
        "--limit",
        type=_limit,
        default=DEFAULT_LIMIT,
        help=f"1つの文章の文字数の上限(既定: {DEFAULT_LIMIT}、0 で点検しない)",
    )
    p.add_argument("--notation", action="store_true", help="表記ルールとの違いを一覧にする")
    p.add_argument("--rule", nargs="+", metavar="R", help="--notation で見るルール(id か名前)")
    p.set_defaults(func=cmd_check)

    # The notation rules are part of the review, as in the window's review panel.
    notation.register(sub)

    p = sub.add_parser("departments", help="部署の一覧(点検に使う)を表示・変更する")
    db_argument(p)
    p.add_argument("--add", nargs="+", metavar="NAME", help="一覧に加える部署")
    p.add_argument("--remove", nargs="+", metavar="NAME", help="一覧から除く部署")
    p.set_defaults(func=cmd_departments)


def cmd_check(args: argparse.Namespace) -> int:
    """Check the texts before submission; exit 1 when anything is found."""
    if args.notation:
        return notation.cmd_check_notation(args)
    from ..core import inquiryrecord, review

    with for_reading(args) as store:
        report = store.load(args.year)
        known = inquiryrecord.known_departments(store, report.actual_year)
    findings = review.check(report, limit=args.limit, departments=known)
    for finding in findings:
        if finding.is_kpi:  # a KPI is named by its name: it has no row number
            print(finding)
            continue
        # Two rows of a department in one direction are told apart by their number.
        where = row_place(finding.goal, finding.direction, finding.entry)
        print(str(finding).replace(finding.where, where, 1))
    goals, departments = review.counts_by(findings)
    per_goal = "、".join(f"{label} {count}件" for label, count in goals.items())
    print(
        f"{year_label(report.actual_year)}: 確認が必要な箇所 {len(findings)} 件"
        + (f"({per_goal})" if per_goal else ""),
        file=sys.stderr,
    )
    if departments:
        per_department = "、".join(f"{name} {count}件" for name, count in departments.most_common())
        print(f"部署別: {per_department}", file=sys.stderr)
    return EXIT_FINDINGS if findings else EXIT_OK


def cmd_departments(args: argparse.Namespace) -> int:
    """Show or change the department list the check uses."""
    with for_writing(args) if args.add or args.remove else for_reading(args) as store:
        if args.add:
            store.add_departments(args.add)
        if args.remove:
            store.set_department_list([n for n in store.department_list() if n not in args.remove])
        names = store.department_list()
    for name in names:
        print(name)
    if not names:
        print("部署の一覧はまだありません(最初の取り込みで作られます)。", file=sys.stderr)
    return EXIT_OK


def _limit(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"文字数として読めません: {text}")
    return int(text)
