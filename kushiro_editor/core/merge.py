"""Merging departments' answers (照会回答) back into the report.

Each answered text becomes an item of the review: the text as sent, as
answered, and as it is now in the store. An item is a conflict when the store
changed since the pack was sent; conflicts are never applied without being
named. Rows a department added or deleted, ids that do not exist, edits
outside the answer cells and files for another year are reported, never
applied silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from . import richtext
from .edits import Edit, SetField
from .fiscal import short_label
from .inquiry import Answers, text_checksum
from .model import STATE_NONE, TEXT_LABELS, Direction, Entry, Goal, Report, place
from .store import kind_of

logger = logging.getLogger(__name__)


@dataclass
class MergeItem:
    """One answered text, with what it would replace."""

    department: str
    goal: Goal
    direction: Direction
    entry: Entry
    field: str
    sent: str
    answered: str
    current: str
    accepted: bool = True

    @property
    def conflict(self) -> bool:
        """The store's text changed after the pack was sent."""
        return text_checksum(self.current) != text_checksum(self.sent)

    @property
    def where(self) -> str:
        """【基本目標1】① 農林課 実績."""
        return f"{place(self.goal, self.direction, self.entry)} {TEXT_LABELS[self.field]}"


@dataclass
class MergeReview:
    """Everything the answered files would change, and what cannot be merged."""

    items: list[MergeItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)
    answered: dict[str, list[Entry]] = field(default_factory=dict)  # department → entries

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per department: (answered texts, conflicts)."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.items:
            changed, conflicts = out.get(item.department, (0, 0))
            out[item.department] = (changed + 1, conflicts + item.conflict)
        return out

    def lines(self) -> list[str]:
        """The review as text (the CLI prints these)."""
        out = []
        for name in self.rejected_files:
            out.append(f"取り込めないファイル: {name}")
        for problem in self.problems:
            out.append(f"確認: {problem}")
        for item in self.items:
            mark = "競合" if item.conflict else "回答"
            out.append(f"{mark}: {item.where} ({item.department}より)")
            out.append(f"    照会時: {_short(item.sent)}")
            out.append(f"    回答  : {_short(item.answered)}")
            if item.conflict:
                out.append(
                    f"    現在  : {_short(item.current)}(照会後にデータファイルで変更されています)"
                )
        for department, (changed, conflicts) in self.counts().items():
            out.append(f"{department}: 回答のあった文章 {changed} 件、うち競合 {conflicts} 件")
        return out


def _short(markup: str, size: int = 50) -> str:
    text = richtext.to_plain(markup).replace("\n", " / ")
    return text if len(text) <= size else text[:size] + "…"


def review_answers(report: Report, files: list[Answers]) -> MergeReview:
    """Compare answered packs with the report (nothing is changed)."""
    review = MergeReview()
    where: dict[str, tuple[Goal, Direction, Entry]] = {
        e.id: (g, d, e) for g, d, e in report.entries()
    }
    for answers in files:
        name = answers.path.name
        if answers.actual_year != report.actual_year:
            review.rejected_files.append(
                f"{name}: {short_label(answers.actual_year)}の照会の回答です"
                f"(開いている報告は{short_label(report.actual_year)})。取り込みません。"
            )
            continue
        prefix = f"{name}({answers.department})"
        for row, text in answers.added:
            review.problems.append(
                f"{prefix} {row}行目: 追加された行です。取り込めないため、"
                f"必要なら手で追加してください: {text}"
            )
        for entry_id in answers.deleted:
            found = where.get(entry_id)
            label = found[2].department_label if found else entry_id[:8]
            review.problems.append(
                f"{prefix}: 照会した行が削除されています({label})。"
                "データファイルの行はそのままです。"
            )
        review.problems.extend(f"{prefix} {problem}" for problem in answers.problems)
        entries = []
        for row in answers.rows:
            found = where.get(row.entry_id)
            if found is None:
                review.problems.append(
                    f"{prefix} {row.row}行目: データファイルにない行です"
                    "(削除されたか、別の報告の照会です)。"
                )
                continue
            goal, direction, entry = found
            entries.append(entry)
            for field_name, answered in row.answered.items():
                review.items.append(
                    MergeItem(
                        department=answers.department,
                        goal=goal,
                        direction=direction,
                        entry=entry,
                        field=field_name,
                        sent=row.sent.get(field_name, ""),
                        answered=answered,
                        current=getattr(entry, field_name),
                    )
                )
        review.answered.setdefault(answers.department, []).extend(entries)
    return review


def answered_marks(review: MergeReview, today: date | None = None) -> list[tuple[Entry, str, str]]:
    """(entry, department, date) for every entry a department answered for."""
    stamp = (today or date.today()).isoformat()
    return [
        (entry, department, stamp)
        for department, entries in review.answered.items()
        for entry in entries
    ]


def answer_edits(review: MergeReview, today: date | None = None) -> list[Edit]:
    """The edits that take the accepted answers and mark the entries answered.

    An accepted text replaces the entry's text and drops its review mark
    (引継ぎ・未確認 or 確認済み): the department has written it anew.
    """
    out: list[Edit] = []
    for item in review.items:
        if item.accepted:
            out.append(SetField(item.entry, item.field, item.answered))
            out.append(SetField(item.entry, f"{item.field}_state", STATE_NONE))
    for entry, department, stamp in answered_marks(review, today):
        out.append(SetField(entry, "answered_by", department))
        out.append(SetField(entry, "answered_at", stamp))
    return out


def apply(review: MergeReview, today: date | None = None) -> list[tuple]:
    """Change the report's entries; returns the store changes (use ``edits.apply`` instead)."""
    changes = answer_edits(review, today)
    for edit in changes:
        setattr(edit.node, edit.field, edit.value)
    return [(kind_of(e.node), e.node.id, e.field, e.value) for e in changes]


def department_status(report: Report, sent: dict[str, str]) -> dict[str, str]:
    """Per department: 未照会, 照会中, 一部回答 or 回答済 (one pass over the entries)."""
    rows: dict[str, int] = {}
    answered: dict[str, int] = {}
    for _g, _d, entry in report.entries():
        for name in entry.departments:
            rows[name] = rows.get(name, 0) + 1
            if entry.answered_by:
                answered[name] = answered.get(name, 0) + 1
    status = {}
    for name, count in rows.items():
        done = answered.get(name, 0)
        if done == count:
            status[name] = "回答済"
        elif done:
            status[name] = "一部回答"
        elif name in sent:
            status[name] = "照会中"
        else:
            status[name] = "未照会"
    return status
