"""Who changed what: the history of a report's texts, as the shared store's server recorded it.

The server writes the record itself (:mod:`.server.audit`); this module reads
it, newest first and bounded, for a text, a row, a department or the whole
report, and puts each change in the office's words: where (the row's place),
which field, before → after as plain text. A store file keeps no history.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from . import fiscal, kinds, richtext
from .kpi import fields as kpi_fields
from .kpi import storage as kpi_storage
from .model import Kpi, Report, ReportError, place_in

logger = logging.getLogger(__name__)

ON_FILE = (
    "変更の履歴は共有のデータベース(PostgreSQL)にだけ記録されます。"
    "データファイルの報告には履歴がありません。"
)
NOT_READY = (
    "このデータベースには変更の履歴の記録がまだありません。"
    "データベースの管理者がエディタで一度開くと記録が始まります。"
)
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
SHORT = 40  # characters of a before or after shown in one line

# The kinds' tables (entry, measure …) by table name, and what the log calls a KPI's years.
_KINDS = {kind.table: kind for kind in kinds.KINDS.values()}
_YEAR_FIELDS = {
    ("kpi_value", "value"): "実績値",
    ("kpi_value", "note"): "実績値の注記",
    ("kpi_target", "value"): "年度ごとの目標値",
}
# What a row added or deleted is, said before 追加 or 削除 (行を追加, 実績値を削除 …).
_ADDED_OR_DELETED = {
    "entry": "行を",
    "kpi": "指標を",
    "kpi_value": "実績値を",
    "kpi_target": "目標値を",
}
# The columns a person changes; positions, parents and the marks kept beside a text
# move with other edits and are left out of a history unless asked for by name.
_PEOPLES = {
    **{table: tuple(f.name for f in kind.fields if f.shown) for table, kind in _KINDS.items()},
    "kpi": tuple(f.name for f in kpi_storage.row_fields()),
    "kpi_value": ("value", "note"),
    "kpi_target": ("value",),
}


@dataclass(frozen=True)
class Change:
    """One recorded change: a field's update, or a row added or deleted (``field`` None)."""

    when: datetime
    who: str
    table: str
    action: str  # insert, update, delete
    node_id: str
    fiscal_year: int | None
    field: str | None
    before: str | None
    after: str | None
    departments: tuple[str, ...]


def _require_server(store) -> None:
    if not store.on_server:
        raise ReportError(ON_FILE)
    found = store.conn.execute("SELECT to_regclass('audit_log') IS NOT NULL").fetchone()[0]
    if not found:
        raise ReportError(NOT_READY)


def changes(
    store,
    report: Report | None = None,
    *,
    node_ids: Sequence[str] = (),
    department: str | None = None,
    fields: Sequence[str] = (),
    limit: int = DEFAULT_LIMIT,
) -> list[Change]:
    """The recorded changes, newest first: of ``report`` (by default every report), of the
    nodes ``node_ids``, of rows and KPIs of ``department``, of the ``fields`` named (by
    default those a person edits, with rows added and deleted); at most ``limit``."""
    _require_server(store)
    limit = max(1, min(int(limit), MAX_LIMIT))
    where: list[str] = []
    params: list[object] = []
    if report is not None:
        where.append("report_id = ?")
        params.append(report.id)
    if node_ids:
        where.append("node_id = ANY(?)")
        params.append(list(node_ids))
    if department is not None:
        where.append("? = ANY(departments)")
        params.append(department)
    if fields:
        where.append("(field = ANY(?) OR action <> 'update')")
        params.append(list(fields))
    else:
        where.append(f"(action <> 'update' OR {_peoples_fields()})")
    sql = (
        "SELECT changed_at, changed_by, table_name, action, node_id, fiscal_year, field,"
        " before, after, departments FROM audit_log"
        f" WHERE {' AND '.join(where)} ORDER BY id DESC LIMIT {limit}"
    )
    rows = store.conn.execute(sql, params).fetchall()
    return [Change(*row[:9], tuple(row[9] or ())) for row in rows]


def _peoples_fields() -> str:
    # Names from the kinds' descriptions, never from input: written into the statement.
    parts = [
        f"(table_name = '{table}' AND field IN ({', '.join(repr(n) for n in names)}))"
        for table, names in _PEOPLES.items()
        if names
    ]
    return "(" + " OR ".join(parts) + ")"


@dataclass(frozen=True)
class Line:
    """A change as the office reads it."""

    when: datetime
    who: str
    where: str
    what: str  # the field's name, or 行を追加, 実績値を削除 …
    before: str
    after: str
    action: str = "update"

    def text(self, width: int = SHORT) -> str:
        """「2021-05-31 10:00  suisan  【基本目標1】① 水産課  実績: 旧 → 新」 (an addition or
        deletion with the one side it has)."""
        if self.action == "insert":
            moved = shorten(self.after, width)
        elif self.action == "delete":
            moved = shorten(self.before, width)
        else:
            before, after = excerpts(self.before, self.after, width)
            moved = f"{before} → {after}"
        when = self.when.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{when}  {self.who}  {self.where}  {self.what}: {moved}"


