"""Last year's 取組予定 beside this year's 実績, and where the two differ.

What a department did in the year just ended is mostly what it planned a year
before: while it writes a row's 実績, the window and the inquiry pack show the
取組予定 of the same row in last year's report. Rows are found as the new year
finds them (:func:`yearly.previous_texts`: the texts a rollover or a prefill
kept on the entry, otherwise last year's report matched by goal, direction and
department), so that the plan shown is the one the year was started from.

The differences are counted on characters of the plain text: the parts of the
plan that the 実績 no longer says are marked, so that a reader sees at a glance
what was promised and is not written yet.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from difflib import SequenceMatcher

from . import richtext, yearly
from .model import Entry, Report

logger = logging.getLogger(__name__)

# A stretch of the same characters shorter than this between two differences is
# part of the difference: 「の」, 「、」 or 「した」 met by chance would cut a
# changed phrase into pieces that read as noise.
MIN_SAME = 3


@dataclass(frozen=True)
class PreviousPlans:
    """Last year's 取組予定 of each entry of a report that has one."""

    plans: dict[str, str]  # entry id → last year's plan (rich-text markup), never empty
    has_previous: bool  # last year's report or kept texts were there to look in

    def of(self, entry: Entry) -> str:
        """The entry's plan of last year; empty when there is none."""
        return self.plans.get(entry.id, "")


NONE = PreviousPlans({}, has_previous=False)


def previous_plans(report: Report, previous: Report | None) -> PreviousPlans:
    """Last year's 取組予定 of every entry of ``report`` (``previous`` is last year's report)."""
    texts = yearly.previous_texts(report, previous)
    plans = {
        entry_id: plan
        for entry_id, (_actual, plan) in texts.items()
        if richtext.to_plain(plan).strip()
    }
    return PreviousPlans(plans, has_previous=previous is not None or bool(texts))


@dataclass(frozen=True)
class Span:
    """A piece of last year's plan: ``missing`` when this year's 実績 does not say it."""

    text: str
    missing: bool


def plan_spans(plan: str, actual: str) -> list[Span]:
    """Last year's plan (plain text) in pieces, marked where the 実績 differs from it.

    An empty 実績 marks nothing: nothing is written yet to compare with.
    """
    return compare_plain(richtext.to_plain(plan), richtext.to_plain(actual))


def compare_plain(old: str, new: str) -> list[Span]:
    """:func:`plan_spans` on plain texts (one line per paragraph, as ``richtext.to_plain``)."""
    if not new.strip() or old == new:
        return [Span(old, missing=False)] if old else []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    spans: list[Span] = []
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    position = 0
    for index, block in enumerate(blocks):
        following = blocks[index + 1].a if index + 1 < len(blocks) else len(old)
        changed_around = position < block.a and block.a + block.size < following
        if block.size < MIN_SAME and changed_around:
            continue  # counted with the change around it
        if position < block.a:
            spans.append(Span(old[position : block.a], missing=True))
        spans.append(Span(old[block.a : block.a + block.size], missing=False))
        position = block.a + block.size
    if position < len(old):
        spans.append(Span(old[position:], missing=True))
    return _joined(spans)


def _joined(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if out and out[-1].missing == span.missing:
            out[-1] = Span(out[-1].text + span.text, span.missing)
        else:
            out.append(span)
    return out


def missing_share(spans: list[Span]) -> float:
    """How much of the plan (0–1, by characters) the 実績 no longer says."""
    total = sum(len(s.text) for s in spans)
    return sum(len(s.text) for s in spans if s.missing) / total if total else 0.0
