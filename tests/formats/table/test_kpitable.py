"""The KPI progress table the writers share: its columns, groups, numbers and ratings."""

from __future__ import annotations

from decimal import Decimal

from kushiro_editor.core.kpi import scales
from kushiro_editor.core.model import KpiValue
from kushiro_editor.formats.table import kpitable
from tests.core.kpi_samples import by_name, kpi_report


def test_a_report_without_kpis_has_no_table(sample_result):
    assert kpitable.build(sample_result.report) is None


def test_columns_have_a_year_per_value_year_in_era_labels():
    table = kpitable.build(kpi_report())
    assert table.headings == [
        "指標",
        "単位",
        "基準値",
        "目標値",
        "令和元年度",
        "R2年度",
        "達成率",
        "評価",
        "所管",
    ]
    assert table.years == [2019, 2020]
    assert abs(sum(c.share for c in table.columns) - 1) < 1e-9


def test_rows_are_grouped_under_goal_direction_and_measure_in_report_order():
    table = kpitable.build(kpi_report())
    shape = [(row.level, row.kpi.name if row.kpi else row.text) for row in table.rows]
    assert shape == [
        ("goal", "【基本目標1】地域の魅力"),
        ("kpi", "社会増減数"),
        ("direction", "① 観光の振興"),
        ("kpi", "観光入込客数"),
        ("kpi", "待機児童数"),
        ("measure", "ア 水産業の振興"),
        ("kpi", "漁獲量"),
    ]


def test_numbers_keep_their_places_notes_and_missing_marks():
    table = kpitable.build(kpi_report())
    rows = {row.kpi.name: row.cells() for row in table.kpi_rows()}
    assert rows["観光入込客数"][:6] == [
        "観光入込客数",
        "万人",
        "500.0（H30年度）",
        "600.0（R6年度）",
        "512.30",
        "530.5（速報値）",
    ]
    assert rows["漁獲量"][5] == "－（集計中）"
    assert rows["社会増減数"][4] == "－"  # no entry for that year at all
    assert rows["待機児童数"][-1] == "こども育成課 教育支援課"


def test_rate_and_rating_are_computed_and_a_hand_set_rating_says_so():
    report = kpi_report()
    table = kpitable.build(report)
    rows = {row.kpi.name: row for row in table.kpi_rows()}
    # (530.5 − 500.0) ÷ (540.0 − 500.0): the year's own target on the path.
    assert rows["観光入込客数"].rate_text == "76.3%"
    assert rows["観光入込客数"].rating_text == "C"
    assert rows["漁獲量"].rate_text == "－"
    by_name(report, "観光入込客数").override = "B"
    again = {row.kpi.name: row for row in kpitable.build(report).kpi_rows()}
    assert again["観光入込客数"].rating_text == "B（手動）"
    assert again["観光入込客数"].rate_text == "76.3%"


def test_the_rate_mode_and_a_changed_value_follow_into_the_table():
    report = kpi_report()
    report.kpi_settings = scales.KpiSettings(rate_mode=scales.RATE_TARGET)
    kpi = by_name(report, "観光入込客数")
    kpi.values = (KpiValue(2019, Decimal("512.30")), KpiValue(2020, Decimal("540.0")))
    row = next(r for r in kpitable.build(report).kpi_rows() if r.kpi is kpi)
    assert row.rate_text == "100.0%"
    assert row.rating_text == "A"
    assert "目標値に対する実績値" in kpitable.build(report).legend[0]


def test_headings_read_back_to_positions():
    assert kpitable.heading_level("【基本目標3】子育て") == ("goal", 2)
    assert kpitable.heading_level("② 観光の振興") == ("direction", 1)
    assert kpitable.heading_level("ウ 水産業の振興") == ("measure", 2)
    assert kpitable.heading_level("観光入込客数") is None
    report = kpi_report()
    assert kpitable.owner_at(report, 0, 0, 0) is report.goals[0].directions[0].measures[0]
    assert kpitable.owner_at(report, 0, 1, None) is None
