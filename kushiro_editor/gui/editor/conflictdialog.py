"""「同時に変更された文章」: a text two people changed at once, both sides shown.

As the inquiry review shows an answer beside the clerk's change: each side
as its change from the text both started from, and one choice — keep mine,
take theirs, or write both (mine, then theirs, to be tidied by hand).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...core.versions import Conflict
from ..shared.changes import FIRST_CHANGE, change_html
from ..shared.fit import fit_to_screen, scrolled

logger = logging.getLogger(__name__)

MINE = "mine"
THEIRS = "theirs"
BOTH = "both"


class ConflictDialog(QDialog):
    """Both sides of a text changed here and by someone else; the choice is one of three."""

    def __init__(self, conflict: Conflict, where: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("同時に変更された文章"))
        self.choice = BOTH  # closing the dialog loses nothing: both texts are kept
        intro = QLabel(
            self.tr(
                "{0} は、あなたが書いている間にほかの人も変更して保存しました。"
                "どちらの文章にするか選んでください。"
            ).replace("{0}", where)
        )
        intro.setWordWrap(True)
        self.mine = QTextBrowser()
        self.mine.setHtml(change_html(conflict.base, conflict.mine))
        self.theirs = QTextBrowser()
        self.theirs.setHtml(change_html(conflict.base, conflict.theirs))
        for pane in (self.mine, self.theirs):
            pane.setMinimumHeight(60)
            pane.scrollToAnchor(FIRST_CHANGE)
        self.keep_button = QPushButton(self.tr("自分の文章を残す"))
        self.take_button = QPushButton(self.tr("相手の文章にする"))
        self.both_button = QPushButton(self.tr("両方を残す"))
        self.both_button.setToolTip(
            self.tr("自分の文章の後に相手の文章を続けます。あとで直してください。")
        )
        for button, choice in (
            (self.keep_button, MINE),
            (self.take_button, THEIRS),
            (self.both_button, BOTH),
        ):
            button.clicked.connect(lambda _checked=False, choice=choice: self.choose(choice))
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("あなたの変更")), 0, 0)
        grid.addWidget(QLabel(self.tr("ほかの人の変更(保存済み)")), 0, 1)
        grid.addWidget(self.mine, 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(intro)
        content.addLayout(grid, 1)
        row = QHBoxLayout()
        row.addWidget(self.keep_button)
        row.addWidget(self.take_button)
        row.addWidget(self.both_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolled(body), 1)
        layout.addLayout(row)
        self.both_button.setDefault(True)
        fit_to_screen(self, QSize(900, 520))

    def choose(self, choice: str) -> None:
        """Decide and close."""
        self.choice = choice
        self.accept()
