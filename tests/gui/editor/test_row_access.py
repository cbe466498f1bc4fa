"""On the shared store a department's login sees another department's rows, and its own
while submitted, read-only with the reason: the server would refuse the typing."""

from __future__ import annotations

import pytest

from kushiro_editor.core.server import logins, rowstates
from kushiro_editor.core.store import Store
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`

DEPT = "健康推進課"


@pytest.fixture
def department_window(secured, make_window):
    login = secured.login("kenko")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, DEPT, login)
    return make_window(secured.url(login))


def _widget_of(window, qtbot, entry_id):
    window.session.reveal_id.emit(entry_id)
    qtbot.waitUntil(lambda: any(w.entry.id == entry_id for w in window.pane.view._entries))
    return next(w for w in window.pane.view._entries if w.entry.id == entry_id)


def test_other_rows_read_only_own_rows_open_until_submitted(department_window, qtbot):
    window = department_window
    report = window.document.report
    mine = rowstates.rows(report, [DEPT])[0].entry
    other = next(e for _g, _d, e in report.entries() if DEPT not in e.departments)
    theirs = _widget_of(window, qtbot, other.id)
    assert theirs.actual.isReadOnly() and theirs.plan.isReadOnly()
    assert "ほかの部署の行です" in theirs.lock.text() and theirs.lock.isVisibleTo(theirs)
    assert not theirs.actions.isEnabled()
    own = _widget_of(window, qtbot, mine.id)
    assert not own.actual.isReadOnly() and not own.lock.isVisibleTo(own)
    # Submitted from 照会状況: the row closes at once.
    window.inquiry.show_status()
    window.inquiry.panel.shared.submit_button.click()
    assert own.actual.isReadOnly() and own.plan.isReadOnly()
    assert "提出済みの行です" in own.lock.text()


def test_a_planner_and_a_store_file_write_every_row(window):
    widget = window.pane.view._entries[0]
    assert not widget.actual.isReadOnly() and not widget.lock.isVisibleTo(widget)


def test_a_department_starts_on_its_own_rows(department_window):
    window = department_window
    assert window.pane.departments.currentData() == DEPT
    shown = [w.entry for w in window.pane.view._entries if w.isVisibleTo(window.pane.view)]
    assert shown and all(DEPT in entry.departments for entry in shown)
