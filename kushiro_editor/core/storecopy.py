"""A whole store copied to another, between a file and a server either way.

Row by row and column by column, so that the copy holds exactly what the
source holds (ids, positions, the marks beside the texts, the inquiry's
record) whatever the engines: ``store copy SRC DST`` and a server's
snapshots (a server's store written into a file) both use it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import migrations
from .model import ReportError
from .store import Store

logger = logging.getLogger(__name__)

CHUNK = 500  # rows sent at once


def _columns(source: Store, target: Store, table: str) -> list[str]:
    have = target.conn.columns(table)
    missing = source.conn.columns(table) - have
    if missing:
        raise ReportError(
            f"コピー先の形式が古いため、{table} の {'、'.join(sorted(missing))} を写せません。"
            "コピー先を新しい版のエディタで一度開いてください。"
        )
    # The source's order is the one both agree on: named, never by position.
    return sorted(source.conn.columns(table))


def copy(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every table of ``source`` into the empty ``target`` in one transaction.

    Returns the rows copied per table. A target that already holds a report is
    refused and left as it was.
    """
    if target.years() or target.unsupported_years():
        raise ReportError(
            f"コピー先 {target.location} にはすでに報告があります。空のデータファイルか"
            "データベースを指定してください。"
        )
    counts: dict[str, int] = {}
    with target.transaction() as conn:
        for table in ("department", "notation_rules"):  # (filled by a new store's first use)
            conn.execute(f"DELETE FROM {table}")
        for table in migrations.TABLES:
            names = _columns(source, target, table)
            listed = ", ".join(names)
            marks = ", ".join("?" for _ in names)
            rows = source.conn.execute(f"SELECT {listed} FROM {table}").fetchall()
            for start in range(0, len(rows), CHUNK):
                conn.executemany(
                    f"INSERT INTO {table} ({listed}) VALUES ({marks})", rows[start : start + CHUNK]
                )
            counts[table] = len(rows)
            if progress is not None:
                progress(table, len(rows))
        conn.identities_copied()
    logger.info("copied %s to %s: %s", source.location, target.location, counts)
    return counts


def contents(store: Store) -> dict[str, list[tuple]]:
    """Every table's rows, sorted: two stores with equal contents hold the same data."""
    out = {}
    for table in migrations.TABLES:
        names = sorted(store.conn.columns(table))
        rows = store.conn.execute(f"SELECT {', '.join(names)} FROM {table}").fetchall()
        out[table] = sorted((tuple(row) for row in rows), key=repr)
    return out
