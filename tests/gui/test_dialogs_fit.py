"""Every dialog of the window fits an office laptop's screen, buttons and title whole.

Each screen runs in its own process: Qt takes the screen's size and scale when it
starts. The window opens on FY2021, carried over from the sample, with the sample's
FY2020 beside it, so that each dialog shows what a clerk would see in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kushiro_editor.core import yearly
from tests.gui.test_window_layout import screen

# Arguments: the store, the settings file, then "too-big" to grow one dialog past the
# screen (the check must see it) and a folder to keep a picture of each dialog in.
OPENED = r"""
import json
import sys

from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QMessageBox, QPushButton, QScrollArea, QToolButton,
)

from kushiro_editor.core import inquiryrecord, merge, notation, notationfile, review
from kushiro_editor.core import earlier, search, snapshots
from kushiro_editor.core.store import Store
from kushiro_editor.formats.pdf import writer as pdf_writer
from kushiro_editor.gui.app import create_application
from kushiro_editor.gui.files.changesdialog import WordExportDialog
from kushiro_editor.gui.files.precheck import PreExportDialog, open_findings
from kushiro_editor.gui.find.panel import ReplaceAllDialog
from kushiro_editor.gui.pasttense.dialog import PastTenseDialog
from kushiro_editor.gui.inquiry.dialogs import MergeDialog, MergedTextDialog
from kushiro_editor.gui.mainwindow import MainWindow
from kushiro_editor.gui.review.notationdialogs import NotationPreviewDialog
from kushiro_editor.gui.shared.messages import message_box
from kushiro_editor.gui.year.dialogs import PrefillDialog

# The window's own paths open most dialogs with exec(): here they only show, so
# that every dialog stays open to be measured.
opened = []


def show_only(dialog):
    opened.append(dialog)
    dialog.show()
    return QDialog.DialogCode.Rejected


QDialog.exec = show_only
TITLE_BAR = 32

app = create_application([])
store = Store(sys.argv[1])
window = MainWindow(store, QSettings(sys.argv[2], QSettings.Format.IniFormat))
window.show()


def settle():
    for _ in range(10):
        app.processEvents()


settle()
room = window.screen().availableGeometry()
report = window.document.report
previous = store.load(report.actual_year - 1)


def global_rect(widget, rect=None):
    rect = widget.rect() if rect is None else rect
    return QRect(widget.mapToGlobal(rect.topLeft()), rect.size())


def in_scroll_area(widget):
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def out_of_reach(dialog):
    # A button scrolled out of its area is reached by scrolling: what shows of it
    # must be on the screen. Any other button must show whole, on the screen.
    buttons = dialog.findChildren(QPushButton) + dialog.findChildren(QToolButton)
    for box in dialog.findChildren(QDialogButtonBox):
        buttons += box.buttons()
    bad = []
    for button in dict.fromkeys(buttons):
        if not button.isVisible():
            continue
        shown = button.visibleRegion().boundingRect()
        if in_scroll_area(button):
            if not shown.isEmpty() and not room.contains(global_rect(button, shown)):
                bad.append(button.text() or button.toolTip() or button.objectName())
        elif shown != button.rect() or not room.contains(global_rect(button)):
            bad.append(button.text() or button.toolTip() or button.objectName())
    return bad


def measure(dialog):
    dialog.show()
    settle()
    if sys.argv[3:] == ["too-big"] and isinstance(dialog, PrefillDialog):
        dialog.setMaximumSize(16777215, 16777215)
        dialog.resize(1400, 900)
        settle()
    title = dialog.windowTitle()
    # The offscreen platform draws no title bar: a window manager's adds its height.
    frame = dialog.frameGeometry().adjusted(0, 0, 0, TITLE_BAR)
    bad = out_of_reach(dialog)
    whole = QFontMetrics(dialog.font()).horizontalAdvance(title) + 120 <= frame.width()
    print(json.dumps([type(dialog).__name__, title, room.contains(frame), not bad, whole, bad,
                      [frame.width(), frame.height()]], ensure_ascii=False), flush=True)
    if len(sys.argv) > 4:
        dialog.grab().save(f"{sys.argv[4]}/{type(dialog).__name__}-{len(opened)}.png")
    dialog.close()


def last_opened(action):
    action()
    return opened[-1]


# ファイル → スナップショット…, with a named snapshot compared with the report.
window.snapshots.take_snapshot("manual", "提出版 2021-05-31")
dialog = last_opened(window.snapshots.snapshot_dialog)
dialog.refresh()
dialog._compare()
measure(dialog)

