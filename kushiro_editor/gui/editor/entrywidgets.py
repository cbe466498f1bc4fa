"""The pieces of a direction's editor: a measure, a department row, the projects."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core import richtext
from ...core.model import (
    STATE_CARRIED,
    STATE_CONFIRMED,
    Direction,
    Entry,
    MainProject,
    Measure,
    parse_departments,
)
from .previousplanbox import PreviousPlanBox
from .richedit import FocusTinted, RichTextEdit, plain_length

logger = logging.getLogger(__name__)

DEPARTMENT_WIDTH = 160


# A line may break after 「・」 and before 「(」, nowhere else in a short mark.
_PHRASE = re.compile(r"[^・(]+・?|\([^)]*\)?|・")
_WORD_JOINER = "\u2060"  # no break here (Qt's line breaking honours it; rich text's nowrap not)


def phrased(text: str) -> str:
    """A short label that wraps only between its phrases.

    Japanese breaks a line between any two characters: in the narrow 所管部署
    column 「未確認」 came out as 「未確」/「認」.
    """
    return "".join(_WORD_JOINER.join(part) for part in _PHRASE.findall(text))


def tint(
    widget: QWidget,
    color: str | None = None,
    *,
    bold: bool | None = None,
    background: str | None = None,
) -> None:
    """Colour and weight through the palette and font: style sheets paint far slower."""
    palette = widget.palette()
    if color is not None:
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.ButtonText,
            QPalette.ColorRole.Text,
        ):
            palette.setColor(role, QColor(color))
    if background is not None:
        palette.setColor(QPalette.ColorRole.Window, QColor(background))
        widget.setAutoFillBackground(True)
    widget.setPalette(palette)
    if bold is not None:
        font = widget.font()
        font.setBold(bold)
        widget.setFont(font)


class SectionLabel(QLabel):
    """A section heading with a rule under it."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        tint(self, "#1f3a5f", bold=True)
        self.setContentsMargins(0, 6, 0, 3)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(QColor("#9fb3c8"))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)


def section(title: str) -> QLabel:
    return SectionLabel(title)


class _ActionButton(QToolButton):
    def __init__(self, tooltip: str) -> None:
        super().__init__()
        self.setText("…")
        self.setToolTip(tooltip)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(True)
        self.setMenu(QMenu(self))

    def add_moves(self, view: QWidget, row: Callable[[], object]) -> None:
        """上へ移動 / 下へ移動, offered only where the row can go, with the keys that do it
        from inside the row (the window's own move actions)."""
        menu = self.menu()
        up = menu.addAction(self.tr("上へ移動"), lambda: view.move(row(), -1))
        down = menu.addAction(self.tr("下へ移動"), lambda: view.move(row(), 1))
        for action, keys in ((up, "Ctrl+Shift+Up"), (down, "Ctrl+Shift+Down")):
            action.setShortcut(QKeySequence(keys))
            # Shown in the menu; pressed in the row, the window's action takes them.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setShortcutVisibleInContextMenu(True)

        def place() -> None:
            first, last = view.row_place(row())
            up.setEnabled(not first)
            down.setEnabled(not last)

        menu.aboutToShow.connect(place)


class MeasureWidget(QFrame):
    """ア: the title on one line, the description below."""

    def __init__(self, view: QWidget) -> None:
        super().__init__()
        self.view = view
        self.measure: Measure | None = None
        self.highlighted = False
        self.label = QLabel()
        self.label.setMinimumWidth(28)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("施策の題名"))
        self.title.editingFinished.connect(self._rename)
        self.body = RichTextEdit(minimum_lines=2)
        self.body.setAccessibleName(self.tr("施策の説明"))
        self.actions = _ActionButton(self.tr("施策の操作"))
        menu = self.actions.menu()
        self.actions.add_moves(view, lambda: self.measure)
        menu.addSeparator()
        menu.addAction(self.tr("この施策を削除…"), lambda: self.view.delete(self.measure))
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.label)
        top.addWidget(self.title, 1)
        top.addWidget(self.actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.body)

    def bind(self, measure: Measure) -> None:
        """Show a measure."""
        self.measure = measure
        self.label.setText(measure.label)
        if self.title.text() != measure.title:
            self.title.setText(measure.title)
        self.body.bind(self.view.document.text_document(measure, "body"))
        self.set_highlight(False)

    def set_read_only(self, read_only: bool) -> None:
        """Show only."""
        self.title.setReadOnly(read_only)
        self.body.setReadOnly(read_only)
        self.actions.setEnabled(not read_only)

    def set_highlight(self, on: bool) -> None:
        """Mark the measure selected in the tree."""
        if self.highlighted != on:
            self.highlighted = on
            self.setAutoFillBackground(on)
            palette = self.palette()
            palette.setColor(
                QPalette.ColorRole.Window,
                QColor("#fff6d5")
                if on
                else self.parentWidget().palette().window().color()
                if self.parentWidget()
                else QColor("#ffffff"),
            )
            self.setPalette(palette)

    def _rename(self) -> None:
        if self.measure is not None and self.title.text().strip() != self.measure.title:
            self.view.document.rename(self.measure, self.title.text().strip())


