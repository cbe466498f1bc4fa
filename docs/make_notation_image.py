"""Regenerate the README's picture of 「まとめて直す」: the preview over the window.

Run under a 1280×720 display with the Japanese fonts installed:

    xvfb-run -a -s "-screen 0 1280x720x24" uv run python docs/make_notation_image.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET = HERE / "images" / "notation-preview.png"


def preview_picture(store_path: Path, target: Path) -> None:
    """The window with the review panel, and the preview of the sample's notation fixes."""
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QGuiApplication

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(store_path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(Store(store_path), settings)
    window.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    window.show()

    def shoot(dialog) -> bool:
        dialog.show()
        # Two changes left out, to show the choice.
        for item in (dialog.groups["torikumi-noun"].child(1), dialog.groups["wave"].child(0)):
            item.setCheckState(0, Qt.CheckState.Unchecked)
        # The long 取組 list folded, so that every rule shows.
        dialog.groups["torikumi-noun"].setExpanded(False)
        dialog.move(90, 50)
        for _ in range(20):
            app.processEvents()
        QGuiApplication.primaryScreen().grabWindow(0).save(str(target))
        return False

    def start() -> None:
        window.warnings_panel.hide()
        window.review.show_review()
        window.review.panel.checker.wait()
        for _ in range(10):
            app.processEvents()
        window.review.confirm_fixes = shoot
        window.session.tasks.finished.connect(
            lambda: QTimer.singleShot(100, lambda: (window.close(), app.quit()))
        )
        window.review.fix_notation()

    QTimer.singleShot(500, start)
    app.exec()


def main() -> int:
    """Write docs/images/notation-preview.png."""
    sys.path.insert(0, str(ROOT))
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    with tempfile.TemporaryDirectory() as folder:
        store_path = Path(folder) / "sample.sqlite3"
        result = read_file(ROOT / "resources" / "sample" / "kushiro_progress_r2_r3.tsv")
        with Store(store_path) as store:
            store.save(result.report, result.warnings)
        preview_picture(store_path, TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
