"""Dialogs that fit the screen they open on, a 1280×720 laptop included."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

# Room left for the window manager's title bar and frame, which Qt does not know of
# before the dialog is shown.
FRAME_ALLOWANCE = 60


def fit_dialog(dialog: QWidget, width: int, height: int) -> None:
    """Give a dialog its preferred size, or as much of the screen's free area as there is."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QApplication.primaryScreen()
    if screen is None:
        dialog.resize(width, height)
        return
    room = screen.availableGeometry()
    dialog.resize(min(width, room.width() - 40), min(height, room.height() - FRAME_ALLOWANCE))
