"""Snapshots of the store: the daily one, named ones, comparing and restoring."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import fiscal, snapshots
from ...core.model import ReportError
from ..session import Feature, Session
from ..shared.fit import fit_to_screen
from ..shared.messages import Button, ask, ask_text
from ..shared.snapshot import take_snapshot

logger = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000


class SnapshotDialog(QDialog):
    """ファイル → スナップショット…: the list, a named snapshot, compare, restore."""

    def __init__(self, work: SnapshotWork, parent: QWidget) -> None:
        super().__init__(parent)
        self.work = work
        self.setWindowTitle(self.tr("スナップショット"))
        fit_to_screen(self, QSize(900, 600))
        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr("日時"), self.tr("種類"), self.tr("名前・理由")])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 170)
        self.list.setColumnWidth(1, 80)
        store = work.session.store
        whole = self.tr("共有のデータベース") if store.on_server else self.tr("データファイル")
        self.note = note = QLabel(
            self.tr(
                "取り込み・新年度作成・補完・照会回答の取り込みの前と、毎日1回、"
                "{0}全体の写しを自動で残しています。提出した版などは"
                "名前を付けて残せます。"
            ).replace("{0}", whole)
        )
        note.setWordWrap(True)
        self.create = QPushButton(self.tr("名前を付けて作成…"))
        self.compare = QPushButton(self.tr("今の報告と比較"))
        self.restore = QPushButton(self.tr("この状態に戻す…"))
        self.create.clicked.connect(self._create)
        self.compare.clicked.connect(self._compare)
        self.restore.clicked.connect(self._restore)
        self.details = QTreeWidget()
        self.details.setHeaderLabels(
            [self.tr("場所"), self.tr("欄"), self.tr("スナップショット"), self.tr("今")]
        )
        self.details.setRootIsDecorated(False)
        # Whole texts, wrapped in columns that share the width: nothing is cut off.
        self.details.setWordWrap(True)
        self.details.setUniformRowHeights(False)
        self.details.setAlternatingRowColors(True)
        header = self.details.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(
            header.fontMetrics().horizontalAdvance("スナップショット") + 24
        )
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.details.setColumnWidth(0, 200)
        self.details.hide()
        buttons = QHBoxLayout()
        for button in (self.create, self.compare, self.restore):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.details, 1)
        layout.addWidget(close)
        read_only = work.session.read_only
        self.create.setEnabled(not read_only)
        self.restore.setEnabled(not read_only)
        self.refresh()

    def refresh(self) -> None:
        """List the store's snapshots, newest first."""
        self.list.clear()
        try:
            self.items = snapshots.snapshots(self.work.session.store)
        except ReportError as exc:  # a login the server keeps its snapshots from
            self.items = []
            # Said where it is read, with nothing offered that the server would refuse
            # (its refusal speaks of a change, where a department only wanted to look).
            refused = getattr(exc, "failure", "") == "permission"
            self.note.setText(
                self.tr(
                    "共有のデータベースのスナップショットは企画担当が残し、戻します。"
                    "以前の文章は、その行の「変更の履歴」(Ctrl+Shift+H)で確かめられます。"
                )
                if refused
                else str(exc)
            )
            for button in (self.create, self.compare, self.restore):
                button.setEnabled(False)
        for snapshot in self.items:
            kind = self.tr("名前付き") if snapshot.named else self.tr("自動")
            what = snapshot.name or snapshots.REASONS.get(snapshot.reason, snapshot.reason)
            QTreeWidgetItem(self.list, [f"{snapshot.created:%Y-%m-%d %H:%M:%S}", kind, what])
        if self.items:
            self.list.setCurrentItem(self.list.topLevelItem(0))

    def selected(self) -> snapshots.Snapshot | None:
        """The snapshot chosen in the list."""
        index = (
            self.list.indexOfTopLevelItem(self.list.currentItem())
            if self.list.currentItem()
            else -1
        )
        return self.items[index] if index >= 0 else None

    def _create(self) -> None:
        name = ask_text(
            self, self.tr("スナップショットの名前"), self.tr("名前(例: 提出版 2021-05-31):")
        )
        if name and name.strip():
            self.work.take_snapshot("manual", name.strip())
            self.refresh()

    def _compare(self) -> None:
        snapshot = self.selected()
        if snapshot is None or self.work.document is None:
            return
        self.work.document.flush()
        report = self.work.document.report
        try:
            with snapshots.open_snapshot(snapshot) as old:
                differences = snapshots.compare(report, old.load(report.actual_year))
        except ReportError as exc:
            self.work.show_error(self.tr("比較できません"), str(exc))
            return
        self.details.clear()
        for difference in differences:
            texts = [difference.where, difference.field, difference.old, difference.new]
            item = QTreeWidgetItem(self.details, texts)
            for column, text in enumerate(texts):
                item.setToolTip(column, text)
        if not differences:
            QTreeWidgetItem(self.details, [self.tr("違いはありません"), "", "", ""])
        self.details.show()

    def _restore(self) -> None:
        snapshot = self.selected()
        if snapshot is not None and self.work.confirm_restore(snapshot):
            self.work.restore_snapshot(snapshot)
            self.refresh()


