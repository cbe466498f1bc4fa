"""Reports larger than the sample, made of its own text, for benchmarks and stress tests.

A report ``scale`` times the sample has the sample's goals repeated ``scale``
times (so directions and entries grow in proportion), every text taken from
the sample and varied a little so that no two are identical, and the
department names numbered per copy (農林課, 農林課2 …) so that filters, packs
and checks see as many departments as a larger city would have.
"""

from __future__ import annotations

import logging
import random

from kushiro_editor.core.model import Direction, Entry, Goal, MainProject, Measure, Report, new_id

logger = logging.getLogger(__name__)


def _renew(node):
    node.id = new_id()
    return node


def scaled(sample: Report, scale: int, *, seed: int = 2020) -> Report:
    """The sample grown ``scale`` times (1 gives a copy with new ids)."""
    rng = random.Random(seed)
    report = Report(title=sample.title, actual_year=sample.actual_year)
    texts = [(e.actual, e.plan) for _g, _d, e in sample.entries() if e.actual and e.plan]
    for copy_number in range(scale):
        for goal in sample.goals:
            new_goal = _renew(
                Goal(
                    title=goal.title if copy_number == 0 else f"{goal.title}(その{copy_number + 1})"
                )
            )
            for direction in goal.directions:
                new_direction = _renew(Direction(title=direction.title))
                new_direction.measures = [
                    _renew(Measure(title=m.title, body=m.body)) for m in direction.measures
                ]
                new_direction.main_projects = [
                    _renew(MainProject(name=p.name, relisted=p.relisted))
                    for p in direction.main_projects
                ]
                for entry in direction.entries:
                    suffix = "" if copy_number == 0 else str(copy_number + 1)
                    actual, plan = (
                        (entry.actual, entry.plan) if copy_number == 0 else rng.choice(texts)
                    )
                    new_entry = _renew(
                        Entry(
                            departments=[f"{name}{suffix}" for name in entry.departments],
                            actual=_vary(actual, copy_number, rng),
                            plan=_vary(plan, copy_number, rng),
                        )
                    )
                    new_direction.entries.append(new_entry)
                new_goal.directions.append(new_direction)
            report.goals.append(new_goal)
    report.renumber()
    return report


def _vary(markup: str, copy_number: int, rng: random.Random) -> str:
    """The same text with a figure changed, so that copies are not identical."""
    if copy_number == 0 or not markup:
        return markup
    return markup.replace("</p>", f"(第{copy_number + 1}版・{rng.randint(1, 999)}件)</p>", 1)


def entry_count(report: Report) -> int:
    """How many department entries a report has."""
    return sum(1 for _ in report.entries())


def with_kpis(report: Report, per_direction: int = 3, *, seed: int = 2020) -> Report:
    """``report`` with ``per_direction`` made-up KPIs on every direction (the report changed).

    Each has a baseline two years before the report's, a target four years after
    it, a straight target path, and values for the year before and the report's
    own year, spread so that every rating of the default scale occurs.
    """
    from decimal import Decimal

    from kushiro_editor.core.model import Kpi, KpiTarget, KpiValue

    rng = random.Random(seed)
    one = Decimal(1)
    year = report.actual_year
    units = ("人", "件", "％", "万人", "億円")
    for goal in report.goals:
        for number, direction in enumerate(goal.directions, start=1):
            for index in range(per_direction):
                baseline = Decimal(rng.randrange(50, 5000))
                target = baseline * Decimal("1.2")
                step = (target - baseline) / 6
                share = Decimal(rng.choice((40, 70, 90, 105))) / 100
                direction.kpis.append(
                    _renew(
                        Kpi(
                            name=f"{direction.title[:12]}の指標{number}-{index + 1}",
                            unit=units[index % len(units)],
                            departments=list(direction.entries[0].departments[:1])
                            if direction.entries
                            else [],
                            baseline=baseline,
                            baseline_year=year - 2,
                            target=target.quantize(one),
                            target_year=year + 4,
                            yearly_targets=tuple(
                                KpiTarget(y, (baseline + step * (y - year + 2)).quantize(one))
                                for y in (year - 1, year)
                            ),
                            values=(
                                KpiValue(year - 1, (baseline + step * share).quantize(one)),
                                KpiValue(year, (baseline + step * 2 * share).quantize(one)),
                            ),
                        )
                    )
                )
    return report
