"""The KPIs under a direction's title: a table per node that has some, and the chart of one.

The shown direction's goal (its 数値目標), the direction and each of its
measures have their own table; the chart under them draws the KPI the
keyboard is on. A report without KPIs shows none of it, so that it looks as
it always did; the first KPI is added with Ctrl+K (編集 → 追加 → 指標).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.kpi import editing, fields
from ...core.model import Direction, Goal, Kpi, Measure
from .commands import tr
from .document import ReportDocument
from .entrywidgets import section, tint
from .kpichart import KpiChart
from .kpidetails import DETAILS_KEYS, KpiDetailsDialog
from .kpimodel import KpiModel

logger = logging.getLogger(__name__)

ADD_KEYS = "Ctrl+K"
CHART_HEIGHT = 120
NAME_WIDTH = 150  # the 指標 column: about ten characters before it scrolls
LONG_TEXT_WIDTH = 110  # 所管 and 備考 beyond this are elided (the whole text is the tooltip)
# Keys the table answers itself, although a window shortcut has them (F2 renames in
# the tree, Ctrl+Shift+↑↓ moves a tree node): inside the table they mean its KPI.
_OWN_KEYS = {
    (Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
}
_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _key(event: QKeyEvent) -> tuple:
    modifiers = event.modifiers() & _MODIFIERS
    return (Qt.Key(event.key()), Qt.KeyboardModifier(modifiers))


def owner_caption(owner: object) -> str:
    """What a table of KPIs is headed with: whose KPIs they are."""
    if isinstance(owner, Goal):
        return tr("{0}の数値目標").replace("{0}", owner.label)
    if isinstance(owner, Measure):
        return tr("施策「{0}」の重要業績評価指標（KPI）").replace("{0}", owner.heading)
    return tr("基本的方向{0}の重要業績評価指標（KPI）").replace("{0}", getattr(owner, "label", ""))


class KpiTable(QTableView):
    """One node's KPIs: arrows move, F2 or Enter edits, Enter commits, Esc cancels."""

    delete_requested = Signal(object)  # a KPI
    move_requested = Signal(object, int)  # a KPI, −1 up or +1 down
    details_requested = Signal(object)  # a KPI: 「指標の詳細」

    def __init__(self, model: KpiModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        # Tab goes on to the next field of the view, as everywhere in the editor;
        # the arrows move between the cells.
        self.setTabKeyNavigation(False)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(tr("指標の一覧表"))
        model.modelReset.connect(self.fit)

    @property
    def kpi_model(self) -> KpiModel:
        """The table's model."""
        return self.model()  # type: ignore[return-value]

    def current_kpi(self) -> Kpi | None:
        """The KPI of the current cell."""
        index = self.currentIndex()
        return self.kpi_model.kpi(index.row()) if index.isValid() else None

    def fit(self) -> None:
        """Numbers as wide as they are, the name taking the room left, long texts elided.

        The table fits the view's width: a row of numbers read across is the
        point of it. The whole of an elided 所管 or 備考 is its tooltip.
        """
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        model = self.kpi_model
        if not model.columns:
            return
        self.resizeColumnsToContents()
        for index, column in enumerate(model.columns):
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
            if column.key in ("departments", "comment"):
                header.resizeSection(index, min(header.sectionSize(index), LONG_TEXT_WIDTH))
        self._spread()

    def _spread(self) -> None:
        """The name takes the width the other columns leave, never less than it needs to read."""
        model = self.kpi_model
        if not model.columns:
            return
        header = self.horizontalHeader()
        name = model.column_of("name")
        others = sum(header.sectionSize(i) for i in range(len(model.columns)) if i != name)
        room = self.viewport().width() - others
        header.resizeSection(name, max(room, NAME_WIDTH))
        rows = max(model.rowCount(), 1)
        # Room for the scroll bar only when the columns do not fit.
        bar = self.horizontalScrollBar().sizeHint().height() if room < NAME_WIDTH else 0
        height = header.sizeHint().height() + self.verticalHeader().defaultSectionSize() * rows
        self.setFixedHeight(height + bar + 2 * self.frameWidth())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._spread()

    def select(self, kpi: Kpi, column: int = 0) -> None:
        """Put the current cell on a KPI's row."""
        row = self.kpi_model.row_of(kpi)
        if row >= 0:
            self.setCurrentIndex(self.kpi_model.index(row, column))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _key(event) in _OWN_KEYS:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = _key(event)
        kpi = self.current_kpi()
        editing_now = self.state() == QAbstractItemView.State.EditingState
        if not editing_now and kpi is not None:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers:
                self.edit(self.currentIndex())
                return
            if key == Qt.Key.Key_Delete and not modifiers:
                self.delete_requested.emit(kpi)
                return
            if key == Qt.Key.Key_F4 and not modifiers:
                self.details_requested.emit(kpi)
                return
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and modifiers & (
                Qt.KeyboardModifier.ControlModifier
            ):
                self.move_requested.emit(kpi, -1 if key == Qt.Key.Key_Up else 1)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:
        # The menu key and Shift+F10 come here too, on the current cell.
        index = self.indexAt(event.pos())
        if index.isValid():
            self.setCurrentIndex(index)
        kpi = self.current_kpi()
        if kpi is None:
            return
        menu = QMenu(self)
        details = menu.addAction(tr("指標の詳細…") + "\t" + DETAILS_KEYS)
        details.triggered.connect(lambda _checked=False: self.details_requested.emit(kpi))
        for text, step in ((tr("上へ"), -1), (tr("下へ"), 1)):
            moved = menu.addAction(text)
            moved.triggered.connect(lambda _c=False, s=step: self.move_requested.emit(kpi, s))
        deleted = menu.addAction(tr("削除…"))
        deleted.triggered.connect(lambda _checked=False: self.delete_requested.emit(kpi))
        menu.exec(event.globalPos())


class KpiSection(QWidget):
    """A caption and the table of one node's KPIs."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = KpiModel(document, self)
        self.caption = QLabel()
        tint(self.caption, "#1f3a5f", bold=True)
        self.table = KpiTable(self.model, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)

    @property
    def owner(self) -> object | None:
        """The goal, direction or measure shown."""
        return self.model.owner

    def set_owner(self, owner: object | None) -> None:
        """Show a node's KPIs."""
        if owner is not self.model.owner:
            self.model.set_owner(owner)
        self.caption.setText(owner_caption(owner) if owner is not None else "")


class KpiPanel(QWidget):
    """The KPIs of the shown direction, its goal and its measures, with the chart of one."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.direction: Direction | None = None
        self.sections: list[KpiSection] = []
        self.current: KpiSection | None = None  # the table the keyboard was last in
        self.details: KpiDetailsDialog | None = None  # the open 「指標の詳細」
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(2)
        layout.addWidget(section(tr("数値目標・重要業績評価指標（KPI）")))
        self.section_box = QVBoxLayout()
        self.section_box.setSpacing(4)
        layout.addLayout(self.section_box)
        self.message = QLabel()
        self.message.setWordWrap(True)
        tint(self.message, "#b00020", bold=False)
        self.message.hide()
        layout.addWidget(self.message)

        row = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setText(tr("＋ 指標を追加"))
        self.add_button.setToolTip(tr("指標を追加({0})").replace("{0}", ADD_KEYS))
        self.add_button.setAutoRaise(True)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.add_menu = QMenu(self.add_button)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        self.add_button.clicked.connect(lambda _checked=False: self.add_kpi())
        row.addWidget(self.add_button)
        self.row_buttons = []
        for text, slot in (
            (tr("上へ"), lambda: self.move_current(-1)),
            (tr("下へ"), lambda: self.move_current(1)),
            (tr("削除…"), self.delete_current),
            (tr("詳細…"), self.details_current),
        ):
            button = QToolButton()
            button.setText(text)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            row.addWidget(button)
            self.row_buttons.append(button)
        self.details_button = self.row_buttons[-1]
        self.details_button.setToolTip(tr("指標の詳細({0})").replace("{0}", DETAILS_KEYS))
        row.addStretch(1)
        layout.addLayout(row)

        chart_row = QHBoxLayout()
        self.chart = KpiChart(parent=self)
        self.chart.setFixedSize(300, CHART_HEIGHT)
        self.chart_label = QLabel()
        self.chart_label.setWordWrap(True)
        self.chart_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        chart_row.addWidget(self.chart)
        chart_row.addWidget(self.chart_label, 1)
        layout.addLayout(chart_row)
        document.changed.connect(self.refresh)
        self.setVisible(False)

    # -- showing -------------------------------------------------------------------
    def owners(self) -> list[object]:
        """The nodes whose tables are shown: the goal and the measures when they have KPIs,
        the direction always (its table is where a KPI is added)."""
        direction = self.direction
        if direction is None:
            return []
        goal = self.document.parent_of(direction)
        shown: list[object] = [goal] if goal is not None and goal.kpis else []
        shown.append(direction)
        shown += [m for m in direction.measures if m.kpis]
        return shown

    def show_direction(self, direction: Direction | None) -> None:
        """Show the KPIs of a direction (and of its goal and measures)."""
        self.direction = direction
        self.refresh()

    def refresh(self) -> None:
        """Follow the report: tables for the nodes with KPIs, their rows, the chart."""
        wanted = self.owners() if fields.has_kpis(self.document.report) else []
        self.message.hide()  # a refused value said its say; the report has moved on
        self.setVisible(bool(wanted))
        if not wanted:
            return
        while len(self.sections) < len(wanted):
            made = KpiSection(self.document, self)
            made.model.refused.connect(self.show_refusal)
            made.table.delete_requested.connect(self.delete)
            made.table.move_requested.connect(self.move)
            made.table.details_requested.connect(self.show_details)
            made.table.clicked.connect(lambda _index, made=made: self._focused(made))
            made.table.installEventFilter(self)
            made.table.selectionModel().currentChanged.connect(self._current_changed)
            self.sections.append(made)
            self.section_box.addWidget(made)
        for shown, owner in zip(self.sections, wanted, strict=False):
            shown.set_owner(owner)
            shown.model.refresh()
            shown.setVisible(True)
        for unused in self.sections[len(wanted) :]:
            unused.set_owner(None)
            unused.setVisible(False)
        if self.current is not None and not self.current.isVisibleTo(self):
            self.current = None
        self._show_chart()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            for made in self.sections:
                if made.table is watched:
                    self._focused(made)
        return super().eventFilter(watched, event)

    def _focused(self, made: KpiSection) -> None:
        self.current = made
        self._show_chart()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_chart()

    def chart_kpi(self) -> Kpi | None:
        """The KPI the chart draws: the current one of the table last used, else the first."""
        candidates = ([self.current] if self.current is not None else []) + self.sections
        for made in candidates:
            if made.isVisibleTo(self) and made.model.rowCount():
                kpi = made.table.current_kpi()
                return kpi if kpi is not None else made.model.kpi(0)
        return None

    def _show_chart(self) -> None:
        kpi = self.chart_kpi()
        self.chart.set_kpi(kpi)
        self.chart_label.setText(
            tr("グラフ: {0}（実績値は実線、目標の道筋は破線）").replace("{0}", kpi.name)
            if kpi is not None
            else ""
        )

    def section_of(self, owner: object) -> KpiSection | None:
        """The section showing a node's KPIs."""
        return next((s for s in self.sections if s.owner is owner and s.isVisibleTo(self)), None)

    def focus_kpi(self, kpi: Kpi) -> KpiTable | None:
        """Put the keyboard on a KPI's row (a jump from the list of KPIs)."""
        made = self.section_of(fields.owner_of(self.document.report, kpi))
        if made is None:
            return None
        made.table.select(kpi)
        made.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focused(made)
        return made.table

    def show_refusal(self, message: str) -> None:
        """A typed value was not taken: say why under the tables."""
        self.message.setText(message)
        self.message.show()

    # -- editing -------------------------------------------------------------------
    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        direction = self.direction
        if direction is None:
            return
        goal = self.document.parent_of(direction)
        for owner in (goal, direction, *direction.measures):
            if owner is None:
                continue
            action = self.add_menu.addAction(owner_caption(owner) + tr("に追加"))
            action.triggered.connect(lambda _checked=False, owner=owner: self.add_kpi(owner))

    def add_kpi(self, owner: object | None = None) -> Kpi | None:
        """A new KPI (under the table the keyboard is in, else the direction); its name edited."""
        if self.direction is None or self.document.read_only:
            return None
        if owner is None:
            focused = (
                self.current if self.current is not None and self.current.table.hasFocus() else None
            )
            owner = focused.owner if focused is not None else self.direction
        kpi = Kpi(name=tr("新しい指標"))
        if not self.document.apply(tr("指標の追加"), editing.add(owner, kpi)):
            return None
        table = self.focus_kpi(kpi)
        if table is not None:
            table.edit(table.currentIndex())
        return kpi

    def current_table(self) -> KpiTable | None:
        """The table last used, if it still shows a KPI."""
        if self.current is not None and self.current.table.current_kpi() is not None:
            return self.current.table
        return None

    def move_current(self, step: int) -> None:
        """The buttons 上へ/下へ: the current KPI of the table last used."""
        table = self.current_table()
        if table is not None:
            self.move(table.current_kpi(), step)

    def delete_current(self) -> None:
        """The button 削除…: the current KPI of the table last used."""
        table = self.current_table()
        if table is not None:
            self.delete(table.current_kpi())

    def details_current(self) -> None:
        """The button 詳細…: the current KPI of the table last used."""
        table = self.current_table()
        if table is not None:
            self.show_details(table.current_kpi())

    def show_details(self, kpi: Kpi) -> KpiDetailsDialog | None:
        """Open 「指標の詳細」 on a KPI, modal to the window; OK applies it as one undo step."""
        if self.document.read_only:
            return None
        made = self.section_of(fields.owner_of(self.document.report, kpi))
        self.details = KpiDetailsDialog(self.document, kpi, self.window())
        self.details.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details.destroyed.connect(lambda _o=None: setattr(self, "details", None))
        if made is not None:
            # The keyboard comes back to the KPI's row when the dialog closes.
            self.details.finished.connect(lambda _r, made=made, kpi=kpi: self._back_to(made, kpi))
        self.details.open()
        return self.details

    def _back_to(self, made: KpiSection, kpi: Kpi) -> None:
        if made.model.row_of(kpi) >= 0:
            made.table.select(kpi, max(made.table.currentIndex().column(), 0))
            made.table.activateWindow()
            made.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def move(self, kpi: Kpi, step: int) -> None:
        """Move a KPI up or down among its node's; the keyboard stays on it."""
        made = self.section_of(fields.owner_of(self.document.report, kpi))
        column = made.table.currentIndex().column() if made is not None else 0
        if self.document.apply(tr("指標の移動"), editing.move_by(self.document.report, kpi, step)):
            made = self.section_of(fields.owner_of(self.document.report, kpi))
            if made is not None:
                made.table.select(kpi, max(column, 0))
                made.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def delete(self, kpi: Kpi) -> None:
        """Delete a KPI with its values, after confirmation."""
        made = self.section_of(fields.owner_of(self.document.report, kpi))
        row = made.model.row_of(kpi) if made is not None else -1
        if self.document.read_only or not self.confirm_delete(kpi):
            return
        done = self.document.apply(tr("指標の削除"), editing.remove(self.document.report, kpi))
        if done and made is not None and made.model.rowCount():
            made.table.setCurrentIndex(made.model.index(min(row, made.model.rowCount() - 1), 0))
            made.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm_delete(self, kpi: Kpi) -> bool:
        """Ask before deleting, as the editor asks for any node."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("削除の確認"),
            tr("指標「{0}」を削除しますか？").replace("{0}", kpi.name or tr("(名前なし)")),
            parent=self,
        )
        box.setInformativeText(
            tr("年度ごとの値 {0} 件も削除されます。").replace("{0}", str(len(kpi.values)))
            + "\n"
            + tr("削除は「元に戻す」(Ctrl+Z)で取り消せます。")
        )
        delete = box.addButton(tr("削除する"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(tr("キャンセル"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is delete
