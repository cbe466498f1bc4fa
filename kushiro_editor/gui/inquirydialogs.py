"""Inquiry packs in the window: choosing departments, and reviewing their answers."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import diff, richtext
from ..core.merge import MergeReview
from ..core.model import Report
from .yeardialogs import diff_html

logger = logging.getLogger(__name__)


class PackDialog(QDialog):
    """ファイル → 照会用ファイルを作成…: which departments, and where."""

    def __init__(
        self, report: Report, status: dict[str, str], folder: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照会用ファイルを作成"))
        self.resize(460, 560)
        self.list = QListWidget()
        counts = {}
        for _g, _d, entry in report.entries():
            for name in entry.departments:
                counts[name] = counts.get(name, 0) + 1
        for name in report.departments():
            item = QListWidgetItem(f"{name}({counts[name]}行、{status.get(name, '')})")
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        everyone = QPushButton(self.tr("すべて選ぶ"))
        nobody = QPushButton(self.tr("すべて外す"))
        everyone.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        nobody.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        self.folder = QLineEdit(folder)
        browse = QPushButton(self.tr("参照…"))
        browse.clicked.connect(self._browse)
        note = QLabel(
            self.tr(
                "部署ごとに1つの Excel ファイルを作ります。部署は黄色のセル"
                "(実績・取組予定)だけを書き換えられます。共同の行は両方の部署に"
                "入ります。"
            )
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("作成する"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(everyone)
        row.addWidget(nobody)
        row.addStretch(1)
        where = QHBoxLayout()
        where.addWidget(QLabel(self.tr("作成先:")))
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addLayout(where)
        layout.addWidget(buttons)

    def _check_all(self, state: Qt.CheckState) -> None:
        for index in range(self.list.count()):
            self.list.item(index).setCheckState(state)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("作成先のフォルダ"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def departments(self) -> list[str]:
        """The departments chosen."""
        return [
            self.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]


class MergeDialog(QDialog):
    """照会回答の確認: per answered text, as sent / as answered / as it is now."""

    def __init__(self, review: MergeReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照会回答の確認"))
        self.resize(1100, 720)
        self.review = review
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        for text in [*review.rejected_files, *review.problems]:
            self.problems.addItem(text)
        self.problems.setVisible(self.problems.count() > 0)
        self.problems.setMaximumHeight(120)
        self.items = QTreeWidget()
        self.items.setHeaderLabels(
            [self.tr("取り込む"), self.tr("場所"), self.tr("回答した部署"), self.tr("状態")]
        )
        self.items.setRootIsDecorated(False)
        self.items.setColumnWidth(0, 80)
        self.items.setColumnWidth(1, 420)
        for item in review.items:
            row = QTreeWidgetItem(
                self.items,
                [
                    "",
                    item.where,
                    item.department,
                    self.tr("競合") if item.conflict else self.tr("回答あり"),
                ],
            )
            row.setCheckState(
                0, Qt.CheckState.Checked if item.accepted else Qt.CheckState.Unchecked
            )
            if item.conflict:
                row.setForeground(3, Qt.GlobalColor.darkRed)
                row.setToolTip(
                    3,
                    self.tr(
                        "照会した後にデータファイルの文章が変わっています。"
                        "取り込むと回答で上書きします。"
                    ),
                )
        self.items.itemChanged.connect(self._changed)
        self.items.currentItemChanged.connect(self._show)
        self.sent = QTextBrowser()
        self.answered = QTextBrowser()
        self.current = QTextBrowser()
        detail = QWidget()
        grid = QGridLayout(detail)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (label, browser) in enumerate(
            (
                (self.tr("照会時の文章"), self.sent),
                (self.tr("回答"), self.answered),
                (self.tr("現在の文章"), self.current),
            )
        ):
            grid.addWidget(QLabel(label), 0, column)
            grid.addWidget(browser, 1, column)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.items)
        splitter.addWidget(detail)
        splitter.setSizes([360, 300])
        accept_all = QPushButton(self.tr("すべて取り込む"))
        reject_all = QPushButton(self.tr("すべて取り込まない"))
        accept_all.clicked.connect(lambda: self._set_all(True))
        reject_all.clicked.connect(lambda: self._set_all(False))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("選んだ回答を取り込む"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(accept_all)
        row.addWidget(reject_all)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self._update_summary()
        if review.items:
            self.items.setCurrentItem(self.items.topLevelItem(0))

    def _changed(self, row: QTreeWidgetItem, column: int) -> None:
        if column == 0:
            index = self.items.indexOfTopLevelItem(row)
            self.review.items[index].accepted = row.checkState(0) == Qt.CheckState.Checked
            self._update_summary()

    def _set_all(self, accepted: bool) -> None:
        state = Qt.CheckState.Checked if accepted else Qt.CheckState.Unchecked
        for index in range(self.items.topLevelItemCount()):
            self.items.topLevelItem(index).setCheckState(0, state)

    def _update_summary(self) -> None:
        counts = self.review.counts()
        chosen = sum(item.accepted for item in self.review.items)
        per_department = "、".join(
            f"{name} {changed}件(競合{conflicts})" for name, (changed, conflicts) in counts.items()
        )
        answered = "、".join(self.review.answered) or self.tr("なし")
        self.summary.setText(
            self.tr(
                "回答のあった部署: {0}。書き換えのあった文章 {1} 件のうち {2} 件を取り込みます。{3}"
            )
            .replace("{0}", answered)
            .replace("{1}", str(len(self.review.items)))
            .replace("{2}", str(chosen))
            .replace("{3}", per_department)
        )

    def _show(self, row: QTreeWidgetItem | None, _previous) -> None:
        if row is None:
            return
        item = self.review.items[self.items.indexOfTopLevelItem(row)]
        sent, answered = richtext.to_plain(item.sent), richtext.to_plain(item.answered)
        current = richtext.to_plain(item.current)
        spans = diff.compare(sent, answered)
        self.sent.setHtml(diff_html(spans, "old"))
        self.answered.setHtml(diff_html(spans, "new"))
        changed = diff.compare(sent, current)
        self.current.setHtml(diff_html(changed, "new"))
