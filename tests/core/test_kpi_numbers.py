"""A KPI's numbers: exact decimals from text, their places kept, missing apart from zero."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kushiro_editor.core.kpi.numbers import format_value, parse_value, same, value_text
from kushiro_editor.core.model import Kpi, KpiValue, ReportError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.30", "12.30"),
        ("12.3", "12.3"),
        ("0", "0"),
        ("0.00", "0.00"),
        ("1,234", "1234"),
        ("1,234,567.5", "1234567.5"),
        ("１２．５０", "12.50"),  # full-width digits, as a department types them
        ("  7 ", "7"),
        ("-3.5", "-3.5"),
        ("−3.5", "-3.5"),
        ("△5", "-5"),
        ("▲0.25", "-0.25"),
        ("+8", "8"),
        ("-0", "0"),
    ],
)
def test_values_are_read_exactly_with_their_places(text, expected):
    value = parse_value(text)
    assert isinstance(value, Decimal)
    assert value_text(value) == expected


@pytest.mark.parametrize("text", ["", "  ", "－", "-", "―", "ー", "—"])
def test_a_dash_or_nothing_is_a_missing_value_not_zero(text):
    assert parse_value(text) is None
    assert parse_value("0") == 0 and parse_value("0") is not None


@pytest.mark.parametrize(
    "text", ["12人", "1.2.3", "1e3", "12,34", "NaN", "Infinity", "12.", ".5", "1" * 31]
)
def test_anything_else_is_refused_in_japanese(text):
    with pytest.raises(ReportError, match=r"数値として読めません|桁が多すぎます"):
        parse_value(text)


def test_no_float_drift_through_arithmetic():
    total = sum((parse_value("0.1") for _ in range(3)), Decimal(0))
    assert value_text(total) == "0.3"
    assert 0.1 + 0.1 + 0.1 != 0.3  # what a float would have made of it


def test_formatting_keeps_places_and_groups_on_request():
    assert format_value(Decimal("12.30")) == "12.30"
    assert format_value(Decimal("1234567.50"), grouping=True) == "1,234,567.50"
    assert format_value(None) == "－"
    assert format_value(None, missing="") == ""
    # A tiny value is printed in full, never in scientific notation.
    assert format_value(parse_value("0.0000001")) == "0.0000001"


def test_12_3_and_12_30_are_the_same_number_but_not_the_same_value():
    assert Decimal("12.3") == Decimal("12.30")
    assert not same(Decimal("12.3"), Decimal("12.30"))
    assert same(Decimal("12.30"), Decimal("12.30"))
    assert not same(None, Decimal(0))
    assert KpiValue(2020, Decimal("12.3")) != KpiValue(2020, Decimal("12.30"))
    assert KpiValue(2020, None) != KpiValue(2020, Decimal("0"))
    assert KpiValue(2020, Decimal("5"), "速報値") != KpiValue(2020, Decimal("5"))


def test_a_kpi_compares_its_values_exactly_and_keeps_its_history():
    kpi = Kpi(name="人口", values=(KpiValue(2019, Decimal("100")), KpiValue(2020, None, "集計中")))
    twin = Kpi(name="人口", values=kpi.values, id=kpi.id)
    assert kpi == twin
    twin.baseline = Decimal("1.0")
    kpi.baseline = Decimal("1")
    assert kpi != twin
    assert kpi.value_of(2019).value == Decimal("100")
    assert kpi.value_of(2020).value is None and kpi.value_of(2020).note == "集計中"
    assert kpi.value_of(2021) is None  # a year not in the history at all
