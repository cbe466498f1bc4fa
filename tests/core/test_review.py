"""The checks before submission, rule by rule, with true and false cases."""

from __future__ import annotations

import pytest

from kushiro_editor.core import diff, review, yearly
from kushiro_editor.core.model import STATE_CARRIED, STATE_CONFIRMED, Direction, Entry, Goal, Report


def report_with(*entries: Entry) -> Report:
    report = Report(
        title="t",
        actual_year=2021,
        goals=[Goal(title="g", directions=[Direction(title="d", entries=list(entries))])],
    )
    report.renumber()
    return report


def rules(entry: Entry, field: str, limit: int = 800) -> list[str]:
    return [rule for rule, _detail in review.check_text(entry, field, limit=limit)]


@pytest.mark.parametrize(
    ("text", "plan_form"),
    [
        ("土地改良事業を実施する。", True),
        ("資源の維持・増大を図る。", True),
        ("取組を進める。", True),
        ("来年度に実施予定。", True),
        ("説明会を開催します。", True),
        ("相談会に参加し、PRを行う", True),  # a list item without 。
        ("土地改良事業を実施した。", False),
        ("研修会を開催しました。", False),
        ("継続的な取り組みを行っている。", False),
        ("減少したためと考えられる。", False),
        ("補助金の交付を行った(市有林管理事業)。", False),
        ("実施。", False),  # 体言止め: neutral
        ("外国人入館者数 29名", False),
        ("「する」という予定の語を含むが、実施した。", False),  # substrings do not count
    ],
)
def test_actual_sentences_in_plan_form(text, plan_form):
    sentence = review.sentences(text)[-1]
    assert review.is_plan(sentence) is plan_form
    entry = Entry(departments=["農林課"], actual=f"<p>{text}</p>")
    assert ("tense" in rules(entry, "actual")) is plan_form


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("事業を実施した。", True),
        ("支援を図った。", True),
        ("研修会を行った。", True),
        ("前年度と同じ割合であった。", True),
        ("開催しました。", True),
        ("事業を実施する。", False),
        ("資源の維持・増大に努める。", False),
        ("引き続き支援を行う(事業名:介護人材確保育成支援事業)", False),
        ("実施した事業を継続する。", False),  # only the end of the sentence counts
        ("昨年度に開催した講座を、今年度も開催する予定。", False),
    ],
)
def test_plan_sentences_in_the_past(text, past):
    assert review.is_past(review.sentences(text)[-1]) is past
    entry = Entry(departments=["農林課"], plan=f"<p>{text}</p>")
    assert ("tense" in rules(entry, "plan")) is past


def test_mixed_styles():
    mixed = Entry(
        departments=["農林課"], actual="<p>講座を開催しました。参加者は50名であった。</p>"
    )
    assert "style" in rules(mixed, "actual")
    polite = Entry(departments=["農林課"], actual="<p>講座を開催しました。参加者は50名でした。</p>")
    plain = Entry(departments=["農林課"], actual="<p>講座を開催した。参加者は50名であった。</p>")
    nouns = Entry(departments=["農林課"], actual="<p>講座を開催しました。参加者50名。</p>")
    for entry in (polite, plain, nouns):
        assert "style" not in rules(entry, "actual")


def test_empty_and_length():
    entry = Entry(departments=["農林課"], actual="", plan="<p>" + "あ" * 801 + "</p>")
    assert rules(entry, "actual") == ["empty"]
    assert "length" in rules(entry, "plan")
    assert "length" not in rules(entry, "plan", limit=0)
    assert "length" not in rules(entry, "plan", limit=900)


