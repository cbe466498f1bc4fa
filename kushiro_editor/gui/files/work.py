"""File work: importing reports, exporting Word/Excel/PDF/JSON, printing, recent files.

Reading and writing run in the background (the window stays responsive and
shows progress); the store is written on the window's thread, in one
transaction.
"""

from __future__ import annotations

import copy
import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from ...core import fiscal, inquiryrecord, review
from ...core.earlier import Earlier
from ...core.earlier import choices as comparisons
from ...core.model import ImportResult, ReportError
from ...core.server import pgpass
from ...core.server.address import Address
from ...core.server.address import parse as parse_address
from ...core.server.address import url as server_url
from ...formats import registry, targets
from ...formats.opendata import CITY_CODE, CITY_NAME, Publisher
from ...formats.table.layout import ExportOptions
from ..session import Feature, Session
from ..shared.fit import fit_to_screen
from .changesdialog import WordExportDialog
from .connectdialog import ConnectDialog
from .precheck import SUBMISSION_KEYS, PreExportDialog, open_findings

logger = logging.getLogger(__name__)

MAX_RECENT = 8
# The menu's access key and shortcut of an export: the window's design, not the format's.
# A format the registry adds gets its action without them.
EXPORT_KEYS: dict[str, tuple[str, str | None]] = {
    "docx": ("W", "Ctrl+E"),
    "xlsx": ("X", "Ctrl+Shift+E"),
    "pdf": ("P", None),
    "json": ("J", None),
    "html": ("H", None),
    "csv": ("V", None),
}


