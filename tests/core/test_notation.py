"""表記ルール: the default rules on made-up sentences and on the sample, fixes, storage."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import pytest

from kushiro_editor.core import analyser, edits, notation, notationfile, review, richtext
from kushiro_editor.core.model import Direction, Entry, Goal, Measure, Report
from kushiro_editor.core.store import Store

RULES = notationfile.default_rules()


def fixed(text: str, rules=RULES, departments=()) -> str:
    """The plain text as the fixes leave it."""
    names = re.compile("|".join(departments)) if departments else None
    found = notation.find_in_text(text, [r for r in rules if r.enabled], names)
    changes = [(start, end, before, after) for start, end, before, after, _r in found]
    return richtext.to_plain(notation.replace_spans(richtext.from_plain(text), changes))


def rule_ids(text: str) -> list[str]:
    return [rule.id for *_span, rule in notation.find_in_text(text, RULES)]


@pytest.mark.parametrize(
    ("text", "rules", "result"),
    [
        ("地域の取り組みを進める。", ["torikumi-noun"], "地域の取組を進める。"),
        ("生産性向上の取組みに対する支援", ["torikumi-noun"], "生産性向上の取組に対する支援"),
        ("地域の取り組み、成果を上げた。", ["torikumi-noun"], "地域の取組、成果を上げた。"),
        ("課題に取組んだ。", ["torikumu-verb"], "課題に取り組んだ。"),
        (
            "誘致活動に取組み、成果を上げた。",
            ["torikumu-verb"],
            "誘致活動に取り組み、成果を上げた。",
        ),
        ("課題に取り組み、成果を上げた。", [], "課題に取り組み、成果を上げた。"),
        ("地域の取組を進める。", [], "地域の取組を進める。"),
        ("国および道と連携する。", ["oyobi"], "国及び道と連携する。"),
        ("国ならびに道と連携する。", ["narabini"], "国並びに道と連携する。"),
        ("書面または電話で受け付ける。", ["mataha"], "書面又は電話で受け付ける。"),
        ("書面もしくは電話で受け付ける。", ["moshikuha"], "書面若しくは電話で受け付ける。"),
        ("実施した。尚、次年度も続ける。", ["nao"], "実施した。なお、次年度も続ける。"),
        ("対象とする。但し、市外は除く。", ["tadashi"], "対象とする。ただし、市外は除く。"),
        ("参加することが出来る。", ["dekiru"], "参加することができる。"),
        ("思わぬ出来事があった。", [], "思わぬ出来事があった。"),
        ("子供の居場所づくり", ["kodomo"], "子どもの居場所づくり"),
        ("障害のある方への支援", ["shougai"], "障がいのある方への支援"),
        (
            "障害者総合支援法に基づく障害福祉サービス",
            [],
            "障害者総合支援法に基づく障害福祉サービス",
        ),
        ("市内3ヶ所で実施", ["kasho"], "市内3箇所で実施"),
        ("参加者１２３人", ["digits"], "参加者123人"),
        ("ＩＣＴの活用", ["latin"], "ICTの活用"),
        ("ｱﾄﾞﾍﾞﾝﾁｬｰ観光", ["katakana"], "アドベンチャー観光"),
        ("4/1〜3/31、5/1~5/31", ["wave", "wave"], "4/1～3/31、5/1～5/31"),
        ("研修会（2回）を開催", ["brackets", "brackets"], "研修会(2回)を開催"),
    ],
)
def test_each_default_rule_on_a_sentence(text, rules, result):
    assert rule_ids(text) == rules
    assert fixed(text) == result
    assert rule_ids(result) == [], "a fixed text has nothing left to fix"


@pytest.mark.parametrize(
    "text",
    [
        "【阿寒湖温泉子供交流館事業】 児童の居場所を提供した。",
        "「子供の未来応援プラン(１２３)」を策定した。",
        "『障害者白書』を参照した。",
    ],
)
def test_projects_and_quotations_are_left_alone(text):
    assert rule_ids(text) == []
    assert fixed(text) == text


def test_department_names_are_left_alone():
    text = "障害福祉課と子供未来課が連携し、障害のある子供を支援した。"
    result = fixed(text, departments=["障害福祉課", "子供未来課"])
    assert result == "障害福祉課と子供未来課が連携し、障がいのある子どもを支援した。"


def report_of(entry: Entry, measure: Measure | None = None) -> Report:
    direction = Direction(
        title="d", entries=[entry], measures=[measure] if measure else [], main_projects=[]
    )
    report = Report(title="t", actual_year=2020, goals=[Goal(title="g", directions=[direction])])
    report.renumber()
    return report


def test_findings_say_where_and_fixes_keep_bold_and_lists():
    entry = Entry(
        departments=["障害福祉課"],
        actual="<p><b>取り組み</b>の成果</p><ul><li>・子供および保護者を支援した。</li></ul>",
        plan="<p>障害福祉課の取組を進める。</p>",
    )
    measure = Measure(title="m", body="<p>地域の取り組み<br>及び連携</p>")
    report = report_of(entry, measure)
    found = notation.find(report, RULES)
    assert [(f.field, f.before, f.after) for f in found] == [
        ("body", "取り組み", "取組"),
        ("actual", "取り組み", "取組"),
        ("actual", "子供", "子ども"),
        ("actual", "および", "及び"),
    ]
    first = found[1]
    assert first.place == "【基本目標1】① 障害福祉課"
    assert first.span == (0, 4)
    assert str(first).startswith(
        "【基本目標1】① 障害福祉課 実績: 取組(名詞): 「取り組み」→「取組」"
    )
    assert found[0].place == "【基本目標1】① ア"
    changes = notation.fix_edits(report, found)
    assert [(type(c), c.field) for c in changes] == [
        (edits.SetField, "body"),
        (edits.SetField, "actual"),
    ]
    assert changes[0].value == "<p>地域の取組<br>及び連携</p>"
    assert (
        changes[1].value
        == "<p><b>取組</b>の成果</p><ul><li>・子ども及び保護者を支援した。</li></ul>"
    )


def test_a_stale_finding_is_skipped():
    entry = Entry(departments=["農林課"], actual="<p>子供および</p>")
    report = report_of(entry)
    found = notation.find(report, RULES)
    entry.actual = "<p>こどもおよび</p>"  # edited since: 子供 is gone, および moved
    assert notation.fix_edits(report, found) == []


def test_disabled_rules_and_the_analyser_missing(monkeypatch):
    text = "地域の取り組みおよび子供の支援"
    off = [r.with_enabled(r.id != "kodomo") for r in RULES]
    assert [r.id for *_s, r in notation.find_in_text(text, off)] == ["torikumi-noun", "oyobi"]
    # Without the analyser the rules that depend on grammar say nothing rather than guess.
    monkeypatch.setattr(analyser, "tokens", lambda _text: ())
    assert [r.id for *_s, r in notation.find_in_text(text, RULES)] == ["kodomo"]


SAMPLE_COUNTS = {
    "torikumi-noun": 30,
    "oyobi": 6,
    "wave": 5,
    "kasho": 3,
    "dekiru": 2,
    "nao": 1,
}


def test_sample_findings_per_rule_and_the_fixes_through_the_store(sample_store):
    report = sample_store.load()
    found = notation.find(report, RULES)
    assert dict(Counter(f.rule.id for f in found)) == SAMPLE_COUNTS
    assert Counter(f.before for f in found if f.rule.id == "torikumi-noun") == {
        "取り組み": 28,
        "取組み": 2,
    }
    # The verbs stay verbs, the 【…子供交流館事業】 project names stay as they are.
    plain = "\n".join(richtext.to_plain(getattr(n, f)) for _g, _d, n, f in notation.texts(report))
    assert plain.count("に取り組み、") == 3
    assert plain.count("子供交流館") == 4
    undo = edits.apply(sample_store, report, notation.fix_edits(report, found))
    assert len(undo) == len({(id(f.node), f.field) for f in found})
    stored = sample_store.load()
    assert notation.find(stored, RULES) == []
    text = "\n".join(richtext.to_plain(getattr(n, f)) for _g, _d, n, f in notation.texts(stored))
    assert text.count("取り組み") == 3 and text.count("取組み") == 0
    assert text.count("に取り組み、") == 3
    assert "運行期間:12/25～3/31" in text
    assert "子供交流館" in text and "従業者及び観光客" in text
    # One undo batch puts every text back.
    edits.apply(sample_store, report, undo)
    assert Counter(f.rule.id for f in notation.find(sample_store.load(), RULES)) == SAMPLE_COUNTS


def test_rules_round_trip_through_json_and_the_store(store_path):
    rules = [*RULES[:3], notation.NotationRule("mine", "下さい", "ください", ("下さい",))]
    rules[0] = rules[0].with_enabled(False)
    text = notationfile.to_json(rules)
    assert notationfile.from_json(text) == rules
    with Store(store_path) as store:
        assert store.notation_rules() is None
        assert notationfile.rules_of(store) == RULES
        store.set_notation_rules(text)
    with Store(store_path) as store:
        assert notationfile.rules_of(store) == rules
        store.set_notation_rules(None)
        assert notationfile.rules_of(store) == RULES


def test_importing_the_core_does_not_load_the_analyser():
    code = (
        "import sys, kushiro_editor.core.review, kushiro_editor.core.notation, "
        "kushiro_editor.core.store, kushiro_editor.core.edits\n"
        "assert 'sudachipy' not in sys.modules, 'loaded on import'\n"
        "from kushiro_editor.core import analyser\n"
        "assert analyser.tokens('取組') and 'sudachipy' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the tense check: the analyser against the sentence-ending patterns --------------------
@pytest.mark.parametrize(
    ("sentence", "by_analyser", "by_patterns"),
    [
        ("研修会を開催した。", "past", "past"),
        ("説明会を開催しました。", "past", "past"),
        ("会議は書面で行われた。", "past", "past"),
        ("取組を進めていく。", "plan", "plan"),
        ("事業を実施する予定である。", "plan", "plan"),
        ("参加者が増えている。", None, None),
        ("実施。", None, None),
        ("補助金の交付を行った(市有林管理事業)。", "past", "past"),
        # Where the patterns go wrong: a copula read as a past, a wish not read as a plan.
        ("引き続き支援が必要だ。", None, "past"),
        ("関係機関と協議中だ。", None, "past"),
        ("多くの市民が参加する予定だ。", "plan", "past"),
        ("地域との連携を深めていきたい。", "plan", None),
        ("事業の効果が見られる。", None, "plan"),
    ],
)
def test_tense_by_the_analyser_and_by_the_patterns(sentence, by_analyser, by_patterns):
    assert review.tense_of(sentence, use_analyser=True) == by_analyser
    assert review.tense_of(sentence, use_analyser=False) == by_patterns


def test_the_review_uses_the_analyser_and_falls_back_without_it(monkeypatch):
    entry = Entry(departments=["農林課"], actual="<p>済んだ。</p>", plan="<p>支援が必要だ。</p>")
    assert "tense" not in [rule for rule, _d in review.check_text(entry, "plan", limit=0)]
    monkeypatch.setattr(analyser, "available", lambda: False)
    assert "tense" in [rule for rule, _d in review.check_text(entry, "plan", limit=0)]


def test_sample_tense_findings_agree(sample_result):
    report = sample_result.report
    by_analyser = [f for f in review.check(report, use_analyser=True) if f.rule == "tense"]
    by_patterns = [f for f in review.check(report, use_analyser=False) if f.rule == "tense"]
    assert [(f.entry.id, f.field) for f in by_analyser] == [
        (f.entry.id, f.field) for f in by_patterns
    ]
    assert Counter(f.field for f in by_analyser) == {"actual": 1, "plan": 3}
