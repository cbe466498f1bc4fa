"""The real window on a real store file, with private settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from kushiro_editor.core.store import Store
from kushiro_editor.gui.mainwindow import MainWindow


@pytest.fixture
def settings(tmp_path):
    """Settings in a private INI file."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    """Open windows on a store path; closed at the end of the test."""
    opened = []

    def make(path, **kwargs):
        window = MainWindow(Store(path), settings, **kwargs)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        opened.append(window)
        return window

    yield make
    for window in opened:
        if window.isVisible():
            window.close()
        window.store.close()


@pytest.fixture
def window(make_window, sample_store, store_path):
    """The window on the sample report (the sample store's connection stays open too)."""
    return make_window(store_path)


def fresh(store_path):
    """A second connection to the store, as a new session would see it."""
    store = Store(store_path)
    try:
        return store.load()
    finally:
        store.close()
