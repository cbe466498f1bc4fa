"""The 照会状況 panel on the shared store: a department's rows 記入中 → 提出済み → 確認済み,
submitted from a department's window, accepted and given back from a planner's."""

from __future__ import annotations

import pytest

from kushiro_editor.core.server import rowstates
from kushiro_editor.core.store import Store
from kushiro_editor.gui.inquiry.work import PANEL_WIDTH
from tests.gui.inquiry.test_inquiry import status_rows
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

DEPT = "健康推進課"


@pytest.fixture
def people(secured):
    """A department login for 健康推進課 and a planner login."""
    return secured.people(DEPT)


def _panel(window):
    window.inquiry.show_status()
    return window.inquiry.panel


def _select(panel, department: str) -> None:
    table = panel.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == department)
    table.setCurrentCell(row, 0)


def test_a_department_submits_and_a_planner_accepts_and_gives_back(
    secured, people, make_window, monkeypatch
):
    department, planner = people
    with Store(secured.admin_url) as admin:
        own = len(rowstates.rows(admin.load(), [DEPT]))
    dept_window = make_window(secured.url(department))
    panel = _panel(dept_window)
    assert status_rows(dept_window)[DEPT][1] == "記入中"
    assert status_rows(dept_window)[DEPT][8] == f"記入中 {own}・提出済み 0・確認済み 0"
    shared = panel.shared
    assert shared.submit_button.isVisible() and shared.submit_button.isEnabled()
    assert not shared.accept_button.isVisible()
    shared.submit_button.click()
    assert status_rows(dept_window)[DEPT][1] == "提出済み"
    assert not shared.submit_button.isEnabled()  # nothing of its own left to submit
    assert "提出しました" in dept_window.statusBar().currentMessage()

    office = make_window(secured.url(planner))
    panel = _panel(office)
    assert status_rows(office)[DEPT][8] == f"記入中 0・提出済み {own}・確認済み 0"
    shared = panel.shared
    assert not shared.submit_button.isVisible() and shared.accept_button.isVisible()
    _select(panel, DEPT)
    assert shared.accept_button.isEnabled()
    shared.accept_button.click()
    assert status_rows(office)[DEPT][1] == "確認済み"

    first = rowstates.rows(office.document.report, [DEPT])[0]
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getItem", lambda *a, **k: (first.where, True)
    )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getMultiLineText",
        lambda *a, **k: ("数字を確かめてください。", True),
    )
    _select(panel, DEPT)
    shared.give_back_button.click()
    assert status_rows(office)[DEPT][8] == f"記入中 1・提出済み 0・確認済み {own - 1}"
    with Store(secured.admin_url) as admin:
        state = rowstates.states(admin, office.document.report)[first.entry.id]
    assert (state.state, state.comment) == ("記入中", "数字を確かめてください。")


def test_a_store_file_shows_no_shared_column(window):
    window.inquiry.show_status()
    panel = window.inquiry.panel
    assert panel.table.isColumnHidden(8)
    assert not panel.shared.bar.isVisible()


def test_a_department_sees_its_own_lines_and_what_was_given_back(
    secured, people, make_window, monkeypatch
):
    department, planner = people
    dept_window = make_window(secured.url(department))
    panel = _panel(dept_window)
    with Store(secured.admin_url) as admin:
        own = rowstates.rows(admin.load(), [DEPT])
    # Only its own line, with its rows counted, under a heading naming it.
    assert list(status_rows(dept_window)) == [DEPT]
    assert status_rows(dept_window)[DEPT][4] == str(len(own))
    assert DEPT in panel.heading.text() and "照会した部署" not in panel.heading.text()
    # No inquiry pack for a login: the packs' columns are not shown, the rows' states are,
    # beside 状態.
    table = panel.table
    assert [table.isColumnHidden(c) for c in (2, 3, 5, 6, 7)] == [True] * 5
    assert not table.isColumnHidden(8)
    assert table.horizontalHeader().visualIndex(8) == 2
    assert not panel.shared.returned.isVisible()
    panel.shared.submit_button.click()

    office = make_window(secured.url(planner))
    panel = _panel(office)
    assert len(status_rows(office)) > 1  # a planner reads every department
    assert not panel.table.isColumnHidden(2)  # and the inquiry packs
    assert panel.table.item(0, 0).text() == DEPT  # the department on the shared store first
    assert "共有のデータベースで記入する部署 1(提出 1)" in panel.heading.text()
    assert panel.shared.hint.isVisible() and not panel.shared.accept_button.isEnabled()
    _select(panel, DEPT)
    assert not panel.shared.hint.isVisible()
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getItem", lambda *a, **k: (own[0].where, True)
    )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getMultiLineText",
        lambda *a, **k: ("件数の単位を確かめてください。", True),
    )
    panel.shared.give_back_button.click()
    _select(panel, DEPT)
    assert panel.shared.returned.isVisible()
    assert "差し戻した行" in panel.shared.returned.text()

    dept_window.inquiry.panel.refresh()
    shown = dept_window.inquiry.panel.shared.returned
    assert shown.isVisible()
    assert f"{own[0].where}: 件数の単位を確かめてください。" in shown.text()
    assert "もう一度提出" in shown.text()


def test_the_panel_leaves_the_editor_its_width(secured, people, make_window, qtbot):
    office = make_window(secured.url(people[1]))
    office.resize(1280, 720)
    qtbot.wait(50)
    _panel(office)
    qtbot.wait(50)
    # Its set width, whatever its table asks for (a wide table scrolls sideways).
    assert office.inquiry.panel.width() == min(PANEL_WIDTH, 1280 // 3)
