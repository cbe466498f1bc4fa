"""Others' changes as they happen: a trigger NOTIFYs, an open window LISTENs.

:func:`install` gives each node table of the shared store a trigger that
sends, on the channel :data:`CHANNEL`, the kind, id, version, parent and position of
every row added, changed or removed (the report's modification time alone
is no change). An open window listens on a second connection of its own
(:class:`Listener`) and reloads only the nodes named; a notification comes
after the commit that caused it, so what it names is already readable.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

from .. import versions

logger = logging.getLogger(__name__)

CHANNEL = "kushiro_changes"
FUNCTION = "kushiro_notify"
TRIGGER = "kushiro_notify"

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    old_row jsonb := CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END;
    new_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END;
    seen jsonb := coalesce(new_row, old_row);
BEGIN
    IF TG_OP = 'UPDATE' AND old_row - 'modified_at' = new_row - 'modified_at' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'kind', TG_ARGV[0],
        'id', seen->>'id',
        'version', (seen->>'version')::bigint,
        'op', lower(TG_OP),
        'parent', coalesce(seen->>'report_id', seen->>'goal_id', seen->>'direction_id',
                           seen->>'measure_id'),
        'position', (seen->>'position')::bigint
    )::text);
    RETURN NULL;
END
$body$
"""


@dataclass(frozen=True)
class Change:
    """One row of the store added, changed or removed by someone (``op``: insert, …)."""

    kind: str
    node_id: str
    version: int
    op: str
    parent: str | None = None
    position: int | None = None


def _installed(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON t.tgrelid = c.oid"
        " WHERE t.tgname = ? AND c.relnamespace = current_schema()::regnamespace",
        (TRIGGER,),
    ).fetchone()[0]


def current(conn) -> bool:
    """True when every node table has its notifying trigger."""
    return _installed(conn) == len(versions.TABLES)


def make(conn) -> None:
    """The function and every table's trigger (in the caller's transaction)."""
    conn.execute(_FUNCTION_SQL)
    for kind, table in versions.TABLES.items():
        conn.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
        conn.execute(
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{kind}')"
        )
    logger.info("installed the change notifications")


def install(conn) -> None:
    """Give every node table its notifying trigger (once; later openers find it made)."""
    if current(conn):
        return
    conn.begin_write()
    try:
        conn.lock_schema()
        if not current(conn):
            make(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.rollback_quietly()
        raise


def parse(payload: str) -> Change | None:
    """A notification's change (None for one this editor did not send)."""
    try:
        data = json.loads(payload)
        return Change(
            str(data["kind"]),
            str(data["id"]),
            int(data["version"]),
            str(data["op"]),
            data.get("parent"),
            None if data.get("position") is None else int(data["position"]),
        )
    except (ValueError, KeyError, TypeError):
        logger.warning("notification not understood: %.200s", payload)
        return None


class Listener:
    """A second connection that hears the store's changes (its socket for the event loop)."""

    def __init__(self, server) -> None:
        from .connection import translate_error

        self._translate = translate_error
        self.location = server.location
        self.raw = server.connect_again()
        self._listen()

    def _listen(self) -> None:
        import psycopg

        try:
            self.raw.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise self._translate(exc, self.location) from exc

    def fileno(self) -> int:
        """The socket to watch: readable when a notification (or the server's end) came."""
        return self.raw.pgconn.socket

    def take(self) -> list[Change]:
        """The changes heard so far, without waiting; ConnectionLostError when it is gone."""
        import psycopg

        changes: list[Change] = []
        try:
            for notice in self.raw.notifies(timeout=0):
                change = parse(notice.payload)
                if change is not None:
                    changes.append(change)
        except psycopg.Error as exc:
            raise self._translate(exc, self.location) from exc
        return changes

    def close(self) -> None:
        """Stop listening."""
        try:
            self.raw.close()
        except Exception:  # a lost connection may fail to close: it is gone either way
            logger.debug("closing the listener failed", exc_info=True)
