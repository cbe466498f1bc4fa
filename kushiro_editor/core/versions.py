"""Each node's version: an edit is written only on what the store still holds.

Every stored node (the report, goals, directions, measures, main projects,
rows and KPIs) carries a version that each change of its fields counts up
(:meth:`~.store.Store.update`, on both engines). A writer that says which
version its edit was made on (``known``) has it applied only while the stored
version is still that one; otherwise nothing of the batch is written and
:class:`VersionConflictError` names every node someone else changed meanwhile,
with what the store holds now, so that the editor can show both sides
instead of overwriting the other person's text.

A KPI's version is counted but not checked: its values are several rows of
their own, and the window takes the other person's KPI changes as they come.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from . import kinds
from .kpi import fields as kpi_fields
from .model import ReportError

logger = logging.getLogger(__name__)

COLUMN = "version"
# The kinds whose rows carry a version, and their tables.
TABLES = {**{name: kind.table for name, kind in kinds.KINDS.items()}, kpi_fields.KIND: "kpi"}

Known = dict[tuple[str, str], int]  # (kind, id) → the version an editor holds


@dataclass(frozen=True)
class Stale:
    """A node changed by someone else since the version the edit was made on."""

    kind: str
    node_id: str
    version: int  # the stored version now
    values: dict[str, object] = field(default_factory=dict)  # the batch's fields as stored now


class VersionConflictError(ReportError):
    """Nodes of a batch were changed meanwhile; the store is as it was."""

    def __init__(self, stale: list[Stale]) -> None:
        super().__init__(
            f"ほかの人が先に変更していたため、{len(stale)} か所の変更は保存していません。"
        )
        self.stale = stale


def table_of(kind: str) -> str:
    """The table holding nodes of a kind."""
    try:
        return TABLES[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}") from None


def checked(kind: str) -> bool:
    """Whether an edit of this kind is refused on a stale version (all but KPIs)."""
    return kind in kinds.KINDS


def _below_report(kind: str) -> str:
    if kind == "report":
        return "WHERE x.id = :report"
    if kind == "goal":
        return "WHERE x.report_id = :report"
    if kind == "direction":
        return "JOIN goal g ON x.goal_id = g.id WHERE g.report_id = :report"
    if kind == kpi_fields.KIND:
        directions = (
            "SELECT d.id FROM direction d JOIN goal g ON d.goal_id = g.id"
            " WHERE g.report_id = :report"
        )
        return (
            "WHERE x.goal_id IN (SELECT id FROM goal WHERE report_id = :report)"
            f" OR x.direction_id IN ({directions})"
            " OR x.measure_id IN (SELECT m.id FROM measure m WHERE m.direction_id IN"
            f" ({directions}))"
        )
    return (
        "JOIN direction d ON x.direction_id = d.id JOIN goal g ON d.goal_id = g.id"
        " WHERE g.report_id = :report"
    )


def of_report(conn, report_id: str) -> Known:
    """The stored version of every node of a report (what an editor opening it holds)."""
    known: Known = {}
    for kind, table in TABLES.items():
        rows = conn.execute(
            f"SELECT x.id, x.{COLUMN} FROM {table} x {_below_report(kind)}",
            {"report": report_id},
        )
        known.update(((kind, node_id), version) for node_id, version in rows)
    return known


def stored(conn, kind: str, node_id: str, names: Iterable[str] = ()) -> Stale | None:
    """A node's version and the named fields as stored now (None when it is gone)."""
    names = [n for n in dict.fromkeys(names) if checked(kind) and n in kinds.KINDS[kind].names()]
    listed = "".join(f", {name}" for name in names)
    row = conn.execute(
        f"SELECT {COLUMN}{listed} FROM {table_of(kind)} WHERE id = ?", (node_id,)
    ).fetchone()
    if row is None:
        return None
    values = {}
    if names:
        described = kinds.KINDS[kind]
        values = {n: described.field(n).from_store(v) for n, v in zip(names, row[1:], strict=True)}
    return Stale(kind, node_id, row[0], values)


def bump(conn, kind: str, node_id: str, expected: int | None) -> int | None:
    """Count a node's version up; None when it is gone or (``expected`` given) stale."""
    sql = f"UPDATE {table_of(kind)} SET {COLUMN} = {COLUMN} + 1 WHERE id = ?"
    params: tuple = (node_id,)
    if expected is not None:
        sql += f" AND {COLUMN} = ?"
        params = (node_id, expected)
    rows = conn.execute(sql + f" RETURNING {COLUMN}", params).fetchall()
    return rows[0][0] if rows else None


def bump_all(
    conn, changes: list[tuple[str, str, str, object]], known: Mapping | None
) -> dict[tuple[str, str], int]:
    """Count up each changed node once, checked against ``known``; the new versions.

    Raises :class:`VersionConflictError` naming every stale node (the caller's
    transaction then writes nothing); a node gone is left to the update, which
    says so.
    """
    fields: dict[tuple[str, str], list[str]] = {}
    for kind, node_id, name, _value in changes:
        fields.setdefault((kind, node_id), []).append(name)
    bumped: dict[tuple[str, str], int] = {}
    stale: list[Stale] = []
    for (kind, node_id), names in fields.items():
        expected = known.get((kind, node_id)) if known is not None and checked(kind) else None
        version = bump(conn, kind, node_id, expected)
        if version is not None:
            bumped[kind, node_id] = version
        elif expected is not None:
            now = stored(conn, kind, node_id, names)
            if now is None:
                raise KeyError(node_id)
            stale.append(now)
    if stale:
        raise VersionConflictError(stale)
    return bumped


@dataclass(frozen=True, eq=False)
class Conflict:
    """A text both sides changed: as it was loaded here, as written here, as stored now."""

    node: object
    field: str
    base: str
    mine: str
    theirs: str


def sort_out(sets: Iterable, stale: list[Stale]) -> list[Conflict]:
    """The texts of a refused batch that both sides changed, differently.

    ``sets`` are the batch's field changes (``node``, ``field``, ``value``).
    Everything else merges: a field only one side changed, both changed alike,
    or a value that is not a text (the later change is kept).
    """
    now = {s.node_id: s for s in stale}
    conflicts: list[Conflict] = []
    for edit in sets:
        found = now.get(getattr(edit.node, "id", None))
        if found is None or edit.field not in found.values:
            continue
        theirs, base = found.values[edit.field], getattr(edit.node, edit.field)
        if theirs in (base, edit.value):
            continue
        if kinds.of(edit.node).field(edit.field).type == kinds.RICH:
            conflicts.append(Conflict(edit.node, edit.field, base, edit.value, theirs))
    return conflicts


def both(mine: str, theirs: str) -> str:
    """「両方を残す」: the text written here, then the other person's, as paragraphs."""
    from . import richtext

    return richtext.serialise([*richtext.parse(mine), *richtext.parse(theirs)])
