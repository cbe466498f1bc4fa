"""Merging departments' answers (照会回答) back into the report.

Each answered text becomes an item of the review: the text as sent, as
answered, and as it is now in the store. Nothing a department left blank is
an answer (it is listed as 未回答); clearing a text takes 「削除」 in the cell.
An item is a conflict when the report's text changed since the pack was sent
(or, for a second version of a department's answers, since the first one was
merged); a conflict is never taken unless someone decides so. Answers already
merged change nothing and are listed as such. Rows of another department,
rows a department added or deleted, ids that do not exist, edits outside the
answer cells and files for another year are reported, never applied.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from . import inquiryrecord, richtext
from .edits import Edit, SetField
from .fiscal import short_label
from .inquiry import AnsweredKpi, Answers, RecordedAnswer, text_checksum
from .inquiryrecord import EDITED, KEPT, PENDING, TAKEN, AnswerDecision, Decided
from .kpi import fields as kpi_fields
from .kpi.merging import KpiMergeItem, from_pair_text, pair_sum
from .model import STATE_NONE, TEXT_LABELS, Direction, Entry, Goal, Kpi, KpiValue, Report, place
from .store import Store

logger = logging.getLogger(__name__)


@dataclass
class MergeItem(Decided):
    """One answered text, with what it would replace and what was decided."""

    department: str
    goal: Goal
    direction: Direction
    entry: Entry
    field: str
    sent: str
    answered: str
    current: str
    # For a second version: the text the first version's merge left (compared instead of sent).
    base: str | None = None
    choice: str = ""  # TAKEN, EDITED, KEPT or PENDING (inquiryrecord's decisions)
    merged: str = ""  # the text written by hand when the choice is EDITED

    @property
    def conflict(self) -> bool:
        """The report's text changed after the pack was sent (or the first version merged)."""
        return text_checksum(self.current) != text_checksum(self.compared)

    @property
    def where(self) -> str:
        """【基本目標1】① 農林課 実績."""
        return f"{place(self.goal, self.direction, self.entry)} {TEXT_LABELS[self.field]}"

    def lines(self) -> list[str]:
        """The item's two lines under its heading in the review as text."""
        start = "前回の取り込み後" if self.second_version else "照会時"
        if self.conflict:
            base = short(self.compared)
            return [
                f"    企画課の変更 {start}→現在: {base} → {short(self.current)}",
                f"    部署の回答   {start}→回答: {base} → {short(self.answered)}",
            ]
        return [f"    {start}: {short(self.compared)}", f"    回答  : {short(self.answered)}"]

    def edits(self) -> list[Edit]:
        """The text taken, its review mark dropped: the department has written it anew."""
        if not self.accepted:
            return []
        return [
            SetField(self.entry, self.field, self.result),
            SetField(self.entry, f"{self.field}_state", STATE_NONE),
        ]

    def decision(self, settled: bool = False) -> AnswerDecision:
        """What to record: the answer, the text right after, and the text before."""
        return AnswerDecision(
            self.department,
            self.entry.id,
            self.field,
            text_checksum(self.answered),
            self.current if settled else self.result,
            TAKEN if settled else self.choice,
            text_checksum(self.current),
        )


# A text's answer or a KPI's answered value: both are reviewed, decided and recorded alike.
AnyItem = MergeItem | KpiMergeItem


# Why an answered text changes nothing.
ALREADY_MERGED = "取り込み済み"
KEPT_BEFORE = "前回、現在の文章を残すと決めた回答"
SAME_AS_CURRENT = "現在の文章と同じ"
# The same for a KPI's value.
KEPT_VALUE_BEFORE = "前回、現在の値を残すと決めた回答"
SAME_AS_CURRENT_VALUE = "現在の値と同じ"


@dataclass
class Settled:
    """An answered text that changes nothing, and why."""

    item: AnyItem
    reason: str  # ALREADY_MERGED, KEPT_BEFORE or SAME_AS_CURRENT (or their words for values)


@dataclass
class Unanswered:
    """A text a department left blank: no answer."""

    department: str
    where: str


