"""Each department row's state on the shared store: 記入中 → 提出済み → 確認済み.

A department submits its rows (提出済み); a planner accepts them (確認済み)
or gives one back with a comment (記入中 again). While submitted or accepted
a row is frozen for its department: the server's policy on ``entry`` refuses
the department's change until the row is given back. A row without a record
is 記入中. The functions work through the connected login, so the server's
grants decide; the checks here only word a refusal. A store file keeps no
states.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Entry, Report, ReportError, place
from . import sqltext
from .logins import whoami
from .roles import ACCEPTED, DRAFT, FROZEN, LOGIN_TABLE, STATE_TABLE, SUBMITTED

logger = logging.getLogger(__name__)

__all__ = ["ACCEPTED", "DRAFT", "FROZEN", "SUBMITTED", "RowState"]

WHAT = "行の提出と確認"
COMMENT_LIMIT = 2000


@dataclass(frozen=True)
class RowState:
    """One department row's state, with who set it, when, and a returned row's comment."""

    entry_id: str
    state: str = DRAFT
    comment: str = ""
    changed_by: str = ""
    changed_at: str = ""

    @property
    def frozen(self) -> bool:
        """True while its department cannot change the row."""
        return self.state in FROZEN


@dataclass(frozen=True)
class Row:
    """A department row of a report with its place (【基本目標1】① 水産課)."""

    entry: Entry
    where: str


def rows(report: Report, departments: Iterable[str] | None = None) -> list[Row]:
    """The report's department rows in order, only those of ``departments`` when given."""
    wanted = None if departments is None else set(departments)
    found = []
    for goal in report.goals:
        for direction in goal.directions:
            for entry in direction.entries:
                if wanted is None or wanted.intersection(entry.departments):
                    found.append(Row(entry, place(goal, direction, entry)))
    return found


def states(store, report: Report) -> dict[str, RowState]:
    """Every department row's state (記入中 for a row without a record), by entry id."""
    sqltext.server_only(store, WHAT)
    from psycopg import sql

    ids = [row.entry.id for row in rows(report)]
    recorded = {
        entry_id: RowState(entry_id, state, comment, by, at.isoformat(timespec="seconds"))
        for entry_id, state, comment, by, at in sqltext.rows(
            store,
            sql.SQL(
                f"SELECT entry_id, state, comment, changed_by, changed_at FROM {STATE_TABLE}"
                " WHERE entry_id = ANY(%s)"
            ),
            (ids,),
        )
    }
    return {entry_id: recorded.get(entry_id, RowState(entry_id)) for entry_id in ids}


def ids_in(store, report: Report, departments: Iterable[str], state: str) -> list[str]:
    """The ids of the departments' rows that are in ``state`` now, in the report's order."""
    now = states(store, report)
    return [row.entry.id for row in rows(report, departments) if now[row.entry.id].state == state]


def _chosen(store, report: Report, entry_ids: Iterable[str]) -> tuple[dict[str, Row], dict]:
    by_id = {row.entry.id: row for row in rows(report)}
    chosen = list(dict.fromkeys(entry_ids))
    if not chosen:
        raise ReportError("対象の行がありません。")
    unknown = [entry_id for entry_id in chosen if entry_id not in by_id]
    if unknown:
        raise ReportError(f"この報告に行 {unknown[0][:40]} はありません。")
    return {entry_id: by_id[entry_id] for entry_id in chosen}, states(store, report)


def _write(store, changes: list[tuple[str, str, str]], *, first: bool = False) -> None:
    """Set states in one transaction; ``first``: a submission, the row's record made if none."""
    from psycopg import sql

    if first:  # (a department may set the state only)
        statement = sql.SQL(
            f"INSERT INTO {STATE_TABLE} (entry_id, state) VALUES (%s, %s)"
            " ON CONFLICT (entry_id) DO UPDATE SET state = excluded.state"
        )
    else:
        statement = sql.SQL(
            f"UPDATE {STATE_TABLE} SET state = %s, comment = %s WHERE entry_id = %s"
        )
    with store.transaction():
        for entry_id, state, comment in changes:
            if first:
                sqltext.run(store, statement, (entry_id, state))
            elif sqltext.run(store, statement, (state, comment, entry_id)).rowcount != 1:
                raise ReportError(
                    "行の状態が変わったため保存できませんでした。もう一度実行してください。"
                )


