"""An earlier report's places in a report's (counterparts), and naming that report (earlier)."""

from __future__ import annotations

import copy

import pytest

from kushiro_editor.core import counterparts, earlier, snapshots, yearly
from kushiro_editor.core.model import ReportError


def test_a_new_year_pairs_every_place_with_last_years(sample_result):
    last = sample_result.report
    report = yearly.rollover(last)
    found = counterparts.match(report, last)
    pairs = list(zip(report.entries(), last.entries(), strict=True))
    assert all(found.entries[new.id] is old for (_g, _d, new), (_h, _e, old) in pairs)
    assert [found.goals[g.id] for g in report.goals] == last.goals
    assert len(found.directions) == sum(len(g.directions) for g in last.goals)


def test_a_direction_moved_is_found_by_its_title_and_a_new_one_by_none(sample_result):
    last = sample_result.report
    report = yearly.rollover(last)
    goal = report.goals[0]
    goal.directions.reverse()  # renumbered: matched by their titles
    goal.directions[0].title = "まったく新しい方向"  # was the last direction
    report.renumber()
    found = counterparts.match(report, last)
    old_by_title = {d.title: d for _g, d in last.directions()}
    for direction in goal.directions[1:]:
        assert found.directions[direction.id] is old_by_title[direction.title]
    assert goal.directions[0].id not in found.directions
    assert not any(e.id in found.entries for e in goal.directions[0].entries)
    assert found.goals[goal.id] is last.goals[0]


def test_a_snapshot_of_the_same_year_pairs_by_id(sample_result):
    then = sample_result.report
    now = copy.deepcopy(then)
    direction = now.goals[0].directions[0]
    direction.entries.reverse()
    direction.entries[0].departments = ["別の課"]
    found = counterparts.match(now, then)
    old = {e.id: e for _g, _d, e in then.entries()}
    assert all(found.entries[e.id] is old[e.id] for _g, _d, e in now.entries())


@pytest.fixture
def two_years(sample_store, sample_result):
    sample_store.save(yearly.rollover(sample_result.report))
    return sample_store


@pytest.mark.both_engines
def test_earlier_years_then_snapshots_holding_the_year(two_years):
    report = two_years.load(2021)
    snapshots.take(two_years, "daily")
    snapshots.take(two_years, "manual", "提出版")
    offered = earlier.choices(two_years, report)
    assert offered[0].label == "R2年度の報告"
    assert len(offered) == 3
    named = earlier.choices(two_years, report, named_only=True)
    assert [c.snapshot.name if c.snapshot else c.year for c in named] == [2020, "提出版"]
    assert earlier.choices(two_years, two_years.load(2020), named_only=True)[0].year == 2020


@pytest.mark.both_engines
def test_a_label_or_a_snapshot_names_the_report(two_years):
    report = two_years.load(2021)
    for label in ("R2", "2020", "令和2年度"):
        assert earlier.find(two_years, label, report) == earlier.Earlier(2020)
    taken = snapshots.take(two_years, "manual", "提出版")
    by_name = earlier.find(two_years, "提出版", report)
    assert by_name.snapshot == taken and by_name.year == 2021
    assert earlier.find(two_years, taken.id, report).load(two_years).actual_year == 2021
    snapshots.take(two_years, "manual", "提出版")
    with pytest.raises(ReportError, match="複数"):
        earlier.find(two_years, "提出版", report)
    with pytest.raises(ReportError, match="前の年度ではありません"):
        earlier.find(two_years, "R3", report)
    with pytest.raises(ReportError, match="データファイルにありません"):
        earlier.find(two_years, "R1", report)
    with pytest.raises(ReportError, match="スナップショットもありません"):
        earlier.find(two_years, "去年", report)
