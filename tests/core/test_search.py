"""Finding text across the report (width and case folded) and replacing it in place."""

from __future__ import annotations

import pytest

from kushiro_editor.core import edits, richtext, search
from kushiro_editor.core.model import Direction, Entry, Goal, MainProject, Measure, Report


def _report() -> Report:
    entry = Entry(
        departments=["農林課", "水産課"],
        actual="<p>港の<b>整備</b>を進めた。</p><ul><li>・港の清掃</li></ul>",
        plan="<p>ＤＸを推進する。</p>",
    )
    direction = Direction(
        title="港のまちづくり",
        measures=[Measure(title="港の振興", body="<p>dx の推進</p>")],
        main_projects=[MainProject(name="港まつり")],
        entries=[entry],
    )
    report = Report(title="報告", actual_year=2020, goals=[Goal("港", directions=[direction])])
    report.renumber()
    return report


def test_search_folds_width_and_case_only_when_asked():
    assert search.find_in("ＡＢＣ abc Abc", "abc", fold_width=False) == [(4, 7)]
    assert search.find_in("ＡＢＣ abc Abc", "abc", fold_width=True) == [(0, 3), (4, 7), (8, 11)]
    # Half-width voiced kana are two characters in the source: the span covers both.
    assert search.find_in("ｶﾞｲﾄﾞ ガイド", "ガイド", fold_width=True) == [(0, 5), (6, 9)]
    # NFKC would turn ① into 1: a circled number is not a digit to the search.
    assert search.find_in("①と1", "1", fold_width=True) == [(2, 3)]


def test_find_visits_every_field_in_document_order():
    report = _report()
    matches = search.find(report, "港")
    assert [(type(m.node).__name__, m.field) for m in matches] == [
        ("Goal", "title"),
        ("Direction", "title"),
        ("Measure", "title"),
        ("MainProject", "name"),
        ("Entry", "actual"),
        ("Entry", "actual"),
    ]
    assert matches[-1].context == "港の整備を進めた。 ・《港》の清掃"
    folded = search.find(report, "dx", fold_width=True)
    assert [(m.field, m.start) for m in folded] == [("body", 0), ("plan", 0)]


def test_replace_rich_keeps_bold_and_list_items():
    markup = "<p>港の<b>整備</b>を進めた。</p><ul><li>・港の清掃</li></ul>"
    # 港 (first paragraph), 整備 (bold) and の of the list item.
    out = search.replace_rich(markup, [(0, 1), (2, 4), (12, 13)], "みなと")
    assert out == "<p>みなとの<b>みなと</b>を進めた。</p><ul><li>・港みなと清掃</li></ul>"
    blocks = richtext.parse(out)
    assert [b.tag for b in blocks] == ["p", "li"]


@pytest.mark.both_engines
def test_replace_edits_cover_rich_texts_departments_and_titles(sample_store):
    report = sample_store.load()
    entry = next(e for _g, _d, e in report.entries() if e.departments == ["農林課"])
    entry_direction = edits.parent_of(report, entry)
    matches = [
        m for m in search.find(report, "農林課") if m.node is entry and m.field == "departments"
    ]
    matches += [m for m in search.find(report, "釧路") if m.node is entry_direction]
    assert matches
    typed = {(entry.id, "actual"): "<p>入力中の<b>農林課</b>の文章</p>"}

    def text_of(node, field):
        return typed.get((node.id, field), getattr(node, field))

    matches += [
        search.Match(entry, "actual", 4, 7, "入力中の農林課の文章"),
    ]
    batch = search.replace_edits(matches, "農林水産課、森林課", text_of)
    by_field = {(type(e.node).__name__, e.field): e.value for e in batch}
    assert by_field[("Entry", "departments")] == ["農林水産課", "森林課"]
    assert by_field[("Entry", "actual")] == "<p>入力中の<b>農林水産課、森林課</b>の文章</p>"
    assert "釧路" not in by_field[("Direction", "title")]
    undo = edits.apply(sample_store, report, batch)
    assert sample_store.load(report.actual_year) == report
    assert entry.departments == ["農林水産課", "森林課"]
    edits.apply(sample_store, report, undo)
    assert entry.departments == ["農林課"]
    assert sample_store.load(report.actual_year) == report


def test_a_match_is_placed_once_named():
    # 主な事業 is a main project's place and its field's name: said once.

    project = MainProject(name="子供交流館事業")
    entry = Entry(departments=["こども支援課"], actual="<p>子供の居場所</p>")
    direction = Direction(title="d", main_projects=[project], entries=[entry])
    report = Report(title="t", actual_year=2020, goals=[Goal(title="g", directions=[direction])])
    report.renumber()
    places = [search.where(report, m) for m in search.find(report, "子供", fold_width=True)]
    assert places == ["【基本目標1】① 主な事業", "【基本目標1】① こども支援課 実績"]
