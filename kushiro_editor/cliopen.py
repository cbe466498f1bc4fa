"""What every command of the command line shares: opening the store, exit codes, year labels."""

from __future__ import annotations

import argparse
import logging

from .core import fiscal, validate
from .core.store import Store
from .workspace import open_store

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def year_label(year: int) -> str:
    """A year as the command line prints it: R2年度(2020年度), or why it is not supported."""
    if not validate.is_supported_year(year):
        return f"{fiscal.western_label(year)}(対応していない年)"
    return f"{fiscal.short_label(year)}({fiscal.western_label(year)})"


def for_reading(args: argparse.Namespace) -> Store:
    """The store for reading: a --db that does not exist is an error, never a new file."""
    return open_store(args.db, create=False)


def for_writing(args: argparse.Namespace):
    """The store, locked: commands that change it wait for no other editor."""
    from .workspace import writing

    return writing(args.db)
