"""A new fiscal year from last year's report, and prefilling plans."""

from __future__ import annotations

import copy

import pytest

from kushiro_editor.core import edits, richtext, yearly
from kushiro_editor.core.model import STATE_CARRIED, STATE_NONE, Direction, Entry
from kushiro_editor.core.store import Store
from kushiro_editor.formats import read_file, reportjson
from kushiro_editor.formats.docx import writer as docx_writer
from kushiro_editor.formats.xlsx import writer as xlsx_writer


def test_rollover_copies_structure_and_carries_plans(sample_result):
    previous = sample_result.report
    before = reportjson.dumps(previous)
    report = yearly.rollover(previous)
    assert reportjson.dumps(previous) == before  # last year's report is not changed
    assert report.actual_year == 2021 and report.title == previous.title
    assert [len(g.directions) for g in report.goals] == [6, 5, 4, 2]
    old_direction = previous.goals[0].directions[0]
    direction = report.goals[0].directions[0]
    assert [m.title for m in direction.measures] == [m.title for m in old_direction.measures]
    assert [p.display for p in direction.main_projects] == [
        p.display for p in old_direction.main_projects
    ]
    assert set(report.all_ids()).isdisjoint(previous.all_ids())
    for (_g, _d, new), (_og, _od, old) in zip(report.entries(), previous.entries(), strict=True):
        assert new.departments == old.departments
        assert new.plan == old.plan and new.actual == old.plan
        assert new.previous_actual == old.actual and new.previous_plan == old.plan
        expected = STATE_CARRIED if old.plan else STATE_NONE
        assert new.plan_state == expected and new.actual_state == expected


def test_rollover_with_empty_actuals(sample_result):
    report = yearly.rollover(sample_result.report, actual=yearly.ACTUAL_EMPTY)
    assert all(e.actual == "" and e.actual_state == STATE_NONE for _g, _d, e in report.entries())
    assert all(e.plan_state == STATE_CARRIED for _g, _d, e in report.entries() if e.plan)
    with pytest.raises(ValueError):
        yearly.rollover(sample_result.report, actual="copy")


@pytest.mark.parametrize("kind", ["tsv", "json", "docx", "xlsx"])
def test_rollover_from_each_file_format(tmp_path, sample_result, kind, sample_file):
    path = tmp_path / f"last.{kind}"
    if kind == "tsv":
        path.write_bytes(sample_file.read_bytes())
    elif kind == "json":
        reportjson.write(sample_result.report, path)
    else:
        {"docx": docx_writer, "xlsx": xlsx_writer}[kind].write_file(sample_result.report, path)
    report = yearly.rollover(read_file(path).report)
    assert report.actual_year == 2021
    expected = [(e.departments, e.plan) for _g, _d, e in sample_result.report.entries()]
    assert [(e.departments, e.plan) for _g, _d, e in report.entries()] == expected


def test_marks_survive_json(sample_result):
    report = yearly.rollover(sample_result.report)
    again = reportjson.loads(reportjson.dumps(report)).report
    assert reportjson.dumps(again) == reportjson.dumps(report)
    entry = next(again.entries())[2]
    assert entry.plan_state == STATE_CARRIED and entry.previous_plan


def _this_year(sample_result):
    """FY2021 as a planning office might have reshaped it by hand."""
    previous = sample_result.report
    report = copy.deepcopy(previous)
    report.actual_year = 2021
    for _g, _d, entry in report.entries():
        entry.actual, entry.plan = "<p>R3の実績</p>", ""
    goal = report.goals[0]
    # A new direction inserted first: every direction after it is renumbered.
    goal.directions.insert(
        0, Direction(title="デジタル化の推進", entries=[Entry(departments=["情報政策課"])])
    )
    # A department added where it had no row last year.
    goal.directions[1].entries.append(Entry(departments=["商業労政課"]))
    # One plan already written this year.
    goal.directions[2].entries[0].plan = "<p>今年度すでに書いた予定</p>"
    report.renumber()
    return previous, report


def test_prefill_matches_renumbered_directions_and_lists_unmatched(sample_result):
    previous, report = _this_year(sample_result)
    plan = yearly.plan_prefill(report, previous)
    renumbered = {(old.number, new.number) for new, old in plan.renumbered}
    assert {(1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7)} <= renumbered
    assert [d.title for d in plan.directions_without_match] == ["デジタル化の推進"]
    unmatched = [(d.title[:6], e.department_label) for _g, d, e in plan.unmatched]
    assert ("デジタル化の", "情報政策課") in unmatched
    assert ("釧路らしさを", "商業労政課") in unmatched
    # Only empty plans are filled by default; the written one is kept.
    food = report.goals[0].directions[2]
    assert [(d, e) for d, e in plan.kept] == [(food, food.entries[0])]
    assert len(plan.fills) == 70 - 1
    fill = next(f for f in plan.fills if f.entry is report.goals[0].directions[1].entries[0])
    assert fill.previous is previous.goals[0].directions[0].entries[0]
    lines = plan.summary_lines()
    assert lines[0] == "補完する取組予定: 69 件(うち上書き 0 件)"
    assert any("番号の変わった基本的方向: ① " in line and "→ ②" in line for line in lines)


def test_prefill_overwrite_and_apply(sample_result, store_path):
    previous, report = _this_year(sample_result)
    store = Store(store_path)
    store.save(report)
    plan = yearly.plan_prefill(report, previous, overwrite=True)
    assert sum(f.overwrite for f in plan.fills) == 1
    food = report.goals[0].directions[2].entries[0]
    written = food.plan
    undo = edits.apply(store, report, yearly.prefill_edits(plan))
    assert food.plan == previous.goals[0].directions[1].entries[0].plan
    assert food.plan_state == STATE_CARRIED
    stored = store.load(report.actual_year).goals[0].directions[2].entries[0]
    assert (stored.plan, stored.plan_state) == (food.plan, STATE_CARRIED)
    edits.apply(store, report, undo)
    assert store.load(report.actual_year).goals[0].directions[2].entries[0].plan == written
    assert richtext.to_plain(report.goals[0].directions[0].entries[0].plan) == ""
    store.close()


def test_the_kth_row_of_a_department_pairs_with_its_kth_row(sample_result):
    previous = sample_result.report
    report = copy.deepcopy(previous)
    report.actual_year = 2021
    for _g, _d, entry in report.entries():
        entry.plan = ""
    tourism = report.goals[0].directions[2]
    match = yearly.match_entries(report, previous)
    rows = [e for e in tourism.entries if e.departments == ["阿寒観光振興課"]]
    old_rows = [
        e for e in previous.goals[0].directions[2].entries if e.departments == ["阿寒観光振興課"]
    ]
    assert [match.pairs[e.id] for e in rows] == old_rows
