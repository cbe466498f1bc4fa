"""The rows every view of a KPI shows: its history, its target path, the report's list."""

from __future__ import annotations

from decimal import Decimal

from kushiro_editor.core.kpi import progress
from kushiro_editor.core.model import Kpi, KpiTarget

from .kpi_samples import by_name, kpi_report

D = Decimal


def test_a_kpis_history_rows_rate_each_year():
    report = kpi_report()
    rows = progress.history(report, by_name(report, "観光入込客数"))
    assert [(r.year, str(r.value), r.note, str(r.target)) for r in rows] == [
        (2019, "512.30", "", "600.0"),
        (2020, "530.5", "速報値", "540.0"),
    ]
    assert [(r.rate, r.rating.label) for r in rows] == [(D("12.3"), "D"), (D("76.3"), "C")]
    catch = progress.history(report, by_name(report, "漁獲量"))
    assert (catch[1].value, catch[1].rate, catch[1].rating.label) == (None, None, "－")


def test_the_target_path_runs_from_baseline_through_yearly_targets_to_the_target():
    report = kpi_report()
    assert progress.target_path(by_name(report, "観光入込客数")) == [
        (2018, D("500.0")),
        (2020, D("540.0")),
        (2022, D("570")),
        (2024, D("600.0")),
    ]
    kpi = Kpi(name="x", baseline=D(1), target=D(3), yearly_targets=(KpiTarget(2022, D(2)),))
    assert progress.target_path(kpi) == [(2022, D(2))]  # no years for baseline and target


def test_the_reports_list_filters_by_department_and_rating():
    report = kpi_report()
    everything = progress.states(report)
    assert [s.kpi.name for s in everything] == [
        "社会増減数",
        "観光入込客数",
        "待機児童数",
        "漁獲量",
    ]
    assert everything[3].place == "【基本目標1】① ア 指標「漁獲量」"
    assert everything[0].place == "【基本目標1】 指標「社会増減数」"
    assert [s.kpi.name for s in progress.states(report, department="教育支援課")] == ["待機児童数"]
    assert [s.kpi.name for s in progress.states(report, rating_label="－")] == ["漁獲量"]
    visitors = by_name(report, "観光入込客数")
    visitors.override, visitors.override_reason = "A", "確定値で達成"
    rated_a = progress.states(report, rating_label="A")
    # 待機児童数 reached its target of 0 (100 %); 観光入込客数 was rated A by hand.
    assert [(s.kpi.name, s.rating.display) for s in rated_a] == [
        ("観光入込客数", "A（手動）"),
        ("待機児童数", "A"),
    ]
    assert progress.value_years(report) == [2019, 2020]