def shorten(text: str, width: int = SHORT) -> str:
    """One line of at most ``width`` characters (「…」 where it was cut); 「(空)」 for nothing."""
    flat = " ".join(text.split())
    if not flat:
        return "(空)"
    return flat if len(flat) <= width else flat[: width - 1] + "…"


CONTEXT = 12  # characters kept on each side of what changed


def excerpts(before: str, after: str, width: int = SHORT) -> tuple[str, str]:
    """The part of two texts that differs, with a little of what stays around it (「…」 where
    either was cut), so that a change in the middle of a long text shows as one."""
    old, new = " ".join(before.split()), " ".join(after.split())
    if len(old) <= width and len(new) <= width:
        return shorten(old, width), shorten(new, width)
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - CONTEXT)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - suffix + CONTEXT)
        piece = text[start:end]
        if len(piece) > width:
            piece = piece[: width - 1]
            end = len(text) + 1  # (cut: the ellipsis below)
        lead = "…" if start else ""
        tail = "…" if end < len(text) or len(piece) < len(text) - start else ""
        return lead + piece + tail if piece else "(空)"

    return cut(old), cut(new)


def marked(before: str, after: str) -> list[tuple[str, str]]:
    """Both texts as runs of ("same" | "deleted" | "inserted", characters), in reading order."""
    import difflib

    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", before[i1:i2]))
            continue
        if i2 > i1:
            runs.append(("deleted", before[i1:i2]))
        if j2 > j1:
            runs.append(("inserted", after[j1:j2]))
    return runs


def _row(change: Change) -> dict:
    text = change.after if change.action == "insert" else change.before
    try:
        row = json.loads(text or "{}")
    except ValueError:
        return {}
    return row if isinstance(row, dict) else {}


def _where(change: Change, report: Report | None) -> str:
    node = report.find_node(change.node_id) if report is not None else None
    if isinstance(node, Kpi):
        where = kpi_fields.place_of(report, node)
    elif node is not None:
        where = place_in(report, node) or getattr(node, "title", "")
    elif change.table == "report":
        where = "報告"
    else:
        names = " ".join(change.departments)
        kind = _KINDS.get(change.table)
        what = kind.label if kind is not None else "指標"
        where = f"(削除された{what}){' ' + names if names else ''}"
    if change.fiscal_year is not None:
        where += f" {fiscal.short_label(change.fiscal_year)}"
    return where


def _names(value: object) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    return " ".join(str(name) for name in value) if isinstance(value, list) else ""


def field_label(table: str, name: str) -> str:
    """A recorded column's name as the office says it (実績, 取組予定, 指標名 …)."""
    if (table, name) in _YEAR_FIELDS:
        return _YEAR_FIELDS[table, name]
    kind = _KINDS.get(table)
    try:
        if kind is not None:
            return kind.field(name).label
        if table == "kpi":  # (the place names the KPI: 「… 指標「観光入込客数」」)
            return kpi_fields.label(name)
    except KeyError:
        pass
    return name


def _shown(table: str, name: str, value: str | None) -> str:
    if value is None:
        return ""
    kind = _KINDS.get(table)
    declared = None
    if kind is not None and name in kind.names():
        declared = kind.field(name)
    if name == "departments":
        return _names(value)
    if declared is not None and declared.type == kinds.RICH:
        return richtext.to_plain(value)
    if declared is not None and declared.type == kinds.FLAG:
        return declared.label if value not in ("0", "false", "") else ""
    return value


def describe(change: Change, report: Report | None = None, field: str | None = None) -> Line:
    """The change in the office's words; ``field`` names the text a row's addition or
    deletion is shown by (its 実績, say)."""
    where = _where(change, report)
    if change.action == "update":
        name = change.field or ""
        before = _shown(change.table, name, change.before)
        after = _shown(change.table, name, change.after)
        return Line(change.when, change.who, where, field_label(change.table, name), before, after)
    row = _row(change)
    value = ""
    if field is not None and field in row:
        value = _shown(change.table, field, row[field])
    else:
        first = next(iter(_PEOPLES.get(change.table, ())), None)
        if first is not None and first in row:
            value = _shown(change.table, first, row[first])
    what = _ADDED_OR_DELETED.get(change.table, "")
    if change.action == "insert":
        return Line(change.when, change.who, where, f"{what}追加", "", value, "insert")
    return Line(change.when, change.who, where, f"{what}削除", value, "", "delete")
