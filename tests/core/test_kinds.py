"""One description of each kind of node: a field declared there, and nowhere else, is
stored, loaded, carried into a new year, searched, compared and written to JSON."""

from __future__ import annotations

import copy

import pytest

from kushiro_editor.core import kinds, search, snapshots, yearly
from kushiro_editor.core.model import Direction, Entry, Goal, Measure, Report
from kushiro_editor.core.store import Store
from kushiro_editor.formats import reportjson

MEMO = kinds.Field("memo", "担当の覚え書き", kinds.TEXT, "", searched=True, compared=True)


@pytest.fixture
def memo():
    """A value per direction, declared for this test only."""
    kinds.add_field("direction", MEMO)
    yield MEMO
    kinds.remove_field("direction", MEMO.name)


def small_report() -> Report:
    direction = Direction(
        title="地域の魅力",
        measures=[Measure(title="観光", body="<p>説明</p>")],
        entries=[Entry(departments=["観光振興室"], actual="<p>した。</p>", plan="<p>する。</p>")],
    )
    report = Report(
        title="進捗報告", actual_year=2020, goals=[Goal(title="目標", directions=[direction])]
    )
    report.renumber()
    return report


def the_direction(report: Report) -> Direction:
    return report.goals[0].directions[0]


def test_a_new_direction_field_is_stored_loaded_and_updated(memo, tmp_path):
    report = small_report()
    the_direction(report).memo = "来年度は指標を追加"
    path = tmp_path / "store.sqlite3"
    with Store(path) as store:
        store.save(report)
    with Store(path) as store:
        loaded = store.load(2020)
        assert the_direction(loaded).memo == "来年度は指標を追加"
        store.update([("direction", the_direction(loaded).id, "memo", "書き換えた")])
        assert the_direction(store.load(2020)).memo == "書き換えた"


def test_a_new_report_field_is_stored_loaded_and_written_to_json(tmp_path):
    kinds.add_field("report", kinds.Field("approved_by", "決裁者", compared=True))
    try:
        report = small_report()
        report.approved_by = "企画課長"
        path = tmp_path / "store.sqlite3"
        with Store(path) as store:
            store.save(report)
        with Store(path) as store:
            loaded = store.load(2020)
        assert loaded.approved_by == "企画課長"
        assert loaded.title == "進捗報告"
        back = reportjson.loads(reportjson.dumps(loaded)).report
        assert back.approved_by == "企画課長"
    finally:
        kinds.remove_field("report", "approved_by")


def test_a_store_made_before_the_field_gets_its_column_with_the_default(tmp_path):
    path = tmp_path / "older.sqlite3"
    with Store(path) as store:
        store.save(small_report())
    kinds.add_field("direction", MEMO)
    try:
        with Store(path) as store:
            assert the_direction(store.load(2020)).memo == ""
    finally:
        kinds.remove_field("direction", MEMO.name)


def test_the_field_carries_into_the_new_year(memo):
    report = small_report()
    the_direction(report).memo = "引き継ぐ覚え書き"
    new = yearly.rollover(report)
    assert the_direction(new).memo == "引き継ぐ覚え書き"
    assert the_direction(new).id != the_direction(report).id


def test_a_field_that_does_not_carry_starts_the_new_year_empty():
    kinds.add_field("direction", kinds.Field("note", "今年度だけ", carries=False))
    try:
        report = small_report()
        the_direction(report).note = "今年度だけの注記"
        assert the_direction(yearly.rollover(report)).note == ""
    finally:
        kinds.remove_field("direction", "note")


def test_the_field_goes_to_json_and_back(memo):
    report = small_report()
    the_direction(report).memo = "JSON にも"
    text = reportjson.dumps(report)
    assert '"memo": "JSON にも"' in text
    assert the_direction(reportjson.loads(text).report).memo == "JSON にも"


def test_the_field_is_searched_and_compared(memo):
    report = small_report()
    the_direction(report).memo = "指標を追加"
    found = search.find(report, "指標")
    assert [(m.field, search.field_label(m)) for m in found] == [("memo", "担当の覚え書き")]
    before = copy.deepcopy(report)
    the_direction(before).memo = "前の覚え書き"
    differences = snapshots.compare(report, before)
    assert [(d.field, d.old, d.new) for d in differences] == [
        ("担当の覚え書き", "前の覚え書き", "指標を追加")
    ]


def test_every_node_has_one_kind_and_the_office_name_for_it(sample_result):
    report = sample_result.report
    names = {kinds.name_of(node) for node in kinds.nodes(report)}
    assert names == {"goal", "direction", "measure", "project", "entry"}
    assert kinds.label_of(report.goals[0]) == "基本目標"
    assert kinds.label_of(object()) == ""
    with pytest.raises(TypeError):
        kinds.of("not a node")
