"""The KPI chart draws the values, the baseline, the target and the target path where they are."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtGui import QColor, QImage

from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.gui.editor.kpichart import KpiChart
from tests.core.kpi_samples import by_name, kpi_report


def _chart(qtbot, kpi):
    chart = KpiChart(kpi)
    qtbot.addWidget(chart)
    chart.resize(216, 118)  # a plot of 200 × 92 inside the margins
    return chart


def test_values_are_placed_by_year_and_value(qtbot):
    kpi = Kpi(
        name="来館者数",
        baseline=Decimal("0"),
        baseline_year=2018,
        target=Decimal("100"),
        target_year=2022,
        values=(KpiValue(2019, Decimal("25")), KpiValue(2020, None), KpiValue(2021, Decimal("50"))),
    )
    chart = _chart(qtbot, kpi)
    assert chart.years() == [2018, 2019, 2020, 2021, 2022]
    points = [(round(p.x()), round(p.y())) for p in chart.value_points()]
    # x: 2018 at 8, 2022 at 208 (50 px a year); y: 0 at 100, 100 at 8; 2020 is not known yet.
    assert points == [(58, 77), (158, 54)]
    path = [(round(p.x()), round(p.y())) for p in chart.path_points()]
    assert path == [(8, 100), (208, 8)]


def test_the_drawing_shows_the_values_in_their_colour(qtbot):
    kpi = Kpi(
        name="来館者数",
        baseline=Decimal("0"),
        baseline_year=2018,
        target=Decimal("100"),
        target_year=2022,
        values=(KpiValue(2019, Decimal("25")), KpiValue(2021, Decimal("75"))),
    )
    chart = _chart(qtbot, kpi)
    image = QImage(chart.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    chart.render(image)
    blue = QColor("#1f5fa8")

    def near_blue(x, y):
        colour = image.pixelColor(x, y)
        return abs(colour.red() - blue.red()) + abs(colour.blue() - blue.blue()) < 60

    for point in chart.value_points():
        assert near_blue(round(point.x()), round(point.y()))
    # Halfway between the two values the line passes at 50; far above it, nothing blue.
    assert near_blue(108, 54)
    assert not near_blue(108, 20)


def test_a_kpi_of_the_sample_report_has_its_path_through_the_yearly_targets(qtbot):
    kpi = by_name(kpi_report(), "観光入込客数")
    chart = _chart(qtbot, kpi)
    assert chart.years() == list(range(2018, 2025))
    xs = [round(p.x()) for p in chart.path_points()]
    assert len(xs) == 4 and xs == sorted(xs)  # baseline, two yearly targets, target
    assert len(chart.value_points()) == 2


def test_a_kpi_without_numbers_draws_nothing(qtbot):
    chart = _chart(qtbot, Kpi(name="未定", values=(KpiValue(2020, None),)))
    assert chart.years() == []
    assert chart.value_points() == [] and chart.path_points() == []
    chart.grab()  # paints the "no values" text without failing
