"""Room for the text on an office laptop: the first start, panels, sticky headings, jumps."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDockWidget


def open_docks(window):
    return [d for d in window.findChildren(QDockWidget) if d.isVisible()]


def pane_share(window):
    return window.pane.height() / window.height()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_first_start_opens_no_panel_and_leaves_the_editor_its_room(
    make_window, sample_store, store_path, qtbot, size
):
    window = make_window(store_path)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.height() == size[1])
    # The sample has notes from its import: listed, but not opened on a first start.
    assert window.warnings_panel.list.count() > 0
    assert open_docks(window) == []
    assert pane_share(window) >= 2 / 3
    # Any panel opened later (the review, made by its feature) keeps the editor its share.
    window.review.show_review()
    qtbot.waitUntil(window.review.panel.isVisible)
    qtbot.waitUntil(lambda: pane_share(window) >= 2 / 3, timeout=2000)
    window.find.show_find()
    qtbot.waitUntil(lambda: pane_share(window) >= 2 / 3, timeout=2000)
    # Panels share one tabbed area rather than stacking up.
    assert window.tabifiedDockWidgets(window.review.panel)


def test_panels_are_remembered(make_window, sample_store, store_path, qtbot):
    window = make_window(store_path)
    window.warnings_panel.show()
    window.close()
    again = make_window(store_path)
    assert again.warnings_panel.isVisible()
    again.warnings_panel.close()
    again.close()
    third = make_window(store_path)
    assert open_docks(third) == []


def test_an_import_with_notes_opens_them(window, qtbot):
    window.session.warnings_found.emit()
    assert window.warnings_panel.isVisible()


def busiest(window):
    directions = [d for _g, d in window.document.report.directions()]
    return max(directions, key=lambda d: len(d.entries))


def test_title_and_headings_stay_in_view_while_rows_scroll(window, qtbot):
    window.resize(1280, 720)
    direction = busiest(window)
    window.pane.select_node(direction)
    view = window.pane.view
    bar = view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    for label in (view.title, view.heading_department, view.heading_actual, view.heading_plan):
        assert label.isVisible()
        top = label.mapTo(view, label.rect().topLeft()).y()
        assert 0 <= top < view.viewport().y(), "above the scrolling rows"
    assert view.heading_actual.text() == "R2年度(実績)"
    assert view.heading_plan.text() == "R3年度(取組予定)"
    assert view.title.text() == direction.heading
    # The headings line up with the columns of the rows below them.
    widget = next(w for w in view._entries if w.isVisible())
    actual_x = widget.actual.mapTo(view, widget.actual.rect().topLeft()).x()
    heading_x = view.heading_actual.mapTo(view, view.heading_actual.rect().topLeft()).x()
    assert abs(actual_x - heading_x) <= 2


def test_a_jump_puts_the_row_near_the_top(window, qtbot):
    window.resize(1280, 720)
    direction = busiest(window)
    # A row with enough rows below it for the view to scroll it to the top.
    entry = direction.entries[len(direction.entries) // 2]
    window.session.reveal.emit(entry, "plan", 0, 2)
    view = window.pane.view

    def row_top():
        widget = view.entry_widget(entry)
        return widget.mapTo(view.viewport(), widget.rect().topLeft()).y()

    qtbot.waitUntil(lambda: 0 <= row_top() <= view.viewport().height() // 4, timeout=2000)
    assert view.heading_plan.isVisible()


SCALED = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from kushiro_editor.core.store import Store
from kushiro_editor.gui.app import create_application
from kushiro_editor.gui.mainwindow import MainWindow

app = create_application([])
window = MainWindow(Store(sys.argv[1]), QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()
window.review.show_review()
for _ in range(30):
    app.processEvents()
view = window.pane.view
print(window.devicePixelRatio(), window.pane.height() / window.height(),
      view.viewport().y() > view.title.geometry().bottom(), window.height())
window.close()
"""


def screen(tmp_path, width, height):
    """An offscreen platform with one screen of that many pixels."""
    config = tmp_path / f"screen-{width}x{height}.json"
    one = {"name": "s", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**one, "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def test_the_layout_holds_at_150_percent(sample_store, store_path, tmp_path):
    import os
    import subprocess
    import sys

    # 1920×1080 at 150 %: 1280×720 of the window's own pixels, opened maximised.
    env = {**os.environ, "QT_QPA_PLATFORM": screen(tmp_path, 1920, 1080), "QT_SCALE_FACTOR": "1.5"}
    out = subprocess.run(
        [sys.executable, "-c", SCALED, str(store_path), str(tmp_path / "s.ini")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()
    ratio, share, below, height = float(out[0]), float(out[1]), out[2], int(out[3])
    assert ratio == 1.5
    assert 700 <= height <= 720  # the whole screen, less what the platform keeps
    assert share >= 2 / 3
    assert below == "True"


def test_the_review_panel_left_open_opens_again(make_window, sample_store, store_path, qtbot):
    window = make_window(store_path)
    window.review.show_review()
    window.close()
    again = make_window(store_path)
    qtbot.waitUntil(lambda: again.review.panel is not None and again.review.panel.isVisible())
    again.review.panel.close()
    again.close()
    third = make_window(store_path)
    qtbot.wait(400)
    assert third.review.panel is None


PLACED = """
import sys
from PySide6.QtCore import QSettings
from kushiro_editor.core.store import Store
from kushiro_editor.gui.app import create_application
from kushiro_editor.gui.mainwindow import MainWindow

app = create_application([])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
if sys.argv[3] == "remembered":
    # Left at 1900×1000 on a large screen, then opened on this one.
    big = MainWindow(Store(sys.argv[1]), settings)
    big.setGeometry(10, 40, 1900, 1000)
    settings.setValue("window/geometry", big.saveGeometry())
    big.store.close()
window = MainWindow(Store(sys.argv[1]), settings)
window.show()
for _ in range(20):
    app.processEvents()
room = window.screen().availableGeometry()
print(window.isMaximized(), room.contains(window.frameGeometry()), window.fits_screen())
window.close()
"""


def placed(store_path, tmp_path, size, how):
    """How the window opens on a screen of that size: maximised, inside, fits."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": screen(tmp_path, *size)}
    return subprocess.run(
        [sys.executable, "-c", PLACED, str(store_path), str(tmp_path / "s.ini"), how],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.split()


@pytest.mark.parametrize("how", ["first", "remembered"])
@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_the_window_opens_inside_a_laptop_screen(sample_store, store_path, tmp_path, size, how):
    # Smaller than the window's preferred size: maximised, so the status bar (where every
    # confirmation shows) stays on the screen.
    assert placed(store_path, tmp_path, size, how) == ["True", "True", "True"]


def test_a_large_screen_gets_the_preferred_size_inside_it(sample_store, store_path, tmp_path):
    assert placed(store_path, tmp_path, (1920, 1200), "first") == ["False", "True", "True"]
