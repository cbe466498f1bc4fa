"""The year's dialogs: a new year from last year, and prefilling plans."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal, richtext, yearly
from ...core.model import Report
from ...core.yearly import PrefillPlan
from ...formats import registry
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)


class RolloverDialog(QDialog):
    """ファイル → 前年度から新年度を作成…: the source, and what goes into 実績."""

    def __init__(self, years: list[int], start_dir: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("前年度から新年度を作成"))
        self.start_dir = start_dir
        self.from_store = QRadioButton(self.tr("データファイルの報告:"))
        self.from_file = QRadioButton(self.tr("ファイル:"))
        self.years = QComboBox()
        for year in years:
            self.years.addItem(f"{fiscal.short_label(year)}({fiscal.western_label(year)})", year)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr(registry.suffix_list(registry.readable())))
        browse = QPushButton(self.tr("参照…"))
        browse.clicked.connect(self._browse)
        source = QButtonGroup(self)
        source.addButton(self.from_store)
        source.addButton(self.from_file)
        (self.from_store if years else self.from_file).setChecked(True)
        self.from_store.setEnabled(bool(years))
        self.draft = QRadioButton(self.tr("前年度の取組予定を下書きとして入れる"))
        self.empty = QRadioButton(self.tr("空欄にする"))
        self.draft.setChecked(True)
        self.note = QLabel(
            self.tr(
                "取組予定には前年度の取組予定が入ります。引き継いだ文章には"
                "「前年度から引継ぎ・未確認」の印が付き、書き直すか"
                "「確認済み」にすると消えます。"
            )
        )
        self.note.setWordWrap(True)
        self.creates = QLabel()
        self.creates.setWordWrap(True)
        font = self.creates.font()
        font.setBold(True)
        self.creates.setFont(font)
        grid = QGridLayout()
        grid.addWidget(self.from_store, 0, 0)
        grid.addWidget(self.years, 0, 1, 1, 2)
        grid.addWidget(self.from_file, 1, 0)
        grid.addWidget(self.path, 1, 1)
        grid.addWidget(browse, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("前年度の報告")))
        layout.addLayout(grid)
        layout.addWidget(QLabel(self.tr("新年度の実績欄")))
        layout.addWidget(self.draft)
        layout.addWidget(self.empty)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.insertWidget(0, self.creates)
        layout.addWidget(buttons)
        for changed in (self.from_store.toggled, self.from_file.toggled):
            changed.connect(lambda _on: self.update_creates())
        self.years.currentIndexChanged.connect(lambda _i: self.update_creates())
        self.update_creates()

    def created_year(self) -> int | None:
        """The 実績 year of the report that will be made (None: the file says, once read)."""
        if self.from_store.isChecked() and self.years.currentData() is not None:
            return int(self.years.currentData()) + 1
        return None

    def update_creates(self) -> None:
        """Say which year is made, before anything is."""
        year = self.created_year()
        if year is None:
            self.creates.setText(
                self.tr(
                    "ファイルの報告の翌年度の報告を作成します(年度はファイルを読んで決まります)。"
                )
            )
            self.ok.setText(self.tr("作成する"))
            return
        label = fiscal.short_label(year)
        self.creates.setText(
            self.tr("{0}({1})の報告を作成します: {2}・{3}")
            .replace("{0}", label)
            .replace("{1}", fiscal.western_label(year))
            .replace("{2}", fiscal.actual_heading(year))
            .replace("{3}", fiscal.plan_heading(year + 1))
        )
        self.ok.setText(self.tr("{0}を作成する").replace("{0}", label))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("前年度のファイル"), self.start_dir, self.tr(registry.open_filter())
        )
        if name:
            self.path.setText(name)
            self.from_file.setChecked(True)

    def choice(self) -> tuple[int | Path, str]:
        """(a year of the store, or a file path; the 実績 mode)."""
        mode = yearly.ACTUAL_FROM_PLAN if self.draft.isChecked() else yearly.ACTUAL_EMPTY
        if self.from_store.isChecked():
            return int(self.years.currentData()), mode
        return Path(self.path.text()), mode


class PrefillDialog(QDialog):
    """The preview of prefilling plans: what is filled, what found no match."""

    def __init__(self, report: Report, previous: Report, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("前年度ファイルから取組予定を補完"))
        fit_to_screen(self, QSize(820, 520))
        self.report = report
        self.previous = previous
        self.overwrite = QCheckBox(self.tr("書かれている取組予定も上書きする"))
        self.overwrite.toggled.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("場所"), self.tr("内容")])
        self.tree.setColumnWidth(0, 300)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("補完する"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.overwrite)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.plan: PrefillPlan | None = None
        self.refresh()

    def refresh(self) -> None:
        """Recompute the preview (after the overwrite choice changed)."""
        self.plan = yearly.plan_prefill(
            self.report, self.previous, overwrite=self.overwrite.isChecked()
        )
        plan = self.plan
        self.tree.clear()
        fills = QTreeWidgetItem(
            self.tree, [self.tr("補完する取組予定 {0} 件").replace("{0}", str(len(plan.fills)))]
        )
        for fill in plan.fills:
            where = f"{fill.goal.label}{fill.direction.label} {fill.entry.department_label}"
            mark = self.tr("上書き: ") if fill.overwrite else ""
            QTreeWidgetItem(fills, [where, mark + richtext.to_plain(fill.new_plan)[:80]])
        groups = (
            (
                self.tr("前年度に対応する行がない今年度の行 {0} 件"),
                [(g, d, e) for g, d, e in plan.unmatched],
            ),
            (
                self.tr("今年度に対応する行がない前年度の行 {0} 件"),
                [(g, d, e) for g, d, e in plan.unmatched_previous],
            ),
        )
        for title, rows in groups:
            parent = QTreeWidgetItem(self.tree, [title.replace("{0}", str(len(rows)))])
            for goal, direction, entry in rows:
                QTreeWidgetItem(
                    parent,
                    [f"{goal.label}{direction.label} {entry.department_label}", direction.title],
                )
        if plan.renumbered:
            parent = QTreeWidgetItem(
                self.tree,
                [
                    self.tr("番号の変わった基本的方向 {0} 件").replace(
                        "{0}", str(len(plan.renumbered))
                    )
                ],
            )
            for new, old in plan.renumbered:
                QTreeWidgetItem(parent, [f"{old.label} → {new.label}", new.title])
        fills.setExpanded(True)
        self.summary.setText(
            self.tr(
                "前年度の報告({0})と、基本目標・基本的方向の番号と所管部署で行を対応付けました"
                "(番号が変わった基本的方向は題名の似たものと対応付けています)。"
                "取組予定が空の行だけを補完します。"
            ).replace("{0}", fiscal.short_label(self.previous.actual_year))
        )
        self.ok.setEnabled(bool(plan.fills))
