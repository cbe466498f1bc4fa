"""A KPI's chart: its points, axis and words, and the drawing the PDF places.

Drawn with ReportLab's graphics, which the PDF writer already uses, so that the
one-folder build carries no charting library: the values by year as a line
with points, the target path (baseline → yearly targets → target) dashed,
years in era labels, in the fonts the PDF registers. The Word file draws the
same chart from the same points as a native chart (``docx.chartpart``), and
the Excel file as an openpyxl chart (``xlsx.kpisheet``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from decimal import Decimal

from ..core import fiscal
from ..core.kpi import progress
from ..core.kpi.numbers import format_value
from ..core.model import Kpi
from .table.layout import ExportOptions

logger = logging.getLogger(__name__)

# The drawing's size in points: two fit side by side across an A4 landscape page.
WIDTH, HEIGHT = 370.0, 185.0
_LEFT, _RIGHT, _TOP, _BOTTOM = 48.0, 14.0, 30.0, 24.0
VALUE_COLOUR = "#1f5fa8"
PATH_COLOUR = "#c05000"
DASH = [4, 3]
VALUES_LABEL, PATH_LABEL = "実績値", "目標"
PATH_SERIES = f"{PATH_LABEL}（道筋）"  # the path's name in the legend


def years(kpi: Kpi) -> list[int]:
    """The fiscal years the x axis spans: every year with a value or a point of the path."""
    found = {item.year for item in kpi.values if item.value is not None}
    found.update(year for year, _value in progress.target_path(kpi))
    return list(range(min(found), max(found) + 1)) if found else []


def value_points(kpi: Kpi) -> list[tuple[int, Decimal]]:
    """The values' line: (year, value) of every year with a known value, in year order."""
    return sorted((item.year, item.value) for item in kpi.values if item.value is not None)


def path_points(kpi: Kpi) -> list[tuple[int, Decimal]]:
    """The target path's line: (year, value) from the baseline to the target."""
    return progress.target_path(kpi)


def year_label(year: int) -> str:
    """A year under the axis in era letters, as the window's chart writes it: R2, 令和元."""
    return fiscal.short_label(year).removesuffix("年度")


def title(kpi: Kpi) -> str:
    """The chart's title: the KPI's name and unit."""
    return f"{kpi.name}（{kpi.unit}）" if kpi.unit else kpi.name


def describe(kpi: Kpi) -> str:
    """The chart in words, for a screen reader and Word's tagged PDF."""

    def listed(points: list[tuple[int, Decimal]]) -> str:
        return "、".join(f"{fiscal.short_label(y)} {format_value(v)}" for y, v in points)

    parts = [f"{title(kpi)}の推移のグラフ。"]
    values = value_points(kpi)
    parts.append(
        f"{VALUES_LABEL}: {listed(values)}。" if values else f"{VALUES_LABEL}はありません。"
    )
    path = path_points(kpi)
    if path:
        parts.append(f"{PATH_LABEL}（破線）: {listed(path)}。")
    return "".join(parts)


def _nice_step(span: float, count: int = 4) -> float:
    raw = span / count
    magnitude = _magnitude(raw)
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _magnitude(value: float) -> float:
    return 10.0 ** math.floor(math.log10(value)) if value > 0 else 1.0


@dataclass(frozen=True)
class Scale:
    """The value axis: its low and high ends and its gridline step."""

    low: float
    high: float
    step: float

    def ticks(self) -> list[float]:
        """The gridlines' values, from the low end up."""
        out, value = [], self.low
        while value <= self.high + self.step / 1000:
            out.append(round(value, 10))
            value += self.step
        return out


def value_scale(kpi: Kpi) -> Scale:
    """An axis holding every value and point of the path, on round gridlines."""
    numbers = [float(v) for _y, v in (*value_points(kpi), *path_points(kpi))]
    low, high = min(numbers), max(numbers)
    if low == high:
        low, high = low - 1, high + 1
    step = _nice_step(high - low)
    return Scale(math.floor(low / step) * step, math.ceil(high / step) * step, step)


def tick_text(value: float, step: float) -> str:
    """A gridline's value as the axis labels it: as many decimals as the step needs."""
    places = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
    if places == 0 and step != int(step):
        places = 1  # a step of 2.5
    return f"{value:,.{places}f}"


