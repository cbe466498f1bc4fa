"""作業の流れ: the year's steps with their state for the open report, each with its button."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from kushiro_editor.core import review
from kushiro_editor.core.server import logins, rowstates
from kushiro_editor.core.store import Store
from kushiro_editor.gui.guide import dialog as guide
from tests.serverroles import secured_fixture  # noqa: F401 - the fixture `secured`


def test_f1_opens_the_guide_with_the_state_of_each_step(window, qtbot, store_path):
    assert window.act_help.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    assert window.act_help in window.menuBar().actions()[-1].menu().actions()
    window.act_help.trigger()
    dialog = window.guide
    assert dialog.isVisible()
    states = {key: label.text() for key, label in dialog.states.items()}
    report = window.document.report
    findings = review.check(report, departments=window.store.department_list() or None)
    departments = {name for _g, _d, e in report.entries() for name in e.departments}
    assert states["rollover"] == "R2年度の報告を編集中"
    assert states["packs"] == f"照会 0/{len(departments)} 部署"
    assert states["answers"] == f"0/{len(departments)} 部署回答済み"
    assert states["review"] == f"点検 {len(findings)} 件"
    assert states["export"] == "まだ書き出していません"
    assert str(store_path) in dialog.folder.text()
    assert "スナップショット" in dialog.snapshot_note.text()


def test_the_states_follow_the_store(window, qtbot, tmp_path):
    report = window.document.report
    names = sorted({name for _g, _d, e in report.entries() for name in e.departments})
    window.store.record_inquiries(
        report.id, [(n, "2021-04-10T09:00:00+09:00", "x") for n in names[:3]]
    )
    window.session.departments_changed.emit()
    out = tmp_path / "out.docx"
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.files.export_file(out, "docx")
    dialog = window.show_guide()
    now = datetime.now().astimezone()
    assert dialog.states["packs"].text() == f"照会 3/{len(names)} 部署"
    assert dialog.states["export"].text() == f"最終書き出し {now.month}月{now.day}日"
    # A folder of inquiry packs is not the year's export.
    window.settings.remove("export/last_2020")
    window.session.written.emit(tmp_path)
    dialog.refresh()
    assert dialog.states["export"].text() == "まだ書き出していません"


def test_day_labels():
    today = datetime(2021, 6, 1)
    assert guide.day_label(datetime(2021, 5, 31), today) == "5月31日"
    assert guide.day_label(datetime(2020, 5, 31), today) == "2020年5月31日"


def test_a_step_button_runs_the_features_action(window, qtbot):
    dialog = window.show_guide()
    with qtbot.waitSignal(window.review.act_review.triggered, timeout=1000):
        qtbot.mouseClick(dialog.buttons["review"], Qt.MouseButton.LeftButton)
    assert window.review.panel is not None and window.review.panel.isVisible()
    ran = []
    window.snapshots.act_snapshots.triggered.disconnect()
    window.snapshots.act_snapshots.triggered.connect(lambda: ran.append("snapshots"))
    qtbot.mouseClick(dialog.snapshot_button, Qt.MouseButton.LeftButton)
    assert ran == ["snapshots"]


def test_the_guide_is_the_start_page_of_a_new_installation(window, make_window, store_path):
    assert window.show_start_page()
    assert window.guide.isVisible()
    assert window.guide.show_at_start.isChecked() is False
    window.close()
    again = make_window(store_path)
    assert not again.show_start_page()
    assert again.guide is None


def test_a_store_without_reports_says_so(make_window, tmp_path):
    window = make_window(tmp_path / "empty.sqlite3")
    dialog = window.show_guide()
    assert dialog.states["rollover"].text() == "報告がありません"
    assert not dialog.buttons["review"].isEnabled()


def test_tab_reaches_the_last_section_and_scrolls_the_guide_to_it(window, qtbot):
    from PySide6.QtWidgets import QScrollArea

    window.resize(1280, 720)
    dialog = window.show_guide()
    dialog.resize(780, 400)  # a laptop's guide: the key list is below the fold
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    area = dialog.findChild(QScrollArea)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(0)
    dialog.buttons["rollover"].setFocus()
    for _ in range(30):
        if dialog.focusWidget() is dialog.keys:
            break
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.keys
    assert bar.value() > 0
    top = dialog.keys.mapTo(area.viewport(), dialog.keys.rect().topLeft()).y()
    assert 0 <= top < area.viewport().height()


def test_a_department_login_is_guided_through_its_own_rows(secured, make_window):
    department, planner = secured.login("kenko"), secured.login("kikaku")
    with Store(secured.admin_url) as admin:
        logins.add_department(admin, "健康推進課", department)
        logins.add_planner(admin, planner)
        own = rowstates.rows(admin.load(), ["健康推進課"])
    window = make_window(secured.url(department))
    dialog = window.show_guide()
    # Not the planners' year (new year, packs, export), which the server would refuse it.
    assert not dialog.year_steps.isVisible() and dialog.department_steps.isVisible()
    assert department in dialog.intro.text()
    states = {key: label.text() for key, label in dialog.department_states.items()}
    assert states["write"] == f"健康推進課の行 {len(own)}"
    assert states["submit"] == f"記入中 {len(own)}・提出済み 0・確認済み 0"
    assert states["returned"] == "差し戻された行はありません"
    assert not dialog.snapshot_button.isEnabled()
    assert "企画担当" in dialog.snapshot_note.text()
    dialog.department_buttons["status"].click()
    assert window.inquiry.panel.isVisible()
    dialog.department_buttons["status"].click()  # (the panel shown stays shown)
    assert window.inquiry.panel.isVisible()
    window.inquiry.panel.shared.submit_button.click()
    dialog.refresh()
    assert dialog.department_states["submit"].text() == f"記入中 0・提出済み {len(own)}・確認済み 0"
    dialog.close()

    office = make_window(secured.url(planner))
    guide_ = office.show_guide()
    assert guide_.year_steps.isVisible() and not guide_.department_steps.isVisible()
    assert "共有のデータベースの写し" in guide_.snapshot_note.text()
    assert guide_.snapshot_button.isEnabled()
    guide_.close()
