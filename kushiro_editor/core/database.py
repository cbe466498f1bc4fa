"""The one interface the store speaks to either engine through.

The store's SQL is written once, in SQLite's spelling with ``?`` marks; both
connections take it. A SQLite file is a :class:`SqliteConnection` (the
``sqlite3`` connection itself, so nothing stands between the store and it), a
server is :class:`~.server.connection.ServerConnection`, which puts the same
statements in PostgreSQL's spelling. What differs beyond spelling is a method
of both: the columns a table has, how a writing transaction starts, where the
schema's version is kept, the check of the whole store.

psycopg 3 beside ``sqlite3``, not SQLAlchemy: the store's statements are
already plain SQL that both engines run, and what the shared store needs of
the server — roles, row-level security, LISTEN/NOTIFY, triggers — is
PostgreSQL's own, which a general layer would only pass through.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

APPLICATION_ID = 0x4B555348  # "KUSH": marks a file as this editor's store
SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server(location: object) -> bool:
    """True for a PostgreSQL connection URL (``postgresql://…``), False for a file."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def is_network_path(path: Path) -> bool:
    """True for a UNC path or a mapped network drive (WAL is unsafe there)."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = Path(text).resolve().drive
        if drive:
            drive_remote = 4
            return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote
    return False


def damaged() -> sqlite3.DatabaseError:
    """The error a value of the wrong type in a typed column stands for: a damaged page."""
    return sqlite3.DatabaseError("database disk image is malformed")


class SqliteConnection(sqlite3.Connection):
    """A store file: ``sqlite3``'s connection with the engine's few own operations."""

    dialect = "sqlite"
    is_server = False

    def columns(self, table: str) -> set[str]:
        """The names of a table's columns."""
        return {row[1] for row in self.execute(f"PRAGMA table_info({table})")}

    def begin_write(self) -> None:
        """Start a transaction that writes: the file's write lock is taken at once."""
        self.execute("BEGIN IMMEDIATE")

    def lock_schema(self) -> None:
        """Hold other openers back while the schema changes (BEGIN IMMEDIATE already does)."""

    def schema_version(self) -> int:
        return self.execute("PRAGMA user_version").fetchone()[0]

    def set_schema_version(self, number: int) -> None:
        self.execute(f"PRAGMA user_version = {int(number)}")

    def ddl(self, statement: str) -> str:
        """A schema statement in this engine's spelling (the migrations' own)."""
        return statement

    def identities_copied(self) -> None:
        """After rows were copied in with their ids (SQLite counts on from the largest)."""

    def integrity_ok(self) -> bool:
        """True when SQLite's integrity check and the foreign keys are clean."""
        ok = self.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return ok and not self.execute("PRAGMA foreign_key_check").fetchall()

    def configure(self, path: Path) -> None:
        """WAL (a rollback journal on a network drive), full sync, foreign keys, the id.

        A file that holds tables but not this editor's id is refused.
        """
        from .model import ReportError

        # One read transaction: another process creating the same store sets the id
        # before its tables, so together they are never "tables, but not ours".
        self.execute("BEGIN")
        try:
            app_id = self.execute("PRAGMA application_id").fetchone()[0]
            version = self.execute("PRAGMA user_version").fetchone()[0]
            tables = self.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            self.execute("COMMIT")
        if app_id != APPLICATION_ID and (version or tables):
            raise ReportError(f"このファイルは進捗報告エディタのデータではありません: {path}")
        if is_network_path(path):
            # WAL needs shared memory that network file systems do not provide.
            logger.warning("store on a network drive; using rollback journal: %s", path)
            self.execute("PRAGMA journal_mode=DELETE")
        else:
            mode = self.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                logger.warning("WAL unavailable (%s) for %s", mode, path)
        self.execute("PRAGMA synchronous=FULL")
        self.execute("PRAGMA foreign_keys=ON")
        if app_id != APPLICATION_ID:
            self.execute(f"PRAGMA application_id={APPLICATION_ID}")

    def finish(self) -> None:
        """Checkpoint and close the file."""
        try:
            self.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:  # another reader holds the WAL: the next open checkpoints
            logger.debug("checkpoint skipped", exc_info=True)
        self.close()


def connect_file(path: Path | str) -> SqliteConnection:
    """A connection to a store file (autocommit: the store begins its own transactions)."""
    return sqlite3.connect(
        path,
        isolation_level=None,
        check_same_thread=False,
        timeout=10,
        factory=SqliteConnection,
    )
