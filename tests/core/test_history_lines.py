"""A recorded change in the office's words: the part of a long text that changed."""

from __future__ import annotations

from kushiro_editor.core.history import excerpts, marked

LONG = (
    "・農業経営基盤整備のため、3地区における土地改良事業を実施。"
    "・酪農ヘルパー組織への支援や公共牧場の運営・整備を通じた営農支援システムの整備を実施。"
)


def test_a_change_in_the_middle_of_a_long_text_is_what_shows():
    before, after = excerpts(LONG, LONG.replace("整備を通じた", "整備を新たに通じた"))
    assert before == "…や公共牧場の運営・整備を通じた営農支援システムの…"
    assert after == "…や公共牧場の運営・整備を新たに通じた営農支援システムの…"


def test_short_texts_whole_and_ends_cut_with_an_ellipsis():
    assert excerpts("短い", "短くない") == ("短い", "短くない")
    assert excerpts("", "新しい") == ("(空)", "新しい")
    before, after = excerpts(LONG, LONG + "追加した。")
    assert before.startswith("…") and not before.endswith("…") and after.endswith("追加した。")


def test_marked_runs_rebuild_both_texts():
    old, new = "今年度は実施した。", "今年度も実施する。"
    runs = marked(old, new)
    assert "".join(t for kind, t in runs if kind != "inserted") == old
    assert "".join(t for kind, t in runs if kind != "deleted") == new
    assert ("deleted", "は") in runs and ("inserted", "も") in runs
