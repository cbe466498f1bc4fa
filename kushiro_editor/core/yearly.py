"""Starting a new fiscal year from last year's report, and filling plans from it.

A rollover copies the structure (goals, directions, measures, main projects,
department entries) into a report for the next year. Each entry's 取組予定
starts as last year's plan, and its 実績 either as last year's plan (a draft to
rewrite) or empty. Every carried text is marked 前年度から引継ぎ・未確認 until
it is edited or confirmed; last year's texts are kept beside it for the review
and the comparison. Every KPI carries with its history of values, and its value
of the new year starts as not known yet.

Prefilling fills the plans of an existing report from last year's, matching
entries by goal, direction and department, with a fallback on similar titles
when the numbering changed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from . import kinds, richtext
from .edits import Edit, SetField
from .kpi.carry import carry_all
from .model import (
    STATE_CARRIED,
    STATE_NONE,
    Direction,
    Entry,
    Goal,
    Report,
    place,
)

logger = logging.getLogger(__name__)

ACTUAL_FROM_PLAN = "plan"
ACTUAL_EMPTY = "empty"
SIMILAR = 0.6  # how alike two titles must be to match a renumbered direction


def rollover(previous: Report, *, actual: str = ACTUAL_FROM_PLAN) -> Report:
    """The next year's report, prefilled from ``previous`` (which is not changed)."""
    if actual not in (ACTUAL_FROM_PLAN, ACTUAL_EMPTY):
        raise ValueError(f"actual must be {ACTUAL_FROM_PLAN!r} or {ACTUAL_EMPTY!r}")
    # The office's way of judging its KPIs stays until it changes it.
    report = Report(
        title=previous.title,
        actual_year=previous.actual_year + 1,
        kpi_settings=previous.kpi_settings,
    )
    year = report.actual_year
    for old_goal in previous.goals:
        goal = kinds.carried_copy(old_goal)
        carry_all(old_goal, goal, year)
        report.goals.append(goal)
        for old in old_goal.directions:
            direction = kinds.carried_copy(old)
            carry_all(old, direction, year)
            direction.measures = [kinds.carried_copy(m) for m in old.measures]
            for old_measure, measure in zip(old.measures, direction.measures, strict=True):
                carry_all(old_measure, measure, year)
            direction.main_projects = [kinds.carried_copy(p) for p in old.main_projects]
            goal.directions.append(direction)
            for old_entry in old.entries:
                entry = kinds.carried_copy(old_entry)
                entry.previous_actual = old_entry.actual
                entry.previous_plan = old_entry.plan
                entry.plan_state = STATE_CARRIED if entry.plan else STATE_NONE
                if actual == ACTUAL_FROM_PLAN and old_entry.plan:
                    entry.actual = old_entry.plan
                    entry.actual_state = STATE_CARRIED
                direction.entries.append(entry)
    report.renumber()
    return report


# -- prefilling plans --------------------------------------------------------------
@dataclass
class Fill:
    """One entry's plan as prefilling would change it."""

    goal: Goal
    direction: Direction
    entry: Entry
    previous: Entry
    overwrite: bool  # the entry already had a plan

    @property
    def new_plan(self) -> str:
        """Last year's plan."""
        return self.previous.plan


@dataclass
class PrefillPlan:
    """What prefilling would do: fills, skipped entries and what found no match."""

    fills: list[Fill] = field(default_factory=list)
    kept: list[tuple[Direction, Entry]] = field(default_factory=list)  # had a plan already
    unmatched: list[tuple[Goal, Direction, Entry]] = field(default_factory=list)
    unmatched_previous: list[tuple[Goal, Direction, Entry]] = field(default_factory=list)
    renumbered: list[tuple[Direction, Direction]] = field(default_factory=list)
    directions_without_match: list[Direction] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        """The plan as text, one line per finding (the CLI prints these)."""
        lines = [
            f"補完する取組予定: {len(self.fills)} 件"
            f"(うち上書き {sum(1 for f in self.fills if f.overwrite)} 件)",
            f"すでに取組予定があるため補完しない行: {len(self.kept)} 件",
        ]
        for fill in self.fills:
            mark = "上書き" if fill.overwrite else "補完"
            lines.append(f"  {mark}: {place(fill.goal, fill.direction, fill.entry)}")
        for new, old in self.renumbered:
            lines.append(
                f"番号の変わった基本的方向: {old.label} {old.title} → {new.label} {new.title}"
            )
        for direction in self.directions_without_match:
            lines.append(
                f"前年度に対応する基本的方向がありません: {direction.label} {direction.title}"
            )
        for goal, direction, entry in self.unmatched:
            lines.append(f"前年度に対応する行がありません: {place(goal, direction, entry)}")
        for goal, direction, entry in self.unmatched_previous:
            lines.append(f"今年度に対応する行がありません(前年度): {place(goal, direction, entry)}")
        return lines


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(
        None, richtext.normalise_width(a), richtext.normalise_width(b), autojunk=False
    ).ratio()