class SnapshotWork(Feature):
    """The day's automatic snapshot, the snapshot dialog, and restoring."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_snapshots = self.action(
            self.tr("スナップショット(&T)…"),
            self.snapshot_dialog,
            None,
            self.tr("データファイルの写しを作る・比べる・戻す"),
            writes=False,
        )
        self._undo_restore: snapshots.Snapshot | None = None
        self._daily = QTimer(self)
        self._daily.setInterval(DAILY_CHECK_MS)
        self._daily.timeout.connect(self.daily_snapshot)
        self._first_daily = QTimer(self)
        self._first_daily.setSingleShot(True)
        self._first_daily.timeout.connect(self.daily_snapshot)

    def start_daily_snapshots(self) -> None:
        """Take today's snapshot once the window is up, and check again every hour."""
        if self.session.read_only:
            return
        self._daily.start()
        self._first_daily.start(3000)

    def stop_daily_snapshots(self) -> None:
        """No more snapshots (the window is closing)."""
        self._daily.stop()
        self._first_daily.stop()

    def daily_snapshot(self) -> None:
        """The day's automatic snapshot, if none was taken today."""
        if self.session.read_only:
            return
        try:
            if not self.session.store.years() or snapshots.taken_today(self.session.store):
                return
        except ReportError as exc:  # (a server gone away: the day's snapshot waits)
            logger.info("no daily snapshot: %s", exc)
            return
        self.take_snapshot("daily")

    def take_snapshot(self, reason: str, name: str = "") -> snapshots.Snapshot | None:
        """Snapshot the store now (the last N automatic ones are kept)."""
        return take_snapshot(self.session, reason, name)

    def snapshot_dialog(self) -> None:
        """ファイル → スナップショット…"""
        SnapshotDialog(self, self.parent_widget).exec()

    def confirm_restore(self, snapshot: snapshots.Snapshot) -> bool:
        """Ask before restoring."""
        year = self.document.report.actual_year if self.document else None
        label = fiscal.short_label(year) if year else ""
        answer = ask(
            self.parent_widget,
            self.tr("スナップショットから戻す"),
            self.tr("{0}の報告を\n「{1}」の状態に戻しますか？")
            .replace("{0}", label)
            .replace("{1}", snapshot.label),
            self.tr("今の状態は先にスナップショットに残すので、あとで取り消せます。"),
        )
        return answer == Button.Yes

    def restore_snapshot(self, snapshot: snapshots.Snapshot) -> None:
        """Put the open report back as the snapshot had it (undone by the 復元の前 one)."""
        if self.document is None or self.session.read_only:
            return
        self.document.flush()
        year = self.document.report.actual_year
        try:
            _report, before = snapshots.restore(self.session.store, snapshot, year)
        except ReportError as exc:
            self.show_error(self.tr("戻せませんでした"), str(exc))
            return
        # The open report's nodes are gone from the store: nothing of it may be written.
        self.document.read_only = True
        self.session.reports_changed.emit(year)
        self._undo_restore = before
        self.session.offer.emit(self.tr("復元を取り消す"), self._cancel_restore)
        self.session.message.emit(
            self.tr("「{0}」の状態に戻しました。").replace("{0}", snapshot.label), 15000
        )

    def _cancel_restore(self) -> None:
        before = self._undo_restore
        if before is not None:
            self._undo_restore = None
            self.restore_snapshot(before)
