"""Starting the editor: the application, its language and fonts, the store, the window."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

# Fonts a Japanese Windows PC has, best first; Linux falls back to Noto CJK.
UI_FONTS = ("Yu Gothic UI", "Meiryo UI", "Meiryo", "Noto Sans CJK JP", "IPAGothic")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The editor's command-line options."""
    parser = argparse.ArgumentParser(prog="app.py", description="釧路市 進捗報告エディタ")
    parser.add_argument(
        "--db",
        type=store_location,
        help="データファイル、または共有のデータベース(postgresql://…)。省略時は既定のファイル",
    )
    parser.add_argument("--year", type=int, help="開く報告の年度(実績の年度、西暦)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="画面が表示されるまで起動し、所要時間(ミリ秒)を表示して終了",
    )
    return parser.parse_args(argv)


def store_location(text: str) -> Path | str:
    """--db's value: a server's URL as given (a path would fold its //), else a file."""
    from ..core.database import is_server

    return text if is_server(text) else Path(text)


def _install_translations(app) -> None:
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_ja", "qt_ja"):
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Japanese), name.split("_")[0], "_", path):
            app.installTranslator(translator)


def _choose_font(app) -> None:
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    for family in UI_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(10.0)
            app.setFont(font)
            return


def settings():
    """The editor's settings: an INI file beside the data, never in a roaming profile.

    On Windows the folder is %LOCALAPPDATA%\\Kushiro\\KushiroProgressEditor (a
    roaming profile would carry the window layout to PCs with other screens).
    """
    from PySide6.QtCore import QSettings, QStandardPaths

    from ..appdata import set_application_names

    set_application_names()
    folder = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    )
    folder.mkdir(parents=True, exist_ok=True)
    return QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)


def create_application(argv: Sequence[str]):
    """The QApplication with Japanese translations and a Japanese UI font."""
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from ..appdata import resources_dir, set_application_names

    # No application display name: Qt would add it to every dialog's title, which a
    # narrow box then cuts (「スナップ…エディタ」). The main window names the editor itself.
    set_application_names()
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    _install_translations(app)
    _choose_font(app)
    icon = resources_dir() / "icons" / "kushiro-editor.png"
    if icon.exists():
        # Set here because Windows shows the executable's own icon only in Explorer.
        app.setWindowIcon(QIcon(str(icon)))
    return app


def _load_core() -> None:
    """Import the Qt-free part of the editor before Qt itself.

    Once PySide6 is imported it inspects the source of every module imported
    after it (for its opt-in ``__feature__`` syntax); the core does not use Qt,
    so loading it first spares the start that work.
    """
    import importlib

    for name in (
        "difflib",
        "html.parser",
        "sqlite3",
        "zipfile",
        "kushiro_editor.core.fiscal",
        "kushiro_editor.core.merge",
        "kushiro_editor.core.migrations",
        "kushiro_editor.core.review",
        "kushiro_editor.core.search",
        "kushiro_editor.core.snapshots",
        "kushiro_editor.core.store",
        "kushiro_editor.formats.table.layout",
        "kushiro_editor.workspace",
    ):
        importlib.import_module(name)


def main(argv: Sequence[str] | None = None, *, started: float | None = None) -> int:
    """Open the editor; with ``--check``, print ``ready <ms>`` once it is shown and exit."""
    started = time.perf_counter() if started is None else started
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from ..appdata import resources_dir
    from ..qtplatform import check as window_can_open

    # Before Qt is loaded and before any store is opened or made: Qt itself would
    # abort in English, and a store made now would be left behind for nothing.
    problem = window_can_open(resources_dir())
    if problem:
        print(f"kushiro-editor: エラー: {problem}", file=sys.stderr)
        return 2
    _load_core()
    app = create_application([])

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from ..core.model import ReportError
    from ..workspace import open_store
    from .mainwindow import MainWindow

    try:
        store = open_store(args.db)
    except ReportError as exc:
        # One line, as the command line says it: a server's failure names where it was.
        line = " ".join(str(exc).split())
        if args.check:
            print(f"error {line}", file=sys.stderr)
            return 2
        QMessageBox.critical(None, "釧路市 進捗報告エディタ", line)
        return 2
    from ..appdata import StoreLockedError, lock_of

    lock = lock_of(store)
    read_only = False
    try:
        if lock is not None:
            lock.acquire()
    except StoreLockedError as exc:
        # Who holds the lock (process, lock file) is for the log, not for the clerk.
        logger.warning("%s", exc)
        read_only = True
        if not args.check and not ask_read_only():
            store.close()
            return 0
    from ..core import analyser
    from ..dictionary import analyser_dictionary

    analyser.use_dictionary_finder(analyser_dictionary)
    window = MainWindow(store, settings(), year=args.year, read_only=read_only, lock=lock)
    note_missing_analyser(window)
    window.show()
    if not args.check:
        window.show_start_page()
    if args.check:

        def check() -> None:
            app.processEvents()
            shown = (
                window.pane.view is not None
                and window.pane.view.direction is not None
                and any(w.isVisible() for w in window.pane.view._entries)
            )
            tree_rows = window.pane.tree.model().rowCount()
            if not (shown and tree_rows):
                print("error the report was not shown", file=sys.stderr)
                app.exit(1)
                return
            mode = " read-only" if read_only else ""
            print(f"ready {round((time.perf_counter() - started) * 1000)}{mode}", flush=True)
            window.close()
            app.exit(0)

        QTimer.singleShot(0, check)
    code = app.exec()
    analyser.when_missing(None)  # the note's listener holds the window
    # The window may have moved to another store meanwhile (データベースに接続…).
    window.session.close_store()
    return code


def note_missing_analyser(window) -> None:
    """Say in the window's status bar when the checks run without the analyser."""
    from PySide6.QtCore import QCoreApplication

    from ..core import analyser

    note = QCoreApplication.translate(
        "app", "日本語の解析辞書を読み込めないため、表記と時制は簡易な方法で点検しています"
    )
    # The first check runs off the window's thread: the signal carries the note over.
    analyser.when_missing(lambda: window.session.message.emit(note, 0))


def read_only_box():
    """The question shown when the editor is already open on the same data."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "釧路市 進捗報告エディタ",
        "進捗報告エディタはすでに開いています。",
    )
    box.setInformativeText(
        "同じデータを2つのウィンドウで同時に編集すると、入力が失われるおそれがあります。"
        "もう一方のウィンドウで作業を続けるか、こちらを読み取り専用で開いてください。"
    )
    box.addButton("読み取り専用で開く", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("終了", QMessageBox.ButtonRole.RejectRole)
    return box


def ask_read_only() -> bool:
    """The store is in use: open it read-only, or not at all."""
    from PySide6.QtWidgets import QMessageBox

    box = read_only_box()
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
