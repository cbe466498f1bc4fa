"""The store: several reports (one per fiscal year) in a local file or on a server.

Every user action is one transaction (:meth:`Store.transaction`), so a crash
or a lost connection keeps either the state before or after each action. A
file is SQLite with WAL and ``synchronous=FULL``; a ``postgresql://`` location
is the shared store on a PostgreSQL server (:mod:`.server`). Both take the
same statements through :mod:`.database`; the schema comes from
:mod:`.migrations` and the kinds' fields on either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import database, kinds, migrations, validate, versions
from .database import APPLICATION_ID, is_network_path  # noqa: F401 - named here since v1
from .kpi import fields as kpi_fields
from .kpi import storage as kpi_storage
from .model import (
    ImportWarning,
    Kpi,
    Report,
    ReportError,
    new_id,
)
from .storeerror import FAILURES, translate

logger = logging.getLogger(__name__)


def declare_columns(conn) -> None:
    """Add the columns of fields declared since the store was made (in one transaction).

    The tables themselves come from the migrations; a field added to a kind's
    description later is a column added here, with its default for the rows
    already stored.
    """
    missing = []
    for kind in kinds.KINDS.values():
        have = conn.columns(kind.table)
        missing += [(kind.table, f.column, f.name) for f in kind.fields if f.name not in have]
    # A KPI's values are described in kpi/fields.py, beside the kinds.
    missing += kpi_storage.missing_columns(conn)
    if not missing:
        return
    conn.begin_write()
    try:
        for table, column, name in missing:
            if name not in conn.columns(table):  # (another process may have added it meanwhile)
                conn.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# The report's value holding its KPI settings (the rate mode, the rating scale).
KPI_SETTINGS = "kpi_settings"
# Each kind below the report, parents first.
LOAD_ORDER = ("goal", "direction", "measure", "project", "entry")


@dataclass(frozen=True)
class ReportInfo:
    """A report in the store, without its content."""

    id: str
    title: str
    actual_year: int
    modified_at: str
    entries: int


class ReportExistsError(ReportError):
    """A report of that fiscal year is already in the store."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


