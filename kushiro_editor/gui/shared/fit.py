"""Dialogs that fit the screen they open on, a 1280×720 laptop included."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QWidget

# Room left for the window frame and title bar, which availableGeometry includes.
_FRAME = QSize(16, 48)


def fit_to_screen(dialog: QDialog, wanted: QSize) -> None:
    """Size a dialog as wanted but never beyond its screen's free area, and place it inside."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is None:
        dialog.resize(wanted)
        return
    room = screen.availableGeometry()
    size = wanted.boundedTo(room.size() - _FRAME)
    dialog.resize(size)
    # A minimum from the layout must not push the buttons off the screen either.
    dialog.setMaximumSize(room.size() - _FRAME)
    left = room.x() + max(0, (room.width() - size.width() - _FRAME.width()) // 2)
    top = room.y() + max(0, (room.height() - size.height() - _FRAME.height()) // 2)
    dialog.move(left, top)


def scrolled(widget: QWidget) -> QScrollArea:
    """A widget in its own scroll area, so that a small screen scrolls it instead of cutting it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    # Tab goes to the fields inside (the area scrolls to each), never to the area
    # itself, which shows no sign of having the keyboard.
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area