def test_carried_unchanged_and_confirmed():
    carried = Entry(
        departments=["農林課"],
        plan="<p>実施する。</p>",
        plan_state=STATE_CARRIED,
        previous_plan="<p>実施する。</p>",
    )
    assert rules(carried, "plan") == ["carried"]
    confirmed = Entry(
        departments=["農林課"],
        plan="<p>実施する。</p>",
        plan_state=STATE_CONFIRMED,
        previous_plan="<p>実施する。</p>",
    )
    assert rules(confirmed, "plan") == []
    # Edited back to last year's words: still the same text, not reviewed.
    same = Entry(
        departments=["農林課"], plan="<p>実施する。</p>", previous_plan="<p>実施する。</p>"
    )
    assert rules(same, "plan") == ["unchanged"]
    # A 実績 that is still the plan it was drafted from.
    draft = Entry(
        departments=["農林課"], actual="<p>実施した。</p>", previous_plan="<p>実施した。</p>"
    )
    assert rules(draft, "actual") == ["unchanged"]
    rewritten = Entry(
        departments=["農林課"], actual="<p>3地区で実施した。</p>", previous_plan="<p>実施する。</p>"
    )
    assert rules(rewritten, "actual") == []


def test_department_names_against_the_list():
    entries = [
        Entry(departments=["観光振興室"], actual="<p>実施した。</p>", plan="<p>行う。</p>"),
        Entry(departments=["観光推進室"], actual="<p>実施した。</p>", plan="<p>行う。</p>"),
        Entry(departments=[], actual="<p>実施した。</p>", plan="<p>行う。</p>"),
    ]
    report = report_with(*entries)
    findings = review.check(report, departments=["観光振興室", "水産課"])
    assert [(f.entry.department_label, f.rule) for f in findings] == [
        ("観光推進室", "department"),
        ("", "empty"),
    ]
    assert "「観光推進室」は「観光振興室」の誤りではありませんか" in findings[0].detail
    assert str(findings[0]).startswith("【基本目標1】① 観光推進室 所管部署: 部署名:")
    assert review.check(report_with(entries[0]), departments=["観光振興室"]) == []


def test_suggested_list_leaves_out_likely_typos(sample_result):
    kept, doubtful = review.suggest_departments(sample_result.report)
    assert "観光推進室" not in kept and "観光振興室" in kept
    assert doubtful["観光推進室"] == ["観光振興室", "産業推進室"]
    assert len(kept) == 33


def test_sample_findings(sample_result):
    kept, _doubtful = review.suggest_departments(sample_result.report)
    findings = review.check(sample_result.report, departments=kept)
    summary = sorted((f.where, f.field, f.rule) for f in findings)
    # The 健康推進課 row split by a page break is read as one row: no empty plan left.
    assert not [f for f in summary if f[2] == "empty"]
    assert ("【基本目標3】② 健康推進課", "plan", "tense") in summary
    assert ("【基本目標4】② 観光推進室", "departments", "department") in summary
    goals, departments = review.counts_by(findings)
    assert sum(goals.values()) == len(findings) and departments["健康推進課"] == 3


def test_a_rollover_is_all_carried_and_a_rewrite_leaves_the_list(sample_result):
    report = yearly.rollover(sample_result.report)
    findings = review.check(report, limit=0)
    entry = report.goals[0].directions[0].entries[0]
    mine = [f.rule for f in findings if f.entry is entry]
    assert mine.count("carried") == 2
    entry.actual = "<p>3地区で土地改良事業を実施した。</p>"
    entry.actual_state = ""
    entry.plan_state = STATE_CONFIRMED
    assert [f for f in review.check(report, limit=0) if f.entry is entry] == []


def test_diff_groups_characters_into_readable_spans():
    spans = diff.compare(
        "農業経営基盤整備のため、3地区における土地改良事業を実施した。",
        "農業経営基盤整備のために土地改良事業を実施する。",
    )
    assert [(s.op, s.old, s.new) for s in spans] == [
        ("equal", "農業経営基盤整備のため", "農業経営基盤整備のため"),
        ("replace", "、3地区における", "に"),
        ("equal", "土地改良事業を実施", "土地改良事業を実施"),
        ("replace", "した。", "する。"),
    ]
    assert "".join(s.old for s in spans).startswith("農業経営")
    assert diff.compare("", "新しい") == [diff.Span("insert", "", "新しい")]
    assert diff.compare("同じ", "同じ") == [diff.Span("equal", "同じ", "同じ")]
    assert diff.similarity("", "") == 1.0
    # A one-character coincidence inside a rewrite does not split it.
    spans = diff.compare("会議を開催した", "研修を開始する")
    assert sum(1 for s in spans if s.op != "equal") == 2
