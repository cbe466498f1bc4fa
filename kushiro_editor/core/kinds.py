"""One description of each kind of node: its fields, where it is stored, what carries
into a new year, what is searched and compared, and how the office names it.

The store (its columns, loading, inserting and updating), the JSON file, search,
snapshot comparison and the new year read these descriptions instead of naming
fields, so that a new value is one :class:`Field` here (and, for a field the
model's dataclass does not declare, nothing else: it lives on the node as an
attribute of that name).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from .model import (
    STATE_NONE,
    Direction,
    Entry,
    Goal,
    MainProject,
    Measure,
    Report,
    new_id,
)

logger = logging.getLogger(__name__)

# What a field holds, which decides how the store keeps it.
TEXT = "text"  # plain text
RICH = "rich"  # the editor's rich-text subset (searched as text, shown in an editor)
FLAG = "flag"  # yes or no (stored as 0 or 1)
NAMES = "names"  # a list of names (stored as a JSON array)
OPTIONAL = "optional"  # text, or none at all (last year's texts of a row)


@dataclass(frozen=True)
class Field:
    """One value of a node."""

    name: str
    label: str  # as the office names it
    type: str = TEXT
    default: object = ""
    carries: bool = True  # copied into the new year's report
    searched: bool = False  # found by 検索と置換
    compared: bool = False  # listed by a snapshot comparison when it differs
    shown: bool = True  # a value the window shows and edits (not a mark kept beside one)

    def to_store(self, value: object) -> object:
        """The value as the store keeps it."""
        if self.type == NAMES:
            return json.dumps(list(value or ()), ensure_ascii=False)
        if self.type == FLAG:
            return int(bool(value))
        return value

    def from_store(self, value: object) -> object:
        """A stored value as the node holds it."""
        if self.type == NAMES:
            return json.loads(value) if value else []
        if self.type == FLAG:
            return bool(value)
        if value is None and self.type != OPTIONAL:
            return self.default
        return value

    @property
    def column(self) -> str:
        """The column's declaration in the store."""
        if self.type == FLAG:
            return f"{self.name} INTEGER NOT NULL DEFAULT {int(bool(self.default))}"
        if self.type == OPTIONAL:
            return f"{self.name} TEXT"
        default = "'[]'" if self.type == NAMES else f"'{self.default}'"
        return f"{self.name} TEXT NOT NULL DEFAULT {default}"


@dataclass
class Kind:
    """One kind of node and where its values live."""

    name: str  # as the store and the edit path name it
    node: type
    table: str
    parent_column: str  # the column naming the parent node ("" for the report)
    label: str  # 基本目標, 施策 …
    fields: tuple[Field, ...]
    holder: str = ""  # the list of the parent that holds nodes of this kind

    def field(self, name: str) -> Field:
        """The field of that name."""
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(f"{self.name}.{name}")

    def names(self) -> tuple[str, ...]:
        """The fields' names, in order."""
        return tuple(field.name for field in self.fields)

    def values(self, node: object) -> dict[str, object]:
        """A node's values by field name (a field its class lacks: the default)."""
        return {f.name: getattr(node, f.name, f.default) for f in self.fields}

    def make(self, node_id: str, values: dict[str, object]) -> object:
        """A node of this kind with these values (children are added by the caller)."""
        own = {f.name for f in dataclasses.fields(self.node)}
        node = self.node(id=node_id, **{k: v for k, v in values.items() if k in own})
        for name, value in values.items():
            if name not in own:
                setattr(node, name, value)
        return node


