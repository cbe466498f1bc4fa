"""Word で書き出し with 「前年度との変更を変更履歴で示す」: the file marked against last
year's report or a named snapshot, offered only when there is one."""

from __future__ import annotations

import zipfile

from lxml import etree
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from kushiro_editor.core import snapshots, yearly
from kushiro_editor.core.edits import SetField
from kushiro_editor.formats.docx import reader as docx_reader
from kushiro_editor.gui.files.changesdialog import WordExportDialog
from tests.gui.conftest import answer_precheck

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def save_to(monkeypatch, path):
    asked = []

    def choose(*_args, **_kwargs):
        asked.append(path)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    return asked


def answer_word_dialog(press):
    """Once the Word dialog is open: what it offers, then ``press(dialog)``."""
    seen: dict = {}

    def look():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, WordExportDialog):
            seen["choices"] = [dialog.against.itemText(i) for i in range(dialog.against.count())]
            seen["enabled"] = dialog.against.isEnabled()
            room = dialog.screen().availableGeometry()
            seen["fits"] = dialog.width() < room.width() and dialog.height() < room.height()
            press(dialog)
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)
    return seen


def inserted_and_deleted(path):
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    inserted = "".join(t.text for t in body.iterfind(".//w:ins//w:t", NS))
    deleted = "".join(t.text for t in body.iterfind(".//w:del//w:delText", NS))
    return inserted, deleted


def texts(report):
    return [(e.departments, e.actual, e.plan) for _g, _d, e in report.entries()]


def choose_and_export(dialog, index=0):
    dialog.show_changes.setChecked(True)
    dialog.against.setCurrentIndex(index)
    dialog.ok_button.click()


def test_the_word_file_shows_the_changes_since_last_year(
    make_window, sample_store, store_path, qtbot, tmp_path, monkeypatch
):
    this_year = yearly.rollover(sample_store.load())
    sample_store.save(this_year, [])
    window = make_window(store_path)
    assert window.document.report.actual_year == 2021
    _goal, _direction, entry = next(window.document.report.entries())
    window.document.apply("実績の書き換え", [SetField(entry, "actual", "<p>事業に着手した。</p>")])
    out = tmp_path / "変更履歴つき.docx"
    save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    seen = answer_word_dialog(choose_and_export)
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(out.exists, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert seen["choices"][0] == "R2年度の報告"
    assert not seen["enabled"]  # the choice waits for the box
    assert seen["fits"]
    inserted, deleted = inserted_and_deleted(out)
    assert "着手" in inserted
    assert "3地区" in deleted  # last year's 実績 of that row
    assert texts(docx_reader.read_file(out).report) == texts(window.document.report)


def test_a_named_snapshot_is_offered_and_only_what_changed_since_is_marked(
    window, qtbot, tmp_path, monkeypatch
):
    snapshots.take(window.store, "daily")  # an automatic one is not offered
    snapshots.take(window.store, "manual", "提出版")
    entry = list(window.document.report.entries())[3][2]
    window.document.apply("予定", [SetField(entry, "plan", "<p>新たな計画を立てる。</p>")])
    out = tmp_path / "提出版から.docx"
    save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    seen = answer_word_dialog(choose_and_export)
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(out.exists, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert len(seen["choices"]) == 1 and "提出版" in seen["choices"][0]
    inserted, deleted = inserted_and_deleted(out)
    assert inserted and set(inserted) <= set("新たな計画を立てる。")
    assert deleted and set(deleted) <= set(plan_in_snapshot(window, entry))
    assert len(marked_cells(out)) == 1  # that plan's cell and nothing else
    assert texts(docx_reader.read_file(out).report) == texts(window.document.report)


def plan_in_snapshot(window, entry):
    from kushiro_editor.core import richtext

    snapshot = next(s for s in snapshots.snapshots(window.store.path) if s.named)
    with snapshots.open_snapshot(snapshot) as old:
        report = old.load()
    before = next(e for _g, _d, e in report.entries() if e.id == entry.id)
    return richtext.to_plain(before.plan)


def marked_cells(path):
    with zipfile.ZipFile(path) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    cells = set()
    for mark in body.iter(f"{{{W}}}ins", f"{{{W}}}del"):
        tc = next(mark.iterancestors(f"{{{W}}}tc"))
        tr = tc.getparent()
        cells.add((tr.getparent().index(tr), tr.index(tc)))
    return cells


def test_left_unticked_the_file_is_the_plain_table(window, qtbot, tmp_path, monkeypatch):
    snapshots.take(window.store, "manual", "提出版")
    out = tmp_path / "提出用.docx"
    save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    answer_word_dialog(lambda dialog: dialog.ok_button.click())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(out.exists, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert inserted_and_deleted(out) == ("", "")


def test_cancel_writes_nothing_and_asks_for_no_file(window, qtbot, tmp_path, monkeypatch):
    snapshots.take(window.store, "manual", "提出版")
    out = tmp_path / "x.docx"
    asked = save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    seen = answer_word_dialog(lambda dialog: dialog.reject())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(lambda: "choices" in seen, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert asked == [] and not out.exists()


def test_nothing_to_compare_with_asks_nothing(window, qtbot, tmp_path, monkeypatch):
    out = tmp_path / "提出用.docx"
    save_to(monkeypatch, out)
    answer_precheck(lambda dialog: dialog.export_button.click())
    seen = answer_word_dialog(lambda dialog: dialog.reject())
    window.files.act_export_docx.trigger()
    qtbot.waitUntil(out.exists, timeout=60000)
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30000)
    assert "choices" not in seen
    assert inserted_and_deleted(out) == ("", "")


def test_a_long_snapshot_name_does_not_widen_the_dialog(window):
    from kushiro_editor.core import earlier

    snapshots.take(window.store, "manual", "提出版" + "(部長確認後に差し替えた版)" * 8)
    choices = earlier.choices(window.store, window.document.report, named_only=True)
    dialog = WordExportDialog(choices, window)
    dialog.show()
    room = dialog.screen().availableGeometry()
    assert dialog.width() < room.width()
    assert len(dialog.against.itemText(0)) > 100  # the whole name in the list
    dialog.close()
