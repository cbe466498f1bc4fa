"""Regenerate the README's pictures: the window, and a page of each export.

Run under a display with the Japanese fonts installed (as .ci/run installs them):

    xvfb-run -a -s "-screen 0 1600x1000x24" uv run python docs/make_images.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMAGES = HERE / "images"
FONTS = ROOT / "tests" / "fonts" / "fonts.conf"


def window_picture(store_path: Path, target: Path) -> None:
    """The window on the sample, showing a direction with several departments."""
    from PySide6.QtCore import QSettings, QTimer

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(store_path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(Store(store_path), settings)
    window.resize(1500, 900)
    window.show()

    def shoot() -> None:
        report = window.document.report
        window.warnings_panel.hide()
        window.pane.select_node(report.goals[0].directions[2])
        for _ in range(10):
            app.processEvents()
        window.grab().save(str(target))
        window.close()
        app.quit()

    QTimer.singleShot(500, shoot)
    app.exec()


def export_pictures(store_path: Path, work: Path) -> dict[str, int]:
    """Page 1 of the Word, Excel and PDF export (Word and Excel as LibreOffice prints
    them); returns how many pages each takes."""
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import docx_writer, pdf_writer, xlsx_writer

    with Store(store_path) as store:
        report = store.load()
    docx_writer.write_file(report, work / "word.docx")
    xlsx_writer.write_file(report, work / "excel.xlsx")
    pdf_writer.write_file(report, work / "own.pdf")
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS)}
    for name in ("word.docx", "excel.xlsx"):  # one at a time: each makes its own .pdf
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", name],
            cwd=work,
            env=env,
            check=True,
            capture_output=True,
        )
    pages = {}
    for stem, kind in (("word", "docx"), ("excel", "xlsx"), ("own", "pdf")):
        pdf = work / f"{stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages[kind] = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), stem],
            cwd=work,
            check=True,
        )
        (work / f"{stem}.png").replace(IMAGES / f"export-{kind}.png")
    return pages


def main() -> int:
    """Write docs/images/window.png and export-docx/xlsx/pdf.png; print the page counts."""
    sys.path.insert(0, str(ROOT))
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store_path = work / "sample.sqlite3"
        result = read_file(ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv")
        with Store(store_path) as store:
            store.save(result.report, result.warnings)
        for kind, count in export_pictures(store_path, work).items():
            print(f"{kind}: {count} pages")
        window_picture(store_path, IMAGES / "window.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
