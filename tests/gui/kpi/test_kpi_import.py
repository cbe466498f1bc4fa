"""指標の表を取り込む in the window: the preview, one undo step, the KPIs in the store."""

from __future__ import annotations

from kushiro_editor.core import snapshots
from tests.formats.test_kpi_import import planner_book
from tests.gui.conftest import fresh


def kpi_names(report):
    return [kpi.name for goal in report.goals for d in goal.directions for kpi in d.kpis]


def test_a_planners_table_is_previewed_then_one_undo_takes_it_back(
    window, qtbot, store_path, tmp_path
):
    path = planner_book(tmp_path / "KPI.xlsx")
    seen = {}

    def choose(dialog):
        placed, notes = dialog.tree.topLevelItem(0), dialog.tree.topLevelItem(1)
        seen["placed"] = [placed.child(i).text(1) for i in range(placed.childCount())]
        seen["first"] = [placed.child(0).text(c) for c in range(3)]
        seen["notes"] = [notes.child(i).text(0) for i in range(notes.childCount())]
        seen["ok"] = dialog.ok.text()
        return True

    window.kpi.confirm_import = choose
    steps = window.document.undo_stack.count()
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.kpi.import_from(path)
    assert seen["ok"] == "5 件の指標を取り込む"
    assert seen["placed"][:2] == ["新規就農者数", "水産加工品の新商品数"]
    assert seen["first"] == [
        "【基本目標1】①(5行目)",
        "新規就農者数",
        "基準 10(令和元年度) → 目標 30(R6年度) / R2年度 15、R3年度 18",
    ]
    assert any("基本目標9はこの報告にありません" in note for note in seen["notes"])
    assert window.document.undo_stack.count() == steps + 1
    assert kpi_names(fresh(store_path)) == [
        "新規就農者数",
        "水産加工品の新商品数",
        "企業誘致件数",
        "市内の失業率",
        "転入者数",
    ]
    assert any(s.reason == "import" for s in snapshots.snapshots(store_path))
    window.document.undo_stack.undo()
    assert kpi_names(fresh(store_path)) == []


def test_a_file_without_a_table_is_one_message(window, qtbot, tmp_path, monkeypatch, sample_file):
    errors = []
    monkeypatch.setattr(
        window.session, "show_error", lambda _parent, title, message: errors.append(message)
    )
    window.kpi.confirm_import = lambda dialog: (_ for _ in ()).throw(AssertionError("no preview"))
    with qtbot.waitSignal(window.tasks.finished, timeout=30000):
        window.kpi.import_from(sample_file)
    assert len(errors) == 1 and "Excel のブックか CSV" in errors[0]