def submit(store, report: Report, entry_ids: Iterable[str]) -> int:
    """Submit rows (記入中 → 提出済み) in one transaction; returns how many."""
    sqltext.server_only(store, WHAT)
    chosen, now = _chosen(store, report, entry_ids)
    me = whoami(store)
    for entry_id, row in chosen.items():
        if not me.planner and not set(me.departments).intersection(row.entry.departments):
            raise ReportError(f"{row.where} は {me.name} の担当の部署の行ではありません。")
        if now[entry_id].state != DRAFT:
            raise ReportError(f"{row.where} はすでに{now[entry_id].state}です。")
    _write(store, [(entry_id, SUBMITTED, "") for entry_id in chosen], first=True)
    logger.info("%s submitted %d rows", me.name, len(chosen))
    return len(chosen)


def _planner_only(store, verb: str) -> None:
    me = whoami(store)
    if not me.planner:
        raise ReportError(f"行を{verb}のは企画担当です({me.name} は部署の利用者です)。")


def accept(store, report: Report, entry_ids: Iterable[str]) -> int:
    """Accept submitted rows (提出済み → 確認済み); returns how many."""
    sqltext.server_only(store, WHAT)
    _planner_only(store, "確認済みにする")
    chosen, now = _chosen(store, report, entry_ids)
    for entry_id, row in chosen.items():
        if now[entry_id].state != SUBMITTED:
            raise ReportError(f"{row.where} は{now[entry_id].state}のため確認済みにできません。")
    _write(store, [(entry_id, ACCEPTED, "") for entry_id in chosen])
    return len(chosen)


def give_back(store, report: Report, entry_id: str, comment: str) -> None:
    """Return a submitted or accepted row to its department with a comment (→ 記入中)."""
    sqltext.server_only(store, WHAT)
    _planner_only(store, "差し戻す")
    text = comment.strip() if isinstance(comment, str) else ""
    if not text:
        raise ReportError("差し戻す理由(コメント)を書いてください。")
    if len(text) > COMMENT_LIMIT or "\x00" in text:
        raise ReportError(f"コメントは {COMMENT_LIMIT} 文字までです。")
    chosen, now = _chosen(store, report, [entry_id])
    row = chosen[entry_id]
    if now[entry_id].state not in FROZEN:
        raise ReportError(f"{row.where} は{now[entry_id].state}のため差し戻せません。")
    _write(store, [(entry_id, DRAFT, text)])


@dataclass(frozen=True)
class DepartmentRows:
    """Where one department's rows stand on the shared store."""

    department: str
    counts: dict[str, int]  # state → rows
    frozen: tuple[Row, ...]  # its submitted or accepted rows (what a planner may give back)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def state(self) -> str:
        """記入中 while any row is, 確認済み when every row is, else 提出済み."""
        if self.counts.get(DRAFT):
            return DRAFT
        return ACCEPTED if self.counts.get(ACCEPTED) == self.total else SUBMITTED

    @property
    def detail(self) -> str:
        """「記入中 1・提出済み 2・確認済み 0」"""
        return "・".join(f"{state} {self.counts.get(state, 0)}" for state in (DRAFT, *FROZEN))


def mapped_departments(store) -> set[str]:
    """The 所管部署 that have a login on the server (all for a planner; a department's
    login sees only its own mapping)."""
    from psycopg import sql

    return {
        row[0]
        for row in sqltext.rows(store, sql.SQL(f"SELECT DISTINCT department FROM {LOGIN_TABLE}"))
    }


def by_department(store, report: Report) -> dict[str, DepartmentRows]:
    """The departments that work on the shared store, each with its rows' states."""
    sqltext.server_only(store, WHAT)
    shared = mapped_departments(store)
    now = states(store, report)
    out: dict[str, DepartmentRows] = {}
    for department in sorted(shared):
        counts: dict[str, int] = {}
        frozen: list[Row] = []
        for row in rows(report, [department]):
            state = now[row.entry.id]
            counts[state.state] = counts.get(state.state, 0) + 1
            if state.frozen:
                frozen.append(row)
        if counts:
            out[department] = DepartmentRows(department, counts, tuple(frozen))
    return out
