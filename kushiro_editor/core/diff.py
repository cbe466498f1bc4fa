"""Character-level comparison of last year's text with this year's.

Japanese has no spaces between words, so a word-level diff does not apply;
characters are compared, and the changes grouped into readable spans: two
changes separated by a single unchanged character are shown as
one change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from difflib import SequenceMatcher

logger = logging.getLogger(__name__)

MERGE_GAP = 1  # a lone shared character between two changes is folded into them


@dataclass(frozen=True)
class Span:
    """A piece of the comparison: ``op`` is "equal", "delete", "insert" or "replace"."""

    op: str
    old: str
    new: str


def compare(old: str, new: str) -> list[Span]:
    """The spans that turn ``old`` into ``new``."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    raw = [Span(op, old[a1:a2], new[b1:b2]) for op, a1, a2, b1, b2 in matcher.get_opcodes()]
    spans: list[Span] = []
    for span in raw:
        changed_before = spans and spans[-1].op != "equal"
        if span.op == "equal" and changed_before and len(span.old) <= MERGE_GAP:
            # A stray shared character inside a rewrite: fold it into the change.
            spans[-1] = Span("replace", spans[-1].old + span.old, spans[-1].new + span.new)
            continue
        if span.op != "equal" and changed_before:
            merged_old = spans[-1].old + span.old
            merged_new = spans[-1].new + span.new
            op = "replace" if merged_old and merged_new else ("delete" if merged_old else "insert")
            spans[-1] = Span(op, merged_old, merged_new)
            continue
        spans.append(span)
    return spans


def similarity(old: str, new: str) -> float:
    """How much of the text stayed (0 to 1)."""
    if not old and not new:
        return 1.0
    return SequenceMatcher(None, old, new, autojunk=False).ratio()
