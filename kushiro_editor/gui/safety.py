"""Keeping the work safe in the window: snapshots, and read-only second windows."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import fiscal, snapshots
from ..core.model import ReportError
from .rows import tint

logger = logging.getLogger(__name__)

DAILY_CHECK_MS = 60 * 60 * 1000


class SnapshotDialog(QDialog):
    """ファイル → スナップショット…: the list, a named snapshot, compare, restore."""

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(self.tr("スナップショット"))
        self.resize(720, 480)
        self.list = QTreeWidget()
        self.list.setHeaderLabels([self.tr("日時"), self.tr("種類"), self.tr("名前・理由")])
        self.list.setRootIsDecorated(False)
        self.list.setColumnWidth(0, 170)
        self.list.setColumnWidth(1, 80)
        note = QLabel(
            self.tr(
                "取り込み・新年度作成・補完・照会回答の取り込みの前と、毎日1回、"
                "データファイル全体の写しを自動で残しています。提出した版などは"
                "名前を付けて残せます。"
            )
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
        self.details.setColumnWidth(0, 220)
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
        read_only = window.read_only
        self.create.setEnabled(not read_only)
        self.restore.setEnabled(not read_only)
        self.refresh()

    def refresh(self) -> None:
        """List the store's snapshots, newest first."""
        self.list.clear()
        self.items = snapshots.snapshots(self.window.store.path)
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
        name, ok = QInputDialog.getText(
            self, self.tr("スナップショットの名前"), self.tr("名前(例: 提出版 2021-05-31):")
        )
        if ok and name.strip():
            self.window.take_snapshot("manual", name.strip())
            self.refresh()

    def _compare(self) -> None:
        snapshot = self.selected()
        if snapshot is None or self.window.controller is None:
            return
        self.window.controller.flush()
        report = self.window.controller.report
        try:
            with snapshots.open_snapshot(snapshot) as old:
                differences = snapshots.compare(report, old.load(report.actual_year))
        except ReportError as exc:
            self.window.show_error(self.tr("比較できません"), str(exc))
            return
        self.details.clear()
        for difference in differences:
            QTreeWidgetItem(
                self.details,
                [difference.where, difference.field, difference.old[:80], difference.new[:80]],
            )
        if not differences:
            QTreeWidgetItem(self.details, [self.tr("違いはありません"), "", "", ""])
        self.details.show()

    def _restore(self) -> None:
        snapshot = self.selected()
        if snapshot is not None and self.window.confirm_restore(snapshot):
            self.window.restore_snapshot(snapshot)
            self.refresh()


class SafetyMixin:
    """Snapshots and read-only mode, for the main window."""

    def start_daily_snapshots(self) -> None:
        """Take today's snapshot once the window is up, and check again every hour."""
        self._daily = QTimer(self)
        self._daily.setInterval(DAILY_CHECK_MS)
        self._daily.timeout.connect(self.daily_snapshot)
        self._daily.start()
        self._first_daily = QTimer(self)
        self._first_daily.setSingleShot(True)
        self._first_daily.timeout.connect(self.daily_snapshot)
        self._first_daily.start(3000)

    def stop_daily_snapshots(self) -> None:
        """No more snapshots (the window is closing)."""
        for timer in (getattr(self, "_daily", None), getattr(self, "_first_daily", None)):
            if timer is not None:
                timer.stop()

    def daily_snapshot(self) -> None:
        """The day's automatic snapshot, if none was taken today."""
        if self.read_only or not self.store.years():
            return
        if not snapshots.taken_today(self.store.path):
            self.take_snapshot("daily")

    def take_snapshot(self, reason: str, name: str = "") -> snapshots.Snapshot | None:
        """Snapshot the store now (the last N automatic ones are kept)."""
        if self.read_only:
            return None
        if self.controller is not None:
            self.controller.flush()
        keep = int(self.settings.value("snapshots/keep", snapshots.DEFAULT_KEEP))
        try:
            return snapshots.take(self.store, reason, name, keep=keep)
        except ReportError as exc:
            self.statusBar().showMessage(str(exc), 15000)
            return None

    def snapshot_dialog(self) -> None:
        """ファイル → スナップショット…"""
        SnapshotDialog(self).exec()

    def confirm_restore(self, snapshot: snapshots.Snapshot) -> bool:
        """Ask before restoring."""
        year = self.controller.report.actual_year if self.controller else None
        label = fiscal.short_label(year) if year else ""
        answer = QMessageBox.question(
            self,
            self.tr("スナップショットから戻す"),
            self.tr(
                "{0}の報告を「{1}」の状態に戻しますか？\n今の状態は先にスナップショットに"
                "残すので、あとで取り消せます。"
            )
            .replace("{0}", label)
            .replace("{1}", snapshot.label),
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_snapshot(self, snapshot: snapshots.Snapshot) -> None:
        """Put the open report back as the snapshot had it (undone by the 復元の前 one)."""
        if self.controller is None or self.read_only:
            return
        self.controller.flush()
        year = self.controller.report.actual_year
        try:
            _report, before = snapshots.restore(self.store, snapshot, year)
        except ReportError as exc:
            self.show_error(self.tr("戻せませんでした"), str(exc))
            return
        self.controller.deleteLater()
        self.controller = None
        self.refresh_reports(select=year)
        self._undo_restore = before
        self.open_button.setText(self.tr("復元を取り消す"))
        self._open_action = self._cancel_restore
        self.open_button.show()
        self.statusBar().showMessage(
            self.tr("「{0}」の状態に戻しました。").replace("{0}", snapshot.label), 15000
        )

    def _cancel_restore(self) -> None:
        before = getattr(self, "_undo_restore", None)
        if before is not None:
            self._undo_restore = None
            self.restore_snapshot(before)

    def apply_read_only(self) -> None:
        """A second window on a store in use: look, search and export, but change nothing."""
        for action in (
            self.act_import,
            self.act_rollover,
            self.act_prefill,
            self.act_packs,
            self.act_answers,
            self.act_department_list,
            self.act_undo,
            self.act_redo,
            self.act_bold,
            self.act_list,
            self.act_rename,
            self.act_delete,
            self.act_up,
            self.act_down,
            self.act_add_goal,
            self.act_add_direction,
            self.act_add_measure,
            self.act_add_entry,
            self.act_replace,
        ):
            action.setEnabled(False)
        self.tree.setEditTriggers(self.tree.EditTrigger.NoEditTriggers)
        self.tree.setDragEnabled(False)
        self.tree.setAcceptDrops(False)
        if self.view is not None:
            self.view.set_read_only(True)
        self.statusBar().showMessage(
            self.tr(
                "別のウィンドウがこのデータファイルを編集中のため、読み取り専用で開いています。"
            )
        )
        banner = QLabel(self.tr("  読み取り専用  "))
        tint(banner, "#ffffff", bold=True, background="#9a5b00")
        self.statusBar().insertPermanentWidget(0, banner)
        self.read_only_banner = banner
        self.read_only_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
