"""Rule files are checked whole before a rule is used: what would corrupt the texts, never
end or fight another rule is refused with the rule named, and a fix run twice changes
nothing the second time."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kushiro_editor.core import notation, notationfile
from kushiro_editor.core.model import Direction, Entry, Goal, Report, ReportError
from kushiro_editor.core.notation import NotationRule


def document(*rules: dict, **header) -> str:
    return json.dumps(
        {"format": "kushiro-notation-rules", "version": 1, **header, "rules": list(rules)},
        ensure_ascii=False,
    )


def rule(**values) -> dict:
    return {"id": "r", "prefer": "子ども", "replace": ["子供"], **values}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "JSON の誤り"),
        ("[" * 100_000 + "]" * 100_000, "入れ子が深すぎます"),
        (json.dumps({"rules": [rule()]}), "format が表記ルールではありません"),
        (document(rule(), format="kushiro-progress-report"), "format が表記ルールではありません"),
        (document(rule(), version=99), "新しい版"),
        (document(rule(), version="1"), "version が読めません"),
        (document(rule(), version=True), "version が読めません"),
        ('{"format": "kushiro-notation-rules", "version": 1, "rules": 3}', "rules がありません"),
        (document({"id": "a"}), "必要な項目"),
        (document(rule(kind="regex")), "regex"),
        (document(rule(prefer="()", replace=["（"], kind="chars")), "同じ長さ"),
        (document(rule(), rule(prefer="z", replace=["w"])), "重複"),
        # An empty form matches everywhere.
        (document(rule(replace=[""])), "空の形"),
        (document(rule(replace=[])), "置き換える形を書いて"),
        # A string where a list belongs would be read character by character.
        (document(rule(replace="子供")), "文字列の一覧"),
        (document(rule(keep="子供会")), "文字列の一覧"),
        (document(rule(replace=[3])), "文字列で書いて"),
        # "false" is true to Python.
        (document(rule(enabled="false")), "true か false"),
        # The preferred form holds the replaced one: 取組 → 取組み → 取組みみ …
        (document(rule(prefer="取組み", replace=["取組"])), "直すたびに文章が変わり続けます"),
        # Two rules each rewriting what the other prefers.
        (
            document(rule(id="a"), rule(id="b", prefer="子供", replace=["子ども"])),
            "互いに直し合います",
        ),
        # A width rule over characters of one width finds only what is right already.
        (document(rule(prefer="", kind="width", replace=["あいう"])), "id、優先する形"),
        (document(rule(prefer="半角", kind="width", replace=["あいう"])), "幅の違う形がありません"),
        (document(rule(replace=["子" * 5_000_000])), "長すぎます"),
        (document(rule(replace=[f"語{i}" for i in range(500)])), "多すぎます"),
        (document(*(rule(id=f"r{i}", replace=[f"語{i}"]) for i in range(2001))), "多すぎます"),
    ],
)
def test_a_bad_rule_file_is_one_clear_message(text, message):
    with pytest.raises(ReportError, match=message):
        notationfile.from_json(text)


def test_the_offending_rule_is_named():
    text = document(rule(id="ok"), rule(id="kodomo2", prefer="こども", replace=[""]))
    with pytest.raises(ReportError, match=r"2件目\(kodomo2\)"):
        notationfile.from_json(text)


def test_the_default_rules_pass_their_own_checks():
    rules = notationfile.default_rules()
    assert notationfile.from_json(notationfile.to_json(rules)) == rules


def test_a_disabled_rule_may_undo_another():
    # Switched off, it fights nobody: an office keeps both and chooses.
    text = document(rule(id="a"), rule(id="b", prefer="子供", replace=["子ども"], enabled=False))
    assert [r.id for r in notationfile.from_json(text)] == ["a", "b"]


def test_fifty_thousand_rules_are_refused_at_once():
    many = document(*(rule(id=f"r{i}", replace=[f"語{i}"]) for i in range(50_000)))
    code = (
        "import sys; from kushiro_editor.core import notationfile\n"
        "try:\n    notationfile.from_json(sys.stdin.read())\n"
        "except Exception as exc:\n    print(type(exc).__name__, exc)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        input=many,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.startswith("ReportError 表記ルールが多すぎます")


def _report(text: str) -> Report:
    entry = Entry(departments=["こども支援課"], actual=text, plan="<p>予定。</p>")
    return Report(
        title="t",
        actual_year=2020,
        goals=[Goal(title="g", directions=[Direction(title="d", entries=[entry])])],
    )


WORDS = [
    "子供",
    "子ども",
    "取り組み",
    "取組",
    "〜",
    "～",
    "ＡＢＣ",
    "１２",
    "ｶﾀｶﾅ",
    "。",
    "「子供」",
    "、",
    "の",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30))
def test_a_fix_run_twice_changes_nothing_the_second_time(words):
    report = _report(f"<p>{''.join(words)}</p>")
    rules = notationfile.default_rules()
    for edit in notation.fix_edits(report, notation.find(report, rules)):
        setattr(edit.node, edit.field, edit.value)
    assert notation.find(report, rules) == []


def test_a_width_rule_finds_only_what_has_another_width():
    width = next(r for r in notationfile.default_rules() if r.method == "width")
    assert notation.find_in_text("1234 と ABC", [width]) == []
    assert notation.find_in_text("１２３４", [width]) != []


def test_own_rule_files_written_are_read_back(tmp_path):
    rules = [NotationRule("mine", "下さい", "ください", ("下さい",))]
    path = tmp_path / "rules.json"
    notationfile.write_rules(rules, path)
    assert notationfile.read_rules(path) == rules
