"""Last year's text against this year's, character by character, in readable spans."""

from __future__ import annotations

from kushiro_editor.core.diff import Span, compare, similarity


def _rebuild(spans: list[Span]) -> tuple[str, str]:
    return "".join(s.old for s in spans), "".join(s.new for s in spans)


def test_a_rewritten_word_is_one_replace_between_equal_spans():
    spans = compare("港を整備した。", "港を改修した。")
    assert spans == [
        Span("equal", "港を", "港を"),
        Span("replace", "整備", "改修"),
        Span("equal", "した。", "した。"),
    ]


def test_a_lone_shared_character_between_two_changes_joins_them():
    spans = compare("あいうえおか", "あきうけおか")
    assert spans == [
        Span("equal", "あ", "あ"),
        Span("replace", "いうえ", "きうけ"),
        Span("equal", "おか", "おか"),
    ]


def test_a_lone_character_after_the_last_change_joins_it():
    # 「した。」→「する。」 reads better than 「した」→「する」 and a lone 「。」.
    spans = compare("あいうえお", "あかうきお")
    assert spans == [Span("equal", "あ", "あ"), Span("replace", "いうえお", "かうきお")]
    assert _rebuild(spans) == ("あいうえお", "あかうきお")


def test_insertions_and_deletions_keep_both_texts():
    assert compare("実施した", "実施した。") == [
        Span("equal", "実施した", "実施した"),
        Span("insert", "", "。"),
    ]
    assert compare("新たに実施した", "実施した") == [
        Span("delete", "新たに", ""),
        Span("equal", "実施した", "実施した"),
    ]
    assert compare("", "") == []
    for old, new in (("釧路市の港", "釧路港の整備"), ("abc", ""), ("", "新規")):
        assert _rebuild(compare(old, new)) == (old, new)


def test_similarity_is_the_share_of_text_kept():
    assert similarity("", "") == 1.0
    assert similarity("港を整備した", "港を整備した") == 1.0
    assert similarity("abcd", "abce") == 0.75
    assert similarity("あいう", "かきく") == 0.0