def drawing(kpi: Kpi, options: ExportOptions | None = None):
    """The chart as a ReportLab Drawing (a flowable the PDF places as vectors)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
    from reportlab.lib.colors import HexColor, black, white

    from .pdf import fonts as pdf_fonts

    options = options or ExportOptions()
    body = pdf_fonts.register(options.font)
    head = pdf_fonts.register(options.heading_font, heading=True)
    size = 7.5
    chart = Drawing(WIDTH, HEIGHT)
    # The renderer starts in this font: its default, Helvetica, would be named unembedded.
    chart.initialFontName, chart.initialFontSize = body, size
    chart.add(Rect(0, 0, WIDTH, HEIGHT, strokeColor=HexColor("#999999"), fillColor=white))
    chart.add(String(8, HEIGHT - 15, title(kpi), fontName=head, fontSize=size + 1.5))
    x0, x1 = _LEFT, WIDTH - _RIGHT
    y0, y1 = _BOTTOM, HEIGHT - _TOP
    span = years(kpi)
    if not span:
        chart.add(
            String(
                WIDTH / 2,
                HEIGHT / 2,
                "値がありません",
                fontName=body,
                fontSize=size,
                textAnchor="middle",
            )
        )
        return chart
    scale = value_scale(kpi)
    grey = HexColor("#cccccc")

    def y_of(value: float) -> float:
        return y0 + (y1 - y0) * (value - scale.low) / (scale.high - scale.low)

    def x_of(year: int) -> float:
        if len(span) == 1:
            return (x0 + x1) / 2
        return x0 + (x1 - x0) * (year - span[0]) / (span[-1] - span[0])

    for tick in scale.ticks():
        y = y_of(tick)
        chart.add(Line(x0, y, x1, y, strokeColor=grey, strokeWidth=0.4))
        text = tick_text(tick, scale.step)
        chart.add(
            String(x0 - 3, y - size * 0.35, text, fontName=body, fontSize=size, textAnchor="end")
        )
    chart.add(Line(x0, y0, x1, y0, strokeColor=black, strokeWidth=0.6))
    chart.add(Line(x0, y0, x0, y1, strokeColor=black, strokeWidth=0.6))
    every = max(1, -(-len(span) // 8))  # at most eight labels, so that none overlap
    for year in span[::every]:
        x = x_of(year)
        chart.add(Line(x, y0, x, y0 - 2.5, strokeColor=black, strokeWidth=0.6))
        chart.add(
            String(
                x,
                y0 - size - 6,
                year_label(year),
                fontName=body,
                fontSize=size,
                textAnchor="middle",
            )
        )
    path = [(x_of(y), y_of(float(v))) for y, v in path_points(kpi)]
    orange, blue = HexColor(PATH_COLOUR), HexColor(VALUE_COLOUR)
    if len(path) > 1:
        chart.add(PolyLine(_flat(path), strokeColor=orange, strokeWidth=1.2, strokeDashArray=DASH))
    for x, y in path:
        chart.add(Rect(x - 2, y - 2, 4, 4, strokeColor=orange, fillColor=white, strokeWidth=0.8))
    values = [(x_of(y), y_of(float(v))) for y, v in value_points(kpi)]
    if len(values) > 1:
        chart.add(PolyLine(_flat(values), strokeColor=blue, strokeWidth=1.6))
    for x, y in values:
        chart.add(Circle(x, y, 2.4, strokeColor=blue, fillColor=blue))
    _legend(chart, body, size, blue, orange)
    return chart


def _legend(chart, font: str, size: float, blue, orange) -> None:
    from reportlab.graphics.shapes import Circle, Line, String

    y = HEIGHT - 13
    x = WIDTH - 150
    chart.add(Line(x, y, x + 18, y, strokeColor=blue, strokeWidth=1.6))
    chart.add(Circle(x + 9, y, 2.4, strokeColor=blue, fillColor=blue))
    chart.add(String(x + 22, y - size * 0.35, VALUES_LABEL, fontName=font, fontSize=size))
    x += 62
    chart.add(Line(x, y, x + 18, y, strokeColor=orange, strokeWidth=1.2, strokeDashArray=DASH))
    chart.add(String(x + 22, y - size * 0.35, PATH_SERIES, fontName=font, fontSize=size))


def _flat(points: list[tuple[float, float]]) -> list[float]:
    return [coordinate for point in points for coordinate in point]
