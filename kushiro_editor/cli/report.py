"""The command line's report commands: import, dump, export and reports."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ..core import validate
from ..core.validate import year_label
from ..formats import registry
from .arguments import CliError, Subparsers, db_argument, parse_any_year, parse_year, year_argument
from .storeopen import EXIT_OK, for_reading, for_writing, store_line

logger = logging.getLogger(__name__)


def register(sub: Subparsers) -> None:
    """Add import, dump, export and reports."""
    p = sub.add_parser("import", help="ファイルを報告として取り込む")
    p.add_argument("file", type=Path, help=registry.suffix_list(registry.readable()))
    db_argument(p)
    p.add_argument("--replace", action="store_true", help="同じ年度の報告を置き換える")
    p.add_argument("--year", type=parse_year, help="年度を指定(ファイルから読めないとき)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("dump", help="報告を JSON で表示")
    db_argument(p)
    year_argument(p)
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser("export", help="報告を書き出す")
    for format_ in registry.writable():
        p.add_argument(
            f"--{format_.key}",
            type=Path,
            metavar="OUT",
            help=f"{format_.label}({format_.suffix})の書き出し先",
        )
    p.add_argument("--font", default="ＭＳ 明朝", help="本文のフォント(既定: ＭＳ 明朝)")
    p.add_argument(
        "--heading-font", default="ＭＳ ゴシック", help="見出しのフォント(既定: ＭＳ ゴシック)"
    )
    p.add_argument(
        "--font-size", type=_font_size, default=9.5, help="文字の大きさ(ポイント、既定: 9.5)"
    )
    p.add_argument(
        "--city-code", default="012068", help="全国地方公共団体コード(CSV、既定: 012068 釧路市)"
    )
    p.add_argument(
        "--city-name", default="釧路市", help="地方公共団体名(CSV・Web ページ、PDF・Word の作成者)"
    )
    p.add_argument(
        "--publish",
        type=Path,
        metavar="FOLDER",
        help="市のホームページ用に PDF・Web ページ・CSV・Excel をまとめて書き出すフォルダ",
    )
    p.add_argument("--publish-name", help="まとめて書き出すファイルの名前(既定: R2進捗報告)")
    p.add_argument(
        "--changes-since",
        metavar="YEAR_OR_SNAPSHOT",
        help="Word に、この報告(R2 などの前の年度、またはスナップショットの id か名前)"
        "からの変更を変更履歴で示す",
    )
    db_argument(p)
    year_argument(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("reports", help="データファイルの報告の一覧(delete YEAR で削除)")
    p.add_argument("action", nargs="?", choices=("list", "delete"), default="list")
    p.add_argument("year", nargs="?", type=parse_any_year, help="削除する年度")
    db_argument(p)
    p.set_defaults(func=cmd_reports)


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
    """Write a report in each format the registry writes that was given an output."""
    chosen = [(f, getattr(args, f.key)) for f in registry.writable() if getattr(args, f.key)]
    if args.changes_since is not None and not args.docx:
        raise CliError("--changes-since は Word の書き出し(--docx)と一緒に指定してください。")
    if args.publish is not None:
        if chosen:
            raise CliError("--publish は、ほかの書き出し先と一緒には指定できません。")
        return _publish(args)
    if not chosen:
        names = "、".join([*(f"--{f.key}" for f in registry.writable()), "--publish"])
        raise CliError(f"出力先を {names} のいずれかで指定してください。")
    from ..formats import targets
    from ..formats.opendata import Publisher

    publisher = Publisher(args.city_code, args.city_name)  # a wrong code, before any reading
    earlier = None
    with for_reading(args) as store:
        # Before anything is written: no output may replace the store, a snapshot or another.
        targets.check_outputs([targets.Output.of(f, path) for f, path in chosen], store.path)
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
        if args.changes_since is not None:
            from ..core import earlier as earlier_reports

            earlier = earlier_reports.find(store, args.changes_since, report).load(store)
    from ..formats.table.layout import ExportOptions

    options = ExportOptions(
        font=args.font, heading_font=args.heading_font, size=args.font_size, author=args.city_name
    )
    # Each writer is loaded only when asked for: the PDF one brings ReportLab.
    for format_, path in chosen:
        if format_.key == "docx" and earlier is not None:
            from ..formats.docx import changes

            changes.write_file(report, path, earlier, options)
            continue
        format_.write(report, path, options, warnings, publisher)
    for _format, path in chosen:
        print(f"書き出しました: {path}")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    """export --publish FOLDER: the four files for the website, listed one per line."""
    from ..formats import publish
    from ..formats.opendata import Publisher
    from ..formats.table.layout import ExportOptions

    publisher = Publisher(args.city_code, args.city_name)
    with for_reading(args) as store:
        report = store.load(args.year)
        warnings = store.warnings(report.actual_year)
        name = publish.default_name(report) if args.publish_name is None else args.publish_name
        publish.outputs(args.publish, name)  # a bad name or folder before the work
        options = ExportOptions(
            font=args.font,
            heading_font=args.heading_font,
            size=args.font_size,
            author=args.city_name,
        )
        written = publish.write_all(
            report,
            args.publish,
            name,
            store.path,
            options=options,
            warnings=warnings,
            publisher=publisher,
        )
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
    if isinstance(args.db, Path) and not args.db.exists():
        # A store named but not made yet holds no reports; listing it creates nothing.
        print(f"データファイル: {args.db}(まだありません)")
        infos = []
    else:
        with for_reading(args) as store:
            infos = store.reports()
            print(store_line(store))
    if not infos:
        print("報告はありません。")
    for info in infos:
        print(
            f"{year_label(info.actual_year)}  部署の行 {info.entries:>4}  "
            f"更新 {info.modified_at}  {info.title}"
        )
    return EXIT_OK


def _font_size(text: str) -> float:
    try:
        size = float(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"文字の大きさとして読めません: {text}") from exc
    if not 6 <= size <= 20:
        raise argparse.ArgumentTypeError("文字の大きさは 6〜20 ポイントで指定してください")
    return size
