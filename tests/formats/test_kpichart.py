"""The KPI chart shared by the PDF and the Word file: its points, axis, words and drawing."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.shapes import Circle, PolyLine, String

from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.formats import kpichart
from tests.core.kpi_samples import by_name, kpi_report


def _shapes(drawing, kind):
    return [shape for shape in drawing.contents if isinstance(shape, kind)]


def test_the_axis_spans_the_baseline_to_the_target_year():
    kpi = by_name(kpi_report(), "観光入込客数")
    assert kpichart.years(kpi) == list(range(2018, 2025))
    assert kpichart.value_points(kpi) == [(2019, Decimal("512.30")), (2020, Decimal("530.5"))]
    assert [year for year, _v in kpichart.path_points(kpi)] == [2018, 2020, 2022, 2024]
    assert [kpichart.year_label(y) for y in (2018, 2019, 2020)] == ["H30", "令和元", "R2"]


def test_the_drawing_has_the_values_solid_with_points_and_the_path_dashed():
    kpi = by_name(kpi_report(), "観光入込客数")
    drawing = kpichart.drawing(kpi)
    lines = _shapes(drawing, PolyLine)
    values = [line for line in lines if not line.strokeDashArray]
    dashed = [line for line in lines if line.strokeDashArray]
    assert len(values) == 1 and len(values[0].points) == 4  # two points, x and y each
    assert len(dashed) == 1 and len(dashed[0].points) == 8  # baseline, two yearly, target
    # The values' points sit on the line, higher value higher up.
    dots = sorted((c.cx, c.cy) for c in _shapes(drawing, Circle) if c.r > 2)
    assert [round(v, 3) for v in values[0].points] == [round(v, 3) for d in dots[:2] for v in d]
    assert dots[1][1] > dots[0][1]
    texts = {s.text for s in _shapes(drawing, String)}
    assert {"観光入込客数（万人）", "H30", "令和元", "R6", "実績値"} <= texts


def test_a_kpi_without_numbers_says_so():
    drawing = kpichart.drawing(Kpi(name="未設定", values=(KpiValue(2020),)))
    assert "値がありません" in {s.text for s in _shapes(drawing, String)}
    assert not _shapes(drawing, PolyLine)
    assert "実績値はありません" in kpichart.describe(Kpi(name="未設定"))


def test_the_words_name_every_value_and_point_of_the_path():
    kpi = by_name(kpi_report(), "社会増減数")
    assert kpichart.describe(kpi) == (
        "社会増減数（人）の推移のグラフ。実績値: R2年度 -900。"
        "目標（破線）: 令和元年度 -1200、R6年度 -600。"
    )


def test_the_value_axis_takes_round_steps_around_every_number():
    kpi = by_name(kpi_report(), "漁獲量")
    scale = kpichart.value_scale(kpi)
    assert scale.low <= 1000 and scale.high >= 1200
    assert scale.ticks()[0] == scale.low and scale.ticks()[-1] == scale.high
    small = Kpi(name="率", values=(KpiValue(2020, Decimal("0.12")), KpiValue(2021, Decimal("0.3"))))
    assert kpichart.value_scale(small).step < 0.2
