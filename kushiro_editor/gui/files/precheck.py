"""書き出す前の確かめ: before the Word or PDF for submission, what the review still finds.

A draft (Excel, JSON, printing) goes out without it: only the files a clerk submits
are held up, and only until the clerk says "export anyway".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import analyser, review
from ...core.model import Report
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)

SUBMISSION_KEYS = ("docx", "pdf")  # the formats a clerk submits (registry keys)

# (entry's position in the report, field, rule, detail): found on a copy of the
# report in the background, placed again on the open report's own entries.
Found = tuple[int, str, str, str]


def open_findings(report: Report, departments: list[str] | None, limit: int) -> list[Found]:
    """The review's findings of a report, by position in review.subjects (runs off the window)."""
    position = {id(node): index for index, (_g, _d, node, _o) in enumerate(review.subjects(report))}
    findings = review.check(
        report, limit=limit, departments=departments, use_analyser=analyser.is_loaded()
    )
    return [(position[id(f.entry)], f.field, f.rule, f.detail) for f in findings]


class PreExportDialog(QDialog):
    """The findings still open, with 「そのまま書き出す」, 「点検の欄を開く」 and キャンセル."""

    REVIEW = 2  # the result when the clerk chose to look at the review first
    JUMP = 3  # the result when a finding was double-clicked: ``chosen`` holds its place

    def __init__(
        self, report: Report, found: list[Found], format_label: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("書き出す前の確かめ"))
        self.chosen: tuple[object, str] | None = None
        subjects = review.subjects(report)
        carried = sum(1 for _p, _f, rule, _d in found if rule == "carried")
        summary = self.tr("提出前の点検で {0} 件見つかっています。").replace(
            "{0}", f"{len(found):,}"
        )
        if carried:
            summary += self.tr("うち前年度の文章のまま確認していないものが {0} 件です。").replace(
                "{0}", f"{carried:,}"
            )
        summary += self.tr("このまま{0}で書き出しますか？").replace("{0}", format_label)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(
            [self.tr("場所"), self.tr("欄"), self.tr("点検"), self.tr("内容")]
        )
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.header().setStretchLastSection(True)
        for position, field, rule, detail in found:
            goal, direction, node, owner = subjects[position]
            finding = review.Finding(goal, direction, node, field, rule, detail, owner)
            item = QTreeWidgetItem(
                [
                    finding.where,
                    review.FIELD_LABELS[field],
                    review.RULE_LABELS[rule],
                    detail,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, (node, field))
            self.list.addTopLevelItem(item)
        self.list.itemActivated.connect(self._jump)
        hint = QLabel(self.tr("行をダブルクリックすると、その文章を開きます。"))
        buttons = QDialogButtonBox()
        self.export_button = QPushButton(self.tr("そのまま書き出す(&E)"))
        self.review_button = QPushButton(self.tr("点検の欄を開く(&R)"))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.review_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Enter alone must not send an unchecked report: the list has the keyboard.
        self.export_button.setAutoDefault(False)
        self.review_button.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.review_button.clicked.connect(lambda: self.done(self.REVIEW))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.list.setFocus()
        fit_to_screen(self, QSize(900, 520))

    def _jump(self, item: QTreeWidgetItem) -> None:
        self.chosen = item.data(0, Qt.ItemDataRole.UserRole)
        self.done(self.JUMP)