def match_directions(
    report: Report, previous: Report
) -> tuple[dict[int, tuple[Goal, Direction]], list[tuple[Direction, Direction]]]:
    """Pair each direction with last year's: same numbers, else the most similar title.

    Returns ``{id(direction): (old goal, old direction)}`` and the pairs whose
    numbers differ.
    """
    old_by_number = {(g.number, d.number): (g, d) for g, d in previous.directions()}
    used: set[int] = set()
    matched: dict[int, tuple[Goal, Direction]] = {}
    pending = []
    for goal, direction in report.directions():
        candidate = old_by_number.get((goal.number, direction.number))
        if candidate and _similarity(candidate[1].title, direction.title) >= SIMILAR:
            matched[id(direction)] = candidate
            used.add(id(candidate[1]))
        else:
            pending.append(direction)
    renumbered = []
    for direction in pending:
        best, score = None, SIMILAR
        for old_goal, old in previous.directions():
            if id(old) in used:
                continue
            similarity = _similarity(old.title, direction.title)
            if similarity >= score:
                best, score = (old_goal, old), similarity
        if best is not None:
            matched[id(direction)] = best
            used.add(id(best[1]))
            renumbered.append((direction, best[1]))
    return matched, renumbered


@dataclass
class EntryMatch:
    """How this year's entries pair with last year's."""

    pairs: dict[str, Entry] = field(default_factory=dict)  # entry id → last year's entry
    unmatched: list[tuple[Goal, Direction, Entry]] = field(default_factory=list)
    unmatched_previous: list[tuple[Goal, Direction, Entry]] = field(default_factory=list)
    renumbered: list[tuple[Direction, Direction]] = field(default_factory=list)
    directions_without_match: list[Direction] = field(default_factory=list)


def match_entries(report: Report, previous: Report) -> EntryMatch:
    """Pair entries by goal, direction and department(s).

    The k-th row of a department in a direction pairs with that department's
    k-th row there last year.
    """
    report.renumber()
    previous.renumber()
    result = EntryMatch()
    matched, result.renumbered = match_directions(report, previous)
    matched_old: set[int] = set()
    for goal, direction in report.directions():
        pair = matched.get(id(direction))
        if pair is None:
            result.directions_without_match.append(direction)
            result.unmatched.extend((goal, direction, e) for e in direction.entries)
            continue
        old_goal, old_direction = pair
        matched_old.add(id(old_direction))
        olds: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
        for old_entry in old_direction.entries:
            olds[tuple(old_entry.departments)].append(old_entry)
        for entry in direction.entries:
            queue = olds.get(tuple(entry.departments))
            if queue:
                result.pairs[entry.id] = queue.pop(0)
            else:
                result.unmatched.append((goal, direction, entry))
        for rest in olds.values():
            result.unmatched_previous.extend((old_goal, old_direction, e) for e in rest)
    for old_goal, old_direction in previous.directions():
        if id(old_direction) not in matched_old:
            result.unmatched_previous.extend(
                (old_goal, old_direction, e) for e in old_direction.entries
            )
    return result


def plan_prefill(report: Report, previous: Report, *, overwrite: bool = False) -> PrefillPlan:
    """Work out which plans last year's report would fill (nothing is changed)."""
    match = match_entries(report, previous)
    plan = PrefillPlan(
        unmatched=match.unmatched,
        unmatched_previous=match.unmatched_previous,
        renumbered=match.renumbered,
        directions_without_match=match.directions_without_match,
    )
    for goal, direction, entry in report.entries():
        old_entry = match.pairs.get(entry.id)
        if old_entry is None or not old_entry.plan or entry.plan == old_entry.plan:
            continue
        has_plan = bool(richtext.to_plain(entry.plan).strip())
        if has_plan and not overwrite:
            plan.kept.append((direction, entry))
            continue
        plan.fills.append(Fill(goal, direction, entry, old_entry, overwrite=has_plan))
    return plan


def fill_values(fill: Fill) -> list[tuple[str, object]]:
    """The fields a fill sets on its entry, the plan first: (field, value) each."""
    entry, previous = fill.entry, fill.previous
    return [
        ("plan", previous.plan),
        ("plan_state", STATE_CARRIED),
        ("previous_plan", previous.plan),
        (
            "previous_actual",
            entry.previous_actual if entry.previous_actual is not None else previous.actual,
        ),
    ]


def prefill_edits(plan: PrefillPlan) -> list[Edit]:
    """The edits that fill the planned plans (the text, its 引継ぎ mark, last year's texts)."""
    return [
        SetField(fill.entry, name, value)
        for fill in plan.fills
        for name, value in fill_values(fill)
    ]


def previous_texts(report: Report, previous: Report | None) -> dict[str, tuple[str, str]]:
    """Last year's (実績, 取組予定) of each entry: kept by a rollover, else matched."""
    out: dict[str, tuple[str, str]] = {}
    pairs = match_entries(report, previous).pairs if previous is not None else {}
    for _goal, _direction, entry in report.entries():
        if entry.previous_actual is not None or entry.previous_plan is not None:
            out[entry.id] = (entry.previous_actual or "", entry.previous_plan or "")
        elif entry.id in pairs:
            old = pairs[entry.id]
            out[entry.id] = (old.actual, old.plan)
    return out