class Store:
    """A connection to one store, a file or a server, with the operations the editor needs.

    ``path`` is the file (None for a server); ``location`` names either, as shown.
    """

    def __init__(self, location: str | Path) -> None:
        self._depth = 0
        if database.is_server(location):
            from .server.connection import ServerConnection

            self.path = None
            self.conn = ServerConnection(str(location))
            self.location = self.conn.location
        else:
            self.path = Path(location)
            self.location = str(self.path)
            try:
                self.conn = database.connect_file(self.path)
            except FAILURES as exc:
                raise translate(exc, self.path or self.location) from exc
        try:
            self.conn.configure(self.path)
            migrations.migrate(self.conn, self.path)
            declare_columns(self.conn)
            if self.on_server:
                from .server import schema

                schema.ensure(self.conn)
        except ReportError:
            self.conn.close()
            raise
        except FAILURES as exc:
            self.conn.close()
            raise translate(exc, self.path or self.location) from exc

    @property
    def on_server(self) -> bool:
        """True for the shared store on a PostgreSQL server."""
        return self.conn.is_server

    def close(self) -> None:
        """Checkpoint and close the file, or leave the server."""
        self.conn.finish()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator:
        """One atomic unit of work; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.begin_write()
        except FAILURES as exc:
            raise translate(exc, self.path or self.location) from exc
        self._depth = 1
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:
                self._rollback()
            if isinstance(exc, FAILURES):
                raise translate(exc, self.path or self.location) from exc
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        try:
            self.conn.execute("ROLLBACK")
        except (*FAILURES, ReportError):  # a lost connection has rolled back already
            logger.debug("rollback failed", exc_info=True)

    # -- reading ----------------------------------------------------------
    def reports(self) -> list[ReportInfo]:
        """The reports in the store, newest fiscal year first."""
        rows = self.conn.execute(
            """SELECT r.id, r.title, r.actual_year, r.modified_at,
                      (SELECT count(*) FROM entry e JOIN direction d ON e.direction_id = d.id
                        JOIN goal g ON d.goal_id = g.id WHERE g.report_id = r.id)
               FROM report r ORDER BY r.actual_year DESC"""
        ).fetchall()
        return [ReportInfo(*row) for row in rows]

    def years(self) -> list[int]:
        """The fiscal years (実績) of the reports the editor can open, newest first."""
        return [year for year in self._all_years() if validate.is_supported_year(year)]

    def unsupported_years(self) -> list[int]:
        """Years stored by an older version that the editor cannot label (delete them)."""
        return [year for year in self._all_years() if not validate.is_supported_year(year)]

    def _all_years(self) -> list[int]:
        sql = "SELECT actual_year FROM report ORDER BY actual_year DESC"
        try:
            years = [row[0] for row in self.conn.execute(sql)]
            if not all(isinstance(year, int) for year in years):
                # The column is NOT NULL INTEGER: anything else is a damaged page.
                raise database.damaged()
        except FAILURES as exc:
            raise translate(exc, self.path or self.location) from exc
        return years

    def load_previous(self, report: Report) -> Report | None:
        """Last year's report (the one before ``report``), if the store holds it."""
        year = report.actual_year - 1
        return self.load(year) if year in self.years() else None

    def load(self, year: int | None = None) -> Report:
        """The report of a fiscal year (default: the newest the editor supports)."""
        try:
            return self._load(year)
        except FAILURES as exc:
            raise translate(exc, self.path or self.location) from exc

    def _load(self, year: int | None) -> Report:
        if year is None:
            years = self.years()
            if not years:
                raise ReportError("データファイルに報告がありません。先に取り込んでください。")
            year = years[0]
        validate.fiscal_year(year)
        described = kinds.KINDS["report"].fields
        row = self.conn.execute(
            f"SELECT id, actual_year, {', '.join(f.name for f in described)}"
            " FROM report WHERE actual_year = ?",
            (year,),
        ).fetchone()
        if row is None:
            raise ReportError(f"{year}年度の報告はデータファイルにありません。")
        report = Report(id=row[0], title="", actual_year=row[1])
        for field, value in zip(described, row[2:], strict=True):
            setattr(report, field.name, field.from_store(value))
        self._load_children(report)
        report.renumber()
        return report

    def _load_children(self, report: Report) -> None:
        by_id: dict[str, object] = {report.id: report}
        scopes = {
            "goal": "WHERE x.report_id = ?",
            "direction": "JOIN goal g ON x.goal_id = g.id WHERE g.report_id = ?",
        }
        below_direction = (
            "JOIN direction d ON x.direction_id = d.id JOIN goal g ON d.goal_id = g.id"
            " WHERE g.report_id = ?"
        )
        # Parents before children: each row's parent has been made when it is read.
        for name in LOAD_ORDER:
            kind = kinds.KINDS[name]
            columns = ", ".join(f"x.{f.name}" for f in kind.fields)
            scope = scopes.get(name, below_direction)
            rows = self.conn.execute(
                f"SELECT x.id, x.{kind.parent_column}, {columns} FROM {kind.table} x {scope}"
                " ORDER BY x.position",
                (report.id,),
            )
            for row in rows:
                values = {
                    f.name: f.from_store(value)
                    for f, value in zip(kind.fields, row[2:], strict=True)
                }
                node = kind.make(row[0], values)
                by_id[row[0]] = node
                parent = by_id.get(row[1])
                if parent is None:  # (a foreign key the file's damage broke)
                    raise database.damaged()
                getattr(parent, kind.holder).append(node)
        kpi_storage.load(self.conn, report, by_id)

    def warnings(self, year: int) -> list[ImportWarning]:
        """The import warnings kept with a report."""
        rows = self.conn.execute(
            """SELECT w.source_row, w.message, w.node_id, w.kind FROM import_warning w
               JOIN report r ON w.report_id = r.id WHERE r.actual_year = ? ORDER BY w.position""",
            (year,),
        ).fetchall()
        return [ImportWarning(row=r[0], message=r[1], node_id=r[2], topic=r[3]) for r in rows]

    # -- whole reports ------------------------------------------------------
    def save(
        self, report: Report, warnings: Iterable[ImportWarning] = (), *, replace: bool = False
    ) -> None:
        """Store a whole report (an import) in one transaction.

        Ids already used by another report are given new ones, so that the
        same file can be imported for two years.
        """
        warnings = list(warnings)
        validate.fiscal_year(report.actual_year)
        for node_id in report.all_ids():
            validate.node_id(node_id)
        with self.transaction() as conn:
            existing = conn.execute(
                "SELECT id FROM report WHERE actual_year = ?", (report.actual_year,)
            ).fetchone()
            if existing and not replace:
                raise ReportExistsError(
                    f"{report.actual_year}年度の報告はすでにあります(置き換えるには --replace)。"
                )
            if existing:
                conn.execute("DELETE FROM report WHERE id = ?", existing)
            self._refresh_colliding_ids(report, warnings)
            report.renumber()
            now = _now()
            conn.execute(
                "INSERT INTO report (id, title, actual_year, created_at, modified_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (report.id, report.title, report.actual_year, now, now),
            )
            described = kinds.KINDS["report"]
            for field in described.fields:
                if field.name != "title":  # (declared later: its value beside the year's)
                    value = described.values(report)[field.name]
                    conn.execute(
                        f"UPDATE report SET {field.name} = ? WHERE id = ?",
                        (field.to_store(value), report.id),
                    )
            for position, goal in enumerate(report.goals):
                self._insert_node(goal, report.id, position)
            kpi_storage.save_settings(conn, report.id, report.kpi_settings)
            conn.executemany(
                "INSERT INTO import_warning (report_id, position, source_row, node_id, kind,"
                " message) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (report.id, i, w.row, w.node_id, w.topic, w.message)
                    for i, w in enumerate(warnings)
                ],
            )

    def _refresh_colliding_ids(self, report: Report, warnings: list[ImportWarning]) -> None:
        ids = list(report.all_ids())
        taken: set[str] = set()
        for table in ("report", "goal", "direction", "measure", "main_project", "entry", "kpi"):
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                taken.update(
                    r[0]
                    for r in self.conn.execute(
                        f"SELECT id FROM {table} WHERE id IN ({marks})", chunk
                    )
                )
        if not taken:
            return
        renamed: dict[str, str] = {}
        nodes: list[object] = [report]
        for goal in report.goals:
            nodes.append(goal)
            for direction in goal.directions:
                nodes.append(direction)
                nodes.extend((*direction.measures, *direction.main_projects, *direction.entries))
        nodes.extend(kpi for _owner, kpi in kpi_fields.kpis(report))
        for node in nodes:
            if node.id in taken:
                renamed[node.id] = node.id = new_id()
        for index, warning in enumerate(warnings):
            if warning.node_id in renamed:
                warnings[index] = ImportWarning(
                    warning.row, warning.message, renamed[warning.node_id], warning.topic
                )

    def delete_report(self, year: int) -> None:
        """Remove the report of a fiscal year (also one the editor cannot open)."""
        validate.integer(year, "年度")
        with self.transaction() as conn:
            cursor = conn.execute("DELETE FROM report WHERE actual_year = ?", (year,))
        if cursor.rowcount != 1:
            raise ReportError(f"{year}年度の報告はデータファイルにありません。")

    # -- nodes --------------------------------------------------------------
    def _insert_node(self, node: object, parent_id: str, position: int) -> None:
        """A node and everything below it, its values as its kind describes them."""
        kind = kinds.of(node)
        values = kind.values(node)
        names = ", ".join(values)
        marks = ", ".join("?" * (len(values) + 3))
        self.conn.execute(
            f"INSERT INTO {kind.table} (id, {kind.parent_column}, position, {names})"
            f" VALUES ({marks})",
            (
                node.id,
                parent_id,
                position,
                *(f.to_store(values[f.name]) for f in kind.fields),
            ),
        )
        siblings: dict[type, int] = {}
        for child in kinds.children_of(node):
            index = siblings.get(type(child), 0)
            siblings[type(child)] = index + 1
            self._insert_node(child, node.id, index)
        kpi_storage.insert_all(self.conn, node, node.id)

    def insert(self, node: object, parent_id: str, position: int) -> None:
        """Insert a node (with everything below it) at a position among its siblings."""
        if isinstance(node, Kpi):
            with self.transaction() as conn:
                kpi_storage.insert(conn, node, parent_id, position)
                self._touch(kpi_fields.KIND, node.id)
            return
        kind = kinds.of(node)
        with self.transaction() as conn:
            conn.execute(
                f"UPDATE {kind.table} SET position = position + 1"
                f" WHERE {kind.parent_column} = ? AND position >= ?",
                (parent_id, position),
            )
            self._insert_node(node, parent_id, position)
            self._touch(kind.name, node.id)

    def delete(self, kind: str, node_id: str) -> None:
        """Delete a node and everything below it; later siblings move up."""
        if kind == kpi_fields.KIND:
            with self.transaction() as conn:
                self._touch(kind, node_id)
                kpi_storage.delete(conn, node_id)
            return
        table, parent_col = kinds.KINDS[kind].table, kinds.KINDS[kind].parent_column
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT {parent_col}, position FROM {table} WHERE id = ?", (node_id,)
            ).fetchone()
            if row is None:
                raise KeyError(node_id)
            self._touch(kind, node_id)
            conn.execute(f"DELETE FROM {table} WHERE id = ?", (node_id,))
            conn.execute(
                f"UPDATE {table} SET position = position - 1"
                f" WHERE {parent_col} = ? AND position > ?",
                row,
            )

    def move(self, kind: str, node_id: str, parent_id: str, position: int) -> int:
        """Move a node to a position under a (possibly other) parent of the same kind.

        Returns the node's new version (a move counts it up, so that others see it).
        """
        if kind == kpi_fields.KIND:
            with self.transaction() as conn:
                kpi_storage.move(conn, node_id, parent_id, position)
                self._touch(kind, node_id)
                return versions.bump(conn, kind, node_id, None)
        table, parent_col = kinds.KINDS[kind].table, kinds.KINDS[kind].parent_column
        with self.transaction() as conn:
            row = conn.execute(
                f"SELECT {parent_col}, position FROM {table} WHERE id = ?", (node_id,)
            ).fetchone()
            if row is None:
                raise KeyError(node_id)
            conn.execute(
                f"UPDATE {table} SET position = position - 1"
                f" WHERE {parent_col} = ? AND position > ?",
                row,
            )
            conn.execute(
                f"UPDATE {table} SET position = position + 1"
                f" WHERE {parent_col} = ? AND position >= ?",
                (parent_id, position),
            )
            conn.execute(
                f"UPDATE {table} SET {parent_col} = ?, position = ? WHERE id = ?",
                (parent_id, position, node_id),
            )
            self._touch(kind, node_id)
            return versions.bump(conn, kind, node_id, None)

    def update(
        self,
        changes: Iterable[tuple[str, str, str, object]],
        known: Mapping[tuple[str, str], int] | None = None,
    ) -> dict[tuple[str, str], int]:
        """Set fields, ``(kind, id, field, value)`` each, in one transaction.

        Each node changed counts its version up once; with ``known`` (the
        versions the edits were made on) a node changed meanwhile refuses the
        whole batch (:class:`~.versions.VersionConflictError`). Returns the new
        versions. A KPI's values and a report's KPI settings go to the KPI
        tables (:mod:`.kpi.storage`), checked there.
        """
        changes = list(changes)
        with self.transaction() as conn:
            bumped = versions.bump_all(conn, changes, known)
            touched = None
            for kind, node_id, name, value in changes:
                if kind == kpi_fields.KIND or (kind, name) == ("report", KPI_SETTINGS):
                    kpi_storage.update(conn, kind, node_id, name, value)
                    touched = (kind, node_id)
                    continue
                if kind not in kinds.KINDS:
                    raise ValueError(f"unknown kind {kind!r}")
                described = kinds.KINDS[kind]
                if name not in described.names():
                    raise ValueError(f"{kind}.{name} cannot be edited")
                cursor = conn.execute(
                    f"UPDATE {described.table} SET {name} = ? WHERE id = ?",
                    (described.field(name).to_store(value), node_id),
                )
                if cursor.rowcount != 1:
                    raise KeyError(node_id)
                touched = (kind, node_id)
            if touched:
                self._touch(*touched)
        return bumped

    def _touch(self, kind: str, node_id: str) -> None:
        """Record the modification time on the node's report."""
        report_of = {
            "report": "SELECT ?",
            "goal": "SELECT report_id FROM goal WHERE id = ?",
            "direction": "SELECT g.report_id FROM direction d JOIN goal g ON d.goal_id = g.id"
            " WHERE d.id = ?",
            kpi_fields.KIND: kpi_storage.REPORT_OF_KPI,
        }
        query = report_of.get(kind)
        if query is None:
            table = kinds.KINDS[kind].table
            query = (
                f"SELECT g.report_id FROM {table} x JOIN direction d ON x.direction_id = d.id"
                " JOIN goal g ON d.goal_id = g.id WHERE x.id = ?"
            )
        self.conn.execute(
            # (a time already stamped this second is left: forty writers at once would
            # otherwise queue on the one report row)
            f"UPDATE report SET modified_at = :now WHERE id = ({query.replace('?', ':id')})"
            " AND modified_at <> :now",
            {"now": _now(), "id": node_id},
        )

    # -- the department list -----------------------------------------------------
    def department_list(self) -> list[str]:
        """The office's department names, in order (empty until seeded)."""
        return [
            row[0] for row in self.conn.execute("SELECT name FROM department ORDER BY position")
        ]

    def set_department_list(self, names: list[str]) -> None:
        """Replace the department list."""
        unique = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        with self.transaction() as conn:
            conn.execute("DELETE FROM department")
            conn.executemany(
                "INSERT INTO department (name, position) VALUES (?, ?)",
                [(name, i) for i, name in enumerate(unique)],
            )

    def add_departments(self, names: list[str]) -> None:
        """Add names to the end of the department list (known names are skipped)."""
        with self.transaction() as conn:
            known = set(self.department_list())
            start = conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM department"
            ).fetchone()[0]
            fresh = [n for n in dict.fromkeys(names) if n and n not in known]
            conn.executemany(
                "INSERT INTO department (name, position) VALUES (?, ?)",
                [(name, start + i) for i, name in enumerate(fresh)],
            )

    # -- inquiries (the rest of the record: inquiryrecord.py) -------------------------
    def record_inquiries(self, report_id: str, sent: list[tuple[str, str, str]]) -> None:
        """Remember the packs sent: (department, sent_at, file name) each."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO inquiry_pack (actual_year, department, sent_at, file_name, recorded)"
                " SELECT actual_year, ?, ?, ?, (SELECT coalesce(max(recorded), 0) + 1"
                " FROM inquiry_pack) FROM report WHERE id = ?"
                " ON CONFLICT (actual_year, department) DO UPDATE SET sent_at = excluded.sent_at,"
                " file_name = excluded.file_name, recorded = excluded.recorded",
                [(*row, report_id) for row in sent],
            )

    def inquiries(self, report_id: str) -> dict[str, str]:
        """Department → when its pack was sent, for a report (by its fiscal year)."""
        return dict(
            self.conn.execute(
                "SELECT p.department, p.sent_at FROM inquiry_pack p JOIN report r"
                " ON p.actual_year = r.actual_year WHERE r.id = ?",
                (report_id,),
            )
        )

    def integrity_ok(self) -> bool:
        """True when the store's own check is clean (SQLite's integrity and foreign keys)."""
        return self.conn.integrity_ok()

    # -- notation rules ----------------------------------------------------------------
    def notation_rules(self) -> str | None:
        """The office's notation rules as JSON, or None for the defaults."""
        row = self.conn.execute("SELECT rules FROM notation_rules WHERE id = 1").fetchone()
        return row[0] if row else None

    def set_notation_rules(self, rules_json: str | None) -> None:
        """Keep the office's notation rules (JSON); None goes back to the defaults."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM notation_rules")
            if rules_json is not None:
                conn.execute("INSERT INTO notation_rules (id, rules) VALUES (1, ?)", (rules_json,))
