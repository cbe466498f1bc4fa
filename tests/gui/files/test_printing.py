"""PDF and print from the window: 「PDF で書き出し…」 and 「印刷…」 with its preview."""

from __future__ import annotations

import pdfplumber
import pytest
from PySide6.QtWidgets import QFileDialog

from tests.gui.conftest import answer_precheck


def _titles(menu) -> list[str]:
    return [action.text() for action in menu.actions()]


def test_pdf_export_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    assert "PDF で書き出し(&P)…" in _titles(window.file_menu)
    assert "印刷(&R)…" in _titles(window.file_menu)
    out = tmp_path / "公表用"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(out), "PDF (*.pdf)")
    )
    # The sample still has findings: the check before a file for submission is answered.
    answer_precheck(lambda dialog: dialog.export_button.click())
    window.files.act_export_pdf.trigger()
    written = tmp_path / "公表用.pdf"  # the extension is added
    qtbot.waitUntil(lambda: written.exists() and not window.tasks.busy, timeout=60000)
    with pdfplumber.open(written) as pdf:
        assert len(pdf.pages) > 5
        assert "R3年度(取組予定)" in pdf.pages[-1].extract_text()
    assert window.open_button.isVisible() and "公表用.pdf" in window.open_button.text()


def test_print_preview_paints_the_pdf_pages(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from kushiro_editor.formats.pdf import writer as pdf_writer

    shown = []

    def exec_(dialog):
        # What the preview would paint, sent to a printer that writes a PDF.
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        dialog.paintRequested.emit(printer)
        shown.append(dialog.windowTitle())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.files.act_print.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert shown == ["印刷プレビュー"]
    expected = len(pdfplumber.open(_own(tmp_path, window, pdf_writer)).pages)
    with pdfplumber.open(tmp_path / "printed.pdf") as printed:
        assert len(printed.pages) == expected
        first = printed.pages[0]
        # A4 landscape, and the page is drawn (an image covering it), not left blank.
        assert (round(first.width), round(first.height)) == (842, 595)
        assert first.images and first.images[0]["width"] > 800


def _own(tmp_path, window, pdf_writer):
    path = tmp_path / "own.pdf"
    pdf_writer.write_file(window.document.report, path, window.files.export_options())
    return path


def test_print_preview_dialog_shows_the_pages(qtbot, window):
    from kushiro_editor.formats.pdf import writer as pdf_writer

    data = pdf_writer.build(window.document.report, window.files.export_options())
    dialog = window.files.preview_dialog(data)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.paintRequested, timeout=30000):
        dialog.show()
    assert dialog.windowTitle() == "印刷プレビュー"
    dialog.close()


@pytest.mark.parametrize("kind", ["pdf"])
def test_a_failed_pdf_export_is_one_message(qtbot, window, tmp_path, monkeypatch, kind):
    errors = []
    monkeypatch.setattr(window.files, "show_error", lambda title, message: errors.append(message))
    with qtbot.waitSignal(window.tasks.finished, timeout=60000):
        window.files.export_file(tmp_path / "missing" / f"r.{kind}", kind)
    assert len(errors) == 1 and "\n" not in errors[0]
    assert not (tmp_path / "missing").exists()
