"""Past-tense drafts: the last predicate of each sentence, per conjugation class."""

from __future__ import annotations

import pytest

from kushiro_editor.core import pasttense

CASES = [
    ("書く。", "書いた。"),  # 五段-カ行
    ("行く。", "行った。"),  # 行く: 促音便
    ("泳ぐ。", "泳いだ。"),
    ("話す。", "話した。"),
    ("待つ。", "待った。"),
    ("死ぬ。", "死んだ。"),
    ("遊ぶ。", "遊んだ。"),
    ("取り組む。", "取り組んだ。"),
    ("図る。", "図った。"),
    ("行う。", "行った。"),
    ("見る。", "見た。"),  # 上一段
    ("食べる。", "食べた。"),  # 下一段
    ("実施する。", "実施した。"),  # サ変
    ("来る。", "来た。"),  # カ変
    ("実施します。", "実施しました。"),
    ("進めていく。", "進めた。"),
    ("推進していきます。", "推進しました。"),
    ("取り組んでいく。", "取り組んだ。"),
    ("開催を予定している。", "開催した。"),
    ("開催を予定としている。", "開催した。"),
    ("情報発信事業を実施予定。", "情報発信事業を実施した。"),
    ("参加する予定である。", "参加した。"),
    ("周知を図る予定です。", "周知を図った。"),
    ("支援することにしている。", "支援した。"),
    ("「まちづくり」を進める。", "「まちづくり」を進めた。"),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_the_last_predicate_is_put_in_the_past(before, after):
    assert pasttense.convert(before)[0] == after


@pytest.mark.parametrize(
    "sentence",
    [
        "事業の実施である。",
        "研修を実施（市有林管理事業）。",
        # 〜の実施を計画: its past is 〜を実施した, a sentence rebuilt, not a suffix changed.
        "各種事業の実施を計画。",
        "展示会の開催予定。",
    ],
)
def test_a_sentence_it_cannot_judge_is_left_with_a_reason(sentence):
    after, reason = pasttense.convert(sentence)
    assert after is None
    assert reason


def test_the_change_keeps_the_runs_weight():
    markup = "<p>事業を<b>実施する</b>。また図る。</p>"
    proposals = pasttense.propose(markup)
    assert pasttense.apply(markup, pasttense.changes(proposals)) == (
        "<p>事業を<b>実施した</b>。また図った。</p>"
    )
