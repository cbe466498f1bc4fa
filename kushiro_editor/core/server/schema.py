"""What a server store holds besides the report's tables: the change history, the snapshots,
the notifications of changes.

:func:`ensure` runs once each time a server store is opened, after the
migrations. It first asks the server's catalog whether everything is there
(a query per piece, which any login may make); only when something is missing, and
only for a login that owns the report's tables and may create in the schema,
does it make what is missing, in one transaction under the schema lock. A
department's or planner's login therefore opens a current store untouched,
and one that may not add what is missing opens it as it is.
"""

from __future__ import annotations

import logging

from . import audit, notify

logger = logging.getLogger(__name__)

SNAPSHOTS = "server_snapshot"
# The whole store as a SQLite file's bytes (core/snapshots.py writes and reads them);
# the years are kept beside them so that listing needs none of the bytes.
_SNAPSHOT_TABLE = """
CREATE TABLE IF NOT EXISTS server_snapshot (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created TIMESTAMPTZ NOT NULL DEFAULT now(),
    reason TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    years INTEGER[] NOT NULL DEFAULT '{}',
    taken_by TEXT NOT NULL DEFAULT session_user,
    data BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS server_snapshot_created ON server_snapshot (created, id);
REVOKE ALL ON server_snapshot FROM PUBLIC;
"""


class _Snapshots:
    """The snapshots' table, as a piece of the server's own schema."""

    @staticmethod
    def current(conn) -> bool:
        found = conn.raw.execute("SELECT to_regclass(%s) IS NOT NULL", (SNAPSHOTS,))
        return bool(found.fetchone()[0])

    @staticmethod
    def install(conn, _schema: str) -> None:
        conn.raw.execute(_SNAPSHOT_TABLE)


class _Notifications:
    """The triggers that tell open windows of others' changes (:mod:`.notify`)."""

    @staticmethod
    def current(conn) -> bool:
        return notify.current(conn)

    @staticmethod
    def install(conn, _schema: str) -> None:
        notify.make(conn)


# Each piece says whether it is all there (``current(conn)``) and makes what is missing
# of it (``install(conn, schema)``, in the transaction ensure holds); a new piece of the
# server's own schema is one more here.
PIECES = (_Snapshots, audit, _Notifications)


def _current(conn) -> bool:
    return all(piece.current(conn) for piece in PIECES)


def may_change(conn) -> bool:
    """True for a login that owns the report's tables and may create tables beside them."""
    row = conn.raw.execute(
        "SELECT pg_has_role(current_user, c.relowner, 'USAGE')"
        "   AND has_schema_privilege(current_schema(), 'CREATE')"
        " FROM pg_class c WHERE c.oid = to_regclass('report')"
    ).fetchone()
    return bool(row and row[0])


def ensure(conn) -> None:
    """Make what is missing of the server's own tables, functions and triggers (if allowed)."""
    import psycopg

    from .connection import translate_error

    try:
        if _current(conn):
            return
        if not may_change(conn):
            logger.info("the server's history and snapshots are incomplete; this login may not add")
            return
        schema = conn.raw.execute("SELECT current_schema()").fetchone()[0]
        conn.begin_write()
        try:
            conn.lock_schema()
            for piece in PIECES:  # (a piece made meanwhile by another editor is left)
                if not piece.current(conn):
                    piece.install(conn, schema)
            conn.execute("COMMIT")
        except BaseException:
            conn.rollback_quietly()
            raise
    except psycopg.Error as exc:
        raise translate_error(exc, conn.location) from exc
