"""The command line: ``kushiro-editor import|dump|export|reports …``.

Bad input is one line on stderr and exit status 2, with the store untouched.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .core import fiscal
from .core.model import ReportError
from .core.store import Store
from .workspace import open_store

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A mistake in the command line's arguments (exit 2)."""


def _year_label(year: int) -> str:
    return f"{fiscal.short_label(year)}({fiscal.western_label(year)})"


def _store(args: argparse.Namespace) -> Store:
    return open_store(args.db)


def cmd_import(args: argparse.Namespace) -> int:
    """Import a file as a report of the store."""
    from .formats import read_file

    result = read_file(args.file, actual_year=args.year)
    report = result.report
    with _store(args) as store:
        store.save(report, result.warnings, replace=args.replace)
    directions = sum(len(g.directions) for g in report.goals)
    entries = sum(1 for _ in report.entries())
    print(
        f"取り込みました: {report.title} {_year_label(report.actual_year)} "
        f"基本目標 {len(report.goals)}、基本的方向 {directions}、部署の行 {entries}"
    )
    if result.warnings:
        print(f"確認が必要な箇所 {len(result.warnings)} 件:")
        for warning in result.warnings:
            print(f"  {warning}")
    return EXIT_OK


def cmd_dump(args: argparse.Namespace) -> int:
    """Print a report as JSON."""
    from .formats import json as json_format

    with _store(args) as store:
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
    sys.stdout.write(json_format.dumps(report, warnings))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    """Write a report as JSON, Word or Excel."""
    if not (args.json or args.docx or args.xlsx):
        raise CliError("出力先を --json、--docx、--xlsx のいずれかで指定してください。")
    with _store(args) as store:
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
    from .formats.layout import ExportOptions

    options = ExportOptions(font=args.font, heading_font=args.heading_font, size=args.font_size)
    written = []
    if args.json:
        from .formats import json as json_format

        json_format.write(report, args.json, warnings)
        written.append(args.json)
    if args.docx:
        from .formats import docx

        docx.write(report, args.docx, options)
        written.append(args.docx)
    if args.xlsx:
        from .formats import xlsx

        xlsx.write(report, args.xlsx, options)
        written.append(args.xlsx)
    for path in written:
        print(f"書き出しました: {path}")
    return EXIT_OK


def cmd_reports(args: argparse.Namespace) -> int:
    """List the reports in the store."""
    with _store(args) as store:
        infos = store.reports()
        print(f"データファイル: {store.path}")
    if not infos:
        print("報告はありません。")
    for info in infos:
        print(
            f"{_year_label(info.actual_year)}  部署の行 {info.entries:>4}  "
            f"更新 {info.modified_at}  {info.title}"
        )
    return EXIT_OK


def _db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="データファイル(省略時は既定のファイル)")


def _year_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=_parse_year, help="実績の年度(2020、R2、令和2年度など。省略時は最新)"
    )


def _parse_year(text: str) -> int:
    try:
        return int(text) if text.isdigit() else fiscal.parse_label(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"年度として読めません: {text}") from exc


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
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: エラー: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = _Parser(prog="kushiro-editor", description="釧路市 総合戦略 進捗報告エディタ")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="詳しい記録を表示")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("import", help="ファイルを報告として取り込む")
    p.add_argument("file", type=Path, help=".docx .xlsx .tsv .txt .json")
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
    p.add_argument("--font", default="ＭＳ 明朝", help="本文のフォント(既定: ＭＳ 明朝)")
    p.add_argument(
        "--heading-font", default="ＭＳ ゴシック", help="見出しのフォント(既定: ＭＳ ゴシック)"
    )
    p.add_argument(
        "--font-size", type=_font_size, default=10.5, help="文字の大きさ(ポイント、既定: 10.5)"
    )
    _db_argument(p)
    _year_argument(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reports", help="データファイルの報告の一覧")
    _db_argument(p)
    p.set_defaults(func=cmd_reports)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Feature modules add their subcommands here (check, rollover, inquiry, …).
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    if not sys.stdout.isatty():
        # Redirected output (dump > file.json) is UTF-8 even on a CP932 Windows.
        sys.stdout.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except (ReportError, CliError) as exc:
        print(f"kushiro-editor: エラー: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("kushiro-editor: 中断しました。", file=sys.stderr)
        return 130
