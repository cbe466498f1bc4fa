"""Past-tense drafts over a report: which 実績 texts change, which sentences are left.

`core.pasttense` works on one text; this walks a report's department rows
(all, or one department's) and gathers what the window's preview, the command
line's ``past-tense`` and the new year show, and the one batch that applies it.
The change is mechanical: a text carried over from last year keeps its 未確認
mark, since it is still last year's words until a person reads it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from . import pasttense
from .edits import SetField
from .model import Direction, Entry, Goal, Report, place

logger = logging.getLogger(__name__)

FIELD = "actual"


@dataclass(frozen=True, eq=False)
class TextDraft:
    """One text of a department row with its sentences' proposals."""

    goal: Goal
    direction: Direction
    entry: Entry
    field: str
    before: str  # the markup read
    proposals: tuple[pasttense.Proposal, ...]

    @property
    def place(self) -> str:
        """Where the text stands, as the review names it."""
        return place(self.goal, self.direction, self.entry)

    @property
    def changes(self) -> list[pasttense.Proposal]:
        """The sentences it changes."""
        return pasttense.changes(list(self.proposals))

    @property
    def left(self) -> list[pasttense.Proposal]:
        """The sentences it leaves for a person, with the reason."""
        return pasttense.left(list(self.proposals))

    def after(self, chosen: Iterable[pasttense.Proposal] | None = None) -> str:
        """The markup with the chosen changes (all of them by default)."""
        return pasttense.apply(self.before, self.changes if chosen is None else list(chosen))


def rows(
    report: Report, departments: Collection[str] | None = None
) -> list[tuple[Goal, Direction, Entry]]:
    """The department rows to convert: all, or those naming one of ``departments``."""
    return [
        (goal, direction, entry)
        for goal, direction, entry in report.entries()
        if not departments or any(name in entry.departments for name in departments)
    ]


def drafts(
    report: Report,
    departments: Collection[str] | None = None,
    *,
    text_of: Callable[[object, str], str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[TextDraft]:
    """Every non-empty 実績 of the rows with its proposals (changed or not).

    ``text_of(node, field)`` gives the text being typed (the window passes it),
    ``progress(done, total)`` follows a long report.
    """
    current = text_of or getattr
    chosen = rows(report, departments)
    out: list[TextDraft] = []
    for index, (goal, direction, entry) in enumerate(chosen, 1):
        markup = current(entry, FIELD)
        if markup.strip():
            proposals = tuple(pasttense.propose(markup))
            out.append(TextDraft(goal, direction, entry, FIELD, markup, proposals))
        if progress is not None:
            progress(index, len(chosen))
    logger.info(
        "past tense: %d texts, %d sentences changed, %d left",
        len(out),
        sum(len(d.changes) for d in out),
        sum(len(d.left) for d in out),
    )
    return out


def edits_of(
    chosen: Iterable[tuple[TextDraft, Iterable[pasttense.Proposal]]],
) -> list[SetField]:
    """One mechanical SetField per text whose chosen changes alter it."""
    out: list[SetField] = []
    for draft, proposals in chosen:
        after = draft.after(proposals)
        if after != draft.before:
            out.append(SetField(draft.entry, draft.field, after, mechanical=True))
    return out


def all_edits(found: Iterable[TextDraft]) -> list[SetField]:
    """The batch applying every proposed change."""
    return edits_of((draft, draft.changes) for draft in found)