# 前年度との比較, from an entry carried over from last year.
entry = max((e for _g, _d, e in report.entries()), key=lambda e: len(e.previous_plan or ""))
window.review.compare_entry(entry)
measure(window.review.compare_dialog)

# 表記の揺れをまとめて直す: the preview of what the notation check finds.
rules = notationfile.rules_of(store)
findings = notation.find(report, rules, departments=store.department_list())
assert findings, "the sample has notation to fix"
measure(NotationPreviewDialog(findings, window))

rules_dialog = last_opened(window.review.notation_rules_dialog)
measure(rules_dialog)
rules_dialog.show()
own = last_opened(lambda: rules_dialog.own_rule_dialog(None))
measure(own)
rules_dialog.close()

measure(last_opened(window.year.rollover_dialog))
prefill = PrefillDialog(report, previous, window)
prefill.overwrite.setChecked(True)
measure(prefill)

departments = inquiryrecord.known_departments(store, report.actual_year)
found = open_findings(report, departments, review.DEFAULT_LIMIT)
assert found, "a carried-over year has findings before export"
measure(PreExportDialog(report, found, "Word", window))
# Word で書き出し: last year's report and the named snapshot to compare with.
word_dialog = WordExportDialog(earlier.choices(store, report, named_only=True), window)
word_dialog.show_changes.setChecked(True)
measure(word_dialog)
# データベースに接続, filled in with a long root certificate path and its line of error.
from kushiro_editor.core.server.address import Address
from kushiro_editor.gui.files.connectdialog import ConnectDialog
connect = ConnectDialog(lambda *a: None, Address(
    "db.city.kushiro.local", 5432, "progress_reports", "kikaku_yamada", "verify-full",
    "C:/Users/yamada/Documents/証明書/釧路市情報システム課/root.crt"), window)
connect.show_error("postgresql://kikaku_yamada@db.city.kushiro.local:5432/progress_reports"
                   " に接続できません。"
                   "サーバーが動いていないか、ネットワークにつながっていません。")
measure(connect)

measure(last_opened(window.inquiry.packs_dialog))

# Answers from two departments, one of them in conflict with the clerk's own change.
answers = merge.MergeReview()
for goal, direction, entry in list(report.entries())[:6]:
    department = entry.departments[0]
    answers.answered.setdefault(department, []).append(entry)
    current = entry.plan or "<p>未記入</p>"
    changed = current if len(answers.items) % 3 else current + "<p>企画課で追記した一文。</p>"
    answered = current + f"<p>{department}から回答のあった追記です。次年度も継続して実施する。</p>"
    answers.items.append(
        merge.MergeItem(department, goal, direction, entry, "plan", current, answered, changed)
    )
answers.problems.append("照会_農林課_R3年度.xlsx(農林課) 12行目: 追加された行です。")
answers.rejected_files.append("メモ.xlsx: 照会用ファイルではありません。")
# A KPI's value answered, in conflict with the clerk's correction.
from decimal import Decimal
from kushiro_editor.core.kpi.merging import KpiMergeItem
from kushiro_editor.core.model import Kpi, KpiValue
from kushiro_editor.gui.inquiry.valuedialog import KpiValueDialog
value_item = KpiMergeItem(
    "観光振興室", "【基本目標1】① 指標「観光入込客数」",
    Kpi("観光入込客数", "万人", ["観光振興室"]),
    2020, KpiValue(2020, Decimal("530.5"), "速報値"), KpiValue(2020, Decimal("1234"), "見込み"),
    KpiValue(2020, Decimal("541.0"), "速報値"),
)
answers.items.append(value_item)
measure(MergeDialog(answers, window))
measure(MergedTextDialog(answers.items[0], window))
measure(KpiValueDialog(value_item, window))

measure(window.show_guide())

matches = search.find(report, "取り組み")
assert matches, "the sample writes 取り組み"
measure(ReplaceAllDialog(report, matches, "取組", window))

from kushiro_editor.core import pastdrafts
measure(PastTenseDialog(pastdrafts.drafts(report), None, window))

from decimal import Decimal
from kushiro_editor.core.model import Kpi
from kushiro_editor.formats.kpiimport import KpiPlan, KpiRow
from kushiro_editor.gui.kpi.importdialog import KpiImportDialog
kpi = Kpi("新規就農者数", "人", ["農林課"], baseline=Decimal(10), target=Decimal(30))
owner = report.goals[0].directions[0]
note = "KPI 12行目「市内の失業率」: 目標値が基準値より小さいので「低いほどよい」と読みました。"
plan = KpiPlan([(owner, kpi, KpiRow("KPI 5行目", 1, 1, None, kpi))], [note] * 12)
measure(KpiImportDialog(report, plan, "令和2年度KPI一覧.xlsx", window))