def _text(name: str, label: str, **flags: object) -> Field:
    return Field(name, label, TEXT, "", **flags)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "report",
            Report,
            "report",
            "",
            "報告",
            (_text("title", "題名", compared=True),),
        ),
        Kind(
            "goal",
            Goal,
            "goal",
            "report_id",
            "基本目標",
            (_text("title", "題名", searched=True, compared=True),),
            holder="goals",
        ),
        Kind(
            "direction",
            Direction,
            "direction",
            "goal_id",
            "基本的方向",
            (_text("title", "題名", searched=True, compared=True),),
            holder="directions",
        ),
        Kind(
            "measure",
            Measure,
            "measure",
            "direction_id",
            "施策",
            (
                _text("title", "施策の題名", searched=True, compared=True),
                Field("body", "施策の説明", RICH, "", searched=True, compared=True),
            ),
            holder="measures",
        ),
        Kind(
            "project",
            MainProject,
            "main_project",
            "direction_id",
            "主な事業",
            (
                _text("name", "主な事業", searched=True, compared=True),
                Field("relisted", "再掲", FLAG, False, compared=True),
            ),
            holder="main_projects",
        ),
        Kind(
            "entry",
            Entry,
            "entry",
            "direction_id",
            "所管部署の行",
            (
                Field("departments", "所管部署", NAMES, (), searched=True, compared=True),
                # The new year's 実績 is drafted from last year's 取組予定, not copied.
                Field("actual", "実績", RICH, "", carries=False, searched=True, compared=True),
                Field("plan", "取組予定", RICH, "", searched=True, compared=True),
                # The marks and last year's texts belong to this year's report only:
                # the new year sets its own.
                Field("actual_state", "実績の確認", TEXT, STATE_NONE, carries=False, shown=False),
                Field("plan_state", "取組予定の確認", TEXT, STATE_NONE, carries=False, shown=False),
                Field(
                    "previous_actual", "前年度の実績", OPTIONAL, None, carries=False, shown=False
                ),
                Field(
                    "previous_plan", "前年度の取組予定", OPTIONAL, None, carries=False, shown=False
                ),
                Field("answered_by", "回答した部署", TEXT, "", carries=False, shown=False),
                Field("answered_at", "回答の日時", TEXT, "", carries=False, shown=False),
            ),
            holder="entries",
        ),
    )
}
_BY_CLASS: dict[type, Kind] = {kind.node: kind for kind in KINDS.values()}


def of(node: object) -> Kind:
    """The kind of a node."""
    try:
        return _BY_CLASS[type(node)]
    except KeyError:
        raise TypeError(f"not a node of the report: {type(node).__name__}") from None


def name_of(node: object) -> str:
    """The kind's name of a node (goal, direction, measure, project, entry, report)."""
    return of(node).name


def label_of(node: object) -> str:
    """What kind of node it is, as the office names it (empty for anything else)."""
    kind = _BY_CLASS.get(type(node))
    return kind.label if kind is not None else ""


def children_of(node: object) -> Iterator[object]:
    """The nodes directly below a node, in the report's order."""
    if isinstance(node, Report):
        yield from node.goals
    elif isinstance(node, Goal):
        yield from node.directions
    elif isinstance(node, Direction):
        yield from (*node.measures, *node.main_projects, *node.entries)


def nodes(report: Report) -> Iterator[object]:
    """Every node below the report, in document order (a direction before its rows)."""
    for goal in report.goals:
        yield goal
        for child in children_of(goal):
            yield child
            yield from children_of(child)


def carried_copy(node: object) -> object:
    """A new node of the same kind holding the values that carry into a new year.

    The values that do not carry take their defaults; children are not copied.
    """
    kind = of(node)
    values = {}
    for field in kind.fields:
        value = getattr(node, field.name, field.default) if field.carries else field.default
        values[field.name] = list(value) if field.type == NAMES else value
    return kind.make(new_id(), values)


def field_label(node: object, name: str) -> str:
    """A field's name as the office says it (施策の説明, 所管部署 …)."""
    return of(node).field(name).label


def add_field(kind_name: str, field: Field) -> None:
    """Declare one more field of a kind (a new value: the store adds its column)."""
    kind = KINDS[kind_name]
    if field.name in kind.names():
        raise ValueError(f"{kind_name}.{field.name} is declared already")
    kind.fields = (*kind.fields, field)


def remove_field(kind_name: str, name: str) -> None:
    """Take back a field declared by :func:`add_field` (its stored column stays)."""
    kind = KINDS[kind_name]
    kind.fields = tuple(f for f in kind.fields if f.name != name)