@dataclass
class MergeReview:
    """Everything the answered files would change, and what cannot be merged."""

    items: list[AnyItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)
    answered: dict[str, list[Entry]] = field(default_factory=dict)  # department → entries
    unanswered: list[Unanswered] = field(default_factory=list)
    settled: list[Settled] = field(default_factory=list)

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per department: (answered texts, conflicts)."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.items:
            changed, conflicts = out.get(item.department, (0, 0))
            out[item.department] = (changed + 1, conflicts + item.conflict)
        return out

    def conflicts(self) -> list[AnyItem]:
        """The items whose text (or KPI value) the clerk changed too."""
        return [item for item in self.items if item.conflict]

    def lines(self) -> list[str]:
        """The review as text (the command line prints these)."""
        out = [f"取り込めないファイル: {name}" for name in self.rejected_files]
        out.extend(f"確認: {problem}" for problem in self.problems)
        for item in self.items:
            mark = "競合" if item.conflict else "回答"
            version = "・第2版" if item.second_version else ""
            out.append(f"{mark}: {item.where} ({item.department}より{version})")
            out.extend(item.lines())
        for settled in self.settled:
            out.append(
                f"変更なし: {settled.item.where} ({settled.item.department}より、{settled.reason})"
            )
        for blank in self.unanswered:
            out.append(f"未回答: {blank.where} ({blank.department}、空欄のため変更しません)")
        for department, (changed, conflicts) in self.counts().items():
            out.append(
                f"{department}: 回答のあった文章・指標の値 {changed} 件、うち競合 {conflicts} 件"
            )
        return out


def short(markup: str, size: int = 50) -> str:
    """A text on one line, cut to ``size`` characters, for a listing."""
    if not richtext.to_plain(markup).strip():
        return "(空欄)"
    text = richtext.to_plain(markup).replace("\n", " / ")
    return text if len(text) <= size else text[:size] + "…"


def review_answers(
    report: Report,
    files: list[Answers],
    recorded: dict[tuple[str, str, str], RecordedAnswer] | None = None,
) -> MergeReview:
    """Compare answered packs with the report and what was merged before (nothing changes).

    ``recorded`` is what was decided about earlier answers, by (department,
    entry id, field) (``inquiryrecord.recorded_answers``).
    """
    recorded = recorded or {}
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
            if answers.department not in entry.departments:
                review.problems.append(
                    f"{prefix} {row.row}行目: {place(goal, direction, entry)} は"
                    f"{entry.department_label}の行で、{answers.department}の行ではありません。"
                    "この行の回答は取り込みません。"
                )
                continue
            for field_name in row.blank:
                review.unanswered.append(
                    Unanswered(
                        answers.department,
                        f"{place(goal, direction, entry)} {TEXT_LABELS[field_name]}",
                    )
                )
            if not row.blank:
                entries.append(entry)
            for field_name, answered in row.answered.items():
                _add_item(review, recorded, answers.department, found, field_name, row, answered)
        review.answered.setdefault(answers.department, []).extend(entries)
        _add_kpi_items(review, recorded, report, prefix, answers)
    _rival_kpi_answers(review)
    return review


def _rival_kpi_answers(review: MergeReview) -> None:
    """A KPI shared by departments that answered it differently: none is taken unasked."""
    by_kpi: dict[str, list[KpiMergeItem]] = {}
    for item in review.items:
        if isinstance(item, KpiMergeItem):
            by_kpi.setdefault(item.kpi.id, []).append(item)
    for items in by_kpi.values():
        if len({pair_sum(item.answered) for item in items}) < 2:
            continue
        for item in items:
            item.choice = PENDING
        names = "と".join(dict.fromkeys(item.department for item in items))
        review.problems.append(
            f"{items[0].where}: {names}から違う値の回答があります。どれを取り込むか"
            "選んでください(二つとも取り込むと、後の回答の値になります)。"
        )


def _kpi_found(report: Report, kpi_id: str) -> tuple[str, Kpi] | None:
    for goal, direction, owner in kpi_fields.owners(report):
        for kpi in owner.kpis:
            if kpi.id == kpi_id:
                return kpi_fields.kpi_place(goal, direction, owner, kpi), kpi
    return None


def _add_kpi_items(review: MergeReview, recorded, report: Report, prefix: str, answers) -> None:
    """The 「指標」 sheet's answers and refusals, in the order of its rows."""
    rows = [(a.row, a, "") for a in answers.kpis] + [(r, None, i) for r, i in answers.unsent_kpis]
    for number, answered, kpi_id in sorted(rows, key=lambda row: row[0]):
        if answered is None:
            review.problems.append(_unsent_kpi(report, prefix, answers.department, number, kpi_id))
        else:
            _add_kpi_item(review, recorded, report, prefix, answers.department, answered)


def _not_its_own(where: str, kpi: Kpi, department: str) -> str:
    return (
        f"{where} は{kpi.department_label or '所管部署のない'}の指標で、"
        f"{department}の指標ではありません。この値は取り込みません。"
    )


def _unsent_kpi(report: Report, prefix: str, department: str, row: int, kpi_id: str) -> str:
    """Why a 「指標」 row whose id the pack never sent is not taken."""
    at = f"{prefix} 「指標」シート {row}行目"
    found = _kpi_found(report, kpi_id)
    if found is not None and department not in found[1].departments:
        return f"{at}: {_not_its_own(found[0], found[1], department)}"
    return f"{at}: 照会時になかった指標です(id {kpi_id[:8]}…)。この値は取り込みません。"


