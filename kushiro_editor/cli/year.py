"""The command line's year commands: rollover (a new year from last year) and prefill."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..core import fiscal
from ..core.store import Store
from ..core.validate import year_label
from ..formats import registry
from .arguments import CliError, Subparsers, db_argument, year_argument
from .storeopen import EXIT_FINDINGS, EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add rollover and prefill."""
    from ..core.yearly import ACTUAL_EMPTY, ACTUAL_FROM_PLAN

    p = sub.add_parser("rollover", help="前年度の報告から新年度の報告を作る")
    p.add_argument(
        "source",
        metavar="FILE_OR_YEAR",
        help=f"前年度のファイル({registry.suffix_list(registry.readable())})かデータファイルの年度",
    )
    db_argument(p)
    p.add_argument(
        "--actual",
        choices=(ACTUAL_FROM_PLAN, ACTUAL_EMPTY),
        default=ACTUAL_FROM_PLAN,
        help="実績欄: plan=前年度の取組予定を下書きに入れる(既定)、empty=空欄",
    )
    p.add_argument("--replace", action="store_true", help="同じ年度の報告を置き換える")
    p.set_defaults(func=cmd_rollover)

    p = sub.add_parser("prefill", help="前年度のファイルから取組予定を補完する")
    p.add_argument("file", type=Path)
    db_argument(p)
    year_argument(p)
    p.add_argument("--overwrite", action="store_true", help="書かれている取組予定も上書きする")
    p.add_argument("--dry-run", action="store_true", help="補完する内容を表示するだけ")
    p.add_argument("--yes", action="store_true", help="--overwrite で書かれた取組予定を上書きする")
    p.set_defaults(func=cmd_prefill)

    p = sub.add_parser(
        "past-tense", help="実績の文末を過去形にする(前年度の取組予定から作った下書き)"
    )
    db_argument(p)
    year_argument(p)
    p.add_argument("--dept", nargs="+", metavar="NAME", help="この部署の行だけ(省略時はすべて)")
    p.add_argument(
        "--all-texts",
        action="store_true",
        help="確認済み・書き直した実績も対象にする(既定: 前年度から引き継いだ未確認の下書きだけ)",
    )
    p.add_argument("--dry-run", action="store_true", help="変える内容を表示するだけ")
    p.set_defaults(func=cmd_past_tense)


def _source_report(store: Store, source: str) -> tuple:
    """Last year's report: a year in the store (2020, R2) or a file."""
    from ..formats import read_file

    path = Path(source)
    if not path.suffix and not path.exists():
        try:
            year = int(source) if source.isdigit() else fiscal.parse_label(source, whole=True)
        except ValueError as exc:
            raise CliError(f"年度かファイルを指定してください: {source}") from exc
        return store.load(year), f"データファイルの{year_label(year)}"
    return read_file(path).report, path.name


def cmd_rollover(args: argparse.Namespace) -> int:
    """Create next year's report from last year's."""
    from ..core import yearly
    from ..core.model import STATE_CARRIED, ImportResult
    from ..workspace import save_import

    with for_writing(args) as store:
        previous, where = _source_report(store, args.source)
        report = yearly.rollover(previous, actual=args.actual)
        save_import(store, ImportResult(report, []), replace=args.replace, reason="rollover")
    carried = sum(
        (e.actual_state == STATE_CARRIED) + (e.plan_state == STATE_CARRIED)
        for _g, _d, e in report.entries()
    )
    entries = sum(1 for _ in report.entries())
    print(
        f"{where}から{year_label(report.actual_year)}の報告を作成しました: "
        f"所管部署の行 {entries}、前年度から引継ぎ・未確認の文章 {carried}"
    )
    return EXIT_OK


def cmd_prefill(args: argparse.Namespace) -> int:
    """Fill the open report's plans from last year's file."""
    from ..core import edits, merge, snapshots, yearly
    from ..core.model import place
    from ..formats import read_file

    previous = read_file(args.file).report
    with for_reading(args) if args.dry_run else for_writing(args) as store:
        report = store.load(args.year)
        plan = yearly.plan_prefill(report, previous, overwrite=args.overwrite)
        for line in plan.summary_lines():
            print(line)
        replaced = [fill for fill in plan.fills if fill.overwrite]
        for fill in replaced:
            print(f"  上書きされる取組予定: {place(fill.goal, fill.direction, fill.entry)}")
            print(f"    現在  : {merge.short(fill.entry.plan)}")
            print(f"    前年度: {merge.short(fill.new_plan)}")
        if args.dry_run:
            print("(--dry-run のため変更していません)")
            return EXIT_OK
        if replaced and not args.yes:
            print(
                f"(書かれている取組予定 {len(replaced)} 件を上書きします。よければ --yes を"
                "付けて実行してください。変更していません)",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        snapshots.take(store, "prefill")
        edits.apply(store, report, yearly.prefill_edits(plan))
    print(f"{year_label(report.actual_year)}の取組予定を {len(plan.fills)} 件補完しました。")
    return EXIT_OK


def cmd_past_tense(args: argparse.Namespace) -> int:
    """Put the 実績 drafts' sentence ends in the past; one line per sentence changed or left."""
    from ..core import edits, pastdrafts, snapshots
    from .inquiry import row_place

    with for_reading(args) if args.dry_run else for_writing(args) as store:
        report = store.load(args.year)
        named = {name for _g, _d, entry in report.entries() for name in entry.departments}
        unknown = [name for name in args.dept or [] if name not in named]
        if unknown:
            raise CliError(
                f"{year_label(report.actual_year)}の報告にない部署です: {'、'.join(unknown)}"
            )
        found = pastdrafts.drafts(
            report, args.dept, where=row_place, carried_only=not args.all_texts
        )
        for draft in found:
            where = draft.place
            for proposal in draft.proposals:
                number = f"{proposal.sentence + 1}文目"
                if proposal in draft.changes:
                    print(f"{where} {number}: {proposal.before} → {proposal.after}")
                elif proposal in draft.left:
                    print(f"{where} {number}: そのまま({proposal.reason}) {proposal.before}")
        batch = pastdrafts.all_edits(found)
        changed = sum(len(draft.changes) for draft in found)
        left = sum(len(draft.left) for draft in found)
        print(f"過去形にする文 {changed}、そのままの文 {left}(文章 {len(batch)} 件が変わります)")
        if args.dry_run:
            print("(--dry-run のため変更していません)")
            return EXIT_OK
        if batch:
            snapshots.take(store, "pasttense")
            edits.apply(store, report, batch)
    print(
        f"{year_label(report.actual_year)}の実績 {len(batch)} 件の文末を過去形にしました。"
        "前年度から引き継いだ文章は未確認のままです。"
    )
    return EXIT_OK