class DepartmentEdit(FocusTinted, QPlainTextEdit):
    """The departments of an entry, one per line (a joint row has two lines)."""

    editing_finished = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setPlaceholderText(self.tr("所管部署"))
        self.setToolTip(self.tr("共同の行は部署を1行に1つずつ書きます"))
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def names(self) -> list[str]:
        """The department names written."""
        return parse_departments(self.toPlainText())

    def set_names(self, names: list[str]) -> None:
        """Show department names, one per line."""
        text = "\n".join(names)
        if self.toPlainText() != text:
            self.setPlainText(text)

    def _fit(self) -> None:
        lines = max(1, self.document().blockCount())
        height = self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 10
        self.setFixedHeight(height)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.show_focus(True)  # tinted like the text cells beside it

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.show_focus(False)
        self.editing_finished.emit()


class EntryWidget(QFrame):
    """One department row: departments, 実績 and 取組予定 side by side, with counts."""

    def __init__(self, view: QWidget) -> None:
        super().__init__()
        self.view = view
        self.entry: Entry | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.departments = DepartmentEdit()
        self.departments.editing_finished.connect(self._set_departments)
        self.actual = RichTextEdit()
        self.plan = RichTextEdit()
        self.actual.partner, self.plan.partner = self.plan, self.actual
        for editor in (self.actual, self.plan):  # (a row submitted meanwhile is closed)
            editor.focus_entered.connect(self.refresh_lock)
        sharing = getattr(view.document, "sharing", None)
        if sharing is not None:
            sharing.access_changed.connect(self.refresh_lock)
        self.actual.setAccessibleName(self.tr("実績"))
        self.plan.setAccessibleName(self.tr("取組予定"))
        self.actual_count = QLabel()
        self.plan_count = QLabel()
        for label in (self.actual_count, self.plan_count):
            label.setAlignment(Qt.AlignmentFlag.AlignRight)
            tint(label, "#555555")
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        tint(self.state, "#9a5b00")
        # Why this login cannot change the row (another department's, or submitted).
        self.lock = QLabel()
        self.lock.setWordWrap(True)
        tint(self.lock, "#555555")
        self.lock.hide()
        self.locked = ""
        self.confirm_button = QToolButton()
        self.confirm_button.setText(self.tr("確認済みにする"))
        self.confirm_button.setToolTip(self.tr("引き継いだ文章がこのままで正しいことを記録します"))
        self.confirm_button.clicked.connect(lambda: self.view.document.confirm(self.entry))
        self.compare_button = QToolButton()
        self.compare_button.setText(self.tr("前年度と比較"))
        self.compare_button.setAutoRaise(True)
        self.compare_button.clicked.connect(lambda: self.view.compare_requested.emit(self.entry))
        self.actions = _ActionButton(self.tr("行の操作"))
        menu = self.actions.menu()
        self.actions.add_moves(view, lambda: self.entry)
        menu.addAction(self.tr("この下に行を追加"), lambda: self.view.add_entry(after=self.entry))
        menu.addSeparator()
        menu.addAction(self.tr("この行を削除…"), lambda: self.view.delete(self.entry))
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.departments)
        left.addWidget(self.state)
        left.addWidget(self.lock)
        left.addWidget(self.confirm_button)
        left.addWidget(self.compare_button)
        row = QHBoxLayout()
        row.addWidget(self.actions)
        row.addStretch(1)
        left.addLayout(row)
        left.addStretch(1)
        # The left column keeps the heading's width whatever its labels say.
        left_box = QWidget()
        self.left_box = left_box
        self.look = ""  # "", "carried" or "confirmed": how the row is marked now
        self.state_text = ""  # the mark under the departments, as plain text
        left_box.setFixedWidth(DEPARTMENT_WIDTH)
        left_box.setLayout(left)
        left.setContentsMargins(0, 0, 0, 0)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(1)
        grid.addWidget(left_box, 0, 0, Qt.AlignmentFlag.AlignTop)
        # Last year's plan directly under the 実績 it is written from; no room without one.
        # Each text column stacks on its own, so that the plan rises with a short 実績
        # (the editors end level with it, see RichTextEdit.below).
        self.previous_plan = PreviousPlanBox()
        self.previous_plan.setVisible(False)
        self.actual.below = self.previous_plan
        self.previous_plan.folded.connect(self.actual.refit)
        for column, widgets in (
            (1, (self.actual, self.actual_count, self.previous_plan)),
            (2, (self.plan, self.plan_count)),
        ):
            stack = QVBoxLayout()
            stack.setSpacing(1)
            for widget in widgets:
                stack.addWidget(widget)
            stack.addStretch(1)
            grid.addLayout(stack, 0, column)
        grid.setColumnStretch(0, 0)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.departments.setFixedWidth(DEPARTMENT_WIDTH)
        self._documents = []
        self.pending = False
        # An editor left for later is bound before the first keystroke reaches it.
        for editor in (self.actual, self.plan):
            editor.focus_entered.connect(self._complete_if_pending)

    def _complete_if_pending(self) -> None:
        if self.pending:
            self.complete()

    def bind(self, entry: Entry, *, later: bool = False) -> None:
        """Show an entry; with ``later`` its texts are laid out when first needed.

        An entry below the visible part of the view is sized from an estimate
        and bound a moment later (or as soon as it is scrolled to or focused),
        so that switching directions lays out only what can be seen.
        """
        self.entry = entry
        self.refresh_departments()
        for document in self._documents:
            document.contentsChanged.disconnect(self.update_counts)
        self._documents = []
        self.pending = later
        if later:
            for editor, field in ((self.actual, "actual"), (self.plan, "plan")):
                editor.show_placeholder(getattr(entry, field))
            self.update_counts()
        else:
            self.complete()
        self.refresh_state()
        self.refresh_lock()

    def refresh_lock(self) -> None:
        """Read-only, with the reason beside it, where the server would refuse this login's
        change (another department's row, or its own while submitted)."""
        if self.entry is None:
            return
        sharing = getattr(self.view.document, "sharing", None)
        reason = "" if self.view.read_only or sharing is None else sharing.lock_of(self.entry)
        if reason == self.locked:
            return
        self.locked = reason
        self.set_read_only(self.view.read_only)
        self.lock.setText(reason)
        self.lock.setVisible(bool(reason))

    def complete(self) -> None:
        """Bind the entry's texts to the editors (now, if it was left for later)."""
        document = self.view.document
        entry = self.entry
        self.pending = False
        actual = document.text_document(entry, "actual")
        plan = document.text_document(entry, "plan")
        self.actual.bind(actual)
        self.plan.bind(plan)
        self._documents = [actual, plan]
        for text in self._documents:
            text.contentsChanged.connect(self.update_counts)
        self.update_counts()
        self.refresh_previous_plan()

    def refresh_previous_plan(self) -> None:
        """Last year's 取組予定 of the row under its 実績, when there is one and it is wanted."""
        entry = self.entry
        wanted = self.view.show_previous_plans and entry is not None
        plan = self.view.document.previous_plans().of(entry) if wanted else ""
        box = self.previous_plan
        changed = box.isHidden() == bool(plan)
        if plan:
            if box.text.font() != self.view.document.font:
                box.text.setFont(self.view.document.font)  # zooms with the editors
            # Until the row is bound its 実績 is compared as stored.
            changed |= box.show_plan(plan, entry.actual if self.pending else self._documents[0])
        box.setVisible(bool(plan))
        if changed:
            self.actual.refit()

    def estimated_height(self) -> int:
        """Roughly how tall the entry will be, before its texts are laid out."""
        return max(self.actual.estimate(self.entry.actual), self.plan.estimate(self.entry.plan))

    def set_read_only(self, read_only: bool) -> None:
        """Show only (the whole window, or this row for the connected login)."""
        read_only = read_only or bool(self.locked)
        for editor in (self.departments, self.actual, self.plan):
            editor.setReadOnly(read_only)
        self.actions.setEnabled(not read_only)
        self.confirm_button.setEnabled(not read_only)

    def refresh_departments(self) -> None:
        """Show the entry's departments as the store has them."""
        self.departments.set_names(self.entry.departments)

    def refresh_state(self) -> None:
        """Review marks of the entry, and its buttons only where something was carried over.

        A carried text still unconfirmed is orange with 「確認済みにする」; a confirmed
        one is green with a check; 「前年度と比較」 shows wherever last year's texts
        came with the row.
        """
        entry = self.entry
        states = (entry.actual_state, entry.plan_state)
        carried = STATE_CARRIED in states
        confirmed = not carried and STATE_CONFIRMED in states
        text = self.view.document.entry_state_text(entry)
        if confirmed:
            text = self.tr("✓ 確認済み(前年度から引継ぎ)")
        look = "carried" if carried else "confirmed" if confirmed else ""
        if look != self.look:
            self.look = look
            colour = {"carried": "#9a5b00", "confirmed": "#1b6e35"}.get(look, "#555555")
            tint(self.state, colour, bold=bool(look))
            palette = self.left_box.palette()
            palette.setColor(
                QPalette.ColorRole.Window,
                QColor({"carried": "#fff4e0", "confirmed": "#e6f4ea"}.get(look, "#00000000")),
            )
            self.left_box.setPalette(palette)
            self.left_box.setAutoFillBackground(bool(look))
        self.state_text = text
        self.state.setText(phrased(text))
        self.state.setAccessibleName(text)
        self.state.setVisible(bool(text))
        self.confirm_button.setVisible(carried)
        came_over = (
            carried
            or confirmed
            or entry.previous_actual is not None
            or entry.previous_plan is not None
        )
        self.compare_button.setVisible(came_over)
        self.refresh_previous_plan()

    def update_counts(self) -> None:
        """The live character counts under the editors."""
        limit = self.view.length_limit
        for label, editor, field in (
            (self.actual_count, self.actual, "actual"),
            (self.plan_count, self.plan, "plan"),
        ):
            count = (
                richtext.char_count(getattr(self.entry, field))
                if self.pending
                else plain_length(editor.document())
            )
            label.setText(self.tr("{0}字").replace("{0}", f"{count:,}"))
            over = bool(limit and count > limit)
            if label.property("over") != over:
                label.setProperty("over", over)
                tint(label, "#b00020" if over else "#555555", bold=over)

    def _set_departments(self) -> None:
        if self.entry is None:
            return
        names = self.departments.names()
        if names != self.entry.departments:
            self.view.document.set_departments(self.entry, names)


