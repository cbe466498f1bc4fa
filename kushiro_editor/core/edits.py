"""The one way a report changes: a batch of edits, written to the store first.

The window and the command line both change a report through :func:`apply`
(the window through ``ReportDocument.apply``, which adds undo on top). A
batch is written to the store in one transaction; only when the store took
it are the report's nodes changed, so the store and the report never
disagree. The rules that go with an edit live here too: a text carried over
from last year (前年度から引継ぎ・未確認) loses its mark when the text changes,
in the same transaction as the text.

A KPI is a node like the others (under a goal, a direction or a measure):
added, removed and moved with the same edits, its values set with
:class:`SetField`; :mod:`.kpi.editing` builds those batches.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from . import kinds
from .kpi import fields as kpi_fields
from .kpi.numbers import same
from .model import (
    STATE_CARRIED,
    STATE_NONE,
    Direction,
    Entry,
    Goal,
    Kpi,
    Report,
    ReportError,
)
from .store import KPI_SETTINGS, Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class SetField:
    """A field of a node takes a new value (a text, a title, the departments…).

    ``mechanical`` is a change no person wrote (a notation fix, a replace-all,
    an undo): it keeps a carried-over text's 未確認 mark, since nobody read the
    text for it.
    """

    node: object
    field: str
    value: object
    mechanical: bool = False


@dataclass(frozen=True, eq=False)
class Insert:
    """A node (with everything below it) goes under ``parent`` at ``position``."""

    parent: object
    node: object
    position: int


@dataclass(frozen=True, eq=False)
class Remove:
    """A node (with everything below it) leaves ``parent``, where it stood at ``position``."""

    parent: object
    node: object
    position: int


@dataclass(frozen=True, eq=False)
class Move:
    """A node moves from ``source``/``old`` to ``target``/``new`` (its index once moved)."""

    node: object
    source: object
    old: int
    target: object
    new: int


Edit = SetField | Insert | Remove | Move


def is_text_field(node: object, field: str) -> bool:
    """Whether a field holds rich text (実績, 取組予定, a measure's body)."""
    if isinstance(node, Kpi) or field == KPI_SETTINGS:
        return False
    kind = kinds.of(node)
    return field in kind.names() and kind.field(field).type == kinds.RICH


def kind_name(node: object) -> str:
    """The kind's name of a node as the store names it (goal, …, entry, kpi)."""
    return kpi_fields.KIND if isinstance(node, Kpi) else kinds.name_of(node)


def siblings(parent: object, node: object) -> list:
    """The list a node lives in under its parent."""
    holder = kpi_fields.HOLDER if isinstance(node, Kpi) else kinds.of(node).holder
    return getattr(parent, holder)


def position_of(parent: object, node: object) -> int:
    """A node's index among its siblings (by identity: equal nodes may repeat)."""
    return next(i for i, sibling in enumerate(siblings(parent, node)) if sibling is node)


def parent_of(report: Report, node: object) -> object | None:
    """The parent of any node (the report for goals); None for a node not in the report."""
    if isinstance(node, Kpi):
        return kpi_fields.owner_of(report, node)
    if isinstance(node, Goal):
        return report if any(g is node for g in report.goals) else None
    for goal in report.goals:
        if isinstance(node, Direction):
            if any(d is node for d in goal.directions):
                return goal
            continue
        for direction in goal.directions:
            if any(n is node for n in siblings(direction, node)):
                return direction
    return None


def expand(edits: Iterable[Edit]) -> list[Edit]:
    """The batch with the rules that go with it, without edits that change nothing.

    A text that a person changes loses its 引継ぎ・未確認 mark, unless the batch
    sets the mark itself; a mechanical change (:attr:`SetField.mechanical`)
    keeps it, for nobody has read the text yet.
    """
    batch = [e for e in edits if not (isinstance(e, SetField) and _unchanged(e))]
    stated = {(id(e.node), e.field) for e in batch if isinstance(e, SetField)}
    companions: list[Edit] = []
    for edit in batch:
        if (
            isinstance(edit, SetField)
            and not edit.mechanical
            and isinstance(edit.node, Entry)
            and edit.field in ("actual", "plan")
        ):
            mark = f"{edit.field}_state"
            if getattr(edit.node, mark) == STATE_CARRIED and (id(edit.node), mark) not in stated:
                companions.append(SetField(edit.node, mark, STATE_NONE))
                stated.add((id(edit.node), mark))
    return batch + companions


def _unchanged(edit: SetField) -> bool:
    # A KPI's 12.3 made 12.30 is a change: the places given are part of the value.
    return same(getattr(edit.node, edit.field), edit.value)


def inverse(edits: Sequence[Edit]) -> list[Edit]:
    """The batch that undoes ``edits``; call it before they are applied.

    Its field changes are mechanical: an undo puts back what was, and a mark
    the batch changed is put back by its own edit.
    """
    undo: list[Edit] = []
    for edit in edits:
        if isinstance(edit, SetField):
            old = _copy(getattr(edit.node, edit.field))
            undo.append(SetField(edit.node, edit.field, old, mechanical=True))
        elif isinstance(edit, Insert):
            undo.append(Remove(edit.parent, edit.node, edit.position))
        elif isinstance(edit, Remove):
            undo.append(Insert(edit.parent, edit.node, edit.position))
        else:
            undo.append(Move(edit.node, edit.target, edit.new, edit.source, edit.old))
    undo.reverse()
    return undo


def _copy(value: object) -> object:
    return list(value) if isinstance(value, list) else value


def write_store(
    store: Store, edits: Sequence[Edit], known: dict[tuple[str, str], int] | None = None
) -> dict[tuple[str, str], int]:
    """Write a batch to the store in one transaction (all of it or nothing).

    With ``known`` (the versions the edits were made on) a node someone else
    changed meanwhile refuses the batch (:class:`~.versions.VersionConflictError`).
    Returns the nodes' new versions.
    """
    # The versions this transaction has counted up already: a node set twice in one
    # batch (around an insert) is checked against its own first change.
    seen = None if known is None else dict(known)
    bumped: dict[tuple[str, str], int] = {}

    def update(fields: list[tuple[str, str, str, object]]) -> None:
        done = store.update(fields, seen)
        bumped.update(done)
        if seen is not None:
            seen.update(done)

    with store.transaction():
        fields: list[tuple[str, str, str, object]] = []
        for edit in edits:
            if isinstance(edit, SetField):
                fields.append((kind_name(edit.node), edit.node.id, edit.field, edit.value))
                continue
            if fields:
                update(fields)
                fields = []
            if isinstance(edit, Insert):
                store.insert(edit.node, edit.parent.id, edit.position)
                # Stored anew, everything inserted starts again at the first version.
                made = {(kind_name(n), n.id): 0 for n in _subtree(edit.node)}
            elif isinstance(edit, Remove):
                store.delete(kind_name(edit.node), edit.node.id)
                made = {}
            else:
                version = store.move(kind_name(edit.node), edit.node.id, edit.target.id, edit.new)
                made = {(kind_name(edit.node), edit.node.id): version}
            bumped.update(made)
            if seen is not None:
                seen.update(made)
        if fields:
            update(fields)
    return bumped


def _subtree(node: object) -> Iterable[object]:
    yield node
    yield from getattr(node, "kpis", ())
    if not isinstance(node, Kpi):
        for child in kinds.children_of(node):
            yield from _subtree(child)


def apply_to_report(edit: Edit) -> None:
    """Change the report's nodes as one edit says (the store already holds it)."""
    if isinstance(edit, SetField):
        setattr(edit.node, edit.field, _copy(edit.value))
    elif isinstance(edit, Insert):
        siblings(edit.parent, edit.node).insert(edit.position, edit.node)
    elif isinstance(edit, Remove):
        siblings(edit.parent, edit.node).pop(position_of(edit.parent, edit.node))
    else:
        siblings(edit.source, edit.node).pop(edit.old)
        siblings(edit.target, edit.node).insert(edit.new, edit.node)


def is_structural(edits: Iterable[Edit]) -> bool:
    """Whether a batch adds, removes or moves nodes (numbering may change)."""
    return any(not isinstance(e, SetField) for e in edits)


def apply(
    store: Store,
    report: Report,
    edits: Iterable[Edit],
    *,
    each: Callable[[Edit], None] = apply_to_report,
    known: dict[tuple[str, str], int] | None = None,
) -> list[Edit]:
    """Run a batch: its rules' companions, the store in one transaction, then the report.

    The one edit path of the window and the command line. Returns the batch
    that undoes it (empty when nothing changed). ``each`` changes the report
    for one edit of the expanded batch, in order (the window wraps it in its
    item model's notifications and so learns what the batch held). Raises
    ReportError, with the store and the report as they were, when the store
    refuses the batch; sqlite3 and OS errors pass through unchanged.
    ``known`` (the versions the editor holds) is checked and then counted on:
    a node changed meanwhile by someone else refuses the batch with
    :class:`~.versions.VersionConflictError`.
    """
    batch = expand(edits)
    if not batch:
        return []
    undo = inverse(batch)
    try:
        bumped = write_store(store, batch, known)
    except (KeyError, ValueError) as exc:
        raise ReportError(f"変更を保存できませんでした(対象が見つかりません: {exc})。") from exc
    if known is not None:
        known.update(bumped)
    for edit in batch:
        each(edit)
    if is_structural(batch):
        report.renumber()
    return undo
