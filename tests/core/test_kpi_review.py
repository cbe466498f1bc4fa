"""The review's checks of KPIs, rule by rule, with found and not found and their boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kushiro_editor.core import review
from kushiro_editor.core.kpi import review as kpi_review
from kushiro_editor.core.kpi.scales import RATE_TARGET, KpiSettings
from kushiro_editor.core.model import (
    LOWER,
    Direction,
    Entry,
    Goal,
    Kpi,
    KpiTarget,
    KpiValue,
    Measure,
    Report,
)

from .kpi_samples import by_name, kpi_report

D = Decimal


def report_of(kpi: Kpi, *, year: int = 2020, settings: KpiSettings | None = None) -> Report:
    """A report of ``year`` whose one direction holds the KPI."""
    direction = Direction(
        title="観光の振興",
        entries=[Entry(departments=["観光振興室"], actual="<p>した。</p>", plan="<p>する。</p>")],
        kpis=[kpi],
    )
    report = Report(title="t", actual_year=year, goals=[Goal(title="g", directions=[direction])])
    if settings is not None:
        report.kpi_settings = settings
    report.renumber()
    return report


def found(kpi: Kpi, **kwargs) -> list[tuple[str, str, str]]:
    return kpi_review.check_kpi(report_of(kpi, **kwargs), kpi)


def rules(kpi: Kpi, **kwargs) -> list[str]:
    return [rule for _field, rule, _detail in found(kpi, **kwargs)]


def values(*pairs) -> tuple[KpiValue, ...]:
    return tuple(KpiValue(year, None if v is None else D(v)) for year, v in pairs)


# -- a value for the report's own year ---------------------------------------------------
def test_a_kpi_without_this_years_value_is_found():
    kpi = Kpi(name="来館者数", unit="人", values=values((2019, "100")))
    assert found(kpi) == [("values", "kpi_missing", "R2年度の実績値がありません")]


def test_a_value_kept_as_not_known_is_missing_and_its_note_is_shown():
    kpi = Kpi(name="来館者数", unit="人", values=(KpiValue(2020, None, "集計中"),))
    assert found(kpi) == [("values", "kpi_missing", "R2年度の実績値がありません(注記: 集計中)")]


def test_a_value_of_the_year_is_not_missing_even_zero():
    assert rules(Kpi(name="待機児童数", values=values((2020, "0")))) == []
    # The year of the report is what counts: a value of another year does not do.
    assert rules(Kpi(name="x", values=values((2020, "5"))), year=2021) == ["kpi_missing"]


# -- a jump of more than ten times ------------------------------------------------------
@pytest.mark.parametrize(
    ("previous", "value", "jump"),
    [
        ("100", "1001", True),
        ("100", "1000", False),  # ten times exactly: not more than ten
        ("100", "1000.1", True),
        ("1000", "99", True),  # down as well
        ("1000", "100", False),
        ("1000", "99.99", True),
        ("12.5", "13", False),
        ("0", "500", False),  # from nothing: a real start, not a slip of the unit
        ("40", "0", False),  # to nothing: 待機児童ゼロ
        ("0", "0", False),
        ("-5", "80", False),  # a change of sign is no unit slip
        ("-10", "-101", True),
        ("-101", "-10", True),
    ],
)
def test_is_jump_beyond_ten_times_both_ways(previous, value, jump):
    assert kpi_review.is_jump(D(previous), D(value)) is jump


def test_a_jump_from_last_year_is_found_with_both_values():
    kpi = Kpi(name="観光入込客数", unit="人", values=values((2019, "5123"), (2020, "51230000")))
    assert found(kpi) == [
        (
            "values",
            "kpi_jump",
            "R2年度の 51,230,000人 は令和元年度の 5,123人 から10倍を超えて変わっています"
            "(単位の誤りではありませんか)",
        )
    ]


def test_every_year_is_compared_with_the_year_before_only():
    kpi = Kpi(name="x", values=values((2018, "1"), (2019, "5"), (2020, "40")))
    assert rules(kpi) == []  # 1 → 40 over two years is no year-to-year jump
    gap = Kpi(name="x", values=values((2018, "1"), (2020, "40")))
    assert rules(gap) == []  # no value the year before: nothing to compare
    early = Kpi(name="x", values=values((2018, "3"), (2019, "300"), (2020, "310")))
    assert rules(early) == ["kpi_jump"]  # an earlier year's slip is found too


def test_the_baseline_counts_as_the_previous_value_of_its_year():
    kpi = Kpi(name="x", baseline=D("20"), baseline_year=2019, values=values((2020, "2000")))
    assert rules(kpi) == ["kpi_jump"]
    kept = Kpi(name="x", baseline=D("20"), baseline_year=2019, values=values((2020, "150")))
    assert rules(kept) == []
    # A year kept as not known is not replaced by the baseline.
    unknown = Kpi(
        name="x", baseline=D("20"), baseline_year=2019, values=values((2019, None), (2020, "2000"))
    )
    assert rules(unknown) == []


# -- a target due and not met -----------------------------------------------------------
def target_kpi(value: str | None, *, target: str = "600", year: int = 2020, **kwargs) -> Kpi:
    return Kpi(
        name="観光入込客数",
        unit="万人",
        baseline=D("500"),
        baseline_year=2018,
        target=D(target),
        target_year=year,
        values=values((2020, value)),
        **kwargs,
    )


def test_a_final_target_of_this_year_not_reached_is_found_with_its_rate():
    assert found(target_kpi("590")) == [
        (
            "target",
            "kpi_unmet",
            "目標年度(R2年度)の目標値 600万人 に対し実績値 590万人(達成率 90.0%)",
        )
    ]


@pytest.mark.parametrize(("value", "unmet"), [("599.9", True), ("600", False), ("650", False)])
def test_reaching_the_target_exactly_meets_it(value, unmet):
    assert ("kpi_unmet" in rules(target_kpi(value))) is unmet


def test_a_rate_rounded_to_100_percent_still_counts_as_met():
    # 599.9995 is 99.9995 %, shown 100.0 %: a rating judges the rate as shown.
    assert rules(target_kpi("599.9999")) == []


def test_a_target_of_a_later_year_is_not_due():
    assert rules(target_kpi("510", year=2024)) == []


def test_a_target_year_that_has_passed_is_still_found():
    kpi = target_kpi(None, year=2019)
    kpi.values = values((2019, "550"), (2020, "620"))
    # Judged on the target year's own value; the report's year is met meanwhile.
    assert found(kpi) == [
        (
            "target",
            "kpi_unmet",
            "目標年度(令和元年度)の目標値 600万人 に対し実績値 550万人(達成率 50.0%)",
        )
    ]


def test_lower_is_better_turns_the_comparison_round():
    def waiting(value: str) -> Kpi:
        return Kpi(
            name="待機児童数",
            unit="人",
            better=LOWER,
            baseline=D("40"),
            baseline_year=2018,
            target=D("0"),
            target_year=2020,
            values=values((2020, value)),
        )

    assert rules(waiting("5")) == ["kpi_unmet"]
    assert rules(waiting("0")) == []


def test_the_rate_mode_of_the_report_is_used():
    kpi = target_kpi("560", target="580")
    assert rules(kpi) == ["kpi_unmet"]  # progress: (560 − 500) ÷ (580 − 500) = 75 %
    target_mode = KpiSettings(rate_mode=RATE_TARGET)
    assert rules(kpi, settings=target_mode) == ["kpi_unmet"]  # 560 ÷ 580 = 96.6 %
    near = target_kpi("579.99", target="580")
    assert rules(near, settings=target_mode) == []  # 99.998… shown as 100.0 %


def test_the_target_paths_targets_on_the_way_are_left_to_the_rating():
    kpi = target_kpi("530", year=2024, yearly_targets=(KpiTarget(2020, D("540")),))
    assert rules(kpi) == []
    # The final target is judged against itself, not the path's target of its year.
    due = target_kpi("600", yearly_targets=(KpiTarget(2020, D("650")),))
    assert rules(due) == []
    short = target_kpi("599", yearly_targets=(KpiTarget(2020, D("590")),))
    assert rules(short) == ["kpi_unmet"]


def test_large_numbers_are_grouped_in_the_detail():
    kpi = Kpi(
        name="寄附額",
        unit="円",
        baseline=D("0"),
        baseline_year=2015,
        target=D("12000000"),
        target_year=2019,
        values=values((2019, "11500000"), (2020, "12500000")),
    )
    assert found(kpi) == [
        (
            "target",
            "kpi_unmet",
            "目標年度(令和元年度)の目標値 12,000,000円 に対し実績値 11,500,000円(達成率 95.8%)",
        )
    ]


def test_a_target_without_a_value_is_left_to_the_missing_value():
    assert rules(target_kpi(None)) == ["kpi_missing"]


# -- numbers and units typed into text --------------------------------------------------
@pytest.mark.parametrize(
    ("note", "flagged"),
    [
        ("530", True),
        ("５３０．５", True),  # full-width, as typed with the IME on
        ("約1,200人", True),
        ("△3", True),
        ("530万人", True),  # the KPI's own unit after the number
        ("速報値", False),
        ("集計中", False),
        ("2021年6月公表予定", False),  # a date is words, not the value
    ],
)
def test_a_number_in_the_note_of_an_empty_value_is_found(note, flagged):
    kpi = Kpi(name="x", unit="万人", values=(KpiValue(2020, None, note),))
    assert ("kpi_misplaced" in rules(kpi)) is flagged


def test_a_number_in_the_note_beside_a_value_is_left_alone():
    kpi = Kpi(name="x", unit="人", values=(KpiValue(2020, D("12"), "12"),))
    assert rules(kpi) == []


@pytest.mark.parametrize(
    ("note", "unit", "flagged"),
    [("人", "人", True), ("万人", "万人", True), ("％", "%", True), ("件", "", True)],
)
def test_a_unit_typed_into_a_note_is_found(note, unit, flagged):
    kpi = Kpi(name="x", unit=unit, values=(KpiValue(2020, D("12"), note),))
    assert found(kpi) == [
        (
            "values",
            "kpi_misplaced",
            f"R2年度の注記が単位「{note}」だけです(単位は指標の単位の欄に入力します)",
        )
    ]


def test_a_note_that_only_mentions_a_unit_is_words():
    kpi = Kpi(name="x", unit="人", values=(KpiValue(2020, D("12"), "人数は速報値"),))
    assert rules(kpi) == []


def test_a_comment_that_is_only_a_number_is_found_with_the_empty_years():
    kpi = Kpi(name="x", unit="%", values=(KpiValue(2020, None),), comment="12.5%")
    assert found(kpi)[-1] == (
        "comment",
        "kpi_misplaced",
        "備考が数値「12.5%」だけです。実績値の欄に入力するものではありませんか"
        "(実績値が空の年度: R2年度)",
    )
    words = Kpi(name="x", values=values((2020, "3")), comment="感染症の影響で2件中止")
    assert rules(words) == []


# -- findings of the report -------------------------------------------------------------
def test_the_reviews_findings_name_each_kpi_where_it_stands():
    report = kpi_report()
    findings = [f for f in review.check(report) if f.is_kpi]
    visitors = by_name(report, "観光入込客数")
    visitors.target_year = 2020  # its target due this year, 530.5 short of 600.0
    assert [(f.where, f.field, f.rule) for f in findings] == [
        ("【基本目標1】① ア 指標「漁獲量」", "values", "kpi_missing"),
    ]
    findings = [f for f in review.check(report) if f.is_kpi]
    assert [(f.where, f.field, f.rule) for f in findings] == [
        ("【基本目標1】① 指標「観光入込客数」", "target", "kpi_unmet"),
        ("【基本目標1】① ア 指標「漁獲量」", "values", "kpi_missing"),
    ]
    assert findings[0].owner is report.goals[0].directions[0]
    assert findings[1].entry is by_name(report, "漁獲量")
    assert findings[1].owner is report.goals[0].directions[0].measures[0]
    for finding in findings:
        assert str(finding).startswith(
            f"{finding.where} {review.FIELD_LABELS[finding.field]}: "
            f"{review.RULE_LABELS[finding.rule]}: "
        )


def test_a_goals_kpi_is_named_by_its_goal_and_counted_by_department():
    kpi = Kpi(name="社会増減数", departments=["企画課"], values=values((2019, "-900")))
    goal = Goal(title="g", directions=[Direction(title="d")], kpis=[kpi])
    report = Report(title="t", actual_year=2020, goals=[goal])
    report.renumber()
    findings = review.check(report)
    assert [(f.where, f.direction, f.owner) for f in findings] == [
        ("【基本目標1】 指標「社会増減数」", None, goal)
    ]
    goals, departments = review.counts_by(findings)
    assert goals == {"【基本目標1】": 1} and departments == {"企画課": 1}


def test_every_kpi_rule_and_field_has_its_label():
    report = kpi_report()
    for finding in review.check(report):
        assert finding.rule in review.RULE_LABELS and finding.field in review.FIELD_LABELS
    assert set(kpi_review.RULE_LABELS) <= set(review.RULE_LABELS)


def test_subjects_list_what_findings_are_about_in_their_order():
    report = kpi_report()
    subjects = review.subjects(report)
    position = {id(node): index for index, (_g, _d, node, _o) in enumerate(subjects)}
    indexes = [position[id(f.entry)] for f in review.check(report)]
    assert indexes == sorted(indexes)
    kpis = [node.name for _g, _d, node, _o in subjects if isinstance(node, Kpi)]
    assert kpis == ["社会増減数", "観光入込客数", "待機児童数", "漁獲量"]
    measure = next(o for _g, _d, n, o in subjects if isinstance(n, Kpi) and n.name == "漁獲量")
    assert isinstance(measure, Measure)


def test_a_report_without_kpis_has_no_kpi_findings(sample_result):
    assert not [f for f in review.check(sample_result.report) if f.is_kpi]
