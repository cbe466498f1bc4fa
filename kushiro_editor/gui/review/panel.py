"""提出前の点検: the review panel beside the editor.

It lists the review's findings (:mod:`kushiro_editor.core.review`) and, as a
kind of their own, the notation findings (表記の揺れ, :mod:`..core.notation`)
with the form each would take, offered to 「まとめて直す…」. Both are found
off the window's thread (:mod:`.backgroundcheck`): typing never waits for a
check, and while one runs the panel says 「点検中…」 beside the rows of the
last check.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QRect, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import inquiryrecord, notation, notationfile, review
from ...core.model import ReportError
from ..editor.document import ReportDocument
from .backgroundcheck import NotationChecker, ReviewChecker

logger = logging.getLogger(__name__)

NOTATION = "notation"  # the filter's key for the notation findings


class ReviewPanel(QDockWidget):
    """提出前の点検: findings per entry, counts per goal and department, jump to each."""

    jump = Signal(object, str)  # entry, field
    jump_span = Signal(object, str, int, int)  # node, field, the span to select
    fix_requested = Signal()  # 「まとめて直す…」
    notation_checked = Signal(int)  # the notation findings are shown: how many
    review_checked = Signal(int)  # the review's findings are shown: how many

    def __init__(self, document: ReportDocument, settings, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("提出前の点検"), parent)
        self.setObjectName("reviewPanel")
        self.document = document
        self.settings = settings
        self.findings: list[review.Finding] = []
        self.notation_findings: list[notation.NotationFinding] = []
        self.review_checker = ReviewChecker(self)
        # One worker for both checks: the notation check starts when the review's
        # findings are shown, so that rows are never built while a check runs.
        self.checker = NotationChecker(self, self.review_checker.pool)
        self.checker.found.connect(self._notation_found)
        self.review_checker.found.connect(self._review_found)
        self.review_checker.failed.connect(self._review_failed)
        self.checker.failed.connect(self._notation_failed)
        self.failed = False  # the last review check raised (logged): say so, keep the rows
        self.notation_failed = False  # the last notation check raised (logged)
        body = QWidget()
        self.setWidget(body)
        self.limit = QSpinBox()
        self.limit.setRange(0, 20000)
        self.limit.setSingleStep(50)
        self.limit.setSuffix(self.tr(" 字"))
        self.limit.setSpecialValueText(self.tr("点検しない"))
        self.limit.setValue(int(settings.value("review/limit", review.DEFAULT_LIMIT)))
        self.limit.valueChanged.connect(self._limit_changed)
        self.rule = QComboBox()
        self.rule.addItem(self.tr("すべての点検"), "")
        for key, label in review.RULE_LABELS.items():
            self.rule.addItem(label, key)
        self.rule.addItem(self.tr("表記の揺れ"), NOTATION)
        self.rule.currentIndexChanged.connect(lambda _i: self._show())
        self.add_department = QPushButton(self.tr("部署の一覧に追加"))
        self.add_department.setToolTip(self.tr("選んだ部署名を正しい名前として一覧に加えます"))
        self.add_department.clicked.connect(self._add_department)
        self.add_department.setEnabled(False)
        self.fix_notation = QPushButton(self.tr("まとめて直す…"))
        self.fix_notation.setToolTip(
            self.tr("表記の揺れを、変更を一覧で確かめてからまとめて直します")
        )
        self.fix_notation.clicked.connect(self.fix_requested)
        self.fix_notation.setEnabled(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The lines that fit are shown (the whole text is its tooltip): the rows come first.
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.summary_text = ""
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("場所"), self.tr("欄"), self.tr("点検"), self.tr("内容")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 70)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.tree.currentItemChanged.connect(self._selection)
        # The panel shares a third of a 720-pixel-high window with its neighbours: the
        # rows take the whole height and the summary and the controls stand beside them.
        # The title stays across the top: run down the edge, Japanese reads sideways.
        limit_row = QHBoxLayout()
        limit_row.addWidget(QLabel(self.tr("文字数の上限:")))
        limit_row.addWidget(self.limit, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_department)
        buttons.addWidget(self.fix_notation)
        self.side = QWidget()
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(3)
        side.addWidget(self.summary, 1)
        side.addLayout(limit_row)
        side.addWidget(self.rule)
        side.addLayout(buttons)
        # As wide as the two buttons side by side, and never less than the summary needs.
        wide = buttons.sizeHint().width() + self.fontMetrics().horizontalAdvance("　" * 4)
        self.side.setFixedWidth(max(wide, self.fontMetrics().horizontalAdvance("　" * 22)))
        layout = QHBoxLayout(body)
        layout.setContentsMargins(2, 2, 4, 2)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.side)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        # Not checked yet: the panel checks when it is shown (showEvent).
        self._follow(document)

    def set_document(self, document: ReportDocument) -> None:
        """Check another report."""
        self._follow(document)
        self.refresh()

    def _follow(self, document: ReportDocument) -> None:
        self.document = document
        self.review_checker.invalidate()
        self.checker.invalidate()
        # One signal per change: keystrokes not yet saved leave the report as it was.
        document.changed.connect(self._later)

    @property
    def busy(self) -> bool:
        """Whether the review's findings wait for a check (under way or about to start)."""
        return self.review_checker.busy or self._timer.isActive()

    def stop(self) -> None:
        """No more refreshes (the window is closing)."""
        self._timer.stop()
        self.review_checker.invalidate()
        self.checker.invalidate()
        self.review_checker.wait()
        self.checker.wait()

    def _later(self, *_args) -> None:
        # A check under way read the report before this change: its answer is stale.
        self.review_checker.invalidate()
        self.checker.invalidate()
        if self.isVisible():
            self._timer.start()
            self._show_summary()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()
        # The field and rule columns fit their longest names (施策の説明, 前年度から
        # 引継ぎ・未確認) in the font the panel has once it is in the window (a wider
        # one is the user's).
        metrics = self.tree.fontMetrics()
        fields = {**review.FIELD_LABELS, **notation.FIELD_LABELS}.values()
        for column, names in ((1, fields), (2, review.RULE_LABELS.values())):
            needed = max(metrics.horizontalAdvance(name) for name in names) + 24
            if self.tree.columnWidth(column) < needed:
                self.tree.setColumnWidth(column, needed)

    def _limit_changed(self, value: int) -> None:
        self.settings.setValue("review/limit", value)
        self._later()  # a check under way counts against the old limit

    def refresh(self) -> None:
        """Check the report again; the findings come from the background (``review_checked``)."""
        self._timer.stop()
        report = self.document.report
        # Until the new findings come, those of nodes still in the report stay, under
        # 「点検中…」: a row must not lead to a deleted entry.
        entries = {id(node) for _goal, _direction, node, _owner in review.subjects(report)}
        alive = {id(node) for _goal, _direction, node, _name in notation.texts(report)}
        findings = [f for f in self.findings if id(f.entry) in entries]
        notation_findings = [f for f in self.notation_findings if id(f.node) in alive]
        gone = len(findings) + len(notation_findings) < len(self.findings) + len(
            self.notation_findings
        )
        self.findings, self.notation_findings = findings, notation_findings
        # The window's own work comes before the worker's: the two threads share one
        # interpreter lock, and rows built while a check runs wait for it at every call.
        self.checker.invalidate()  # checked again once the review's findings are in
        self.review_checker.check(report, self.limit.value(), self._departments())
        if gone:
            self._show()
        else:
            self._show_summary()

    def _departments(self) -> list[str] | None:
        document = self.document
        return inquiryrecord.known_departments(document.store, document.report.actual_year)

    def _check_notation(self) -> None:
        """The notation findings, after the review's (the same worker, one after the other)."""
        try:
            rules = notationfile.rules_of(self.document.store)
        except ReportError as exc:  # a broken rules file must not hide the other findings
            logger.warning("notation rules unreadable: %s", exc)
            rules = []
        self.checker.check(self.document.report, rules, self._departments() or ())

    def _review_found(self, findings: list[review.Finding]) -> None:
        self.findings = findings
        self.failed = False
        self._show()
        self.review_checked.emit(len(findings))
        self._check_notation()

    def _review_failed(self) -> None:
        self.failed = True
        self._show_summary()
        self._check_notation()

    def _notation_found(self, findings: list[notation.NotationFinding]) -> None:
        self.notation_findings = findings
        self.notation_failed = False
        self._show()
        self.notation_checked.emit(len(findings))

    def _notation_failed(self) -> None:
        # The rows of an earlier check would pass for this one's: they go, and the
        # summary says why.
        self.notation_findings = []
        self.notation_failed = True
        self._show()

    def _show(self) -> None:
        wanted = self.rule.currentData()
        shown = [f for f in self.findings if not wanted or f.rule == wanted]
        # The notation findings come a moment after the others: the list is built
        # twice, and the reader keeps their place in it.
        current = self.tree.currentItem()
        current_row = self.tree.indexOfTopLevelItem(current) if current is not None else -1
        scrolled = self.tree.verticalScrollBar().value()
        self.tree.setUpdatesEnabled(False)
        self.tree.clear()
        items = []
        for finding in shown:
            item = QTreeWidgetItem(
                [
                    finding.where,
                    review.FIELD_LABELS[finding.field],
                    review.RULE_LABELS[finding.rule],
                    finding.detail,
                ],
            )
            item.setToolTip(3, finding.detail)
            item.setData(0, Qt.ItemDataRole.UserRole, finding)
            items.append(item)
        if wanted in ("", NOTATION):
            kind = self.tr("表記の揺れ")
            for finding in self.notation_findings:
                detail = self.notation_detail(finding)
                item = QTreeWidgetItem(
                    [finding.place, notation.FIELD_LABELS[finding.field], kind, detail]
                )
                item.setToolTip(3, f"{detail}\n{finding.rule.note}".strip())
                item.setData(0, Qt.ItemDataRole.UserRole, finding)
                items.append(item)
        self.tree.addTopLevelItems(items)  # at once: one layout of the list, not one a row
        if 0 <= current_row < self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(current_row))
        self.tree.verticalScrollBar().setValue(scrolled)
        self.tree.setUpdatesEnabled(True)
        self.fix_notation.setEnabled(bool(self.notation_findings))
        self._show_summary()

    def notation_detail(self, finding: notation.NotationFinding) -> str:
        """What a notation row says: the change, its rule, the words around it."""
        return (
            self.tr("「{0}」→「{1}」({2}) …{3}…")
            .replace("{0}", finding.before)
            .replace("{1}", finding.after)
            .replace("{2}", finding.rule.label)
            .replace("{3}", finding.context)
        )

    def _show_summary(self) -> None:
        self.summary_text = self._summary_text()
        self.summary.setToolTip(self.summary_text)
        self._fit_summary()

    def _fit_summary(self) -> None:
        """The summary's lines that fit beside the rows, wrapped; the last one cut short."""
        metrics = self.summary.fontMetrics()
        width, room = max(self.summary.width(), 1), self.summary.height()
        shown: list[str] = []
        for line in self.summary_text.split("\n"):
            bound = QRect(0, 0, width, 100000)
            wrap = Qt.TextFlag.TextWordWrap
            used = sum(metrics.boundingRect(bound, wrap, s).height() for s in [*shown, line])
            if used <= room or not shown:
                shown.append(line)
                continue
            left = room - (used - metrics.boundingRect(bound, wrap, line).height())
            if left >= metrics.height():
                shown.append(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))
            break
        self.summary.setText("\n".join(shown))

    def resizeEvent(self, event) -> None:
        """The summary shows the lines that fit its new size."""
        super().resizeEvent(event)
        self._fit_summary()

    def _summary_text(self) -> str:
        """The counts first, then where they are (lines that do not fit are cut)."""
        if self.busy:
            return self.tr("点検中…")
        if self.failed:
            return self.tr("点検できませんでした(詳しくはログファイルにあります)。")
        lines = []
        if self.findings:
            lines.append(self.tr("確認が必要な箇所 {0} 件").replace("{0}", str(len(self.findings))))
        else:
            lines.append(self.tr("確認が必要な箇所はありません。提出できます。"))
        if self.notation_findings:
            lines[0] += self.tr("、表記の揺れ {0} 箇所").replace(
                "{0}", str(len(self.notation_findings))
            )
        if self.findings:
            goals, departments = review.counts_by(self.findings)
            per_goal = "、".join(f"{label} {count}" for label, count in goals.items())
            worst = "、".join(f"{name} {count}" for name, count in departments.most_common(5))
            lines.append(self.tr("基本目標別: {0}").replace("{0}", per_goal))
            lines.append(self.tr("多い部署: {0}").replace("{0}", worst))
        if self.notation_findings:
            lines.append(self.tr("表記の揺れは「まとめて直す…」で確かめて直せます。"))
        if self.notation_failed:
            lines.append(self.tr("表記の点検はできませんでした(詳しくはログファイルにあります)。"))
        return "\n".join(lines)

    def finding_of(self, item: QTreeWidgetItem) -> review.Finding | None:
        """The review finding shown on a row (None on a notation row)."""
        finding = item.data(0, Qt.ItemDataRole.UserRole)
        return finding if isinstance(finding, review.Finding) else None

    def notation_of(self, item: QTreeWidgetItem) -> notation.NotationFinding | None:
        """The notation finding shown on a row (None on a review row)."""
        finding = item.data(0, Qt.ItemDataRole.UserRole)
        return finding if isinstance(finding, notation.NotationFinding) else None

    def _activated(self, item: QTreeWidgetItem) -> None:
        found = self.notation_of(item)
        if found is not None:
            self.jump_span.emit(found.node, found.field, found.start, found.end)
            return
        finding = self.finding_of(item)
        self.jump.emit(finding.entry, finding.field if finding.field != "departments" else "")

    def _selection(self, current: QTreeWidgetItem | None, _previous) -> None:
        finding = self.finding_of(current) if current is not None else None
        self.add_department.setEnabled(finding is not None and finding.rule == "department")

    def _add_department(self) -> None:
        item = self.tree.currentItem()
        finding = self.finding_of(item) if item is not None else None
        if finding is None:
            return
        known = set(self.document.store.department_list())
        self.document.store.add_departments(
            [n for n in finding.entry.departments if n not in known]
        )
        self.refresh()
