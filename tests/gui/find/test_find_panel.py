"""検索と置換 on a laptop: Ctrl+H shows the panel in front, its fields never squashed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def press_replace(window, qtbot):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.find.panel is not None and window.find.panel.isVisible())
    return window.find.panel


def test_the_first_ctrl_h_shows_the_panel_in_front_of_the_notes(window, qtbot):
    window.resize(1280, 720)
    # The import's notes share the bottom area with the find panel.
    window.warnings_panel.show()
    window.warnings_panel.raise_()
    panel = press_replace(window, qtbot)
    qtbot.waitUntil(lambda: not panel.visibleRegion().isEmpty(), timeout=2000)
    assert window.warnings_panel.visibleRegion().isEmpty()
    # Nothing searched for yet: the cursor waits in the search field.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.query, timeout=2000)


def test_ctrl_h_after_a_search_goes_to_the_replacement(window, qtbot):
    window.resize(1280, 720)
    window.find.show_find()
    panel = window.find.panel
    panel.query.setText("実施")
    panel.run()
    window.pane.view.setFocus()
    press_replace(window, qtbot)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.replacement, timeout=2000)


def test_the_fields_and_some_results_keep_their_height(window, qtbot):
    window.resize(1280, 720)
    panel = press_replace(window, qtbot)
    qtbot.wait(200)  # the window has fitted its panels
    # The window gives its panels as little as it can.
    window.resizeDocks([panel], [10], Qt.Orientation.Vertical)
    qtbot.wait(200)
    line = panel.query.fontMetrics().height()
    assert panel.query.height() >= line
    assert panel.replacement.height() >= line
    assert panel.results.height() >= line
