"""What every command of the command line shares: opening the store and the exit codes."""

from __future__ import annotations

import argparse
import logging

from ..core.store import Store
from ..workspace import open_store

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def for_reading(args: argparse.Namespace) -> Store:
    """The store for reading: a --db that does not exist is an error, never a new file."""
    return open_store(args.db, create=False)


def for_writing(args: argparse.Namespace):
    """The store, locked: commands that change it wait for no other editor."""
    from ..workspace import writing

    return writing(args.db)


def store_line(store: Store) -> str:
    """The line naming the store a command worked on (a server without its password)."""
    if store.on_server:
        return f"共有のデータベース: {store.location}"
    return f"データファイル: {store.path}"
