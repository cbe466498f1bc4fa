"""The window's one note when the checks run without the Japanese analyser."""

from __future__ import annotations

import pytest

from kushiro_editor.core import analyser
from kushiro_editor.gui.app import note_missing_analyser

NOTE = "日本語の解析辞書を読み込めないため"


@pytest.fixture
def no_dictionary(tmp_path):
    analyser.use_dictionary_finder(lambda: tmp_path / "absent.dic")
    yield
    analyser.use_dictionary_finder(None)
    analyser.when_missing(None)


def test_the_status_bar_says_when_the_dictionary_is_missing(
    make_window, sample_store, no_dictionary, qtbot
):
    window = make_window(sample_store.path)
    note_missing_analyser(window)
    # The review panel's notation check runs in the background: the note crosses threads.
    window.session.review_requested.emit()
    qtbot.waitUntil(lambda: NOTE in window.statusBar().currentMessage(), timeout=10000)


@pytest.fixture
def listening():
    yield
    analyser.when_missing(None)


def test_no_note_with_the_analyser(make_window, sample_store, qtbot, listening):
    window = make_window(sample_store.path)
    note_missing_analyser(window)
    window.session.review_requested.emit()
    panel = window.review.panel
    # The sample has notation findings: they come once the analyser was loaded and used.
    qtbot.waitUntil(lambda: not panel.busy and bool(panel.notation_findings), timeout=20000)
    assert analyser.is_loaded() and not analyser.is_missing()
    assert NOTE not in window.statusBar().currentMessage()
