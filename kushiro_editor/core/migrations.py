"""Ordered schema migrations, versioned by ``PRAGMA user_version`` in a file and by
the ``kushiro_store`` table on a server.

The same steps make both engines' schema: each statement is written in SQLite's
spelling and put in the server's by the connection (:meth:`ddl`). Each
migration runs in its own transaction. Before an existing store file is
migrated it is copied into its snapshot folder (SQLite's backup API, so the
copy is consistent even while the WAL holds changes), so a failed or unwanted
upgrade can be undone by restoring that snapshot.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from . import snapshotnames
from .model import ReportError

logger = logging.getLogger(__name__)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the open transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(conn.ddl(statement))
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement!r}")


def _v1(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE report (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            actual_year INTEGER NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );
        CREATE TABLE goal (
            id TEXT PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL
        );
        CREATE INDEX goal_parent ON goal(report_id, position);
        CREATE TABLE direction (
            id TEXT PRIMARY KEY,
            goal_id TEXT NOT NULL REFERENCES goal(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL
        );
        CREATE INDEX direction_parent ON direction(goal_id, position);
        CREATE TABLE measure (
            id TEXT PRIMARY KEY,
            direction_id TEXT NOT NULL REFERENCES direction(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX measure_parent ON measure(direction_id, position);
        CREATE TABLE main_project (
            id TEXT PRIMARY KEY,
            direction_id TEXT NOT NULL REFERENCES direction(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            relisted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX main_project_parent ON main_project(direction_id, position);
        CREATE TABLE entry (
            id TEXT PRIMARY KEY,
            direction_id TEXT NOT NULL REFERENCES direction(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            departments TEXT NOT NULL,          -- JSON array of names
            actual TEXT NOT NULL DEFAULT '',
            plan TEXT NOT NULL DEFAULT '',
            actual_state TEXT NOT NULL DEFAULT '',
            plan_state TEXT NOT NULL DEFAULT '',
            previous_actual TEXT,
            previous_plan TEXT,
            answered_by TEXT NOT NULL DEFAULT '',
            answered_at TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX entry_parent ON entry(direction_id, position);
        CREATE TABLE import_warning (
            id INTEGER PRIMARY KEY,
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            source_row INTEGER NOT NULL,
            node_id TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL DEFAULT 'guess',
            message TEXT NOT NULL
        );
        CREATE INDEX import_warning_report ON import_warning(report_id, position);
        """,
    )


def _v2(conn: sqlite3.Connection) -> None:
    # The office's list of department names, for the typo check before submission.
    _run_script(
        conn,
        """
        CREATE TABLE department (
            name TEXT PRIMARY KEY,
            position INTEGER NOT NULL
        );
        """,
    )


def _v3(conn: sqlite3.Connection) -> None:
    # Which departments were sent an inquiry pack, and when.
    _run_script(
        conn,
        """
        CREATE TABLE inquiry (
            report_id TEXT NOT NULL REFERENCES report(id) ON DELETE CASCADE,
            department TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            file_name TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (report_id, department)
        );
        """,
    )


def _v4(conn: sqlite3.Connection) -> None:
    # The office's notation rules (表記ルール) as one JSON document; no row = the defaults.
    _run_script(
        conn,
        """
        CREATE TABLE notation_rules (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            rules TEXT NOT NULL
        );
        """,
    )


def _v5(conn: sqlite3.Connection) -> None:
    # The record of the inquiry (照会) by fiscal year, not by report: a report
    # replaced by an import or restored from a snapshot keeps its record.
    _run_script(
        conn,
        """
        CREATE TABLE inquiry_pack (
            actual_year INTEGER NOT NULL,
            department TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            deadline TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            file_name TEXT NOT NULL DEFAULT '',
            rows INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (actual_year, department)
        );
        INSERT INTO inquiry_pack (actual_year, department, sent_at, file_name)
            SELECT r.actual_year, i.department, i.sent_at, i.file_name
            FROM inquiry i JOIN report r ON i.report_id = r.id;
        DROP TABLE inquiry;
        CREATE TABLE inquiry_row (
            actual_year INTEGER NOT NULL,
            department TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (actual_year, department, entry_id)
        );
        CREATE TABLE inquiry_answer (
            actual_year INTEGER NOT NULL,
            department TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            field TEXT NOT NULL,
            answer_sum TEXT NOT NULL,
            result TEXT NOT NULL,
            before_sum TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            PRIMARY KEY (actual_year, department, entry_id, field)
        );
        """,
    )


