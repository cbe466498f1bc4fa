"""The header above a direction's block names what is under it: the rows' column
headings only over the department rows, the section's name over 施策 and 主な事業;
a jump to a measure shows the measure's heading, not only its text."""

from __future__ import annotations

from PySide6.QtCore import QPoint


def _long_direction(window):
    """A direction with measures and the most projects: sections longer than the view."""
    return max(
        (d for _g, d in window.document.report.directions() if d.measures and d.main_projects),
        key=lambda d: len(d.main_projects),
    )


def _shown(view, widget) -> bool:
    """The widget's top edge is inside the viewport (not under the header, not below)."""
    top = widget.mapTo(view.viewport(), QPoint(0, 0)).y()
    return 0 <= top < view.viewport().height()


def test_the_header_follows_the_section_under_it(window, qtbot):
    window.resize(1280, 720)
    view = window.pane.view
    direction = _long_direction(window)
    window.pane.select_node(direction)
    qtbot.waitUntil(lambda: view.direction is direction)
    # Folded measures: the rows come first, under their column headings.
    assert view.header_rows.currentWidget() is view.column_headings
    view.set_details_visible(True)
    view.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: view.header_rows.currentWidget() is view.section_heading)
    assert view.section_heading.text().startswith("具体的な施策")
    assert not view.column_headings.isVisible()

    # Scrolled to 【主な事業】: the header says so.
    # (Measured again each time: the measures' heights settle as they are laid out.)
    def at_projects() -> bool:
        view.verticalScrollBar().setValue(view.projects_heading.mapTo(view.widget(), QPoint()).y())
        return view.section_heading.text().startswith("【主な事業】")

    qtbot.waitUntil(at_projects)
    # Down to the department rows: the column headings are back.
    first_row = view.entry_widget(direction.entries[0])
    view.scroll_to_row(first_row)
    qtbot.waitUntil(lambda: view.header_rows.currentWidget() is view.column_headings)
    assert _shown(view, first_row)
    # The header keeps its height whichever it shows: the rows never jump.
    assert view.section_heading.height() == view.column_headings.height()


def test_a_jump_to_a_measure_shows_its_heading(window, qtbot):
    window.resize(1280, 720)
    view = window.pane.view
    direction = _long_direction(window)
    measure = direction.measures[-1]
    # From a folded direction, scrolled down to its last department row.
    window.pane.select_node(direction)
    qtbot.waitUntil(lambda: view.direction is direction)
    view.set_details_visible(False)
    view.scroll_to_row(view.entry_widget(direction.entries[-1]))
    window.pane.reveal(measure, "body")
    qtbot.waitUntil(lambda: view.measure_widget(measure) is not None)
    target = view.measure_widget(measure)
    qtbot.waitUntil(lambda: _shown(view, target.title))
    assert target.body.hasFocus() or window.focusWidget() is target.body
    assert view.header_rows.currentWidget() is view.section_heading
