"""The command line's KPI commands: ``kpi list``, ``kpi import`` and ``kpi demo``."""

from __future__ import annotations

import argparse
import logging
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from ..core.validate import year_label
from .arguments import CliError, Parser, Subparsers, db_argument, year_argument
from .storeopen import EXIT_OK, for_reading, for_writing, store_line

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add kpi list, kpi import and kpi demo."""
    p = sub.add_parser("kpi", help="数値目標・KPI(一覧、デモ用の報告)")
    commands = p.add_subparsers(dest="kpi_command", required=True, parser_class=Parser)

    p = commands.add_parser(
        "list", help="指標の一覧: 場所と名前、今年度の実績値、達成率、評価を 1 行ずつ"
    )
    db_argument(p)
    year_argument(p)
    p.add_argument("--dept", metavar="D", help="この部署が所管する指標だけ")
    p.add_argument("--rating", metavar="R", help="この評価(A、B、－ など)の指標だけ")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser(
        "import", help="前年度などの指標の表(Excel・CSV、手作りのものも)を報告の指標として取り込む"
    )
    p.add_argument("file", type=Path, metavar="FILE")
    db_argument(p)
    year_argument(p)
    p.add_argument("--dry-run", action="store_true", help="取り込む内容と確認事項を表示するだけ")
    p.set_defaults(func=cmd_import)

    p = commands.add_parser(
        "demo", help="見本の報告に架空の指標を加えたデモ用の報告をデータファイルに入れる"
    )
    db_argument(p)
    p.add_argument("--replace", action="store_true", help="同じ年度の報告を置き換える")
    p.set_defaults(func=cmd_demo)


def cmd_list(args: argparse.Namespace) -> int:
    """One line per KPI of the report, filtered by department and rating."""
    from ..core.kpi import fields, progress
    from ..core.kpi.achievement import format_rate
    from ..core.kpi.numbers import format_value

    with for_reading(args) as store:
        report = store.load(args.year)
        known = store.department_list()
    rating = None if args.rating is None else rating_label(report, args.rating)
    department = None
    if args.dept is not None:
        department = department_name(report, args.dept, known)
    shown = progress.states(report, department=department, rating_label=rating)
    for state in shown:
        unit = state.kpi.unit
        value = format_value(state.value, grouping=True)
        print(
            f"{state.place}  実績値 {value}{unit if state.value is not None else ''}  "
            f"達成率 {format_rate(state.rating.rate)}  評価 {state.rating.display}"
        )
    year = year_label(report.actual_year)
    if not fields.has_kpis(report):
        print(f"{year}の報告には指標がありません。", file=sys.stderr)
    elif not shown:
        print(f"{year}: 条件に合う指標はありません。", file=sys.stderr)
    else:
        counts = Counter(state.rating.label for state in shown)
        order = [*report.kpi_settings.scale.labels, report.kpi_settings.scale.missing]
        per_rating = "、".join(f"{label} {counts[label]}件" for label in order if counts[label])
        print(f"{year}: 指標 {len(shown)} 件({per_rating})", file=sys.stderr)
    return EXIT_OK


def _folded(text: str) -> str:
    # 「Ａ」 typed with the IME on, or 「b」, is the grade; 「-」 is the scale's 「－」.
    return unicodedata.normalize("NFKC", text).strip().casefold()


def rating_label(report, typed: str) -> str:
    """The scale's label a typed rating names, or CliError listing the labels there are."""
    scale = report.kpi_settings.scale
    labels = [*scale.labels, scale.missing]
    for label in labels:
        if _folded(label) == _folded(typed):
            return label
    raise CliError(
        f"評価「{typed[:30]}」はこの報告の評価の基準({scale.name})にありません。"
        f"使える評価: {'、'.join(labels)}"
    )


def department_name(report, typed: str, known: list[str]) -> str:
    """A department the report or the office's list names, or CliError with the likely one."""
    from ..core.kpi import fields
    from ..core.review import similar_names

    name = _folded(typed)
    names = dict.fromkeys(
        [
            *report.departments(),
            *(n for _owner, kpi in fields.kpis(report) for n in kpi.departments),
            *known,
        ]
    )
    for candidate in names:
        if _folded(candidate) == name:
            return candidate
    guesses = similar_names(name, list(names), threshold=0.6)
    hint = f"「{'」か「'.join(guesses)}」の誤りではありませんか。" if guesses else ""
    raise CliError(f"部署「{typed[:30]}」はこの報告にも部署の一覧にもありません。{hint}")


def cmd_import(args: argparse.Namespace) -> int:
    """Read a KPI table and place its KPIs on the report; one line per KPI and per note."""
    from ..core import edits, snapshots
    from ..core.model import place_in
    from ..formats import kpiimport

    table = kpiimport.read_file(args.file)
    with for_reading(args) if args.dry_run else for_writing(args) as store:
        report = store.load(args.year)
        plan = kpiimport.attach(report, table)
        for owner, kpi, row in plan.placed:
            where = place_in(report, owner)
            print(f"{row.where}: {where} 指標「{kpi.name}」")
        for note in plan.notes:
            print(f"確認: {note}")
        print(
            f"取り込む指標 {len(plan.placed)} 件、確認事項 {len(plan.notes)} 件"
            f"({args.file.name} → {year_label(report.actual_year)}の報告)"
        )
        if args.dry_run:
            print("(--dry-run のため変更していません)")
            return EXIT_OK
        if not plan.placed:
            raise CliError(f"{args.file.name} から報告に付けられる指標はありませんでした。")
        snapshots.take(store, "import")
        edits.apply(store, report, plan.edits())
    print(f"指標を {len(plan.placed)} 件取り込みました。")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Store the demonstration report (the sample with made-up KPIs)."""
    from ..core.kpi import fields
    from ..workspace import demo_result, save_import

    result = demo_result()
    report = result.report
    with for_writing(args) as store:
        save_import(store, result, replace=args.replace)
        where = store_line(store)
    count = sum(1 for _ in fields.kpis(report))
    print(f"デモ用の報告を入れました: {report.title} {year_label(report.actual_year)} 指標 {count}")
    print(where)
    return EXIT_OK
