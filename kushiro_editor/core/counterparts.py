"""Where each part of a report stood in an earlier one: its goals, directions and rows.

Last year's report is matched as the new year matches it (``yearly``):
directions by their numbers, else by a similar title, and department rows by
their departments within a matched direction. A snapshot of the same year
keeps the nodes' ids, which tell a row moved or a department renamed from a
row replaced; its nodes are matched by id.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from . import yearly
from .model import Direction, Entry, Goal, Report

logger = logging.getLogger(__name__)


@dataclass
class Counterparts:
    """The earlier node of each node of a report, by the report's node ids."""

    goals: dict[str, Goal] = field(default_factory=dict)
    directions: dict[str, Direction] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)

    def earlier_ids(self) -> set[str]:
        """The ids of every earlier node that has a counterpart now."""
        return {
            node.id
            for nodes in (self.goals, self.directions, self.entries)
            for node in nodes.values()
        }


def match(report: Report, earlier: Report) -> Counterparts:
    """Pair the goals, directions and department rows of ``report`` with ``earlier``'s."""
    if _shares_ids(report, earlier):
        return _by_id(report, earlier)
    found = Counterparts()
    pairs, _renumbered = yearly.match_directions(report, earlier)
    for _goal, direction in report.directions():
        if id(direction) in pairs:
            found.directions[direction.id] = pairs[id(direction)][1]
    found.entries = dict(yearly.match_entries(report, earlier).pairs)
    found.goals = _match_goals(report, earlier, pairs)
    return found


def _shares_ids(report: Report, earlier: Report) -> bool:
    ids = {node.id for _g, d in earlier.directions() for node in (d, *d.entries)}
    return any(node.id in ids for _g, d in report.directions() for node in (d, *d.entries))


def _by_id(report: Report, earlier: Report) -> Counterparts:
    goals = {g.id: g for g in earlier.goals}
    directions = {d.id: d for _g, d in earlier.directions()}
    entries = {e.id: e for _g, _d, e in earlier.entries()}
    found = Counterparts()
    for goal in report.goals:
        if goal.id in goals:
            found.goals[goal.id] = goals[goal.id]
        for direction in goal.directions:
            if direction.id in directions:
                found.directions[direction.id] = directions[direction.id]
            for entry in direction.entries:
                if entry.id in entries:
                    found.entries[entry.id] = entries[entry.id]
    return found


def _match_goals(
    report: Report, earlier: Report, pairs: dict[int, tuple[Goal, Direction]]
) -> dict[str, Goal]:
    """A goal pairs with the earlier goal most of its directions came from, else by number."""
    found: dict[str, Goal] = {}
    used: set[int] = set()
    by_number = dict(enumerate(earlier.goals, start=1))
    paired_old = {id(d) for _g, d in pairs.values()}
    for number, goal in enumerate(report.goals, start=1):
        origins = Counter(id(pairs[id(d)][0]) for d in goal.directions if id(d) in pairs)
        candidate = None
        if origins:
            best = origins.most_common(1)[0][0]
            candidate = next(g for g in earlier.goals if id(g) == best)
        elif number in by_number and not any(
            id(d) in paired_old for d in by_number[number].directions
        ):
            # Neither goal kept a direction: the same number is the same goal.
            candidate = by_number[number]
        if candidate is not None and id(candidate) not in used:
            found[goal.id] = candidate
            used.add(id(candidate))
    return found