def _v6(conn: sqlite3.Connection) -> None:
    # 数値目標 and KPIs of goals, directions and measures. A KPI belongs to exactly
    # one of the three, each a foreign key, so that deleting a node (or a report)
    # takes its KPIs with it. Numbers are decimal text, exactly as given ("12.30"),
    # and NULL where no value is known yet (which is not zero).
    _run_script(
        conn,
        """
        CREATE TABLE kpi (
            id TEXT PRIMARY KEY,
            goal_id TEXT REFERENCES goal(id) ON DELETE CASCADE,
            direction_id TEXT REFERENCES direction(id) ON DELETE CASCADE,
            measure_id TEXT REFERENCES measure(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            unit TEXT NOT NULL DEFAULT '',
            departments TEXT NOT NULL DEFAULT '[]',   -- JSON array of names
            better TEXT NOT NULL DEFAULT 'higher' CHECK (better IN ('higher', 'lower')),
            baseline TEXT,
            baseline_year INTEGER,
            target TEXT,
            target_year INTEGER,
            comment TEXT NOT NULL DEFAULT '',
            override TEXT NOT NULL DEFAULT '',
            override_reason TEXT NOT NULL DEFAULT '',
            CHECK ((goal_id IS NOT NULL) + (direction_id IS NOT NULL)
                   + (measure_id IS NOT NULL) = 1)
        );
        CREATE INDEX kpi_goal ON kpi(goal_id, position);
        CREATE INDEX kpi_direction ON kpi(direction_id, position);
        CREATE INDEX kpi_measure ON kpi(measure_id, position);
        CREATE TABLE kpi_value (
            kpi_id TEXT NOT NULL REFERENCES kpi(id) ON DELETE CASCADE,
            fiscal_year INTEGER NOT NULL,
            value TEXT,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (kpi_id, fiscal_year)
        );
        CREATE TABLE kpi_target (
            kpi_id TEXT NOT NULL REFERENCES kpi(id) ON DELETE CASCADE,
            fiscal_year INTEGER NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (kpi_id, fiscal_year)
        );
        CREATE TABLE kpi_setting (
            report_id TEXT PRIMARY KEY REFERENCES report(id) ON DELETE CASCADE,
            rate_mode TEXT NOT NULL,
            scale TEXT NOT NULL                       -- the rating scale as JSON
        );
        """,
    )


def _v7(conn: sqlite3.Connection) -> None:
    # The order packs were recorded in, which a file kept as SQLite's rowid and a
    # server has no such thing for.
    _run_script(conn, "ALTER TABLE inquiry_pack ADD COLUMN recorded INTEGER NOT NULL DEFAULT 0;")
    if conn.dialect == "sqlite":
        conn.execute("UPDATE inquiry_pack SET recorded = rowid")


def _v8(conn: sqlite3.Connection) -> None:
    # Each node's version, counted up by every change of its fields: an edit made on
    # a version someone else changed meanwhile is shown as a conflict, never written
    # over the other person's change (core/versions.py).
    for table in ("report", "goal", "direction", "measure", "main_project", "entry", "kpi"):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 0")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7, _v8]
LATEST = len(MIGRATIONS)


def backup(conn: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database to ``target`` consistently (SQLite backup API)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def migrate(conn: sqlite3.Connection, path: Path) -> int:
    """Bring the store to the latest schema; returns the version it had."""
    version = conn.schema_version()
    if version < 0:
        # user_version is a signed field of the file's header: only damage makes it negative.
        raise ReportError(
            f"{Path(path).name} の形式の番号が壊れているため開けません。"
            "スナップショットから復元するか、バックアップのファイルを使ってください。"
        )
    if version > LATEST:
        raise ReportError(
            f"このデータファイルは新しい版のエディタで作られています(形式 {version})。"
            "エディタを更新してください。"
        )
    if version == LATEST:
        return version
    copy = None
    if version > 0 and path is not None and str(path) != ":memory:":
        # A snapshot like any other (listed, comparable, restorable).
        folder = snapshotnames.folder_of(path)
        folder.mkdir(parents=True, exist_ok=True)
        copy = snapshotnames.free_path(
            folder, "migration", f"形式{version}から更新する前", datetime.now()
        )
        backup(conn, copy)
        logger.info("copied the store to %s before migrating from v%d", copy, version)
    for number in range(version + 1, LATEST + 1):
        conn.begin_write()
        try:
            conn.lock_schema()
            # Read again under the write lock: another process opening the same new
            # store may have run this step since the version was read.
            if conn.schema_version() >= number:
                conn.execute("COMMIT")
                continue
            MIGRATIONS[number - 1](conn)
            conn.set_schema_version(number)
        except (sqlite3.Error, ReportError) as exc:
            conn.execute("ROLLBACK")
            kept = f"元のファイルの写しは {copy.name} にあります。" if copy else ""
            raise ReportError(
                f"データファイルの形式を更新できませんでした({exc})。"
                f"ファイルは更新前のままです。{kept}"
            ) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        logger.info("migrated %s to schema v%d", path or "the server", number)
    return version


# The tables the migrations make, parents before children: what a copy of the store
# holds (a server's own records, such as its roles, are not the store's).
TABLES = (
    "report",
    "goal",
    "direction",
    "measure",
    "main_project",
    "entry",
    "import_warning",
    "department",
    "notation_rules",
    "inquiry_pack",
    "inquiry_row",
    "inquiry_answer",
    "kpi",
    "kpi_value",
    "kpi_target",
    "kpi_setting",
)
