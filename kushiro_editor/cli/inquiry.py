"""The command line's inquiry (照会) commands and ``confirm``.

``inquiry export`` writes the packs and the request letter, ``inquiry import``
reviews answered packs (``--accept`` takes what conflicts with nothing,
``--accept-all`` also overwrites conflicts), ``inquiry status`` prints the
record per department, and ``confirm`` marks carried-over texts 確認済み.
"""

from __future__ import annotations

import argparse
import logging
import re
from datetime import date, datetime
from pathlib import Path

from ..core.model import STATE_CARRIED, Direction, Entry, Goal, Report, ReportError, place
from ..core.store import Store
from ..core.validate import year_label
from .arguments import Parser, Subparsers, db_argument, year_argument
from .storeopen import EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)

_ROW = re.compile(r"^(\d+)-(\d+)-(\d+)$")


def register(sub: Subparsers) -> None:
    """Add inquiry export, import and status, and confirm."""
    p = sub.add_parser("inquiry", help="部署への照会用ファイルの作成・回答の取り込み・照会状況")
    inquiry_sub = p.add_subparsers(dest="action", required=True, parser_class=Parser)
    q = inquiry_sub.add_parser("export", help="部署ごとの照会用ファイルと依頼文を作る")
    q.add_argument("--dept", nargs="+", metavar="NAME", help="部署(省略時はすべて)")
    q.add_argument("--out", type=Path, required=True, help="作成先のフォルダ")
    q.add_argument("--deadline", type=parse_deadline, help="提出期限(例: 2021-05-31)")
    q.add_argument("--person", help="問い合わせ先の担当者")
    q.add_argument("--extension", help="問い合わせ先の内線")
    q.add_argument("--email", help="問い合わせ先のメール")
    db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_inquiry_export)
    q = inquiry_sub.add_parser("import", help="回答を確認する(--accept / --accept-all で取り込む)")
    q.add_argument("files", type=Path, nargs="+", metavar="FILE")
    db_argument(q)
    year_argument(q)
    q.add_argument("--accept", action="store_true", help="競合しない回答を取り込み、競合は残す")
    q.add_argument(
        "--accept-all", action="store_true", help="競合も含めてすべての回答を取り込む(競合は上書き)"
    )
    q.set_defaults(func=cmd_inquiry_import)
    q = inquiry_sub.add_parser("status", help="部署ごとの照会状況")
    db_argument(q)
    year_argument(q)
    q.set_defaults(func=cmd_inquiry_status)

    p = sub.add_parser("confirm", help="前年度から引継ぎの文章を確認済みにする")
    p.add_argument("--dept", nargs="+", metavar="NAME", help="この部署の行")
    p.add_argument("--row", nargs="+", metavar="ROW", help="行(1-2-3 = 基本目標1 ② の3行目、か id)")
    p.add_argument("--answered", action="store_true", help="照会に回答のあった行(--dept で絞れる)")
    db_argument(p)
    year_argument(p)
    p.set_defaults(func=cmd_confirm)


def row_place(goal: Goal, direction: Direction, entry: Entry) -> str:
    """Where a row is; with its number in the direction when a department has two rows there."""
    where = place(goal, direction, entry)
    same = [e for e in direction.entries if e.departments == entry.departments]
    if len(same) > 1:
        number = next(i for i, e in enumerate(direction.entries, start=1) if e is entry)
        where += f"({number}行目)"
    return where


def row_key(report: Report, entry: Entry) -> str:
    """「1-2-3」: goal 1, direction ②, the third department row (as ``confirm --row`` takes it)."""
    for g, goal in enumerate(report.goals, start=1):
        for d, direction in enumerate(goal.directions, start=1):
            for r, other in enumerate(direction.entries, start=1):
                if other is entry:
                    return f"{g}-{d}-{r}"
    return ""


def parse_deadline(text: str) -> date:
    """A deadline as 2021-05-31 (or 2021/5/31)."""
    try:
        return datetime.strptime(text.replace("/", "-"), "%Y-%m-%d").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日付として読めません(例: 2021-05-31): {text}") from exc


def cmd_inquiry_export(args: argparse.Namespace) -> int:
    """Write one inquiry pack per department, the request letter beside them, and record them."""
    from ..core import inquiryrecord, yearly
    from ..core.inquiry import PackSent, Request
    from ..formats.inquiry import kpisheet
    from ..formats.inquiry import letter as inquiry_letter
    from ..formats.inquiry import packs as inquiry_packs

    request = Request(args.deadline, args.person or "", args.extension or "", args.email or "")
    with for_writing(args) as store:
        report = store.load(args.year)
        previous = store.load_previous(report)
        written = inquiry_packs.export_packs(
            report,
            args.out,
            args.dept,
            yearly.previous_texts(report, previous),
            request,
            store_path=store.path,
        )
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        deadline = args.deadline.isoformat() if args.deadline else ""
        inquiryrecord.record_packs(
            store,
            report.actual_year,
            [
                PackSent(name, stamp, deadline, request.contact, path.name, rows)
                for name, path, rows in written
            ],
        )
    for name, path, rows in written:
        values = len(kpisheet.department_kpis(report, name))
        asked = f"、指標 {values} 件" if values else ""
        print(f"{name}: {rows} 行{asked} → {path}")
    print(f"照会用ファイルを {len(written)} 件作成しました。")
    print(f"依頼文: {args.out / inquiry_letter.letter_name(report.actual_year)}")
    if args.deadline is None:
        print("(提出期限が書かれていません。--deadline 2021-05-31 のように指定できます)")
    return EXIT_OK


