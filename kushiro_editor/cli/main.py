"""The command line: ``kushiro-editor import|dump|export|reports …``.

Bad input is one line on stderr and exit status 2, with the store untouched.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import __version__, appdata, dictionary
from ..core import analyser, fiscal, validate
from ..core.model import ReportError
from ..core.store import Store
from ..core.storeerror import FAILURES, translate
from ..core.validate import year_label
from .inquiry import (
    cmd_confirm,
    cmd_inquiry_export,
    cmd_inquiry_import,
    cmd_inquiry_status,
    parse_deadline,
    row_place,
)
from .notation import cmd_check_notation, cmd_fix_notation, cmd_notation_rules
from .snapshot import cmd_snapshot
from .storeopen import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, for_reading, for_writing

logger = logging.getLogger(__name__)


EXIT_BROKEN_PIPE = 141  # what a shell reports for a program ended by a closed pipe
ANALYSER_MISSING = "日本語の解析辞書を読み込めないため、表記と時制は簡易な方法で点検しました"


class CliError(Exception):
    """A mistake in the command line's arguments (exit 2)."""


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file as a report of the store."""
    from ..formats import read_file
    from ..workspace import save_import

    result = read_file(args.file, actual_year=args.year)
    report = result.report
    with for_writing(args) as store:
        result = save_import(store, result, replace=args.replace)
    directions = sum(len(g.directions) for g in report.goals)
    entries = sum(1 for _ in report.entries())
    print(
        f"取り込みました: {report.title} {year_label(report.actual_year)} "
        f"基本目標 {len(report.goals)}、基本的方向 {directions}、部署の行 {entries}"
    )
    if result.warnings:
        print(f"確認が必要な箇所 {len(result.warnings)} 件:")
        for warning in result.warnings:
            print(f"  {warning}")
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    """Print a report as JSON."""
    from ..formats import reportjson as json_format

    with for_reading(args) as store:
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
    sys.stdout.write(json_format.dumps(report, warnings))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write a report as JSON, Word, Excel or PDF."""
    if not (args.json or args.docx or args.xlsx or args.pdf):
        raise CliError("出力先を --json、--docx、--xlsx、--pdf のいずれかで指定してください。")
    with for_reading(args) as store:
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
    from ..formats.table.layout import ExportOptions

    options = ExportOptions(font=args.font, heading_font=args.heading_font, size=args.font_size)
    written = []
    if args.json:
        from ..formats import reportjson as json_format

        json_format.write(report, args.json, warnings)
        written.append(args.json)
    # Each writer is loaded only when asked for: the PDF one brings ReportLab.
    for path, writer in ((args.docx, "docx"), (args.xlsx, "xlsx"), (args.pdf, "pdf")):
        if path:
            module = importlib.import_module(f"kushiro_editor.formats.{writer}.writer")
            module.write_file(report, path, options)
            written.append(path)
    for path in written:
        print(f"書き出しました: {path}")
    return EXIT_OK


def cmd_reports(args: argparse.Namespace) -> int:
    """List the reports in the store, or delete one (``reports delete YEAR``)."""
    if args.action == "delete":
        if args.year is None:
            raise CliError("削除する年度を指定してください(例: reports delete 2020)。")
        from ..core import snapshots

        with for_writing(args) as store:
            if args.year not in store.years() + store.unsupported_years():
                raise CliError(f"{args.year}年度の報告はデータファイルにありません。")
            snapshot = snapshots.take(store, "manual", f"{args.year}年度の報告を削除する前")
            store.delete_report(args.year)
        undo = f"snapshot restore {snapshot.id} --year {args.year}"
        hint = f"(戻すには: {undo})" if validate.is_supported_year(args.year) else ""
        print(f"{year_label(args.year)}の報告を削除しました{hint}。")
        return EXIT_OK
    if args.db is not None and not args.db.exists():
        # A store named but not made yet holds no reports; listing it creates nothing.
        print(f"データファイル: {args.db}(まだありません)")
        infos = []
    else:
        with for_reading(args) as store:
            infos = store.reports()
            print(f"データファイル: {store.path}")
    if not infos:
        print("報告はありません。")
    for info in infos:
        print(
            f"{year_label(info.actual_year)}  部署の行 {info.entries:>4}  "
            f"更新 {info.modified_at}  {info.title}"
        )
    return EXIT_OK


