"""前年度との比較: an entry's texts beside last year's, character by character."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ...core import diff, fiscal, richtext
from ...core.model import TEXT_LABELS, Entry
from ..editor.document import ReportDocument
from ..shared.fit import fit_to_screen


def diff_html(spans: list[diff.Span], side: str) -> str:
    """One side of a comparison as display HTML (the editor's own text is never HTML)."""
    parts = []
    for span in spans:
        text = span.old if side == "old" else span.new
        text = html.escape(text).replace("\n", "<br>")
        if span.op == "equal" or not text:
            parts.append(text)
        elif side == "old":
            parts.append(
                f'<span style="background:#fde2e1;color:#8a1c1c;'
                f'text-decoration:line-through">{text}</span>'
            )
        else:
            parts.append(
                f'<span style="background:#dff3e4;color:#14532d;font-weight:bold">{text}</span>'
            )
    return "".join(parts)


class CompareDialog(QDialog):
    """Last year's texts beside this year's, character by character."""

    def __init__(
        self,
        document: ReportDocument,
        entry: Entry,
        previous: dict[str, str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        report = document.report
        self.setWindowTitle(self.tr("前年度との比較: {0}").replace("{0}", entry.department_label))
        fit_to_screen(self, QSize(1000, 640))
        self.document = document
        self.entry = entry
        self.previous = previous
        self.column = QComboBox()
        self.column.addItem(self.tr("実績 ↔ 前年度の実績"), ("actual", "actual"))
        self.column.addItem(self.tr("実績 ↔ 前年度の取組予定(下書きの元)"), ("actual", "plan"))
        self.column.addItem(self.tr("取組予定 ↔ 前年度の取組予定"), ("plan", "plan"))
        self.column.currentIndexChanged.connect(self.refresh)
        self.old_label = QLabel()
        self.new_label = QLabel()
        self.old = QTextBrowser()
        self.new = QTextBrowser()
        for browser in (self.old, self.new):
            browser.setOpenLinks(False)
            browser.setOpenExternalLinks(False)
        self.ratio = QLabel()
        grid = QGridLayout()
        grid.addWidget(self.old_label, 0, 0)
        grid.addWidget(self.new_label, 0, 1)
        grid.addWidget(self.old, 1, 0)
        grid.addWidget(self.new, 1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.column)
        layout.addLayout(grid, 1)
        layout.addWidget(self.ratio)
        layout.addWidget(buttons)
        self.years = (
            fiscal.short_label(report.actual_year - 1),
            fiscal.short_label(report.actual_year),
        )
        self.refresh()

    def refresh(self) -> None:
        """Show the chosen pair of columns."""
        field, previous_field = self.column.currentData()
        names = TEXT_LABELS
        old_text = richtext.to_plain(self.previous.get(previous_field) or "")
        new_text = richtext.to_plain(self.document.current_text(self.entry, field))
        spans = diff.compare(old_text, new_text)
        self.old_label.setText(self.tr("前年度の{0}").replace("{0}", names[previous_field]))
        self.new_label.setText(self.tr("今年度の{0}").replace("{0}", names[field]))
        self.old.setHtml(diff_html(spans, "old") or self.tr("(前年度の文章はありません)"))
        self.new.setHtml(diff_html(spans, "new") or self.tr("(まだ書かれていません)"))
        changed = sum(len(s.new) for s in spans if s.op in ("insert", "replace"))
        self.ratio.setText(
            self.tr("前年度と同じ部分: {0}%、書き換え・追加: {1}字")
            .replace("{0}", str(round(diff.similarity(old_text, new_text) * 100)))
            .replace("{1}", str(changed))
        )
