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
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
IMAGES = HERE / "images"
FONTS = ROOT / "tests" / "fonts" / "fonts.conf"


def window_pictures(store_path: Path, folder: Path, size: tuple[int, int]) -> list[Path]:
    """The window as a new user meets it at ``size``: the first start, the guide, the review.

    Shot from the screen (not the widget), so that the guide, a window of its
    own, is in the picture as it is seen.
    """
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(folder / f"window-{size[0]}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Store(store_path), settings)
    window.move(0, 0)
    window.resize(*size)
    window.show()
    width = size[0]
    shots: list[Path] = []

    def settle() -> None:
        for _ in range(20):
            app.processEvents()

    def shoot(name: str, of=None) -> None:
        settle()
        screen = QApplication.primaryScreen()
        frame = (of or window).frameGeometry()
        target = folder / f"{name}-{width}.png"
        screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).save(str(target))
        shots.append(target)

    def run() -> None:
        shoot("first-start")
        guide = window.show_start_page() and window.guide
        if guide:
            # The picture shows where a Windows PC keeps the data, not this machine's folder.
            shown = r"C:\Users\(ユーザー名)\AppData\Local\Kushiro\KushiroProgressEditor"
            for label in (guide.folder, guide.snapshot_note):
                text = label.text().replace(str(store_path.parent), shown)
                label.setText(text.replace(shown + "/", shown + "\\"))
            guide.resize(min(780, size[0] - 80), min(620, size[1] - 60))
            guide.move(window.geometry().center() - guide.rect().center())
            shoot("guide")
            guide.close()
        report = window.document.report
        window.pane.select_node(report.goals[0].directions[2])
        window.review.show_review()
        # The checks run off the window's thread: the picture waits for their findings.
        panel = window.review.panel
        for _ in range(600):
            app.processEvents()
            if panel is None or not panel.busy:
                break
            time.sleep(0.05)
        shoot("review")
        window.review.panel.hide()
        # 検索と置換 (Ctrl+H): a word found across the report, to be replaced.
        window.find.show_replace()
        panel = window.find.panel
        panel.query.setText("子供")
        panel.replacement.setText("子ども")
        panel.run()
        shoot("find-replace")
        panel.hide()
        shoot_answer_review(window, folder, shoot)
        window.close()
        app.quit()

    QTimer.singleShot(500, run)
    app.exec()
    window.store.close()
    return shots


def shoot_answer_review(window, folder: Path, shoot) -> None:
    """照会回答の確認 with two departments' answers: one new text, one changed."""
    from openpyxl import load_workbook

    from kushiro_editor.core import merge
    from kushiro_editor.formats.inquiry import packs
    from kushiro_editor.formats.inquiry.answers import read_answers
    from kushiro_editor.gui.inquiry.dialogs import MergeDialog

    report = window.document.report
    written = packs.export_packs(report, folder / "packs", ["農林課", "観光振興室"])
    answers = []
    for department, path, _rows in written:
        book = load_workbook(path)
        sheet = book[packs.ANSWER_SHEET]
        plan = sheet.cell(row=packs.FIRST_ROW, column=packs.COL_PLAN)
        plan.value = f"{plan.value or ''}\n・{department}の新しい取組を始める。"
        book.save(path)
        answers.append(read_answers(path))
    dialog = MergeDialog(merge.review_answers(report, answers), window)
    dialog.show()
    dialog.items.setCurrentItem(dialog.items.topLevelItem(0))
    # As a 1280×720 screen shows it (the dialog fits the screen it opens on).
    room = window.frameGeometry()
    dialog.resize(min(dialog.width(), room.width() - 80), min(dialog.height(), room.height() - 60))
    dialog.move(room.x() + 40, room.y() + 20)
    shoot("answer-review", dialog)
    dialog.close()


def export_pictures(store_path: Path, work: Path) -> dict[str, int]:
    """Page 1 of the Word, Excel and PDF export (Word and Excel as LibreOffice prints
    them); returns how many pages each takes."""
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats.docx import writer as docx_writer
    from kushiro_editor.formats.pdf import writer as pdf_writer
    from kushiro_editor.formats.xlsx import writer as xlsx_writer

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


def web_pictures(report, work: Path) -> list[Path]:
    """The web page in headless Chromium at a phone's width and a desktop's, at a table."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from kushiro_editor.formats import webpage

    page = work / "report.html"
    webpage.write_file(report, page)
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--lang=ja-JP",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    shots = []
    try:
        for name, size in (("phone", (390, 844)), ("desktop", (1280, 800))):
            driver.set_window_size(*size)
            driver.get(page.as_uri())
            driver.execute_script("document.getElementById('g1-d1').scrollIntoView()")
            target = IMAGES / f"web-{name}.png"
            driver.save_screenshot(str(target))
            shots.append(target)
    finally:
        driver.quit()
    return shots


def main() -> int:
    """Write the window's pictures (1280×720) and a page of each export.

    ``--check`` shoots the window at 1280×720, 1366×768 and 1600×1000 into a
    temporary folder instead and prints where, to look at each size; run it with
    ``QT_SCALE_FACTOR=1.5`` on a 1920×1080 screen for 150 % (``--check 1280x720``:
    only the sizes named).
    """
    sys.path.insert(0, str(ROOT))
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store_path = work / "reports.sqlite3"
        result = read_file(ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv")
        with Store(store_path) as store:
            store.save(result.report, result.warnings)
        if "--check" in sys.argv:
            keep = Path(tempfile.mkdtemp(prefix="kushiro-shots-"))
            named = [a for a in sys.argv[2:] if "x" in a]
            sizes = [tuple(int(n) for n in a.split("x")) for a in named]
            for size in sizes or ((1280, 720), (1366, 768), (1600, 1000)):
                for shot in window_pictures(store_path, keep, size):
                    print(shot)
            return 0
        for shot in web_pictures(result.report, work):
            print(shot)
        for kind, count in export_pictures(store_path, work).items():
            print(f"{kind}: {count} pages")
        for shot in window_pictures(store_path, work, (1280, 720)):
            shot.replace(IMAGES / shot.name.replace("-1280", ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