class FileWork(Feature):
    """Import, export and recent files."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        key = QKeySequence.StandardKey
        self.act_import = self.action(
            self.tr("取り込み(&I)…"),
            self.import_dialog,
            key.Open,
            self.tr("Word・Excel・テキストの報告を取り込みます"),
        )
        self.export_actions = {f.key: self._export_action(f) for f in registry.writable()}
        self.act_export_docx = self.export_actions["docx"]
        self.act_export_xlsx = self.export_actions["xlsx"]
        self.act_export_pdf = self.export_actions["pdf"]
        self.act_export_json = self.export_actions["json"]
        self.act_print = self.action(
            self.tr("印刷(&R)…"),
            self.print_dialog,
            key.Print,
            self.tr("報告の表を印刷します(印刷プレビューつき)"),
            writes=False,
            needs_report=True,
        )
        self.act_export_html = self.export_actions["html"]
        self.act_export_csv = self.export_actions["csv"]
        self.act_publish = self.action(
            self.tr("公開用にまとめて書き出し(&U)…"),
            self.publish_dialog,
            None,
            self.tr(
                "市のホームページ用に PDF・Web ページ・CSV・Excel を1つのフォルダに書き出します"
            ),
            writes=False,
            needs_report=True,
        )
        self.recent_menu = QMenu(self.tr("最近使ったファイル(&R)"), parent)
        self._fill_recent()
        self.act_connect = self.action(
            self.tr("データベースに接続(&D)…"),
            self.connect_dialog,
            None,
            self.tr("複数の人が同時に編集する共有のデータベース(PostgreSQL)に接続します"),
        )
        self.stores_menu = QMenu(self.tr("最近接続したデータベース(&B)"), parent)
        self.stores_menu.aboutToShow.connect(self._fill_stores)
        self._fill_stores()

    def _export_action(self, format_: registry.Format) -> QAction:
        """ファイル → Word で書き出し… and the like, one per format the registry writes."""
        access, shortcut = EXPORT_KEYS.get(format_.key, ("", None))
        text = (
            self.tr("{0} で書き出し{1}…")
            .replace("{0}", format_.name)
            .replace("{1}", f"(&{access})" if access else "")
        )
        return self.action(
            text,
            lambda: self.export_dialog(format_.key),
            shortcut,
            self.tr(format_.purpose),
            writes=False,
            needs_report=True,
        )

    def _remember(self, path: Path) -> None:
        settings = self.session.settings
        settings.setValue("files/last_dir", str(path.parent))
        recent = [p for p in settings.value("files/recent", [], type=list) if p != str(path)]
        recent.insert(0, str(path))
        settings.setValue("files/recent", recent[:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.session.settings.value("files/recent", [], type=list)
        for number, name in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {Path(name).name}")
            action.setStatusTip(name)
            action.triggered.connect(lambda _c=False, n=name: self.import_file(Path(n)))
        self.recent_menu.setEnabled(bool(recent))

    # -- the shared store -----------------------------------------------------------------
    def connect_dialog(self, location: str = "") -> ConnectDialog:
        """ファイル → データベースに接続…, filled in from ``location``, the server the window
        is on, or the last one used."""
        recent = self.session.settings.value("stores/recent", [], type=list)
        # On a server (opened with --db too, which the recent list does not hold) a clerk
        # changing login or database changes one field, not the whole address.
        current = self.session.store.location if self.session.store.on_server else ""
        location = location or current or (recent[0] if recent else "")
        try:
            address = parse_address(location) if location else None
        except ReportError:
            address = None
        self.connect_box = dialog = ConnectDialog(self.connect_to, address, self.parent_widget)
        dialog.open()
        return dialog

    def connect_to(self, address: Address, password: str, save_password: bool) -> None:
        """Move the window to the server's store; the password kept only if asked, and
        only in PostgreSQL's password file. Raises ReportError when it cannot connect."""
        self.session.open_store(server_url(address, password))
        location = self.session.store.location
        settings = self.session.settings
        recent = [p for p in settings.value("stores/recent", [], type=list) if p != location]
        settings.setValue("stores/recent", [location, *recent][:MAX_RECENT])
        self._fill_stores()
        if save_password and password:
            try:
                saved = pgpass.save(address, password)
            except ReportError as exc:
                self.show_error(self.tr("パスワードを保存できませんでした"), str(exc))
                return
            self.session.message.emit(
                self.tr("{0} に接続しました。パスワードは {1} に保存しました。")
                .replace("{0}", location)
                .replace("{1}", str(saved)),
                15000,
            )

    def open_default_store(self) -> None:
        """このパソコンのデータファイルに戻る: the default store file."""
        try:
            self.session.open_store(None)
        except ReportError as exc:
            self.show_error(self.tr("開けませんでした"), str(exc))

    def _fill_stores(self) -> None:
        self.stores_menu.clear()
        recent = self.session.settings.value("stores/recent", [], type=list)
        for number, location in enumerate(recent, start=1):
            action = self.stores_menu.addAction(f"&{number} {location}")
            action.setStatusTip(location)
            action.triggered.connect(lambda _c=False, n=location: self.connect_dialog(n))
        if self.session.store.on_server:
            if recent:
                self.stores_menu.addSeparator()
            self.stores_menu.addAction(
                self.tr("このパソコンのデータファイルに戻る(&L)"), self.open_default_store
            )
        self.stores_menu.setEnabled(bool(self.stores_menu.actions()) and not self.session.read_only)

    def import_dialog(self) -> None:
        """ファイル → 取り込み…"""
        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("取り込むファイル"),
            self.session.start_dir(),
            self.tr(registry.open_filter()),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Read a file in the background, then store it as a report."""
        from ...formats import read_file

        if self.session.tasks.busy:
            return
        self.session.tasks.run(
            self.tr("{0} を読み込んでいます…").replace("{0}", path.name),
            lambda: read_file(path),
            lambda result: self._imported(path, result),
            lambda message: self.show_error(self.tr("取り込めませんでした"), message),
        )

    def _imported(self, path: Path, result: ImportResult) -> None:
        report = result.report
        result = self.session.store_report(
            self.parent_widget,
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
        self.session.message.emit(message, 10000)
        if result.warnings:
            self.session.warnings_found.emit()

    def export_options(self) -> ExportOptions:
        """The fonts of exported documents (from the settings)."""
        settings = self.session.settings
        return ExportOptions(
            font=str(settings.value("export/font", "ＭＳ 明朝")),
            heading_font=str(settings.value("export/heading_font", "ＭＳ ゴシック")),
            size=float(settings.value("export/size", ExportOptions().size)),
            # The city that publishes: the PDF's and the Word file's author.
            author=str(settings.value("publish/city_name", CITY_NAME)),
        )

    def publisher(self) -> Publisher:
        """Who publishes the CSV and web page (settings publish/city_code, publish/city_name)."""
        settings = self.session.settings
        return Publisher(
            str(settings.value("publish/city_code", CITY_CODE)),
            str(settings.value("publish/city_name", CITY_NAME)),
        )

    def export_dialog(self, key: str) -> None:
        """ファイル → Word/Excel/PDF/JSON で書き出し…"""
        if self.document is None:
            return
        if key in SUBMISSION_KEYS:
            self._check_then(key)
        else:
            self._choose_target(key)

    def _check_then(self, key: str) -> None:
        """Before a file for submission: the review's open findings, in the background."""
        if self.document is None or self.session.tasks.busy:
            return
        self.document.flush()
        snapshot = copy.deepcopy(self.document.report)
        departments = inquiryrecord.known_departments(self.session.store, snapshot.actual_year)
        limit = int(self.session.settings.value("review/limit", review.DEFAULT_LIMIT))
        self.session.tasks.run(
            self.tr("提出前の点検をしています…"),
            lambda: open_findings(snapshot, departments, limit),
            lambda found: self._checked(key, found),
            lambda message: self.show_error(self.tr("点検できませんでした"), message),
        )

    def _checked(self, key: str, found: list) -> None:
        if self.document is None:
            return
        if found:
            labels = {"docx": self.tr("Word"), "pdf": self.tr("PDF")}
            dialog = PreExportDialog(self.document.report, found, labels[key], self.parent_widget)
            answer = dialog.exec()
            if answer == PreExportDialog.REVIEW:
                self.session.review_requested.emit()
                return
            if answer == PreExportDialog.JUMP and dialog.chosen is not None:
                entry, field = dialog.chosen
                self.session.reveal.emit(entry, field, -1, -1)
                return
            if answer != QDialog.DialogCode.Accepted:
                return
        self._choose_target(key)

    def _choose_target(self, key: str) -> None:
        if self.document is None:
            return
        format_ = registry.get(key)
        report = self.document.report
        suggested = Path(self.session.start_dir()) / (
            f"進捗報告_{fiscal.short_label(report.actual_year)}{format_.suffix}"
        )
        earlier = None
        if key == "docx":
            # Last year's report or a snapshot named by hand, if there is one to compare with.
            choices = comparisons(self.session.store, report, named_only=True)
            if choices:
                dialog = WordExportDialog(choices, self.parent_widget)
                answer = dialog.exec()
                earlier = dialog.chosen
                dialog.deleteLater()
                if answer != QDialog.DialogCode.Accepted:
                    return
        name, _ = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("書き出し先"),
            str(suggested),
            self.tr(format_.dialog_filter),
        )
        if name:
            path = Path(name)
            if path.suffix.lower() not in format_.suffixes:
                path = path.with_name(path.name + format_.suffix)
            self.export_file(path, key, earlier)

    def export_file(self, path: Path, key: str, earlier: Earlier | None = None) -> None:
        """Write the report in the background (a Word file marked against ``earlier``)."""
        if self.document is None or self.session.tasks.busy:
            return
        self.document.flush()
        snapshot = copy.deepcopy(self.document.report)
        warnings = self.session.store.warnings(snapshot.actual_year)
        options = self.export_options()
        format_ = registry.get(key)
        try:
            publisher = self.publisher()
            # Before the task starts: a target that is the open store or a snapshot is refused.
            targets.check_outputs([targets.Output.of(format_, path)], self.session.store.path)
            # Read here: the store's connection belongs to the window's thread.
            compared = earlier.load(self.session.store) if earlier is not None else None
        except ReportError as exc:
            self.show_error(self.tr("書き出せませんでした"), str(exc))
            return

        def work() -> Path:
            if compared is not None:
                from ...formats.docx import changes

                changes.write_file(snapshot, path, compared, options)
            else:
                format_.write(snapshot, path, options, warnings, publisher)
            return path

        self.session.tasks.run(
            self.tr("{0} を書き出しています…").replace("{0}", path.name),
            work,
            self._exported,
            lambda message: self.show_error(self.tr("書き出せませんでした"), message),
        )

    def _exported(self, path: Path) -> None:
        self.session.settings.setValue("files/last_dir", str(path.parent))
        self.session.written.emit(path)
        self.session.message.emit(self.tr("書き出しました: {0}").replace("{0}", str(path)), 15000)

    # -- publication -------------------------------------------------------------------
    def publish_dialog(self) -> None:
        """ファイル → 公開用にまとめて書き出し…: a folder, then the four files in it."""
        if self.document is None or self.session.tasks.busy:
            return
        folder = QFileDialog.getExistingDirectory(
            self.parent_widget,
            self.tr("公開用のファイルを書き出すフォルダ"),
            self.session.start_dir(),
        )
        if folder:
            self.publish_to(Path(folder))

    def publish_to(self, folder: Path) -> None:
        """Write the PDF, the web page, the CSV and the Excel into ``folder`` in the background."""
        if self.document is None or self.session.tasks.busy:
            return
        from ...formats import publish

        self.document.flush()
        snapshot = copy.deepcopy(self.document.report)
        warnings = self.session.store.warnings(snapshot.actual_year)
        options = self.export_options()
        name = str(self.session.settings.value("publish/name", "") or "")
        name = name or publish.default_name(snapshot)
        try:
            publisher = self.publisher()
            publish.outputs(folder, name)  # a bad name or folder, before the work
        except ReportError as exc:
            self.show_error(self.tr("書き出せませんでした"), str(exc))
            return
        store_path = self.session.store.path

        def work() -> list[Path]:
            return publish.write_all(
                snapshot,
                folder,
                name,
                store_path,
                options=options,
                warnings=warnings,
                publisher=publisher,
            )

        self.session.tasks.run(
            self.tr("公開用のファイルを書き出しています…"),
            work,
            self._published,
            lambda message: self.show_error(self.tr("書き出せませんでした"), message),
        )

    def _published(self, paths: list[Path]) -> None:
        for path in paths:
            self.session.written.emit(path)
        folder = paths[0].parent
        self.session.settings.setValue("files/last_dir", str(folder))
        names = "\n".join(p.name for p in paths)
        self.session.message.emit(
            self.tr("公開用の {0} 件を書き出しました: {1}")
            .replace("{0}", str(len(paths)))
            .replace("{1}", str(folder)),
            15000,
        )
        self.published_box = box = QMessageBox(self.parent_widget)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("公開用の書き出し"))
        box.setText(
            self.tr("公開用のファイルを {0} 件書き出しました。").replace("{0}", str(len(paths)))
        )
        box.setInformativeText(f"{folder}\n{names}")
        open_folder = box.addButton(self.tr("フォルダを開く"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Ok)
        box.buttonClicked.connect(
            lambda clicked: (
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
                if clicked is open_folder
                else None
            )
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- printing ------------------------------------------------------------------------
    def print_dialog(self) -> None:
        """ファイル → 印刷…: the PDF's pages, laid out in the background, then previewed."""
        if self.document is None or self.session.tasks.busy:
            return
        self.document.flush()
        snapshot = copy.deepcopy(self.document.report)
        options = self.export_options()

        def work() -> bytes:
            from ...formats.pdf import writer as pdf_writer

            return pdf_writer.build(snapshot, options)

        self.session.tasks.run(
            self.tr("印刷する頁を組んでいます…"),
            work,
            lambda data: self.preview_dialog(data).exec(),
            lambda message: self.show_error(self.tr("印刷できませんでした"), message),
        )

    def preview_dialog(self, data: bytes):
        """A print preview of the PDF ``data``; printing from it prints those pages."""
        # Loaded here: printing is the one place the editor needs QtPrintSupport.
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self.parent_widget)
        dialog.setWindowTitle(self.tr("印刷プレビュー"))
        # Qt opens its preview at about 700×480, where an A4 page of the table is
        # too small to read: as large as the screen allows instead.
        fit_to_screen(dialog, QSize(1200, 860))
        dialog.paintRequested.connect(lambda target: paint_pages(data, target))
        # The dialog keeps only a pointer to its printer: the printer lives as
        # long as the dialog, or the preview draws on freed memory.
        dialog.printer = printer
        return dialog


def paint_pages(data: bytes, printer) -> int:
    """Draw every page of the PDF ``data`` on ``printer``; returns the number of pages.

    The pages are those of the PDF export (one layout for both), rendered by
    pdfium at the printer's resolution (at most 300 dpi, which office
    printers print in full) and placed on A4 landscape paper edge to edge:
    the PDF's pages carry their own margins.
    """
    import pypdfium2
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter

    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(0, 0, 0, 0),
        )
    )
    document = pypdfium2.PdfDocument(data)
    painter = QPainter()
    if not painter.begin(printer):
        logger.warning("the printer could not be started")
        return 0
    try:
        dpi = min(printer.resolution(), 300)
        target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        for number in range(len(document)):
            if number:
                printer.newPage()
            page = document[number]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            )
            painter.drawImage(target, image)
        return len(document)
    finally:
        painter.end()
        document.close()
