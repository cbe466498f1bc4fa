"""The record of the inquiry (照会) kept in the store, per fiscal year.

Which departments were sent a pack (when, with what deadline, how many rows),
which rows they answered, and what was decided about every answered text
(taken, kept, edited, or still pending). The record is keyed by the fiscal
year, not by the report's id, so it survives a report replaced by an import
and, of course, a restart. A snapshot restored brings back the answers' record
with the texts (what was merged is what the texts show); the packs sent stay,
as they are out with the departments whatever the report holds. The merge reads the decisions
to recognise answers already merged and to compare a second version of a
department's answers with what the first one left in the report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .inquiry import DepartmentStatus, PackSent, RecordedAnswer
from .store import Store

logger = logging.getLogger(__name__)

# What was decided about one answered text.
TAKEN = "taken"  # the answer replaced the text
EDITED = "edited"  # a text merged by hand from the answer and the current text
KEPT = "kept"  # the current text stayed
PENDING = "pending"  # a conflict not decided yet
DECISIONS = (TAKEN, EDITED, KEPT, PENDING)


class Decided:
    """The decision on one answered item, a text or a KPI's value, which both kinds share.

    A subclass holds ``sent``, ``answered``, ``current``, ``base`` (what a first
    version's merge left), ``choice`` and ``merged`` (what was written by hand)
    and says when it is a ``conflict``.
    """

    def __post_init__(self) -> None:
        if not self.choice:
            # The clerk's own change is safe unless the clerk decides otherwise.
            self.choice = PENDING if self.conflict else TAKEN

    @property
    def compared(self):
        """What the answer and the current one both started from."""
        return self.sent if self.base is None else self.base

    @property
    def second_version(self) -> bool:
        """An answer that replaces one already merged from this department."""
        return self.base is not None

    @property
    def accepted(self) -> bool:
        """The answer (or what was written from it) goes into the report."""
        return self.choice in (TAKEN, EDITED)

    @accepted.setter
    def accepted(self, value: bool) -> None:
        self.choice = TAKEN if value else KEPT

    @property
    def result(self):
        """What the report holds once the choice is applied."""
        if self.choice == TAKEN:
            return self.answered
        if self.choice == EDITED and self.merged is not None:
            return self.merged
        return self.current


@dataclass(frozen=True)
class AnswerDecision:
    """One answered text and what became of it, to be recorded."""

    department: str
    entry_id: str
    field: str
    answer_sum: str
    result: str  # the text the report held right after the decision
    decision: str
    before_sum: str = ""  # checksum of the text the report held before it


def record_packs(store: Store, year: int, packs: list[PackSent]) -> None:
    """Remember the packs sent for a fiscal year (a pack sent again replaces its line)."""
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO inquiry_pack (actual_year, department, sent_at, deadline, contact,"
            " file_name, rows, recorded) VALUES (?, ?, ?, ?, ?, ?, ?,"
            " (SELECT coalesce(max(recorded), 0) + 1 FROM inquiry_pack))"
            " ON CONFLICT (actual_year, department) DO UPDATE SET sent_at = excluded.sent_at,"
            " deadline = excluded.deadline, contact = excluded.contact,"
            " file_name = excluded.file_name, rows = excluded.rows, recorded = excluded.recorded",
            [
                (year, p.department, p.sent_at, p.deadline, p.contact, p.file_name, p.rows)
                for p in packs
            ],
        )


_ANSWER_TABLES = {
    "inquiry_row": ("department", "entry_id", "answered_at"),
    "inquiry_answer": (
        "department",
        "entry_id",
        "field",
        "answer_sum",
        "result",
        "before_sum",
        "decision",
        "decided_at",
    ),
}


def restore_answers(store: Store, source: Store, year: int) -> None:
    """Make the record of answers for ``year`` what ``source`` (a snapshot) holds."""
    taken = {
        table: source.conn.execute(
            f"SELECT {', '.join(names)} FROM {table} WHERE actual_year = ?", (year,)
        ).fetchall()
        for table, names in _ANSWER_TABLES.items()
    }
    with store.transaction() as conn:
        for table, names in _ANSWER_TABLES.items():
            conn.execute(f"DELETE FROM {table} WHERE actual_year = ?", (year,))
            conn.executemany(
                f"INSERT INTO {table} (actual_year, {', '.join(names)})"
                f" VALUES (?, {', '.join('?' for _ in names)})",
                [(year, *row) for row in taken[table]],
            )


def packs(store: Store, year: int) -> list[PackSent]:
    """The packs sent for a fiscal year, in the order they were recorded."""
    rows = store.conn.execute(
        "SELECT department, sent_at, deadline, contact, file_name, rows FROM inquiry_pack"
        " WHERE actual_year = ? ORDER BY recorded",
        (year,),
    ).fetchall()
    return [PackSent(*row) for row in rows]


def known_departments(store: Store, year: int) -> list[str] | None:
    """The names the department check takes as right: the office's list, and every
    department that was sent a pack this year (None when there are neither)."""
    sent = [pack.department for pack in packs(store, year)]
    return list(dict.fromkeys([*store.department_list(), *sent])) or None


def recorded_answers(store: Store, year: int) -> dict[tuple[str, str, str], RecordedAnswer]:
    """(department, entry id, field) → what was decided about its last answer."""
    rows = store.conn.execute(
        "SELECT department, entry_id, field, answer_sum, result, decision, decided_at, before_sum"
        " FROM inquiry_answer WHERE actual_year = ?",
        (year,),
    )
    return {(r[0], r[1], r[2]): RecordedAnswer(*r[3:]) for r in rows}


def record_answers(
    store: Store,
    year: int,
    answered_rows: list[tuple[str, str]],
    decisions: list[AnswerDecision],
    stamp: str,
) -> None:
    """Remember the rows a department answered, (department, entry id) each, and the decisions."""
    for decision in decisions:
        if decision.decision not in DECISIONS:
            raise ValueError(decision.decision)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO inquiry_row (actual_year, department, entry_id, answered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (actual_year, department, entry_id)"
            " DO UPDATE SET answered_at = excluded.answered_at",
            [(year, department, entry_id, stamp) for department, entry_id in answered_rows],
        )
        conn.executemany(
            "INSERT INTO inquiry_answer (actual_year, department, entry_id, field,"
            " answer_sum, result, decision, decided_at, before_sum)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (actual_year, department, entry_id,"
            " field) DO UPDATE SET answer_sum = excluded.answer_sum, result = excluded.result,"
            " decision = excluded.decision, decided_at = excluded.decided_at,"
            " before_sum = excluded.before_sum",
            [
                (
                    year,
                    d.department,
                    d.entry_id,
                    d.field,
                    d.answer_sum,
                    d.result,
                    d.decision,
                    stamp,
                    d.before_sum,
                )
                for d in decisions
            ],
        )


def status(store: Store, year: int, departments: list[str] | None = None) -> list[DepartmentStatus]:
    """One line per department: the packs sent first, then ``departments`` never sent one."""
    conn = store.conn
    answered = dict(
        conn.execute(
            "SELECT department, count(*) FROM inquiry_row WHERE actual_year = ?"
            " GROUP BY department",
            (year,),
        ).fetchall()
    )
    last = dict(
        conn.execute(
            "SELECT department, max(answered_at) FROM inquiry_row WHERE actual_year = ?"
            " GROUP BY department",
            (year,),
        ).fetchall()
    )
    pending = dict(
        conn.execute(
            "SELECT department, count(*) FROM inquiry_answer WHERE actual_year = ?"
            " AND decision = ? GROUP BY department",
            (year, PENDING),
        ).fetchall()
    )
    out = [
        DepartmentStatus(
            department=p.department,
            sent_at=p.sent_at,
            deadline=p.deadline,
            rows=p.rows,
            answered_rows=answered.get(p.department, 0),
            pending=pending.get(p.department, 0),
            last_answer=last.get(p.department, ""),
        )
        for p in packs(store, year)
    ]
    sent = {s.department for s in out}
    for name in departments or []:
        if name not in sent:
            out.append(DepartmentStatus(department=name))
            sent.add(name)
    return out
