"""The window's file work: importing reports, exporting Word/Excel/JSON, recent files.

Reading and writing run in the background (the window stays responsive and
shows progress); the store is written on the window's thread, in one
transaction.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..core import fiscal
from ..core.model import ImportResult
from ..formats.layout import ExportOptions

logger = logging.getLogger(__name__)

MAX_RECENT = 8
FILE_FILTER = "報告ファイル (*.docx *.xlsx *.pdf *.tsv *.txt *.json);;すべてのファイル (*)"


class FileWorkMixin:
    """Import, export and recent files, for the main window."""

    def _start_dir(self) -> str:
        return str(self.settings.value("files/last_dir", str(Path.home())))

    def _remember(self, path: Path) -> None:
        self.settings.setValue("files/last_dir", str(path.parent))
        recent = [p for p in self.settings.value("files/recent", [], type=list) if p != str(path)]
        recent.insert(0, str(path))
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.value("files/recent", [], type=list)
        for number, name in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(name).name}")
            action.setStatusTip(name)
            action.triggered.connect(
                lambda _c=False, n=name: QDesktopServices.openUrl(QUrl.fromLocalFile(n))
            )
        self.recent_menu.setEnabled(bool(recent))

    def import_dialog(self) -> None:
        """ファイル → 取り込み…"""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("取り込むファイル"), self._start_dir(), self.tr(FILE_FILTER)
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read a file in the background, then store it as a report."""
        from ..formats import read_file

        if self.tasks.busy:
            return
        self.tasks.run(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path),
            lambda result: self._imported(path, result),
            lambda message: self.show_error(self.tr("取り込めませんでした"), message),
        )

    def _imported(self, path: Path, result: ImportResult) -> None:
        report = result.report
        result = self.store_new_report(
            result,
            "import",
            self.tr("取り込めませんでした"),
            self.tr("取り込みをやめました。"),
        )
        if result is None:
            return
        self._remember(path)
        entries = sum(1 for _ in report.entries())
        message = (
            self.tr("{0} を取り込みました(所管部署の行 {1} 件、確認事項 {2} 件)。")
            .replace("{0}", path.name)
            .replace("{1}", str(entries))
            .replace("{2}", str(len(result.warnings)))
        )
        self.statusBar().showMessage(message, 10000)
        if result.warnings:
            self.warnings_panel.show()

    def store_new_report(
        self, result: ImportResult, reason: str, failed: str, cancelled: str = ""
    ) -> ImportResult | None:
        """Store a report read or made (asking before it replaces one) and show it.

        None when the user kept the old report or the store refused (``failed``
        heads the message; the store then keeps what it had).
        """
        from ..workspace import save_import

        year = result.report.actual_year
        if self.controller is not None:
            self.controller.flush()
        replace = year in self.store.years()
        if replace and not self.ask_replace(year):
            if cancelled:
                self.statusBar().showMessage(cancelled, 5000)
            return None
        try:
            result = save_import(self.store, result, replace=replace, reason=reason)
        except Exception as exc:
            logger.exception("%s failed", reason)
            self.show_error(failed, str(exc))
            return None
        if replace and self.controller is not None and self.controller.report.actual_year == year:
            # The open report was replaced: its nodes are gone from the store.
            self.controller.deleteLater()
            self.controller = None
        self.refresh_reports(select=year)
        return result

    def ask_replace(self, year: int) -> bool:
        """Ask before an import replaces a report of the same year."""
        answer = QMessageBox.question(
            self,
            self.tr("同じ年度の報告があります"),
            self.tr("{0}の報告はすでにあります。取り込んだ内容で置き換えますか？").replace(
                "{0}", fiscal.short_label(year)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def export_options(self) -> ExportOptions:
        """The fonts of exported documents (from the settings)."""
        return ExportOptions(
            font=str(self.settings.value("export/font", "ＭＳ 明朝")),
            heading_font=str(self.settings.value("export/heading_font", "ＭＳ ゴシック")),
            size=float(self.settings.value("export/size", 10.5)),
        )

    def export_dialog(self, kind: str) -> None:
        """ファイル → Word/Excel/JSON で書き出し…"""
        if self.controller is None:
            return
        report = self.controller.report
        suggested = Path(self._start_dir()) / (
            f"進捗報告_{fiscal.short_label(report.actual_year)}.{kind}"
        )
        filters = {
            "docx": self.tr("Word 文書 (*.docx)"),
            "xlsx": self.tr("Excel ブック (*.xlsx)"),
            "json": self.tr("JSON (*.json)"),
        }
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("書き出し先"), str(suggested), filters[kind]
        )
        if name:
            path = Path(name)
            if path.suffix.lower() != f".{kind}":
                path = path.with_name(path.name + f".{kind}")
            self.export_file(path, kind)

    def export_file(self, path: Path, kind: str) -> None:
        """Write the report in the background."""
        if self.controller is None or self.tasks.busy:
            return
        self.controller.flush()
        snapshot = copy.deepcopy(self.controller.report)
        warnings = self.store.warnings(snapshot.actual_year)
        options = self.export_options()

        def work() -> Path:
            if kind == "docx":
                from ..formats import docx

                docx.write(snapshot, path, options)
            elif kind == "xlsx":
                from ..formats import xlsx

                xlsx.write(snapshot, path, options)
            else:
                from ..formats import json

                json.write(snapshot, path, warnings)
            return path

        self.tasks.run(
            self.tr("{0} を書き出しています…").replace("{0}", path.name),
            work,
            self._exported,
            lambda message: self.show_error(self.tr("書き出せませんでした"), message),
        )

    def _exported(self, path: Path) -> None:
        self._remember(path)
        self._last_written = path
        self._open_action = None
        self.open_button.setText(self.tr("{0} を開く").replace("{0}", path.name))
        self.open_button.show()
        self.statusBar().showMessage(
            self.tr("書き出しました: {0}").replace("{0}", str(path)), 15000
        )

    def _open_last_written(self) -> None:
        if self._last_written is not None:
            # A file opens in Word or Excel; a folder (inquiry packs) in Explorer.
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_written)))

    def show_error(self, title: str, message: str) -> None:
        """One clear message (kept in the status bar too)."""
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        QMessageBox.warning(self, title, message)