def _source_report(store: Store, source: str) -> tuple:
    """Last year's report: a year in the store (2020, R2) or a file."""
    from ..formats import read_file

    path = Path(source)
    if not path.suffix and not path.exists():
        try:
            year = int(source) if source.isdigit() else fiscal.parse_label(source)
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


def cmd_check(args: argparse.Namespace) -> int:
    """Check the texts before submission; exit 1 when anything is found."""
    if args.notation:
        return cmd_check_notation(args)
    from ..core import review

    with for_reading(args) as store:
        report = store.load(args.year)
        known = store.department_list() or None
    findings = review.check(report, limit=args.limit, departments=known)
    for finding in findings:
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


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="データファイル(省略時は既定のファイル)")


def _year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=_parse_year, help="実績の年度(2020、R2、令和2年度など。省略時は最新)"
    )


def _parse_year(text: str) -> int:
    """A supported fiscal year (2020, R2, 令和2年度…)."""
    year = _parse_any_year(text)
    try:
        return validate.fiscal_year(year)
    except ReportError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _parse_any_year(text: str) -> int:
    """Any year the store can hold (to delete one an older version let in)."""
    try:
        year = int(text) if text.isdigit() else fiscal.parse_label(text)
        return validate.integer(year, "年度")
    except (ValueError, ReportError) as exc:
        raise argparse.ArgumentTypeError(f"年度として読めません: {text[:30]}") from exc


