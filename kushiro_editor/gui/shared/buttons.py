"""The row of buttons under a dialog: OK named for what it does, and キャンセル."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox


def ok_cancel(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    """OK and Cancel in Japanese (Qt's own words stay English without a translator
    loaded), wired to the dialog's accept and reject; ``buttons.ok`` is the OK button."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    buttons.ok.setText(ok_text)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(dialog.tr("キャンセル"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
