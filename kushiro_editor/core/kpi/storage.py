"""The KPI tables of the store: a KPI's row, its values and yearly targets, the settings.

Called by :class:`~kushiro_editor.core.store.Store` inside its transactions; the
columns come from :data:`.fields.FIELDS`. A KPI's row names its owner in one of
three columns (goal, direction, measure), each a foreign key that deletes the
KPI with its owner; its values and targets are rows of their own, one per year.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable

from ..model import Kpi, KpiTarget, KpiValue, Report, ReportError
from . import fields
from .numbers import parse_value, value_text
from .scales import KpiSettings, settings_from_data, settings_to_data

logger = logging.getLogger(__name__)


def row_fields() -> tuple[fields.KpiField, ...]:
    """The values kept in a KPI's own row, as declared now."""
    return tuple(f for f in fields.FIELDS if f.type in fields.IN_ROW)


_OWNERS = tuple(fields.OWNER_TABLES)
# The KPIs of one report, whichever kind of node holds them.
_OF_REPORT = """(
    k.goal_id IN (SELECT id FROM goal WHERE report_id = :report)
    OR k.direction_id IN (SELECT d.id FROM direction d JOIN goal g ON d.goal_id = g.id
                          WHERE g.report_id = :report)
    OR k.measure_id IN (SELECT m.id FROM measure m JOIN direction d ON m.direction_id = d.id
                        JOIN goal g ON d.goal_id = g.id WHERE g.report_id = :report))"""
# The report a KPI belongs to (for the report's modification time).
REPORT_OF_KPI = """SELECT coalesce(
    (SELECT g.report_id FROM goal g WHERE g.id = k.goal_id),
    (SELECT g.report_id FROM direction d JOIN goal g ON d.goal_id = g.id
      WHERE d.id = k.direction_id),
    (SELECT g.report_id FROM measure m JOIN direction d ON m.direction_id = d.id
      JOIN goal g ON d.goal_id = g.id WHERE m.id = k.measure_id))
    FROM kpi k WHERE k.id = ?"""


def _to_store(kpi_field: fields.KpiField, value: object) -> object:
    if kpi_field.type == fields.NAMES:
        return json.dumps(list(value or ()), ensure_ascii=False)
    if kpi_field.type == fields.NUMBER:
        return value_text(value)  # type: ignore[arg-type]
    return value


def _from_store(kpi_field: fields.KpiField, value: object) -> object:
    if kpi_field.type == fields.NAMES:
        return json.loads(value) if value else []
    if kpi_field.type == fields.NUMBER:
        return None if value is None else parse_value(value)  # type: ignore[arg-type]
    if value is None and kpi_field.type != fields.YEAR:
        return kpi_field.default
    return value


