"""The demonstration report: the bundled sample with made-up KPIs, the sample left without."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from kushiro_editor import appdata, workspace
from kushiro_editor.core import review
from kushiro_editor.core.kpi import demo, fields, progress, scales
from kushiro_editor.core.model import Report
from kushiro_editor.core.store import Store
from kushiro_editor.formats import read_file, reportjson

from .kpi_samples import exact

D = Decimal


@pytest.fixture
def demo_report(sample_result):
    return demo.demo_report(sample_result.report)


def test_the_title_says_it_is_a_demonstration_with_made_up_numbers(demo_report, sample_result):
    assert demo_report.title == f"【デモ】{sample_result.report.title}（数値は架空）"
    assert demo_report.actual_year == sample_result.report.actual_year == 2020
    assert {kpi.comment for _o, kpi in fields.kpis(demo_report)} == {"デモ用の架空の数値です。"}


def test_every_goal_and_direction_has_two_or_three_kpis(demo_report):
    for goal in demo_report.goals:
        assert 2 <= len(goal.kpis) <= 3, goal.label
        for direction in goal.directions:
            assert 2 <= len(direction.kpis) <= 3, direction.heading


def test_each_kpi_runs_from_r1_to_r6_with_values_for_r2_and_r3(demo_report):
    for _owner, kpi in fields.kpis(demo_report):
        assert (kpi.baseline_year, kpi.target_year) == (2019, 2024), kpi.name
        assert kpi.baseline is not None and kpi.target is not None
        assert [v.year for v in kpi.values] == [2020, 2021]
        assert kpi.values[1].note == "見込み" and kpi.values[1].value is not None
        assert [t.year for t in kpi.yearly_targets] == [2020, 2021]
        assert kpi.departments and all(name for name in kpi.departments)
        fields.check_kpi(kpi)  # every value one the store and the exports can hold
    units = {kpi.unit for _o, kpi in fields.kpis(demo_report)}
    assert {"人", "件", "％"} <= units and any(unit.endswith("円") for unit in units)


def test_the_target_path_is_a_straight_line_kept_to_the_targets_places():
    assert demo.path_target(D("539.0"), D("600.0"), 2020) == D("551.2")
    assert demo.path_target(D("12"), D("0"), 2020) == D("10")  # 9.6 rounded
    assert demo.path_target(D("-1150"), D("-600"), 2021) == D("-930")
    assert str(demo.path_target(D("1.28"), D("1.40"), 2020)) == "1.30"


def test_the_ratings_of_the_default_scale_are_mixed(demo_report):
    counts = Counter(state.rating.label for state in progress.states(demo_report))
    assert {"A", "B", "C", "D"} <= set(counts)
    assert all(counts[label] >= 5 for label in "ABCD")
    assert counts["－"] == 1  # the national test that was not held
    # Rated against the year's target, as most offices do (see demo.demo_report).
    assert demo_report.kpi_settings.rate_mode == scales.RATE_TARGET


def test_the_review_finds_the_demonstrations_two_slips(demo_report):
    found = [(f.where, f.rule) for f in review.check(demo_report) if f.is_kpi]
    assert found == [
        ("【基本目標1】② 指標「ふるさと納税の寄附額」", "kpi_jump"),
        ("【基本目標3】③ 指標「全国学力・学習状況調査の平均正答率(全国との差)」", "kpi_missing"),
    ]


def test_the_texts_are_the_samples(demo_report, sample_result):
    sample = reportjson.to_dict(sample_result.report)
    shown = reportjson.to_dict(demo_report)
    for data in (sample, shown):
        data.pop("title")
        data.pop("kpi_settings", None)
        for goal in data["goals"]:
            goal.pop("kpis", None)
            for direction in goal["directions"]:
                direction.pop("kpis", None)
    assert shown == {**sample, "version": shown["version"]}


def test_the_sample_is_left_without_kpis(sample_result):
    before = reportjson.dumps(sample_result.report)
    made = demo.demo_report(sample_result.report)
    assert fields.has_kpis(made)
    assert not fields.has_kpis(sample_result.report)
    assert reportjson.dumps(sample_result.report) == before
    # The bundled file itself holds none, and a store made from it neither.
    assert not fields.has_kpis(read_file(appdata.sample_path()).report)
    assert reportjson.to_dict(sample_result.report)["version"] == 1


def test_the_default_store_is_still_made_from_the_sample(tmp_path):
    path = tmp_path / "default.sqlite3"
    workspace.create_from_sample(path)
    with Store(path) as store:
        report = store.load()
    assert not fields.has_kpis(report) and not report.title.startswith("【デモ】")


@pytest.mark.both_engines
def test_the_demonstration_is_stored_and_read_back_exactly(store_location):
    result = workspace.demo_result()
    with Store(store_location) as store:
        workspace.save_import(store, result)
        loaded = store.load()
    assert loaded.title == result.report.title
    assert exact(loaded) == exact(result.report)
    again = reportjson.loads(reportjson.dumps(result.report)).report
    assert exact(again) == exact(result.report)
    assert reportjson.to_dict(result.report)["version"] == 2


def test_a_report_without_the_samples_directions_is_refused():
    with pytest.raises(ValueError, match="基本目標1"):
        demo.demo_report(Report(title="t", actual_year=2020))
