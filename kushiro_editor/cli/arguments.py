"""What the commands' parsers share: the parser class, --db and --year, and argument types."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..core import fiscal, validate
from ..core.model import ReportError
from .storeopen import EXIT_BAD_INPUT

logger = logging.getLogger(__name__)

# What each command module's ``register`` is handed: ``parser.add_subparsers()``.
Subparsers = argparse._SubParsersAction


class CliError(Exception):
    """A mistake in the command line's arguments (exit 2)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose refusal is one Japanese line and exit status 2."""

    def error(self, message: str) -> None:  # argparse's own exit status is 2 already
        # One line, like every other refusal; the usage is one -h away.
        line = " ".join(message.split())
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: エラー: {line}(使い方: {self.prog} -h)\n")


def db_argument(parser: argparse.ArgumentParser) -> None:
    """--db: the store the command works on."""
    parser.add_argument(
        "--db",
        type=store_location,
        help="データファイル、または共有のデータベース(postgresql://…)。省略時は既定のファイル",
    )


def year_argument(parser: argparse.ArgumentParser) -> None:
    """--year: the report the command works on."""
    parser.add_argument(
        "--year", type=parse_year, help="実績の年度(2020、R2、令和2年度など。省略時は最新)"
    )


def parse_year(text: str) -> int:
    """A supported fiscal year (2020, R2, 令和2年度…)."""
    year = parse_any_year(text)
    try:
        return validate.fiscal_year(year)
    except ReportError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def parse_any_year(text: str) -> int:
    """Any year the store can hold (to delete one an older version let in)."""
    try:
        year = (
            int(text) if text.isascii() and text.isdigit() else fiscal.parse_label(text, whole=True)
        )
        return validate.integer(year, "年度")
    except (ValueError, ReportError) as exc:
        raise argparse.ArgumentTypeError(f"年度として読めません: {text[:30]}") from exc


def store_location(text: str) -> Path | str:
    """--db's value: a server's URL as given, anything else a file's path."""
    from ..core.database import is_server

    return text if is_server(text) else Path(text)
