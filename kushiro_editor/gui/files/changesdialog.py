"""Word で書き出し: whether the file shows, as Word's tracked changes, what changed since
an earlier report (last year's, or a snapshot named by hand), and which one.

Asked only when there is something to compare with; the file for submission
stays the plain table unless the clerk ticks the box.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...core.earlier import Earlier
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)


class WordExportDialog(QDialog):
    """「前年度との変更を変更履歴で示す」 and the report to compare with."""

    def __init__(self, choices: list[Earlier], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Word で書き出し"))
        self.choices = choices
        layout = QVBoxLayout(self)
        self.show_changes = QCheckBox(self.tr("前年度との変更を変更履歴で示す(&C)"))
        layout.addWidget(self.show_changes)
        form = QFormLayout()
        self.against = QComboBox()
        # A snapshot's name can be long: the list shows it whole, the box does not grow.
        self.against.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.against.setMinimumContentsLength(24)
        for choice in choices:
            self.against.addItem(choice.label)
        self.against.setEnabled(False)
        label = QLabel(self.tr("比べる報告(&B):"))
        label.setBuddy(self.against)
        form.addRow(label, self.against)
        layout.addLayout(form)
        self.note = QLabel(
            self.tr(
                "比べる報告から変わった文章を、Word の［校閲］で見られる変更履歴"
                "(挿入と削除)として書き込みます。すべての変更を承諾すると今の報告になります。"
            )
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = ok_cancel(self, self.tr("書き出し先を選ぶ…"))
        self.ok_button = buttons.ok
        layout.addWidget(buttons)
        self.show_changes.toggled.connect(self.against.setEnabled)
        fit_to_screen(self, QSize(520, self.sizeHint().height()))

    @property
    def chosen(self) -> Earlier | None:
        """The report to show the changes against, or None for the plain table."""
        if not self.show_changes.isChecked():
            return None
        return self.choices[self.against.currentIndex()]
