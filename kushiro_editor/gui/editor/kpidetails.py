"""「指標の詳細」: what a KPI's table row has no cell for, set in one dialog, one undo step.

Which way is better, the baseline's and the target's fiscal years, the target
path (a target per year in between) and a rating set by hand with its reason.
Nothing changes until OK; then every change is one batch of
:mod:`...core.kpi.editing` through ``ReportDocument.apply``, and a value that
cannot be read is said in one line in the dialog, which stays open.
"""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal
from ...core.edits import Edit
from ...core.kpi import achievement, editing
from ...core.kpi.numbers import format_value, parse_value
from ...core.model import BETTER_LABELS, HIGHER, Kpi, KpiTarget, ReportError
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen
from .document import ReportDocument

logger = logging.getLogger(__name__)

DETAILS_KEYS = "F4"
YEAR_COLUMN, VALUE_COLUMN = 0, 1
YEAR_HINT = "R6、令和6年度、2024"


def year_text(year: int | None) -> str:
    """A fiscal year as the dialog shows it to be typed over: 「R6年度」, blank for none."""
    return fiscal.short_label(year) if year is not None else ""


def read_year(text: str, what: str) -> int | None:
    """A typed fiscal year (和暦 or 西暦), None when blank; ReportError naming the field."""
    if not text.strip():
        return None
    try:
        return fiscal.parse_label(text, whole=True)
    except ValueError:
        raise ReportError(
            f"{what}「{text.strip()[:20]}」は年度として読めません(例: {YEAR_HINT})。"
        ) from None


class PathTable(QTableWidget):
    """The target path's rows: Insert adds one, Delete removes the current one."""

    add_requested = Signal()
    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState and not event.modifiers():
            if event.key() == Qt.Key.Key_Insert:
                self.add_requested.emit()
                return
            if event.key() == Qt.Key.Key_Delete and self.currentRow() >= 0:
                self.remove_requested.emit()
                return
        super().keyPressEvent(event)


