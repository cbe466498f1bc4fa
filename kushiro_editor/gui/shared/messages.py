"""Questions and warnings in a message box, their question never broken mid-word.

Japanese breaks a line between any two characters, and a message box wraps
its text at about 500 pixels: a question of 40 characters came out as
「…戻します」/「か？」. Here the question is the box's text, kept on lines of
its own as written, and what explains it is the box's informative text, which
may wrap like any paragraph; the box is as wide as the question's longest line
needs, within the screen.
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

Button = QMessageBox.StandardButton

# What a box leaves beside its text: its icon, margins and spacing.
_BESIDE_TEXT = 140
# What a title bar leaves beside its title: the icon and the close button.
_BESIDE_TITLE = 120


def _widest(box: QMessageBox, text: str) -> int:
    metrics = QFontMetrics(box.font())
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    question: str,
    detail: str = "",
    buttons: Button = Button.Ok,
    default: Button = Button.NoButton,
) -> QMessageBox:
    """A box whose ``question`` keeps its lines whole; ``detail`` wraps below it."""
    box = QMessageBox(icon, title, question, buttons, parent)
    if detail:
        box.setInformativeText(detail)
    if default != Button.NoButton:
        box.setDefaultButton(default)
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    room = screen.availableGeometry().width() - _BESIDE_TEXT - 40 if screen else 900
    # A few pixels over the measure: a renderer's line may be a hair wider.
    width = min(_widest(box, question) + 8, room)
    box.setStyleSheet(
        f"QLabel#qt_msgbox_label {{ min-width: {width}px; }}"
        f"QLabel#qt_msgbox_informativelabel {{ min-width: {width}px; }}"
    )
    return box


def ask(
    parent: QWidget | None,
    title: str,
    question: str,
    detail: str = "",
    buttons: Button = Button.Yes | Button.No,
    default: Button = Button.No,
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> Button:
    """Ask, and return the button pressed."""
    box = message_box(parent, icon, title, question, detail, buttons, default)
    box.exec()
    return box.standardButton(box.clickedButton())


def warn(parent: QWidget | None, title: str, message: str, detail: str = "") -> None:
    """Say what went wrong (and what to do, in ``detail``)."""
    message_box(parent, QMessageBox.Icon.Warning, title, message, detail).exec()


class _InputDialog(QInputDialog):
    """QInputDialog sizes itself to its field when shown: widened again after that."""

    wanted = 0

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.width() < self.wanted:
            self.resize(self.wanted, self.height())


def input_dialog(parent: QWidget | None, title: str, label: str, items: list[str] | None = None):
    """A one-line question (a name, or one of ``items``) whose title is never cut.

    Qt sizes such a dialog to its field alone, and the window title of 「スナップショットの
    名前」 came out as 「スナップ…」.
    """
    dialog = _InputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    if items is not None:
        dialog.setComboBoxItems(items)
        dialog.setComboBoxEditable(False)
    metrics = QFontMetrics(dialog.font())
    dialog.wanted = (
        max(metrics.horizontalAdvance(title) + _BESIDE_TITLE, metrics.horizontalAdvance(label)) + 40
    )
    return dialog


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """A line typed by the user, or None when cancelled."""
    dialog = input_dialog(parent, title, label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    return dialog.textValue() if dialog.exec() else None


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """One of ``items`` chosen by the user, or None when cancelled."""
    dialog = input_dialog(parent, title, label, items)
    return dialog.textValue() if dialog.exec() else None
