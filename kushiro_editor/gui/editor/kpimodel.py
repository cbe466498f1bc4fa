"""The table model of one node's KPIs: a row per KPI, its values by year, its rate and rating.

The rate and the rating are computed by :mod:`kushiro_editor.core.kpi` (never
typed); every cell a person types goes through :mod:`..core.kpi.editing` and
``ReportDocument.apply``, so that each change is one undo step.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ...core import fiscal
from ...core.edits import Edit
from ...core.kpi import achievement, editing
from ...core.kpi.numbers import format_value
from ...core.model import Kpi, ReportError
from .commands import tr
from .document import ReportDocument

logger = logging.getLogger(__name__)

# A number typed with its year: 「500（H30年度）」, 「500 (2018)」, 「500 R1」.
_WITH_YEAR = re.compile(r"^\s*(?P<value>[^（(\s]*)\s*[（(]?(?P<year>[^）)]*)[）)]?\s*$")
# The departments of a KPI as typed: 「こども育成課、教育支援課」.
_DEPARTMENT_SEPARATORS = re.compile(r"[、,，・\s]+")
NOT_RATED = "－"


@dataclass(frozen=True)
class Column:
    """One column of the table: what it shows, its heading, whether a person types it."""

    key: str  # name, unit, baseline, target, year, note, rate, rating, departments, comment
    heading: str
    year: int | None = None
    editable: bool = True


def split_year(text: str) -> tuple[str, str]:
    """A typed number and its year apart: 「500（H30年度）」 → (「500」, 「H30年度」)."""
    found = _WITH_YEAR.match(text)
    if found is None:
        return text, ""
    return found.group("value"), found.group("year").strip()


def departments_of(text: str) -> list[str]:
    """The department names of a typed 所管 cell, in order, each once."""
    names = [name for name in _DEPARTMENT_SEPARATORS.split(text.strip()) if name]
    return list(dict.fromkeys(names))


def _with_year(value, year: int | None, *, grouping: bool) -> str:
    if value is None and year is None:
        return ""
    shown = format_value(value, grouping=grouping)
    if year is None:
        return shown
    # The heading says 年度: the cell names the year only (「500.0（H30）」).
    return f"{shown}（{fiscal.short_label(year).removesuffix('年度')}）"


class KpiModel(QAbstractTableModel):
    """The KPIs of one goal, direction or measure, editable cell by cell."""

    refused = Signal(str)  # a typed value was not taken: why, in Japanese

    def __init__(self, document: ReportDocument, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.owner: object | None = None
        self.columns: list[Column] = []
        self._shape: tuple = ()

    # -- what is shown -------------------------------------------------------------
    @property
    def kpis(self) -> list[Kpi]:
        """The owner's KPIs, in order."""
        return list(self.owner.kpis) if self.owner is not None else []

    def kpi(self, row: int) -> Kpi | None:
        """The KPI of a row."""
        kpis = self.kpis
        return kpis[row] if 0 <= row < len(kpis) else None

    def row_of(self, kpi: Kpi) -> int:
        """The row of a KPI (−1 when it is not here)."""
        return next((row for row, k in enumerate(self.kpis) if k is kpi), -1)

    def years(self) -> list[int]:
        """The value years shown: every year the owner's KPIs have a value for, and this year."""
        found = {item.year for kpi in self.kpis for item in kpi.values}
        found.add(self.document.report.actual_year)
        return sorted(found)

    def _columns(self) -> list[Column]:
        actual = self.document.report.actual_year
        columns = [
            Column("name", tr("指標")),
            Column("unit", tr("単位")),
            Column("baseline", tr("基準値（年度）")),
            Column("target", tr("目標値（年度）")),
        ]
        columns += [Column("year", fiscal.short_label(y), y) for y in self.years()]
        # The year the rate and the rating judge, and whose note is typed beside the values.
        columns += [
            Column("note", tr("注記"), actual),
            Column("rate", tr("達成率"), actual, editable=False),
            Column("rating", tr("評価"), actual, editable=False),
            Column("departments", tr("所管")),
            Column("comment", tr("備考")),
        ]
        return columns

    def column_of(self, key: str, year: int | None = None) -> int:
        """The index of a column by its key (and year, for a year's value)."""
        return next(
            i
            for i, c in enumerate(self.columns)
            if c.key == key and (year is None or c.year == year)
        )

    def set_owner(self, owner: object | None) -> None:
        """Show another node's KPIs."""
        self.beginResetModel()
        self.owner = owner
        self.columns = self._columns()
        self._shape = self._current_shape()
        self.endResetModel()

    def _current_shape(self) -> tuple:
        return (tuple(id(k) for k in self.kpis), tuple(self.years()))

    def refresh(self) -> None:
        """Follow a change of the report: rows added, removed or moved reset the table."""
        if self._current_shape() != self._shape:
            self.set_owner(self.owner)
        elif self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.kpis)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.heading
            if role == Qt.ItemDataRole.ToolTipRole and column.key in ("note", "rate", "rating"):
                return tr("{0}の値について").replace("{0}", fiscal.short_label(column.year))
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].editable and not self.document.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        kpi = self.kpi(index.row()) if index.isValid() else None
        if kpi is None:
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(kpi, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(kpi, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(kpi, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key in (
            "baseline",
            "target",
            "year",
            "rate",
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "rating":
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, kpi: Kpi, column: Column) -> str:
        key = column.key
        if key == "baseline":
            return _with_year(kpi.baseline, kpi.baseline_year, grouping=True)
        if key == "target":
            return _with_year(kpi.target, kpi.target_year, grouping=True)
        if key == "year":
            item = kpi.value_of(column.year)
            return format_value(item.value, grouping=True) if item is not None else ""
        if key == "rate":
            mode = self.document.report.kpi_settings.rate_mode
            return achievement.format_rate(achievement.rate_of(kpi, column.year, mode))
        if key == "rating":
            return achievement.rating(self.document.report, kpi).display
        return self._edit_text(kpi, column)

    def _edit_text(self, kpi: Kpi, column: Column) -> str:
        key = column.key
        if key == "baseline":
            return _with_year(kpi.baseline, kpi.baseline_year, grouping=False)
        if key == "target":
            return _with_year(kpi.target, kpi.target_year, grouping=False)
        if key == "year":
            item = kpi.value_of(column.year)
            return format_value(item.value, missing="") if item is not None else ""
        if key == "note":
            item = kpi.value_of(column.year)
            return item.note if item is not None else ""
        if key == "departments":
            return "、".join(kpi.departments)
        if key in ("name", "unit", "comment"):
            return getattr(kpi, key)
        return self._display(kpi, column)

    def _tooltip(self, kpi: Kpi, column: Column) -> str | None:
        if column.key == "rating":
            return achievement.rating(self.document.report, kpi).explanation
        if column.key == "year":
            item = kpi.value_of(column.year)
            return item.note or None if item is not None else None
        if column.key == "name" and kpi.comment:
            return kpi.comment
        if column.key in ("departments", "comment"):
            return self._edit_text(kpi, column) or None
        return None

    # -- what is typed -------------------------------------------------------------
    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        kpi = self.kpi(index.row()) if index.isValid() else None
        if kpi is None or role != Qt.ItemDataRole.EditRole:
            return False
        column = self.columns[index.column()]
        text = str(value if value is not None else "")
        if text == self._edit_text(kpi, column):
            return False  # left as it was: no undo step
        try:
            batch = self.edits_for(kpi, column, text)
        except ReportError as exc:
            self.refused.emit(str(exc))
            return False
        label = (
            tr("指標「{0}」の{1}を変更").replace("{0}", kpi.name).replace("{1}", self.what(column))
        )
        return self.document.apply(label, batch)

    @staticmethod
    def what(column: Column) -> str:
        """A column's value as the undo history names it: 基準値, R2年度の値 …"""
        names = {
            "name": tr("指標名"),
            "unit": tr("単位"),
            "baseline": tr("基準値"),
            "target": tr("目標値"),
            "note": tr("注記"),
            "departments": tr("所管部署"),
            "comment": tr("備考"),
        }
        if column.key == "year":
            return tr("{0}の値").replace("{0}", column.heading)
        return names.get(column.key, column.heading)

    def edits_for(self, kpi: Kpi, column: Column, text: str) -> list[Edit]:
        """The batch a typed cell makes (ReportError, in Japanese, when it cannot be read)."""
        key = column.key
        if key == "name" and not text.strip():
            raise ReportError(tr("指標名を入力してください。"))
        if key in ("name", "unit", "comment"):
            return editing.set_field(kpi, key, text.strip() if key != "comment" else text)
        if key in ("baseline", "target"):
            number, year = split_year(text)
            batch = editing.set_field(kpi, key, number)
            year_field = "baseline_year" if key == "baseline" else "target_year"
            if year:
                batch += editing.set_field(kpi, year_field, year)
            return batch
        if key == "year":
            return editing.set_value(kpi, column.year, text)
        if key == "note":
            item = kpi.value_of(column.year)
            return editing.set_value(kpi, column.year, item.value if item else None, text)
        if key == "departments":
            return editing.set_field(kpi, "departments", departments_of(text))
        raise ReportError(tr("この欄は計算で求めるため、入力できません。"))
