"""The command line's notation commands: check --notation, fix-notation, notation-rules."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..core.store import Store
from ..core.validate import year_label
from .arguments import Subparsers, db_argument, year_argument
from .storeopen import EXIT_FINDINGS, EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add fix-notation and notation-rules (check --notation is the review's)."""
    p = sub.add_parser("fix-notation", help="表記ルールに合わせて文章を直す")
    db_argument(p)
    year_argument(p)
    p.add_argument("--rule", nargs="+", metavar="R", help="直すルール(id か名前。省略時はすべて)")
    p.add_argument("--dept", nargs="+", metavar="D", help="直す部署(省略時はすべて)")
    p.add_argument("--dry-run", action="store_true", help="直す箇所を表示するだけ")
    p.set_defaults(func=cmd_fix_notation)

    p = sub.add_parser("notation-rules", help="表記ルールの表示・書き出し・読み込み")
    db_argument(p)
    p.add_argument("--export", type=Path, metavar="FILE", help="ルールを JSON に書き出す")
    p.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE", help="JSON のルールを使う"
    )
    p.add_argument("--reset", action="store_true", help="既定のルールに戻す")
    p.set_defaults(func=cmd_notation_rules)


def notation_findings(store: Store, args: argparse.Namespace) -> tuple:
    """The report and its notation findings, narrowed by --rule and --dept."""
    from ..core import notation, notationfile

    report = store.load(args.year)
    rules = notationfile.rules_of(store)
    if getattr(args, "rule", None):
        rules = notation.only_rules(rules, args.rule)
    findings = notation.find(report, rules, departments=store.department_list())
    if getattr(args, "dept", None):
        findings = notation.of_departments(report, findings, args.dept)
    return report, findings


def cmd_check_notation(args: argparse.Namespace) -> int:
    """List the notation findings, one per line; exit 1 when there are any."""
    from ..core import notation

    with for_reading(args) as store:
        report, findings = notation_findings(store, args)
    for finding in findings:
        print(finding)
    counts = notation.summary(findings, by="label")
    # Places in the texts, as 「直しました」 counts them (a text may hold several).
    per_rule = "、".join(f"{label} {count}" for label, count in counts.items())
    print(
        f"{year_label(report.actual_year)}: 表記の揺れ {len(findings)} 箇所"
        + (f"({per_rule})" if per_rule else ""),
        file=sys.stderr,
    )
    return EXIT_FINDINGS if findings else EXIT_OK


def cmd_fix_notation(args: argparse.Namespace) -> int:
    """Apply the notation fixes as one batch (a snapshot first), one line per change."""
    from ..core import edits, notation, snapshots

    with for_reading(args) if args.dry_run else for_writing(args) as store:
        report, findings = notation_findings(store, args)
        for finding in findings:
            print(finding.change_line())
        if args.dry_run or not findings:
            print(
                f"(--dry-run のため変更していません: {len(findings)} 箇所)"
                if findings
                else "直す表記はありません。"
            )
            return EXIT_OK
        changes = notation.fix_edits(report, findings)
        snapshots.take(store, "notation")
        edits.apply(store, report, changes)
    print(
        f"{year_label(report.actual_year)}の表記を {len(findings)} 箇所直しました"
        f"(文章 {len(changes)} 件)。"
    )
    return EXIT_OK


def cmd_notation_rules(args: argparse.Namespace) -> int:
    """Show, export, import (--import FILE) or reset the office's notation rules."""
    from ..core import notation, notationfile
    from ..formats import registry, targets

    with for_writing(args) if args.import_file or args.reset else for_reading(args) as store:
        if args.export:
            rules = targets.Output.of(registry.get("json"), args.export, "表記ルールのファイル")
            targets.check_outputs([rules], store.path)
        if args.import_file or args.reset:
            rules = notationfile.read_rules(args.import_file) if args.import_file else None
            store.set_notation_rules(None if rules is None else notationfile.to_json(rules))
        rules = notationfile.rules_of(store)
    if args.export:
        notationfile.write_rules(rules, args.export)
        print(f"書き出しました: {args.export}")
    else:
        print("\n".join(notation.rule_line(rule) for rule in rules))
    return EXIT_OK
