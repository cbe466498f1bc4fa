"""The achievement rate of a year in both modes and both directions, and its rating."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kushiro_editor.core.kpi import achievement, scales
from kushiro_editor.core.kpi.achievement import achievement_rate, rate_of, rating
from kushiro_editor.core.kpi.scales import (
    PRESETS,
    RATE_PROGRESS,
    RATE_TARGET,
    Grade,
    KpiSettings,
    RatingScale,
)
from kushiro_editor.core.model import HIGHER, LOWER, Kpi, KpiTarget, KpiValue, Report

from .kpi_samples import by_name, kpi_report

D = Decimal


def rate(value, baseline, target, mode, better=HIGHER):
    def number(x):
        return None if x is None else D(x)

    return achievement_rate(
        number(value), number(baseline), number(target), mode=mode, lower_is_better=better == LOWER
    )


@pytest.mark.parametrize(
    ("value", "baseline", "target", "better", "expected"),
    [
        ("550", "500", "600", HIGHER, "50.0"),
        ("600", "500", "600", HIGHER, "100.0"),
        ("650", "500", "600", HIGHER, "150.0"),
        ("450", "500", "600", HIGHER, "-50.0"),  # moved away from the target
        # Lower is better: the target lies below the baseline, the formula is the same.
        ("30", "40", "20", LOWER, "50.0"),
        ("10", "40", "0", LOWER, "75.0"),
        ("0", "40", "0", LOWER, "100.0"),
        ("45", "40", "20", LOWER, "-25.0"),
        ("-900", "-1200", "-600", HIGHER, "50.0"),  # negative numbers (社会増減)
    ],
)
def test_progress_from_baseline_toward_target(value, baseline, target, better, expected):
    assert rate(value, baseline, target, RATE_PROGRESS, better) == D(expected)


@pytest.mark.parametrize(
    ("value", "target", "better", "expected"),
    [
        ("450", "600", HIGHER, "75.0"),
        ("600", "600", HIGHER, "100.0"),
        ("720", "600", HIGHER, "120.0"),
        # Lower is better: the target over the value.
        ("25", "20", LOWER, "80.0"),
        ("16", "20", LOWER, "125.0"),
        ("40", "20", LOWER, "50.0"),
    ],
)
def test_value_against_target(value, target, better, expected):
    # The baseline plays no part in this mode.
    assert rate(value, "123", target, RATE_TARGET, better) == D(expected)
    assert rate(value, None, target, RATE_TARGET, better) == D(expected)


@pytest.mark.parametrize(
    ("value", "baseline", "target", "mode", "better"),
    [
        (None, "500", "600", RATE_PROGRESS, HIGHER),  # no value yet
        ("550", None, "600", RATE_PROGRESS, HIGHER),  # no baseline to start from
        ("550", "500", None, RATE_PROGRESS, HIGHER),  # no target
        ("550", "600", "600", RATE_PROGRESS, HIGHER),  # baseline = target: division by zero
        (None, None, "600", RATE_TARGET, HIGHER),
        ("550", None, None, RATE_TARGET, HIGHER),
        ("550", None, "0", RATE_TARGET, HIGHER),  # target zero
        ("0", None, "20", RATE_TARGET, LOWER),  # value zero, lower is better: t ÷ 0
    ],
)
def test_no_rate_when_it_cannot_be_computed(value, baseline, target, mode, better):
    assert rate(value, baseline, target, mode, better) is None


def test_a_zero_value_is_a_value_and_a_missing_one_is_not():
    assert rate("0", "40", "0", RATE_PROGRESS, LOWER) == D("100.0")
    assert rate("0", None, "600", RATE_TARGET, HIGHER) == D("0.0")
    assert rate(None, "40", "0", RATE_PROGRESS, LOWER) is None


def test_rates_are_rounded_half_up_to_one_place():
    # 76.25 % rounds up (四捨五入); rounding half to even would give 76.2.
    assert rate("530.5", "500", "540", RATE_PROGRESS) == D("76.3")
    assert rate("76.25", None, "100", RATE_TARGET) == D("76.3")
    assert rate("76.249", None, "100", RATE_TARGET) == D("76.2")
    # 1/3 exactly would never end; it is computed far past the place kept, then rounded.
    assert rate("1", None, "3", RATE_TARGET) == D("33.3")
    assert rate("2", None, "3", RATE_TARGET) == D("66.7")


def test_the_rating_is_judged_on_the_rate_as_shown():
    scale = PRESETS[0]
    shown = rate("99.95", None, "100", RATE_TARGET)
    assert shown == D("100.0") and scale.label_for(shown) == "A"
    shown = rate("99.94", None, "100", RATE_TARGET)
    assert shown == D("99.9") and scale.label_for(shown) == "B"


def test_huge_and_tiny_values_still_give_a_rate():
    big = "9" * 30
    assert rate(big, None, "0." + "0" * 28 + "1", RATE_TARGET) is not None


def test_unknown_mode_is_a_programming_error():
    with pytest.raises(ValueError):
        rate("1", "0", "2", "ratio")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "A〜D",
            [
                *[("130", "A"), ("100", "A"), ("99.9", "B"), ("80", "B"), ("79.9", "C")],
                *[("50", "C"), ("49.9", "D"), ("0", "D"), ("-20", "D"), (None, "－")],
            ],
        ),
        (
            "◎○△×",
            [
                *[("100", "◎"), ("99.9", "○"), ("80", "○"), ("79.9", "△"), ("50", "△")],
                *[("49.9", "×"), ("-5", "×"), (None, "－")],
            ],
        ),
        (
            "S〜C",
            [
                *[("150", "S"), ("120", "S"), ("119.9", "A"), ("100", "A"), ("99.9", "B")],
                *[("80", "B"), ("79.9", "C"), ("0", "C"), (None, "－")],
            ],
        ),
    ],
)
def test_each_preset_at_its_thresholds(name, expected):
    scale = scales.preset(name)
    got = [(r, scale.label_for(None if r is None else D(r))) for r, _label in expected]
    assert got == expected


def test_the_presets_are_the_shipped_ones_and_have_a_legend():
    assert [s.name for s in PRESETS] == ["A〜D", "◎○△×", "S〜C"]
    assert PRESETS[0].legend()[0] == "A: 100%以上 目標を達成"
    assert PRESETS[0].legend()[3] == "D: 50%未満 遅れている"
    assert PRESETS[0].legend()[-1].startswith("－:")
    with pytest.raises(KeyError):
        scales.preset("5段階")


@pytest.mark.parametrize(
    ("grades", "missing", "message"),
    [
        ((), "－", "段階がありません"),
        ((Grade("A", D(100)), Grade("B", D(80))), "－", "最後の段階"),
        ((Grade("A", D(80)), Grade("B", D(100)), Grade("C", None)), "－", "大きく"),
        ((Grade("A", D(80)), Grade("A", None)), "－", "同じラベル"),
        ((Grade("A", D(80)), Grade("B", None)), "A", "同じラベル"),
        ((Grade("A", None), Grade("B", None)), "－", "下限"),
        ((Grade("", D(80)), Grade("B", None)), "－", "ラベルのない"),
        ((Grade("A", D("NaN")), Grade("B", None)), "－", "下限"),
    ],
)
def test_a_scale_that_cannot_be_used_is_refused(grades, missing, message):
    with pytest.raises(ValueError, match=message):
        RatingScale("自前", grades, missing)


def test_an_office_scale_of_its_own():
    scale = RatingScale("3段階", (Grade("達成", D("100")), Grade("未達成", None)), "未算定")
    assert scale.label_for(D("100.0")) == "達成"
    assert scale.label_for(D("99.9")) == "未達成"
    assert scale.label_for(None) == "未算定"


def test_settings_go_to_data_and_back_exactly():
    own = KpiSettings(
        RATE_TARGET, RatingScale("3段階", (Grade("良", D("90.5"), "順調"), Grade("否", None)), "－")
    )
    data = scales.settings_to_data(own)
    assert data["scale"]["grades"][0]["minimum"] == "90.5"
    assert scales.settings_from_data(data) == own
    assert KpiSettings().is_default and not own.is_default
    with pytest.raises(ValueError, match="算定方法"):
        KpiSettings("average")
    with pytest.raises(ValueError, match="下限"):
        bad = {**data, "scale": {**data["scale"], "grades": [{"label": "X", "minimum": "abc"}]}}
        scales.settings_from_data(bad)


def test_a_kpis_rate_uses_the_years_own_target_on_the_path():
    kpi = Kpi(
        name="観光入込客数",
        baseline=D("500"),
        target=D("600"),
        yearly_targets=(KpiTarget(2020, D("540")),),
        values=(KpiValue(2020, D("540")), KpiValue(2021, D("540")), KpiValue(2022, None)),
    )
    assert achievement.target_for(kpi, 2020) == D("540")
    assert achievement.target_for(kpi, 2021) == D("600")  # no yearly target: the final one
    assert rate_of(kpi, 2020, RATE_PROGRESS) == D("100.0")
    assert rate_of(kpi, 2021, RATE_PROGRESS) == D("40.0")
    assert rate_of(kpi, 2021, RATE_TARGET) == D("90.0")
    assert rate_of(kpi, 2022, RATE_TARGET) is None  # opened, not known yet
    assert rate_of(kpi, 2030, RATE_TARGET) is None  # not in the history at all


def test_the_reports_settings_decide_mode_and_scale():
    report = kpi_report()
    visitors = by_name(report, "観光入込客数")  # 530.5 against 540 this year, from 500
    assert rating(report, visitors).rate == D("76.3")
    assert rating(report, visitors).label == "C"
    report.kpi_settings = KpiSettings(RATE_TARGET, scales.preset("◎○△×"))
    assert rating(report, visitors).rate == D("98.2")
    assert rating(report, visitors).label == "○"
    waiting = by_name(report, "待機児童数")  # lower is better, 0 this year: the target
    assert rating(report, waiting).rate is None  # t ÷ v with v = 0
    assert rating(report, waiting).label == "－"
    report.kpi_settings = KpiSettings(RATE_PROGRESS, scales.preset("◎○△×"))
    assert (rating(report, waiting).rate, rating(report, waiting).label) == (D("100.0"), "◎")
    catch = by_name(report, "漁獲量")  # this year's value is still missing
    assert rating(report, catch).label == "－" and rating(report, catch).rate is None


def test_an_override_is_shown_as_such_for_the_reports_year_only():
    report = kpi_report()
    visitors = by_name(report, "観光入込客数")
    visitors.override, visitors.override_reason = "B", "速報値のため、確定値で見直す"
    judged = rating(report, visitors)
    assert (judged.label, judged.computed, judged.overridden) == ("B", "C", True)
    assert judged.display == "B（手動）"
    assert judged.reason == "速報値のため、確定値で見直す"
    assert "算定では C" in judged.explanation and "理由: 速報値" in judged.explanation
    assert judged.rate == D("76.3")  # the rate stays computed
    earlier = rating(report, visitors, 2019)
    assert not earlier.overridden and earlier.display == earlier.label
    visitors.override = ""
    assert not rating(report, visitors).overridden
    assert rating(report, visitors).display == "C"


def test_rates_print_with_a_percent_sign():
    assert achievement.format_rate(D("76.3")) == "76.3%"
    assert achievement.format_rate(None) == "－"
    assert Report(title="", actual_year=2020).kpi_settings == KpiSettings()
