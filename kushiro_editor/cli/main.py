"""The command line: ``kushiro-editor import|dump|export|reports …``.

This module builds the parser and runs a command; each command module adds its
own subcommands through ``register``. Bad input is one line on stderr and exit
status 2, with the store untouched.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__, appdata, dictionary
from ..core import analyser
from ..core.database import is_server
from ..core.model import ReportError
from ..core.storeerror import FAILURES, translate
from . import history, inquiry, kpi, report, review, server, snapshot, store, year
from .arguments import CliError, Parser
from .storeopen import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK

logger = logging.getLogger(__name__)

# The exit codes are read here by scripts and tests, beside ``main``.
__all__ = [
    "ANALYSER_MISSING",
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "build_parser",
    "main",
]

EXIT_BROKEN_PIPE = 141  # what a shell reports for a program ended by a closed pipe
ANALYSER_MISSING = "日本語の解析辞書を読み込めないため、表記と時制は簡易な方法で点検しました"
# In this order in the help: the report, the year, the review, KPIs, the inquiry, snapshots,
# the store, the shared store's people, its history.
COMMAND_MODULES = (report, year, review, kpi, inquiry, snapshot, store, server, history)


def build_parser() -> Parser:
    """The argument parser of every subcommand."""
    parser = Parser(prog="kushiro-editor", description="釧路市 総合戦略 進捗報告エディタ")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="詳しい記録を表示")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


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
        _fail(_failure_line(exc, args.db))
    except KeyboardInterrupt:
        print("kushiro-editor: 中断しました。", file=sys.stderr)
        return 130
    except Exception:
        logger.exception("unexpected failure")
        where = f"詳しくは {log_file} を見てください" if log_file else "詳しくは -v を付けて実行"
        _fail(f"予期しない問題で処理を中止しました。データファイルは変わっていません({where})。")
    return EXIT_BAD_INPUT


def _failure_line(exc: BaseException, db: object) -> str:
    """What a failure of the system (not of SQL) says, for the store named by ``db``."""
    if not is_server(db):
        return str(translate(exc, db or appdata.default_store_path()))
    from ..core.server.connection import safe_location

    # Not the server's failure (it speaks through StoreError): a file or the memory of
    # this PC. The server's transaction was not committed.
    return f"処理を中止しました({exc})。{safe_location(str(db))} は変わっていません。"


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