def _add_kpi_item(
    review: MergeReview,
    recorded,
    report: Report,
    prefix: str,
    department: str,
    answered: AnsweredKpi,
) -> None:
    at = f"{prefix} 「指標」シート {answered.row}行目"
    found = _kpi_found(report, answered.kpi_id)
    if found is None:
        review.problems.append(
            f"{at}: データファイルにない指標です(削除されたか、別の報告の照会です)。"
        )
        return
    where, kpi = found
    if department not in kpi.departments:
        review.problems.append(f"{at}: {_not_its_own(where, kpi, department)}")
        return
    year = answered.year
    current = kpi.value_of(year) or KpiValue(year, None, "")
    previous = recorded.get((department, kpi.id, KpiMergeItem.field))
    merged_before = previous is not None and previous.decision in (TAKEN, EDITED)
    if merged_before and _kpi_undone(previous, current):
        previous, merged_before = None, False  # the merge was undone: as if never merged
    item = KpiMergeItem(
        department=department,
        place=where,
        kpi=kpi,
        year=year,
        sent=KpiValue(year, answered.sent_value, answered.sent_note),
        answered=KpiValue(year, answered.value, answered.note),
        current=current,
        base=from_pair_text(previous.result, year) if merged_before else None,
    )
    if previous and previous.answer_sum == pair_sum(item.answered):
        if previous.decision != PENDING:
            kept = previous.decision == KEPT
            review.settled.append(Settled(item, KEPT_VALUE_BEFORE if kept else ALREADY_MERGED))
            return
        item.base = None  # still undecided: the same conflict as before
    if item.answered == current:
        review.settled.append(Settled(item, SAME_AS_CURRENT_VALUE))
        return
    review.items.append(item)


def _add_item(review, recorded, department, found, field_name, row, answered) -> None:
    goal, direction, entry = found
    previous = recorded.get((department, entry.id, field_name))
    current = getattr(entry, field_name)
    merged_before = previous is not None and previous.decision in (TAKEN, EDITED)
    if merged_before and _undone(previous, current):
        previous, merged_before = None, False  # the merge was undone: as if never merged
    item = MergeItem(
        department=department,
        goal=goal,
        direction=direction,
        entry=entry,
        field=field_name,
        sent=row.sent.get(field_name, ""),
        answered=answered,
        current=current,
        # A second version starts from what the first one left in the report.
        base=previous.result if merged_before else None,
    )
    if previous and previous.answer_sum == text_checksum(answered):
        if previous.decision != PENDING:
            kept = previous.decision == KEPT
            review.settled.append(Settled(item, KEPT_BEFORE if kept else ALREADY_MERGED))
            return
        item.base = None  # still undecided: the same conflict as before
    if text_checksum(answered) == text_checksum(current):
        review.settled.append(Settled(item, SAME_AS_CURRENT))
        return
    review.items.append(item)


def _kpi_undone(previous: RecordedAnswer, current: KpiValue) -> bool:
    """The KPI's value is back to what it was before the answer was merged (an undo)."""
    now = pair_sum(current)
    merged = pair_sum(from_pair_text(previous.result, current.year))
    return bool(previous.before_sum) and now == previous.before_sum != merged


def _undone(previous: RecordedAnswer, current: str) -> bool:
    """The report's text is back to what it was before the answer was merged (an undo)."""
    now = text_checksum(current)
    return bool(previous.before_sum) and now == previous.before_sum != text_checksum(
        previous.result
    )


def answer_edits(review: MergeReview, today: date | None = None) -> list[Edit]:
    """The edits that take the accepted answers and mark the entries answered.

    An accepted text replaces the entry's text and drops its review mark
    (引継ぎ・未確認 or 確認済み): the department has written it anew.
    """
    stamp = (today or date.today()).isoformat()
    out: list[Edit] = []
    for item in review.items:
        out.extend(item.edits())
    for department, entries in review.answered.items():
        for entry in entries:
            out.append(SetField(entry, "answered_by", department))
            out.append(SetField(entry, "answered_at", stamp))
    return out


def decisions(review: MergeReview) -> list[AnswerDecision]:
    """What to record about every answered text (settled ones as the report has them)."""
    out = [item.decision() for item in review.items]
    out.extend(
        s.item.decision(settled=True)
        for s in review.settled
        if s.reason not in (ALREADY_MERGED, KEPT_BEFORE, KEPT_VALUE_BEFORE)
    )
    return out


def answered_rows(review: MergeReview) -> list[tuple[str, str]]:
    """(department, entry id) of every row answered in full."""
    return [
        (department, entry.id)
        for department, entries in review.answered.items()
        for entry in entries
    ]


def record(store: Store, year: int, review: MergeReview, today: date | None = None) -> None:
    """Keep in the store's record what was answered and decided (after the edits)."""
    stamp = (today or date.today()).isoformat()
    inquiryrecord.record_answers(store, year, answered_rows(review), decisions(review), stamp)


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
