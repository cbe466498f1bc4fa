"""A small chart of one KPI: its values by year against the baseline, the target and the path."""

from __future__ import annotations

import logging
from decimal import Decimal

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core import fiscal
from ...core.kpi import progress
from ...core.model import Kpi

logger = logging.getLogger(__name__)

_MARGIN_LEFT = 8
_MARGIN_RIGHT = 8
_MARGIN_TOP = 8
_MARGIN_BOTTOM = 18  # room for the year labels under the axis


class KpiChart(QWidget):
    """Draws a KPI with QPainter; the points it draws are computed apart so tests can read them."""

    def __init__(self, kpi: Kpi | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kpi = kpi
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setToolTip(self.tr("実績値（実線）、基準値・目標値（点）、目標の道筋（破線）"))

    def sizeHint(self) -> QSize:
        return QSize(220, 110)

    @property
    def kpi(self) -> Kpi | None:
        """The KPI drawn (None: nothing)."""
        return self._kpi

    def set_kpi(self, kpi: Kpi | None) -> None:
        """Show another KPI (or none) and redraw."""
        self._kpi = kpi
        self.update()

    def years(self) -> list[int]:
        """The fiscal years the x axis spans: every year with a value, a target or the baseline."""
        kpi = self._kpi
        if kpi is None:
            return []
        found = {item.year for item in kpi.values if item.value is not None}
        found.update(year for year, _value in progress.target_path(kpi))
        if not found:
            return []
        return list(range(min(found), max(found) + 1))

    def _plot_rect(self) -> QRectF:
        return QRectF(
            _MARGIN_LEFT,
            _MARGIN_TOP,
            max(1, self.width() - _MARGIN_LEFT - _MARGIN_RIGHT),
            max(1, self.height() - _MARGIN_TOP - _MARGIN_BOTTOM),
        )

    def _range(self) -> tuple[Decimal, Decimal]:
        kpi = self._kpi
        numbers = [item.value for item in kpi.values if item.value is not None]
        numbers += [value for _year, value in progress.target_path(kpi)]
        low, high = min(numbers), max(numbers)
        if low == high:
            # A flat line sits in the middle instead of on the frame.
            low, high = low - 1, high + 1
        return low, high

    def _to_point(self, year: int, value: Decimal) -> QPointF:
        years = self.years()
        rect = self._plot_rect()
        low, high = self._range()
        span = max(1, years[-1] - years[0])
        x = rect.left() + rect.width() * (year - years[0]) / span
        y = rect.bottom() - rect.height() * float((value - low) / (high - low))
        return QPointF(x, y)

    def value_points(self) -> list[QPointF]:
        """The values' line in widget coordinates, one point per year with a known value."""
        if not self.years():
            return []
        return [
            self._to_point(item.year, item.value)
            for item in sorted(self._kpi.values, key=lambda item: item.year)
            if item.value is not None
        ]

    def path_points(self) -> list[QPointF]:
        """The target path (baseline → yearly targets → target) in widget coordinates."""
        if not self.years():
            return []
        return [self._to_point(year, value) for year, value in progress.target_path(self._kpi)]

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        rect = self._plot_rect()
        painter.setPen(QPen(palette.mid().color(), 1))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        years = self.years()
        if not years:
            painter.setPen(palette.text().color())
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.tr("値がありません"))
            painter.end()
            return
        self._draw_years(painter, rect, years)
        path = self.path_points()
        if len(path) > 1:
            pen = QPen(QColor("#c05000"), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawPolyline(path)
        painter.setPen(QPen(QColor("#c05000"), 1))
        painter.setBrush(QColor("#c05000"))
        for point in (path[0], path[-1]) if path else ():
            painter.drawRect(QRectF(point.x() - 3, point.y() - 3, 6, 6))
        values = self.value_points()
        painter.setPen(QPen(QColor("#1f5fa8"), 2))
        if len(values) > 1:
            painter.drawPolyline(values)
        painter.setBrush(QColor("#1f5fa8"))
        for point in values:
            painter.drawEllipse(point, 3, 3)
        painter.end()

    def _draw_years(self, painter: QPainter, rect: QRectF, years: list[int]) -> None:
        # Era letters as the rest of the window writes years (R2); only some years
        # are labelled when many would overlap.
        painter.setPen(self.palette().text().color())
        font = painter.font()
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        painter.setFont(font)
        step = max(1, len(years) // 5 + (1 if len(years) % 5 else 0))
        for year in years[::step]:
            x = self._to_point(year, self._range()[0]).x()
            label = fiscal.short_label(year).removesuffix("年度")
            # Kept inside the widget: the first and last labels stand at its edges.
            left = min(max(x - 20, 0), self.width() - 40)
            box = QRectF(left, rect.bottom() + 2, 40, _MARGIN_BOTTOM - 2)
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