def missing_columns(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(table, declaration, name) of the KPI values declared since the store was made."""
    have = conn.columns("kpi")
    return [("kpi", f.column, f.name) for f in row_fields() if f.name not in have]


# -- reading ---------------------------------------------------------------------
def load(conn: sqlite3.Connection, report: Report, by_id: dict[str, object]) -> None:
    """Put the stored KPIs under their goals, directions and measures, and the settings.

    A damaged value (text that is no number, a list that is no JSON) is one
    ReportError, as the command line and the window show every failure.
    """
    try:
        _load(conn, report, by_id)
    except (ReportError, ValueError, KeyError, TypeError, StopIteration) as exc:
        raise ReportError(
            f"データファイルの指標の値が壊れているため読めません({str(exc)[:60]})。"
            "スナップショットから復元してください。"
        ) from exc


def _load(conn: sqlite3.Connection, report: Report, by_id: dict[str, object]) -> None:
    described = row_fields()
    names = ", ".join(f"k.{f.name}" for f in described)
    owners = ", ".join(f"k.{column}" for column in _OWNERS)
    scope = {"report": report.id}
    loaded: dict[str, Kpi] = {}
    for row in conn.execute(
        f"SELECT k.id, {owners}, {names} FROM kpi k WHERE {_OF_REPORT} ORDER BY k.position", scope
    ):
        owner_id = next(value for value in row[1 : 1 + len(_OWNERS)] if value is not None)
        values = {
            f.name: _from_store(f, value)
            for f, value in zip(described, row[1 + len(_OWNERS) :], strict=True)
        }
        kpi = fields.make(row[0], values)
        loaded[kpi.id] = kpi
        by_id[owner_id].kpis.append(kpi)
    if loaded:
        years: dict[str, list[KpiValue]] = {}
        for kpi_id, year, value, note in conn.execute(
            "SELECT v.kpi_id, v.fiscal_year, v.value, v.note FROM kpi_value v"
            f" JOIN kpi k ON v.kpi_id = k.id WHERE {_OF_REPORT} ORDER BY v.fiscal_year",
            scope,
        ):
            number = None if value is None else parse_value(value)
            years.setdefault(kpi_id, []).append(KpiValue(year, number, note))
        targets: dict[str, list[KpiTarget]] = {}
        for kpi_id, year, value in conn.execute(
            "SELECT t.kpi_id, t.fiscal_year, t.value FROM kpi_target t"
            f" JOIN kpi k ON t.kpi_id = k.id WHERE {_OF_REPORT} ORDER BY t.fiscal_year",
            scope,
        ):
            targets.setdefault(kpi_id, []).append(KpiTarget(year, parse_value(value)))
        for kpi_id, kpi in loaded.items():
            kpi.values = tuple(years.get(kpi_id, ()))
            kpi.yearly_targets = tuple(targets.get(kpi_id, ()))
    report.kpi_settings = load_settings(conn, report.id)


def load_settings(conn: sqlite3.Connection, report_id: str) -> KpiSettings:
    """A report's rate mode and rating scale (the defaults when it never chose)."""
    row = conn.execute(
        "SELECT rate_mode, scale FROM kpi_setting WHERE report_id = ?", (report_id,)
    ).fetchone()
    if row is None:
        return KpiSettings()
    return settings_from_data({"rate_mode": row[0], "scale": json.loads(row[1])})


# -- writing ---------------------------------------------------------------------
def owner_column(conn: sqlite3.Connection, owner_id: str) -> str:
    """The column naming a KPI's owner, found by where the owner's id is stored."""
    for column, table in fields.OWNER_TABLES.items():
        if conn.execute(f"SELECT 1 FROM {table} WHERE id = ?", (owner_id,)).fetchone():
            return column
    raise KeyError(owner_id)


def insert_row(
    conn: sqlite3.Connection, kpi: Kpi, column: str, owner_id: str, position: int
) -> None:
    """A KPI's row with its values and targets (positions of its siblings unchanged)."""
    fields.check_kpi(kpi)
    described = row_fields()
    names = ", ".join(f.name for f in described)
    marks = ", ".join("?" * (len(described) + 3))
    conn.execute(
        f"INSERT INTO kpi (id, {column}, position, {names}) VALUES ({marks})",
        (
            kpi.id,
            owner_id,
            position,
            *(_to_store(f, fields.value(kpi, f)) for f in described),
        ),
    )
    _write_years(conn, kpi.id, kpi.values)
    _write_targets(conn, kpi.id, kpi.yearly_targets)


def insert_all(conn: sqlite3.Connection, owner: object, owner_id: str) -> None:
    """The KPIs of a node being stored (a goal, direction or measure just inserted)."""
    column = fields.OWNER_COLUMNS.get(type(owner))
    for position, kpi in enumerate(getattr(owner, fields.HOLDER, ())):
        insert_row(conn, kpi, column, owner_id, position)  # type: ignore[arg-type]


def insert(conn: sqlite3.Connection, kpi: Kpi, owner_id: str, position: int) -> None:
    """Insert a KPI at a position among its owner's KPIs."""
    column = owner_column(conn, owner_id)
    conn.execute(
        f"UPDATE kpi SET position = position + 1 WHERE {column} = ? AND position >= ?",
        (owner_id, position),
    )
    insert_row(conn, kpi, column, owner_id, position)


def _place(conn: sqlite3.Connection, kpi_id: str) -> tuple[str, str, int]:
    row = conn.execute(
        f"SELECT {', '.join(_OWNERS)}, position FROM kpi WHERE id = ?", (kpi_id,)
    ).fetchone()
    if row is None:
        raise KeyError(kpi_id)
    index = next(i for i, value in enumerate(row[:-1]) if value is not None)
    return _OWNERS[index], row[index], row[-1]


def delete(conn: sqlite3.Connection, kpi_id: str) -> None:
    """Delete a KPI (its values and targets go with it); later siblings move up."""
    column, owner_id, position = _place(conn, kpi_id)
    conn.execute("DELETE FROM kpi WHERE id = ?", (kpi_id,))
    conn.execute(
        f"UPDATE kpi SET position = position - 1 WHERE {column} = ? AND position > ?",
        (owner_id, position),
    )


def move(conn: sqlite3.Connection, kpi_id: str, owner_id: str, position: int) -> None:
    """Move a KPI to a position under an owner (the same or another goal, direction, measure)."""
    column, old_owner, old = _place(conn, kpi_id)
    new_column = owner_column(conn, owner_id)
    conn.execute(
        f"UPDATE kpi SET position = position - 1 WHERE {column} = ? AND position > ?",
        (old_owner, old),
    )
    conn.execute(
        f"UPDATE kpi SET position = position + 1 WHERE {new_column} = ? AND position >= ?",
        (owner_id, position),
    )
    cleared = ", ".join(f"{c} = NULL" for c in _OWNERS if c != new_column)
    conn.execute(
        f"UPDATE kpi SET {cleared}, {new_column} = ?, position = ? WHERE id = ?",
        (owner_id, position, kpi_id),
    )


def update(conn: sqlite3.Connection, kind: str, node_id: str, name: str, value: object) -> None:
    """Set one value of a KPI, or a report's KPI settings (checked first).

    KeyError when the KPI or report is not stored.
    """
    if kind == "report":
        if not conn.execute("SELECT 1 FROM report WHERE id = ?", (node_id,)).fetchone():
            raise KeyError(node_id)
        save_settings(conn, node_id, value)
        return
    kpi_id = node_id
    try:
        kpi_field = fields.field(name)
    except KeyError:
        raise ValueError(f"kpi.{name} cannot be edited") from None
    value = fields.check(name, value)
    if not conn.execute("SELECT 1 FROM kpi WHERE id = ?", (kpi_id,)).fetchone():
        raise KeyError(kpi_id)
    if kpi_field.type == fields.VALUES:
        _write_years(conn, kpi_id, value, replace=True)  # type: ignore[arg-type]
    elif kpi_field.type == fields.TARGETS:
        _write_targets(conn, kpi_id, value, replace=True)  # type: ignore[arg-type]
    else:
        conn.execute(
            f"UPDATE kpi SET {name} = ? WHERE id = ?", (_to_store(kpi_field, value), kpi_id)
        )


def _write_years(
    conn: sqlite3.Connection, kpi_id: str, items: Iterable[KpiValue], *, replace: bool = False
) -> None:
    rows = [(item.year, value_text(item.value), item.note) for item in items]
    _write_rows(conn, "kpi_value", ("value", "note"), kpi_id, rows, replace=replace)


def _write_targets(
    conn: sqlite3.Connection, kpi_id: str, items: Iterable[KpiTarget], *, replace: bool = False
) -> None:
    rows = [(item.year, value_text(item.value)) for item in items]
    _write_rows(conn, "kpi_target", ("value",), kpi_id, rows, replace=replace)


def _write_rows(
    conn: sqlite3.Connection,
    table: str,
    columns: tuple[str, ...],
    kpi_id: str,
    rows: list[tuple],
    *,
    replace: bool,
) -> None:
    """A KPI's rows by year; replacing them touches only the years that differ, so that a
    server's change history records one year's value changed, not every year rewritten."""
    listed = ", ".join(columns)
    stored: dict[int, tuple] = {}
    if replace:
        stored = {
            row[0]: tuple(row)
            for row in conn.execute(
                f"SELECT fiscal_year, {listed} FROM {table} WHERE kpi_id = ?", (kpi_id,)
            )
        }
    wanted = {row[0]: tuple(row) for row in rows}
    gone = [(kpi_id, year) for year in stored if year not in wanted]
    changed = [
        (*row[1:], kpi_id, year)
        for year, row in wanted.items()
        if year in stored and stored[year] != row
    ]
    new = [(kpi_id, *row) for year, row in wanted.items() if year not in stored]
    if gone:
        conn.executemany(f"DELETE FROM {table} WHERE kpi_id = ? AND fiscal_year = ?", gone)
    if changed:
        assignments = ", ".join(f"{column} = ?" for column in columns)
        conn.executemany(
            f"UPDATE {table} SET {assignments} WHERE kpi_id = ? AND fiscal_year = ?", changed
        )
    marks = ", ".join("?" * (len(columns) + 2))
    conn.executemany(f"INSERT INTO {table} (kpi_id, fiscal_year, {listed}) VALUES ({marks})", new)


def save_settings(conn: sqlite3.Connection, report_id: str, settings: object) -> None:
    """Keep a report's rate mode and scale; the defaults are no row at all."""
    if not isinstance(settings, KpiSettings):
        raise ValueError("kpi_settings must be KpiSettings")
    conn.execute("DELETE FROM kpi_setting WHERE report_id = ?", (report_id,))
    if settings.is_default:
        return
    data = settings_to_data(settings)
    conn.execute(
        "INSERT INTO kpi_setting (report_id, rate_mode, scale) VALUES (?, ?, ?)",
        (report_id, data["rate_mode"], json.dumps(data["scale"], ensure_ascii=False)),
    )
