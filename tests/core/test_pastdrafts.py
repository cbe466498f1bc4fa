"""Past-tense drafts over the sample's new year: every sentence pinned in a file that was read."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kushiro_editor.core import edits, pastdrafts, yearly
from kushiro_editor.core.model import STATE_CARRIED

# Every sentence of the sample's 取組予定 as the new year's 実績 draft: what it
# becomes, or why it is left. Each line was read; a change here is a change of
# behaviour to read again.
LISTED = Path(__file__).parent / "data" / "pasttense_sample.tsv"
HEADER = ["行", "場所", "文", "変更前", "変更後", "そのままの理由"]


def listing(found: list[pastdrafts.TextDraft], rows: list) -> list[list[str]]:
    number = {id(entry): index for index, (_g, _d, entry) in enumerate(rows, 1)}
    out = []
    for draft in found:
        for proposal in draft.proposals:
            if proposal in draft.changes:
                after, reason = proposal.after, ""
            elif proposal in draft.left:
                after, reason = "", proposal.reason
            else:
                continue
            out.append(
                [
                    str(number[id(draft.node)]),
                    draft.place,
                    str(proposal.sentence + 1),
                    proposal.before,
                    after,
                    reason,
                ]
            )
    return out


@pytest.fixture
def new_year(sample_result):
    return yearly.rollover(sample_result.report)


def test_every_conversion_of_the_sample_is_the_listed_one(new_year):
    found = pastdrafts.drafts(new_year)
    with LISTED.open(encoding="utf-8", newline="") as f:
        listed = list(csv.reader(f, delimiter="\t"))
    assert listed[0] == HEADER
    assert listing(found, pastdrafts.rows(new_year)) == listed[1:]
    changed = [line for line in listed[1:] if line[4]]
    left = [line for line in listed[1:] if not line[4]]
    assert (len(changed), len(left)) == (152, 62)
    assert all(line[5] for line in left)


def test_the_batch_is_mechanical_and_keeps_the_unread_mark(new_year, sample_store):
    sample_store.save(new_year, [])
    found = pastdrafts.drafts(new_year)
    batch = pastdrafts.all_edits(found)
    assert batch and all(edit.mechanical and edit.field == "actual" for edit in batch)
    edits.apply(sample_store, new_year, batch)
    reread = sample_store.load(new_year.actual_year)
    entries = list(reread.entries())
    assert all(entry.actual_state == STATE_CARRIED for _g, _d, entry in entries)
    first = next(entry for _g, _d, entry in entries if entry.departments == ["農林課"])
    assert "土地改良事業を実施した。" in first.actual
    assert "土地改良事業を実施する。" not in first.actual
    # Run again, nothing is left to change: the texts are now past.
    assert pastdrafts.all_edits(pastdrafts.drafts(reread)) == []


def test_one_department_and_chosen_sentences(new_year):
    found = pastdrafts.drafts(new_year, ["水産課"])
    assert found and all("水産課" in draft.node.departments for draft in found)
    draft = found[0]
    first = draft.changes[:1]
    (edit,) = pastdrafts.edits_of([(draft, first)])
    assert first[0].after in edit.value
    assert draft.changes[1].before in edit.value  # the sentence not chosen stays


def test_bold_and_paragraphs_are_kept():
    from kushiro_editor.core.model import Direction, Entry, Goal, Report

    text = "<p><b>土地改良事業</b>を実施する。</p><p>・相談会に参加する。</p>"
    entry = Entry(["農林課"], actual=text)
    report = Report("R3", 2021, [Goal("目標", [Direction("方向", entries=[entry], number=1)], 1)])
    assert pastdrafts.drafts(report) == []  # a text a person wrote is not a draft
    (edit,) = pastdrafts.all_edits(pastdrafts.drafts(report, carried_only=False))
    assert edit.value == "<p><b>土地改良事業</b>を実施した。</p><p>・相談会に参加した。</p>"
