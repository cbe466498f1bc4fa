"""The header found by what its cells mean."""

from __future__ import annotations

import pytest

from kushiro_editor.formats.table.header import (
    ACTUAL,
    DEPARTMENTS,
    LEFT,
    PLAN,
    find_header,
    is_repeated_header,
    role_of,
)
from kushiro_editor.formats.table.reader import header_year


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("基本目標と基本的方向、具体的な施策", LEFT),
        ("基本目標・基本的方向・具体的な施策", LEFT),
        ("施策", LEFT),
        ("所管部署", DEPARTMENTS),
        ("担当課", DEPARTMENTS),
        ("所管課", DEPARTMENTS),
        ("令和２年度の実績", ACTUAL),
        ("R2実績", ACTUAL),
        ("（2020年度）実績", ACTUAL),
        ("取組実績", ACTUAL),
        ("R3年度(取組予定)", PLAN),
        ("令和３年度の取組", PLAN),
        ("農林課", None),  # a department's name, not a heading
        ("【基本目標１】まちの魅力", None),
        ("取組を進める。", None),  # a sentence
    ],
)
def test_role_of_a_heading(text, role):
    assert role_of(text) == role


@pytest.mark.parametrize(
    ("cells", "year"),
    [
        (["施策", "担当課", "令和２年度の実績", "令和３年度の取組予定"], 2020),
        (["施策", "所管", "R2実績", "R3取組予定"], 2020),
        (["施策", "所管", "2020年度 実績", "2021年度 取組予定"], 2020),
        (["施策", "所管", "実績", "令和4年度(取組予定)"], 2021),  # the plan's year less one
        (["施策", "所管", "実績", "取組予定"], None),
    ],
)
def test_the_year_from_the_header(cells, year):
    assert header_year(cells) == year


def test_columns_wherever_they_stand_and_two_rows():
    rows = [
        ["令和2年度 進捗状況", "", "", "", ""],
        ["所管部署", "基本目標と基本的方向", "進捗報告", "", "備考"],
        ["", "", "R3年度(取組予定)", "R2年度(実績)", ""],
        ["農林課", "ア 農業", "実施する。", "実施した。", ""],
    ]
    header = find_header(rows)
    assert header.first_row == 1 and header.height == 2
    assert header.columns == {DEPARTMENTS: 0, LEFT: 1, PLAN: 2, ACTUAL: 3}
    assert header.others == [(4, "備考")]


def test_a_missing_column_is_named():
    header = find_header([["施策", "担当課", "R2の状況", "R3取組予定"]])
    assert header.missing == [ACTUAL]
    assert header.missing_message().startswith("「実績」の列が見つかりません")


def test_a_department_row_is_not_a_repeated_header():
    assert is_repeated_header(["", "", "R2年度(実績)", "R3年度(取組予定)"])
    assert is_repeated_header(["基本目標と基本的方向", "所管部署", "進捗報告", ""])
    assert not is_repeated_header(["", "農林課", "実績", "予定"])
    assert not is_repeated_header(["ア 取組の推進", "", "", ""])