# 指標の詳細 of a KPI with a target path and a rating set by hand.
from kushiro_editor.core.model import KpiTarget
from kushiro_editor.gui.editor.kpidetails import KpiDetailsDialog
path = tuple(KpiTarget(year, Decimal(12 + 3 * (year - 2020))) for year in range(2020, 2025))
detailed = Kpi("新規就農者数", "人", ["農林課"], baseline=Decimal(10), baseline_year=2019,
               target=Decimal(30), target_year=2025, yearly_targets=path,
               override="B", override_reason="速報値のため、確定値で見直す")
measure(KpiDetailsDialog(window.document, detailed, window))

# 変更の履歴 of a long 実績, as the server recorded its changes.
from datetime import datetime, timezone
from kushiro_editor.core import history
from kushiro_editor.gui.history.dialog import HistoryDialog

row = max((e for _g, _d, e in report.entries()), key=lambda e: len(e.actual))
changes = [
    history.Change(datetime.now(timezone.utc), "suisan_tanto", "entry", "update", row.id, None,
                   "actual", row.actual, row.actual + "<p>追記した文。</p>", tuple(row.departments))
    for _ in range(30)
]
lines = [history.describe(change, report, "actual") for change in changes]
measure(HistoryDialog("【基本目標1】① 水産課 実績", lines, 200, window))

# 部署の一覧, filled with the report's departments.
store.set_department_list(sorted({d for _g, _d, e in report.entries() for d in e.departments}))
measure(last_opened(window.review.department_list_dialog))

data = pdf_writer.build(report, window.files.export_options())
measure(window.files.preview_dialog(data))

snapshot = snapshots.snapshots(store.path)[0]
measure(message_box(
    window, QMessageBox.Icon.Question, "スナップショットから戻す",
    f"R3年度の報告を\n「{snapshot.label}」の状態に戻しますか？",
    "今の状態は先にスナップショットに残すので、あとで取り消せます。",
    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
))
window.close()
"""

# Every dialog the window opens, by its class (the list of 部署 and the message box
# are plain QDialog and QMessageBox).
DIALOGS = [
    "SnapshotDialog",
    "CompareDialog",
    "NotationPreviewDialog",
    "NotationRulesDialog",
    "OwnRuleDialog",
    "RolloverDialog",
    "PrefillDialog",
    "PreExportDialog",
    "WordExportDialog",
    "ConnectDialog",
    "PackDialog",
    "MergeDialog",
    "MergedTextDialog",
    "KpiValueDialog",
    "GuideDialog",
    "ReplaceAllDialog",
    "PastTenseDialog",
    "KpiImportDialog",
    "KpiDetailsDialog",
    "HistoryDialog",
    "QDialog",
    "QPrintPreviewDialog",
    "QMessageBox",
]

SCREENS = {"1280x720": (1280, 720, "1"), "1920x1080@150%": (1920, 1080, "1.5")}


def open_dialogs(sample_store, sample_result, store_path, tmp_path, size, *extra):
    """Run the script on a screen; one row per dialog: class, title, fits, buttons, title whole."""
    width, height, scale = SCREENS[size]
    sample_store.save(yearly.rollover(sample_result.report))
    env = {**os.environ, "QT_QPA_PLATFORM": screen(tmp_path, width, height)}
    env["QT_SCALE_FACTOR"] = scale
    out = subprocess.run(
        [sys.executable, "-c", OPENED, str(store_path), str(tmp_path / "s.ini"), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("[")]


@pytest.mark.parametrize("size", list(SCREENS))
def test_every_dialog_fits_the_screen(sample_store, sample_result, store_path, tmp_path, size):
    rows = open_dialogs(sample_store, sample_result, store_path, tmp_path, size)
    assert [row[0] for row in rows] == DIALOGS
    for kind, title, inside, buttons, whole, cut, frame in rows:
        assert inside, f"{kind} 「{title}」 {frame} goes off the screen"
        assert buttons, f"{kind} 「{title}」: buttons off the screen: {cut}"
        assert whole, f"{kind} 「{title}」 {frame} is too narrow for its title"


def test_a_dialog_too_big_is_caught(sample_store, sample_result, store_path, tmp_path):
    rows = open_dialogs(sample_store, sample_result, store_path, tmp_path, "1280x720", "too-big")
    prefill = next(row for row in rows if row[0] == "PrefillDialog")
    assert prefill[2:4] == [False, False], prefill