def _font_size(text: str) -> float:
    try:
        size = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"文字の大きさとして読めません: {text}") from exc
    if not 6 <= size <= 20:
        raise argparse.ArgumentTypeError("文字の大きさは 6〜20 ポイントで指定してください")
    return size


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own exit status is 2 already
        # One line, like every other refusal; the usage is one -h away.
        line = " ".join(message.split())
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: エラー: {line}(使い方: {self.prog} -h)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="kushiro-editor", description="釧路市 総合戦略 進捗報告エディタ")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="詳しい記録を表示")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("import", help="ファイルを報告として取り込む")
    p.add_argument("file", type=Path, help=".docx .xlsx .pdf .xls .doc .tsv .txt .json")
    _db_argument(p)
    p.add_argument("--replace", action="store_true", help="同じ年度の報告を置き換える")
    p.add_argument("--year", type=_parse_year, help="年度を指定(ファイルから読めないとき)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("dump", help="報告を JSON で表示")
    _db_argument(p)
    _year_argument(p)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("export", help="報告を書き出す")
    p.add_argument("--json", type=Path, metavar="OUT")
    p.add_argument("--docx", type=Path, metavar="OUT")
    p.add_argument("--xlsx", type=Path, metavar="OUT")
    p.add_argument("--pdf", type=Path, metavar="OUT")
    p.add_argument("--font", default="ＭＳ 明朝", help="本文のフォント(既定: ＭＳ 明朝)")
    p.add_argument(
        "--heading-font", default="ＭＳ ゴシック", help="見出しのフォント(既定: ＭＳ ゴシック)"
    )
    p.add_argument(
        "--font-size", type=_font_size, default=9.5, help="文字の大きさ(ポイント、既定: 9.5)"
    )
    _db_argument(p)
    _year_argument(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reports", help="データファイルの報告の一覧(delete YEAR で削除)")
    p.add_argument("action", nargs="?", choices=("list", "delete"), default="list")
    p.add_argument("year", nargs="?", type=_parse_any_year, help="削除する年度")
    _db_argument(p)
    p.set_defaults(func=cmd_reports)

    from ..core.review import DEFAULT_LIMIT
    from ..core.yearly import ACTUAL_EMPTY, ACTUAL_FROM_PLAN

    p = sub.add_parser("rollover", help="前年度の報告から新年度の報告を作る")
    p.add_argument(
        "source",
        metavar="FILE_OR_YEAR",
        help="前年度のファイル(.docx .xlsx .pdf .xls .doc .tsv .json)かデータファイルの年度",
    )
    _db_argument(p)
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
    _db_argument(p)
    _year_argument(p)
    p.add_argument("--overwrite", action="store_true", help="書かれている取組予定も上書きする")
    p.add_argument("--dry-run", action="store_true", help="補完する内容を表示するだけ")
    p.add_argument("--yes", action="store_true", help="--overwrite で書かれた取組予定を上書きする")
    p.set_defaults(func=cmd_prefill)

    p = sub.add_parser("check", help="提出前の点検(見つかれば終了コード 1)")
    _db_argument(p)
    _year_argument(p)
    p.add_argument(
        "--limit",
        type=_limit,
        default=DEFAULT_LIMIT,
        help=f"1つの文章の文字数の上限(既定: {DEFAULT_LIMIT}、0 で点検しない)",
    )
    p.add_argument("--notation", action="store_true", help="表記ルールとの違いを一覧にする")
    p.add_argument("--rule", nargs="+", metavar="R", help="--notation で見るルール(id か名前)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fix-notation", help="表記ルールに合わせて文章を直す")
    _db_argument(p)
    _year_argument(p)
    p.add_argument("--rule", nargs="+", metavar="R", help="直すルール(id か名前。省略時はすべて)")
    p.add_argument("--dept", nargs="+", metavar="D", help="直す部署(省略時はすべて)")
    p.add_argument("--dry-run", action="store_true", help="直す箇所を表示するだけ")
    p.set_defaults(func=cmd_fix_notation)

    p = sub.add_parser("notation-rules", help="表記ルールの表示・書き出し・読み込み")
    _db_argument(p)
    p.add_argument("--export", type=Path, metavar="FILE", help="ルールを JSON に書き出す")
    p.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE", help="JSON のルールを使う"
    )
    p.add_argument("--reset", action="store_true", help="既定のルールに戻す")
    p.set_defaults(func=cmd_notation_rules)

    p = sub.add_parser("departments", help="部署の一覧(点検に使う)を表示・変更する")
    _db_argument(p)
    p.add_argument("--add", nargs="+", metavar="NAME", help="一覧に加える部署")
    p.add_argument("--remove", nargs="+", metavar="NAME", help="一覧から除く部署")
    p.set_defaults(func=cmd_departments)

    p = sub.add_parser("inquiry", help="部署への照会用ファイルの作成・回答の取り込み・照会状況")
    inquiry_sub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    q = inquiry_sub.add_parser("export", help="部署ごとの照会用ファイルと依頼文を作る")
    q.add_argument("--dept", nargs="+", metavar="NAME", help="部署(省略時はすべて)")
    q.add_argument("--out", type=Path, required=True, help="作成先のフォルダ")
    q.add_argument("--deadline", type=parse_deadline, help="提出期限(例: 2021-05-31)")
    q.add_argument("--person", help="問い合わせ先の担当者")
    q.add_argument("--extension", help="問い合わせ先の内線")
    q.add_argument("--email", help="問い合わせ先のメール")
    _db_argument(q)
    _year_argument(q)
    q.set_defaults(func=cmd_inquiry_export)
    q = inquiry_sub.add_parser("import", help="回答を確認する(--accept / --accept-all で取り込む)")
    q.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _db_argument(q)
    _year_argument(q)
    q.add_argument("--accept", action="store_true", help="競合しない回答を取り込み、競合は残す")
    q.add_argument(
        "--accept-all", action="store_true", help="競合も含めてすべての回答を取り込む(競合は上書き)"
    )
    q.set_defaults(func=cmd_inquiry_import)
    q = inquiry_sub.add_parser("status", help="部署ごとの照会状況")
    _db_argument(q)
    _year_argument(q)
    q.set_defaults(func=cmd_inquiry_status)

    p = sub.add_parser("confirm", help="前年度から引継ぎの文章を確認済みにする")
    p.add_argument("--dept", nargs="+", metavar="NAME", help="この部署の行")
    p.add_argument("--row", nargs="+", metavar="ROW", help="行(1-2-3 = 基本目標1 ② の3行目、か id)")
    p.add_argument("--answered", action="store_true", help="照会に回答のあった行(--dept で絞れる)")
    _db_argument(p)
    _year_argument(p)
    p.set_defaults(func=cmd_confirm)

    p = sub.add_parser("snapshot", help="データファイルのスナップショット(作成・一覧・比較・復元)")
    snapshot_sub = p.add_subparsers(dest="action", required=True, parser_class=_Parser)
    q = snapshot_sub.add_parser("create", help="名前を付けてスナップショットを作る")
    q.add_argument("name", nargs="?", help="名前(例: 提出版 2021-05-31)")
    _db_argument(q)
    q.set_defaults(func=cmd_snapshot)
    q = snapshot_sub.add_parser("list", help="スナップショットの一覧(新しい順)")
    _db_argument(q)
    q.set_defaults(func=cmd_snapshot)
    for action, text in (
        ("diff", "今の報告との違い"),
        ("restore", "報告をスナップショットの状態に戻す"),
    ):
        q = snapshot_sub.add_parser(action, help=text)
        q.add_argument(
            "key", metavar="ID", help="スナップショットの id か名前(snapshot list で一覧)"
        )
        _db_argument(q)
        _year_argument(q)
        q.set_defaults(func=cmd_snapshot)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Feature modules add their subcommands here (inquiry, snapshot, …).
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    if not sys.stdout.isatty():
        # Redirected output (dump > file.json) is UTF-8 even on a CP932 Windows.
        sys.stdout.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    logging.raiseExceptions = False  # a log file that cannot be written must not end the command
    log_file = _start_logging(args.verbose)
    analyser.use_dictionary_finder(dictionary.analyser_dictionary)
    try:
        status = args.func(args)
        if analyser.is_missing():
            where = f"詳しくは {log_file}" if log_file else "詳しくは -v を付けて実行"
            print(f"kushiro-editor: 注意: {ANALYSER_MISSING}({where})。", file=sys.stderr)
        return status
    except (ReportError, CliError) as exc:
        logger.info("refused: %s", exc, exc_info=True)
        _fail(str(exc))
    except BrokenPipeError:  # before FAILURES, which holds every OSError
        # The reader went away (… | head): end quietly, as other tools do, and keep
        # the interpreter's last flush from complaining about the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE
    except FAILURES as exc:
        logger.exception("store failure")
        _fail(str(translate(exc, args.db or appdata.default_store_path())))
    except KeyboardInterrupt:
        print("kushiro-editor: 中断しました。", file=sys.stderr)
        return 130
    except Exception:
        logger.exception("unexpected failure")
        where = f"詳しくは {log_file} を見てください" if log_file else "詳しくは -v を付けて実行"
        _fail(f"予期しない問題で処理を中止しました。データファイルは変わっていません({where})。")
    return EXIT_BAD_INPUT


def _fail(message: str) -> None:
    # One line: a message with line breaks (an exception's text) would read as several.
    line = " ".join(message.split())
    print(f"kushiro-editor: エラー: {line}", file=sys.stderr)


def _start_logging(verbose: bool) -> Path | None:
    """Details (tracebacks included) go to the log file; stderr gets them only with -v."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "kushiro_cli", False):
            root.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = []
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    log_file: Path | None = None
    try:
        log_file = appdata.log_path()
        handlers.append(logging.FileHandler(log_file, encoding="utf-8", delay=True))
    except (OSError, RuntimeError):
        log_file = None  # no data folder: the command still runs
    for handler in handlers:
        handler.kushiro_cli = True
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    return log_file
