"""Fiscal-year labels around the Reiwa era change."""

from __future__ import annotations

import pytest

from kushiro_editor.core import fiscal


@pytest.mark.parametrize(
    ("year", "long", "short"),
    [
        (2020, "令和2年度", "R2年度"),
        (2021, "令和3年度", "R3年度"),
        (2019, "令和元年度", "令和元年度"),
        (2018, "平成30年度", "H30年度"),
        (1989, "平成元年度", "平成元年度"),
        (1988, "昭和63年度", "S63年度"),
    ],
)
def test_labels(year, long, short):
    assert fiscal.long_label(year) == long
    assert fiscal.short_label(year) == short


def test_first_year_is_never_written_as_one():
    assert "1年度" not in fiscal.actual_heading(2019)
    assert fiscal.actual_heading(2019) == "令和元年度(実績)"
    assert fiscal.plan_heading(2019) == "令和元年度(取組予定)"
    assert fiscal.plan_heading(2018) == "H30年度(取組予定)"


def test_western_forms():
    assert fiscal.western_label(2020) == "2020年度"
    assert fiscal.label_with_western(2019) == "令和元年度（2019年度）"


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("R2年度(実績)", 2020),
        ("令和2年度", 2020),
        ("令和元年度", 2019),
        ("平成31年度", 2019),
        ("H31年度", 2019),
        ("Ｒ３年度(取組予定)", 2021),
        ("2020年度", 2020),
        ("令和 5 年度", 2023),
        ("平成元年度", 1989),
        ("２０１９年度", 2019),
    ],
)
def test_parse(text, year):
    assert fiscal.parse_label(text) == year


@pytest.mark.parametrize(
    "text",
    ["平成32年度", "年度", "令和0年度", "R年度", "予定", "R150", "令和999年度", "20201", "R2.5"],
)
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        fiscal.parse_label(text)


def test_round_trip_over_many_years():
    for year in range(1989, 2100):
        assert fiscal.parse_label(fiscal.short_label(year)) == year
        assert fiscal.parse_label(fiscal.long_label(year)) == year


@pytest.mark.parametrize("text", ["令和2年度(実績)", "R2年度版", "2020.9", "R2.5"])
def test_a_whole_label_is_nothing_but_the_label(text):
    with pytest.raises(ValueError):
        fiscal.parse_label(text, whole=True)


def test_a_whole_label_may_be_padded_and_wide():
    assert fiscal.parse_label(" Ｒ２年度 ", whole=True) == 2020