class KpiDetailsDialog(QDialog):
    """The direction of better, the years, the target path and a hand-set rating of one KPI."""

    def __init__(self, document: ReportDocument, kpi: Kpi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.kpi = kpi
        report = document.report
        self.setWindowTitle(self.tr("指標の詳細"))
        unit = f"（{kpi.unit}）" if kpi.unit else ""
        heading = QLabel(self.tr("指標「{0}」{1}").replace("{0}", kpi.name).replace("{1}", unit))
        heading.setWordWrap(True)
        heading.setStyleSheet("font-weight: bold")

        self.better = QComboBox()
        for key, label in BETTER_LABELS.items():
            self.better.addItem(self.tr(label), key)
        self.better.setCurrentIndex(max(self.better.findData(kpi.better), 0))
        self.baseline_year = self._year_field(kpi.baseline_year)
        self.target_year = self._year_field(kpi.target_year)
        values = QLabel(
            self.tr("基準値 {0}　目標値 {1}")
            .replace("{0}", format_value(kpi.baseline, grouping=True))
            .replace("{1}", format_value(kpi.target, grouping=True))
        )
        values.setToolTip(self.tr("値そのものは表の「基準値」「目標値」の欄で入力します。"))

        self.path = PathTable(0, 2)
        self.path.setHorizontalHeaderLabels([self.tr("年度"), self.tr("目標値") + unit])
        self.path.verticalHeader().setVisible(False)
        self.path.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Tab leaves the table as it leaves every field of the dialog; arrows move inside.
        self.path.setTabKeyNavigation(False)
        self.path.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.path.setAccessibleName(self.tr("年度ごとの目標値"))
        self.path.setMinimumHeight(110)
        self.path.add_requested.connect(self.add_path_row)
        self.path.remove_requested.connect(self.remove_path_row)
        for target in kpi.yearly_targets:
            self._add_path_row(year_text(target.year), format_value(target.value, grouping=True))
        self.add_row = QPushButton(self.tr("行を追加(&N)"))
        self.add_row.setAutoDefault(False)
        self.add_row.clicked.connect(lambda _checked=False: self.add_path_row())
        self.remove_row = QPushButton(self.tr("行を削除(&D)"))
        self.remove_row.setAutoDefault(False)
        self.remove_row.clicked.connect(lambda _checked=False: self.remove_path_row())
        path_buttons = QHBoxLayout()
        path_buttons.addWidget(self.add_row)
        path_buttons.addWidget(self.remove_row)
        # A keyboard user sees no tooltip: the table's own keys are said beside its buttons.
        keys = QLabel(self.tr("表の中では Insert で追加、Delete で削除"))
        keys.setStyleSheet("color: #555")
        path_buttons.addWidget(keys)
        path_buttons.addStretch(1)

        scale = report.kpi_settings.scale
        self.rating = QComboBox()
        self.rating.addItem(self.tr("計算どおり"), "")
        for label in (*scale.labels, scale.missing):
            self.rating.addItem(label, label)
        self.rating.setCurrentIndex(max(self.rating.findData(kpi.override), 0))
        self.reason = QLineEdit(kpi.override_reason)
        self.reason.setPlaceholderText(self.tr("手動で評価する理由(必須)"))
        self.computed = QLabel()
        self.computed.setWordWrap(True)

        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("よい方向(&B)"), self.better)
        form.addRow(self.tr("基準値の年度(&K)"), self.baseline_year)
        form.addRow(self.tr("目標年度(&T)"), self.target_year)
        form.addRow("", values)
        path_label = QLabel(self.tr("年度ごとの目標値(&P)"))
        path_label.setBuddy(self.path)
        path_box = QVBoxLayout()
        path_box.addWidget(self.path)
        path_box.addLayout(path_buttons)
        form.addRow(path_label, path_box)
        form.addRow(
            self.tr("{0}の評価(&H)").replace("{0}", fiscal.short_label(report.actual_year)),
            self.rating,
        )
        form.addRow(self.tr("理由(&Y)"), self.reason)
        form.addRow("", self.computed)

        buttons = ok_cancel(self, self.tr("OK"))
        self.ok_button = buttons.ok
        self.ok_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)

        self.better.currentIndexChanged.connect(self._show_computed)
        self.path.itemChanged.connect(self._show_computed)
        self.rating.currentIndexChanged.connect(self._rating_chosen)
        self._rating_chosen()
        self.better.setFocus(Qt.FocusReason.OtherFocusReason)
        fit_to_screen(self, QSize(580, 560))

    def _year_field(self, year: int | None) -> QLineEdit:
        field = QLineEdit(year_text(year))
        field.setPlaceholderText(self.tr("例: {0}").replace("{0}", YEAR_HINT))
        return field

    # -- the target path -----------------------------------------------------------
    def _add_path_row(self, year: str, value: str) -> int:
        row = self.path.rowCount()
        self.path.insertRow(row)
        year_item = QTableWidgetItem(year)
        value_item = QTableWidgetItem(value)
        value_item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.path.setItem(row, YEAR_COLUMN, year_item)
        self.path.setItem(row, VALUE_COLUMN, value_item)
        return row

    def add_path_row(self) -> None:
        """A new row of the target path, its year proposed after the last; the year edited."""
        years = []
        for row in range(self.path.rowCount()):
            try:
                years.append(read_year(self.path.item(row, YEAR_COLUMN).text(), ""))
            except ReportError:
                continue
        known = [year for year in years if year is not None]
        proposed = max(known) + 1 if known else self.document.report.actual_year
        row = self._add_path_row(year_text(proposed), "")
        self.path.setFocus(Qt.FocusReason.OtherFocusReason)
        self.path.setCurrentCell(row, VALUE_COLUMN)
        self.path.editItem(self.path.item(row, VALUE_COLUMN))

    def remove_path_row(self) -> None:
        """The current row of the target path goes."""
        row = self.path.currentRow()
        if row < 0:
            return
        self.path.removeRow(row)
        if self.path.rowCount():
            self.path.setCurrentCell(min(row, self.path.rowCount() - 1), YEAR_COLUMN)
        self.path.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_computed()

    def typed_path(self) -> tuple[KpiTarget, ...]:
        """The target path as typed, in year order (rows left blank skipped), or ReportError."""
        targets: dict[int, KpiTarget] = {}
        for row in range(self.path.rowCount()):
            year_cell = self.path.item(row, YEAR_COLUMN)
            value_cell = self.path.item(row, VALUE_COLUMN)
            year_typed = year_cell.text() if year_cell is not None else ""
            value_typed = value_cell.text() if value_cell is not None else ""
            if not year_typed.strip() and not value_typed.strip():
                continue
            year = read_year(year_typed, self.tr("目標値の年度"))
            if year is None:
                missing = self.tr("{0}行目の目標値の年度を入力してください。")
                raise ReportError(missing.replace("{0}", str(row + 1)))
            value = parse_value(value_typed)
            shown = fiscal.short_label(year)
            if value is None:
                raise ReportError(self.tr("{0}の目標値を入力してください。").replace("{0}", shown))
            if year in targets:
                raise ReportError(self.tr("{0}の目標値が2つあります。").replace("{0}", shown))
            targets[year] = KpiTarget(year, value)
        return tuple(targets[year] for year in sorted(targets))

    # -- the rating ----------------------------------------------------------------
    def _rating_chosen(self) -> None:
        self.reason.setEnabled(bool(self.rating.currentData()))
        self._show_computed()

    def _draft(self) -> Kpi:
        """The KPI as the dialog would leave it, for the computed rating beside the choice."""
        try:
            path = self.typed_path()
        except ReportError:
            path = self.kpi.yearly_targets
        return dataclasses.replace(
            self.kpi, better=self.better.currentData() or HIGHER, yearly_targets=path
        )

    def _show_computed(self) -> None:
        report = self.document.report
        settings = report.kpi_settings
        computed = achievement.computed_rating(self._draft(), report.actual_year, settings)
        rate = achievement.format_rate(computed.rate, missing=self.tr("算定できません"))
        self.computed.setText(
            self.tr("計算では {0}(達成率 {1})").replace("{0}", computed.label).replace("{1}", rate)
        )

    # -- OK ------------------------------------------------------------------------
    def edits(self) -> list[Edit]:
        """The batch of every change made in the dialog (empty when none), or ReportError."""
        kpi = self.kpi
        batch: list[Edit] = []
        better = self.better.currentData()
        if better != kpi.better:
            batch += editing.set_field(kpi, "better", better)
        for name, field, what in (
            ("baseline_year", self.baseline_year, self.tr("基準値の年度")),
            ("target_year", self.target_year, self.tr("目標年度")),
        ):
            year = read_year(field.text(), what)
            if year != getattr(kpi, name):
                batch += editing.set_field(kpi, name, year)
        path = self.typed_path()
        if path != kpi.yearly_targets:
            batch += editing.set_field(kpi, "yearly_targets", path)
        label = self.rating.currentData() or ""
        reason = self.reason.text().strip() if label else ""
        if (label, reason) != (kpi.override, kpi.override_reason):
            batch += editing.set_override(self.document.report, kpi, label, reason)
        return batch

    def accept(self) -> None:
        """Apply every change as one undo step; on a value that cannot be read, say so and stay."""
        try:
            batch = self.edits()
        except ReportError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        label = self.tr("指標「{0}」の詳細を変更").replace("{0}", self.kpi.name)
        if batch and not self.document.apply(label, batch):
            return  # the store refused it: the document has said why
        super().accept()
