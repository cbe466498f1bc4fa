"""Last year's 取組予定 of each row, found as the new year finds rows, and its differences."""

from __future__ import annotations

from kushiro_editor.core import previousplan, yearly
from kushiro_editor.core.model import Direction, Entry, Goal, Report
from kushiro_editor.core.previousplan import Span, plan_spans, previous_plans

AKAN = "<p>阿寒の魅力を<b>発信</b>する。</p>"


def _last_year() -> Report:
    report = Report(
        title="進捗報告",
        actual_year=2020,
        goals=[
            Goal(
                "しごとをつくる",
                directions=[
                    Direction(
                        "農林水産業の成長産業化",
                        entries=[
                            Entry(["農林課"], actual="実施した。", plan="植樹祭を開催する。"),
                            Entry(["水産課"], actual="支援した。", plan="漁港を整備する。"),
                            Entry(["林務課"], actual="調査した。", plan=""),
                        ],
                    ),
                    Direction(
                        "観光の振興",
                        entries=[Entry(["観光振興課"], plan=AKAN)],
                    ),
                ],
            ),
            Goal("ひとをよぶ", directions=[Direction("移住の促進")]),
        ],
    )
    report.renumber()
    return report


def _copy_without_kept(report: Report) -> Report:
    """This year's report as an import makes it: the same rows, nothing kept from last year."""
    new = yearly.rollover(report)
    for _goal, _direction, entry in new.entries():
        entry.previous_actual = entry.previous_plan = None
    return new


def _entry(report: Report, department: str) -> Entry:
    return next(e for _g, _d, e in report.entries() if department in e.departments)


def test_rolled_over_rows_show_the_plan_they_were_started_from():
    last = _last_year()
    report = yearly.rollover(last)
    plans = previous_plans(report, last)
    assert plans.has_previous
    assert plans.of(_entry(report, "農林課")) == "植樹祭を開催する。"
    assert plans.of(_entry(report, "観光振興課")) == AKAN
    # Last year's plan is kept with the row: found without last year's report too.
    assert previous_plans(report, None).of(_entry(report, "水産課")) == "漁港を整備する。"


def test_a_moved_direction_is_found_by_its_title():
    last = _last_year()
    report = _copy_without_kept(last)
    tourism = report.goals[0].directions.pop(1)
    report.goals[1].directions.insert(0, tourism)  # now 【基本目標2】①
    report.renumber()
    plans = previous_plans(report, last)
    assert plans.of(_entry(report, "観光振興課")) == AKAN
    assert plans.of(_entry(report, "農林課")) == "植樹祭を開催する。"


def test_a_renamed_department_keeps_its_plan_only_where_the_row_carried_it():
    last = _last_year()
    rolled = yearly.rollover(last)
    _entry(rolled, "水産課").departments = ["水産港湾課"]
    assert previous_plans(rolled, last).of(_entry(rolled, "水産港湾課")) == "漁港を整備する。"
    # Without the kept texts rows pair by department: another department's plan is never shown.
    imported = _copy_without_kept(last)
    _entry(imported, "水産課").departments = ["水産港湾課"]
    plans = previous_plans(imported, last)
    assert plans.of(_entry(imported, "水産港湾課")) == ""
    assert plans.of(_entry(imported, "農林課")) == "植樹祭を開催する。"


def test_a_new_row_and_a_row_without_a_plan_have_none():
    last = _last_year()
    report = yearly.rollover(last)
    new = Entry(["商業労政課"], actual="開催した。")
    report.goals[0].directions[0].entries.append(new)
    plans = previous_plans(report, last)
    assert plans.of(new) == ""
    assert plans.of(_entry(report, "林務課")) == ""  # last year's plan was empty
    assert new.id not in plans.plans and _entry(report, "林務課").id not in plans.plans


def test_no_earlier_report():
    report = _copy_without_kept(_last_year())
    plans = previous_plans(report, None)
    assert not plans.has_previous and plans.plans == {}
    assert plans.of(_entry(report, "農林課")) == ""
    assert previousplan.NONE.of(_entry(report, "農林課")) == ""


def test_spans_mark_what_the_result_no_longer_says():
    spans = plan_spans("展示会を開催し、観光客を誘致する。", "展示会を開催した。")
    assert spans == [
        Span("展示会を開催し", missing=False),
        Span("、観光客を誘致する", missing=True),
        Span("。", missing=False),
    ]
    assert "".join(s.text for s in spans) == "展示会を開催し、観光客を誘致する。"
    assert 0.5 < previousplan.missing_share(spans) < 0.6


def test_spans_unmarked_while_the_result_is_empty_or_the_same():
    assert plan_spans("<p>漁港を<b>整備</b>する。</p>", "") == [Span("漁港を整備する。", False)]
    assert plan_spans("漁港を整備する。", "<p>漁港を<b>整備</b>する。</p>") == [
        Span("漁港を整備する。", False)
    ]
    assert plan_spans("", "書いた。") == []
    # Text added to the result marks nothing of the plan.
    assert plan_spans("漁港を整備する。", "新しい漁港を整備する。") == [
        Span("漁港を整備する。", False)
    ]


def test_a_character_met_by_chance_does_not_cut_a_change():
    spans = plan_spans("市場で朝市を開き、魚を売る。", "市場に朝の店を出し、肉を売った。")
    missing = [s.text for s in spans if s.missing]
    # 「朝」, 「、」 and 「を売」 met between changes stay inside the phrase that changed.
    assert missing == ["で朝市を開き、魚を売る"]
    spans = plan_spans("地元産木材の利用を目的とした木育教室を開催する。", "計画どおり実施した。")
    assert [s.text for s in spans if not s.missing] == ["。"]
