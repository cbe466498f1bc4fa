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
from dataclasses import dataclass, replace

from . import pasttense
from .edits import SetField
from .model import STATE_CARRIED, Direction, Entry, Goal, Report, place

logger = logging.getLogger(__name__)

FIELD = "actual"


@dataclass(frozen=True, eq=False)
class TextDraft:
    """One text (a department row's 実績, or any rich text) with its sentences' proposals."""

    node: object
    field: str
    place: str  # where the text stands, as the review names it
    before: str  # the markup read
    proposals: tuple[pasttense.Proposal, ...]
    carried: bool = False  # still last year's words (未確認), not a text a person wrote

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
    where: Callable[[Goal, Direction, Entry], str] = place,
    carried_only: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[TextDraft]:
    """Every non-empty 実績 of the rows with its proposals (changed or not).

    By default only the drafts the new year copied from last year's plans and
    nobody has read (未確認): a 実績 a person wrote may say 「稼働している」 of a
    state that goes on, which is not a plan to put in the past.

    ``text_of(node, field)`` gives the text being typed (the window passes it),
    ``where`` names a row (the command line numbers a department's second row),
    ``progress(done, total)`` follows a long report.
    """
    current = text_of or getattr
    chosen = rows(report, departments)
    out: list[TextDraft] = []
    for index, (goal, direction, entry) in enumerate(chosen, 1):
        markup = current(entry, FIELD)
        carried = entry.actual_state == STATE_CARRIED
        if markup.strip() and (carried or not carried_only):
            found = draft_of(entry, FIELD, where(goal, direction, entry), markup)
            out.append(replace(found, carried=carried))
        if progress is not None:
            progress(index, len(chosen))
    logger.info(
        "past tense: %d texts, %d sentences changed, %d left",
        len(out),
        sum(len(d.changes) for d in out),
        sum(len(d.left) for d in out),
    )
    return out


def draft_of(node: object, field: str, where: str, markup: str) -> TextDraft:
    """The proposals of one text, read as ``markup``."""
    return TextDraft(node, field, where, markup, tuple(pasttense.propose(markup)))


def edits_of(
    chosen: Iterable[tuple[TextDraft, Iterable[pasttense.Proposal]]],
) -> list[SetField]:
    """One mechanical SetField per text whose chosen changes alter it."""
    out: list[SetField] = []
    for draft, proposals in chosen:
        after = draft.after(proposals)
        if after != draft.before:
            out.append(SetField(draft.node, draft.field, after, mechanical=True))
    return out


def all_edits(found: Iterable[TextDraft]) -> list[SetField]:
    """The batch applying every proposed change."""
    return edits_of((draft, draft.changes) for draft in found)