class ProjectModel(QAbstractTableModel):
    """【主な事業】 of the shown direction: the name, and whether it is 【再掲】."""

    def __init__(self, view: QWidget) -> None:
        super().__init__()
        self.view = view
        self.direction: Direction | None = None

    def set_direction(self, direction: Direction | None) -> None:
        """Show another direction's projects."""
        self.beginResetModel()
        self.direction = direction
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return (
            0 if parent.isValid() or self.direction is None else len(self.direction.main_projects)
        )

    def columnCount(self, parent=QModelIndex()) -> int:
        return 2

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("事業名"), self.tr("再掲"))[section]
        return None

    def project(self, row: int) -> MainProject:
        """The project on a row."""
        return self.direction.main_projects[row]

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        project = self.project(index.row())
        if index.column() == 0 and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return project.name
        if index.column() == 1 and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if project.relisted else Qt.CheckState.Unchecked
        return None

    def flags(self, index):
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        else:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        project = self.project(index.row())
        if index.column() == 0 and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != project.name:
                self.view.document.rename(project, name)
                return True
        if index.column() == 1 and role == Qt.ItemDataRole.CheckStateRole:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self.view.document.set_relisted(project, checked)
            return True
        return False

    def refresh(self) -> None:
        """The direction's projects changed (added, removed, renamed, moved)."""
        self.beginResetModel()
        self.endResetModel()
