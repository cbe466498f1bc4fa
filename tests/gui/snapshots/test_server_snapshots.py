"""ファイル → スナップショット… on the shared store: a planner's copies of the database, and a
department's login told in the dialog that planners keep them."""

from __future__ import annotations

from kushiro_editor.core.server import logins
from kushiro_editor.core.store import Store
from kushiro_editor.gui.snapshots.work import SnapshotDialog
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`


def test_a_planner_and_a_department_in_the_snapshot_dialog(secured, make_window):
    department, planner = secured.login("kenko"), secured.login("kikaku")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, "健康推進課", department)
        logins.add_planner(admin, planner)
    office = make_window(secured.url(planner))
    office.snapshots.take_snapshot("manual", "提出版")
    dialog = SnapshotDialog(office.snapshots, office)
    assert "共有のデータベース全体の写し" in dialog.note.text()
    assert dialog.list.topLevelItem(0).text(2) == "提出版"
    assert dialog.create.isEnabled() and dialog.restore.isEnabled()
    dialog.close()

    desk = make_window(secured.url(department))
    dialog = SnapshotDialog(desk.snapshots, desk)
    assert dialog.list.topLevelItemCount() == 0
    # The server's refusal in the dialog itself, and no button it would refuse.
    assert "企画担当が残し" in dialog.note.text()
    assert not any(b.isEnabled() for b in (dialog.create, dialog.compare, dialog.restore))
    dialog.close()