def cmd_inquiry_import(args: argparse.Namespace) -> int:
    """Review answered packs; --accept takes what conflicts with nothing, --accept-all all."""
    from ..core import edits, inquiryrecord, merge, snapshots
    from ..formats.inquiry import answers as inquiry_answers

    answers = [inquiry_answers.read_answers(path) for path in args.files]
    accept = args.accept or args.accept_all
    with for_writing(args) if accept else for_reading(args) as store:
        years = {a.actual_year for a in answers}
        year = args.year or (years.pop() if len(years) == 1 else None)
        report = store.load(year)
        recorded = inquiryrecord.recorded_answers(store, report.actual_year)
        review = merge.review_answers(report, answers, recorded)
        conflicts = review.conflicts()
        if args.accept_all:
            for item in conflicts:
                item.choice = inquiryrecord.TAKEN
        for line in review.lines():
            print(line)
        if not accept:
            print(
                "(確認のみ。競合しない回答を取り込むには --accept、"
                "競合も回答で上書きするには --accept-all を付けてください)"
            )
            return EXIT_OK
        batch = edits.expand(merge.answer_edits(review))
        if batch:  # answers already merged change nothing, not even the snapshots
            snapshots.take(store, "merge")
        with store.transaction():
            edits.apply(store, report, batch)
            merge.record(store, report.actual_year, review)
    taken = sum(item.accepted for item in review.items)
    overwritten = [item for item in conflicts if item.accepted]
    print(
        f"{taken} 件の回答を取り込みました"
        + (
            f"(うち {len(overwritten)} 件は競合していた{_what(overwritten)}を回答で上書きしました)"
            if overwritten
            else ""
        )
        + "。"
    )
    left = [item for item in conflicts if not item.accepted]
    if left:
        print(f"取り込んでいない競合 {len(left)} 件(現在の{_what(left)}のままです):")
        for item in left:
            print(f"  {item.where} ({item.department}より)")
        print("(回答で上書きするには --accept-all、文章を合わせて直すには画面で)")
    if review.settled:
        print(f"取り込み済みか現在と同じため変更しなかった文章: {len(review.settled)} 件")
    return EXIT_OK


def cmd_inquiry_status(args: argparse.Namespace) -> int:
    """Print the record of the inquiry, one line per department."""
    from ..core import inquiryrecord

    with for_reading(args) as store:
        year = args.year or _newest_year(store)
        departments = store.load(year).departments() if year in store.years() else []
        status = inquiryrecord.status(store, year, departments)
    print(f"{year_label(year)}の照会状況:")
    if not status:
        print("照会の記録はありません。")
    for line in status:
        print(f"  {line.line()}")
    return EXIT_OK


def _newest_year(store: Store) -> int:
    years = store.years()
    if not years:
        raise ReportError("データファイルに報告がありません。先に取り込んでください。")
    return years[0]


def cmd_confirm(args: argparse.Namespace) -> int:
    """Mark carried-over texts 確認済み: by department, by row, or all a department answered."""
    from ..core import edits, review

    if not (args.dept or args.row or args.answered):
        raise ReportError(
            "確認済みにする行を --dept、--row、--answered のいずれかで指定してください。"
        )
    with for_writing(args) as store:
        report = store.load(args.year)
        chosen = _chosen_rows(report, args)
        batch = []
        done = []
        for goal, direction, entry in chosen:
            found = review.confirm_edits(entry)
            if found:
                batch.extend(found)
                done.append(f"{row_place(goal, direction, entry)}({len(found)}件)")
        edits.apply(store, report, batch)
    for line in done:
        print(f"確認済み: {line}")
    print(
        f"{year_label(report.actual_year)}: 前年度から引継ぎの文章 {len(batch)} 件を"
        f"確認済みにしました(残りの引継ぎ・未確認 {carried_count(report)} 件)。"
    )
    return EXIT_OK


def _chosen_rows(report: Report, args: argparse.Namespace) -> list[tuple[Goal, Direction, Entry]]:
    rows = list(report.entries())
    known = set(report.departments())
    unknown = [name for name in args.dept or [] if name not in known]
    if unknown:
        raise ReportError(f"この報告に行のない部署です: {'、'.join(unknown)}")
    chosen = []
    keys = set(args.row or [])
    for key in keys:
        if not _ROW.match(key) and not any(e.id == key for _g, _d, e in rows):
            raise ReportError(f"行として読めません(例: 1-2-3、または行の id): {key}")
    for goal, direction, entry in rows:
        by_row = bool(keys) and (entry.id in keys or row_key(report, entry) in keys)
        by_dept = bool(args.dept) and any(name in entry.departments for name in args.dept)
        if args.answered:
            # Only what a department answered (narrowed to --dept when given).
            if entry.answered_by and (not args.dept or entry.answered_by in args.dept):
                chosen.append((goal, direction, entry))
        elif by_row or by_dept:
            chosen.append((goal, direction, entry))
    missing = [
        key for key in keys if not any(key in (e.id, row_key(report, e)) for _g, _d, e in rows)
    ]
    if missing:
        raise ReportError(f"この報告にない行です: {'、'.join(missing)}")
    return chosen


def carried_count(report: Report) -> int:
    """Texts still marked 引継ぎ・未確認."""
    return sum(
        (e.actual_state == STATE_CARRIED) + (e.plan_state == STATE_CARRIED)
        for _g, _d, e in report.entries()
    )


def _what(items: list) -> str:
    """「文章」, 「指標の値」 or both: what the merged or kept answers were."""
    from ..core.kpi.merging import KpiMergeItem

    values = any(isinstance(item, KpiMergeItem) for item in items)
    texts = any(not isinstance(item, KpiMergeItem) for item in items)
    return "・".join(word for word, has in (("文章", texts), ("指標の値", values)) if has)
