"""The open report: its nodes, its store, one undo stack and autosave.

Every change reaches the store through here. Text fields live in
QTextDocuments (created when first shown, kept for the session so that their
undo steps stay valid); a changed field is written to the store at most
:data:`AUTOSAVE_MS` after its first unsaved keystroke, and at once on
:meth:`ReportDocument.flush` (focus change, Ctrl+S, close, before any
structural change). Structural changes are undo commands that write the store
first and change the tree only when the store took them.
"""

from __future__ import annotations

import logging
import sqlite3

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QPainter,
    QPixmap,
    QTextDocument,
    QUndoStack,
)

from ..core.model import (
    STATE_CARRIED,
    STATE_CONFIRMED,
    STATE_NONE,
    TEXT_LABELS,
    Direction,
    Entry,
    Goal,
    MainProject,
    Measure,
    Report,
    kind_label,
)
from ..core.store import Store, kind_of
from . import richedit
from .commands import DeleteCommand, InsertCommand, MoveCommand, SetFieldCommand, TextCommand, tr
from .treemodel import ReportTreeModel

logger = logging.getLogger(__name__)

AUTOSAVE_MS = 500
RETRY_MS = 5000
TREE_KINDS = (Goal, Direction, Measure)
TEXT_FIELDS = {Entry: ("actual", "plan"), Measure: ("body",)}


_ICONS: dict[str, QIcon] = {}


def _carried_icon() -> QIcon:
    if "carried" not in _ICONS:
        pixmap = QPixmap(12, 12)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#e08a00"))
        painter.setPen(QColor("#b06a00"))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        _ICONS["carried"] = QIcon(pixmap)
    return _ICONS["carried"]


class ReportDocument(QObject):
    """Edits one report of the store, with undo and autosave."""

    saved_changed = Signal(bool)  # True when everything is in the store
    node_changed = Signal(object)  # a node's fields changed
    structure_changed = Signal(object)  # a direction whose measures/projects/entries changed
    tree_changed = Signal()  # goals, directions or measures added, removed or moved
    reveal = Signal(object, str)  # show this node's field (after an undo of its text)
    store_failed = Signal(str)  # the store refused a write (message for the user)
    review_changed = Signal()  # review marks changed (the review panel refreshes)
    departments_changed = Signal()  # an entry's departments or answered mark changed

    def __init__(
        self,
        store: Store,
        report: Report,
        parent: QObject | None = None,
        *,
        autosave_ms: int = AUTOSAVE_MS,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.report = report
        self.undo_stack = QUndoStack(self)
        self.font = QFont()
        self._docs: dict[tuple[str, str], QTextDocument] = {}
        self._owners: dict[tuple[str, str], object] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(autosave_ms)
        self._timer.timeout.connect(self.flush)
        self.read_only = False  # a second window on a store in use changes nothing
        self.tree = ReportTreeModel(self)
        self._previous_pairs: dict[str, Entry] | None = None

    # -- text fields ------------------------------------------------------------
    @property
    def indent_px(self) -> float:
        """One full-width character: the hanging indent of 「・」 items."""
        return QFontMetricsF(self.font).horizontalAdvance("あ")

    def text_document(self, node: object, field: str) -> QTextDocument:
        """The QTextDocument of a text field, made on first use and kept."""
        key = (node.id, field)
        document = self._docs.get(key)
        if document is None:
            document = QTextDocument(self)
            document.setDefaultFont(self.font)
            document.setDocumentMargin(4)
            richedit.load(document, getattr(node, field), self.indent_px)
            document.setUndoRedoEnabled(True)
            document.contentsChanged.connect(lambda key=key: self._text_changed(key))
            document.undoCommandAdded.connect(
                lambda key=key, document=document: self.undo_stack.push(
                    TextCommand(self, key, document)
                )
            )
            self._docs[key] = document
            self._owners[key] = node
        return document

    def existing_document(self, node: object, field: str) -> QTextDocument | None:
        """The field's document if it was ever shown or edited."""
        return self._docs.get((node.id, field))

    def current_text(self, node: object, field: str) -> str:
        """A text field as it is now (including keystrokes not yet saved)."""
        document = self._docs.get((node.id, field))
        if document is not None and (node.id, field) in self._dirty:
            return richedit.serialise(document)
        return getattr(node, field)

    def set_text(self, node: object, field: str, markup: str) -> None:
        """Replace a text field as one undoable step (find/replace, merges)."""
        if self.read_only:
            return
        richedit.replace_all(self.text_document(node, field), markup, self.indent_px)

    def _text_changed(self, key: tuple[str, str]) -> None:
        was_saved = not self._dirty
        self._dirty.add(key)
        if not self._timer.isActive():
            # Not restarted by later keystrokes: a long stretch of typing is
            # still saved every half second.
            self._timer.start()
        if was_saved:
            self.saved_changed.emit(False)

    def text_restored(self, key: tuple[str, str]) -> None:
        """An undo or redo changed a field's text: let the window show where."""
        node = self._owners.get(key)
        if node is not None:
            self.reveal.emit(node, key[1])

    @property
    def is_saved(self) -> bool:
        """Whether the store holds everything typed so far."""
        return not self._dirty

    def flush(self) -> bool:
        """Write every changed field to the store now, in one transaction."""
        self._timer.stop()
        if not self._dirty or self.read_only:
            return True
        pending = []
        for key in list(self._dirty):
            node = self._owners[key]
            if self.report.find_node(node.id) is not node:
                self._dirty.discard(key)  # deleted since: its text went with it
                continue
            markup = richedit.serialise(self._docs[key])
            if markup != getattr(node, key[1]):
                pending.append((node, key[1], markup))
        changes = [(kind_of(node), node.id, field, markup) for node, field, markup in pending]
        changes += self._review_changes(pending)
        try:
            if changes:
                self.store.update(changes)
        except (sqlite3.Error, OSError, KeyError) as exc:
            logger.exception("autosave failed")
            self.store_failed.emit(
                self.tr(
                    "保存できませんでした({0})。入力は残っています。5秒後にもう一度保存します。"
                ).replace("{0}", str(exc))
            )
            self._timer.start(RETRY_MS)
            return False
        for node, field, markup in pending:
            setattr(node, field, markup)
        self._apply_review(pending)
        for node in {id(n): n for n, _f, _m in pending}.values():
            self.node_changed.emit(node)
        self._dirty.clear()
        self._timer.setInterval(AUTOSAVE_MS)
        self.saved_changed.emit(True)
        return True

    # A carried-over text (前年度から引継ぎ・未確認) loses its mark when edited: in
    # the same transaction as the text, so the two never disagree in the store.
    @staticmethod
    def _review_changes(pending: list) -> list:
        changes = []
        for node, field, _markup in pending:
            if isinstance(node, Entry) and getattr(node, f"{field}_state") == STATE_CARRIED:
                changes.append(("entry", node.id, f"{field}_state", STATE_NONE))
        return changes

    def _apply_review(self, pending: list) -> None:
        touched = set()
        for node, field, _markup in pending:
            if isinstance(node, Entry) and getattr(node, f"{field}_state") == STATE_CARRIED:
                setattr(node, f"{field}_state", STATE_NONE)
                touched.add(id(node))
                self.tree.node_changed(self.parent_of(node))
        if touched:
            self.review_changed.emit()

    # -- review marks ---------------------------------------------------------------
    def confirm(self, entry: Entry) -> None:
        """「確認済み」: the carried texts of an entry are right as they are (one undo step)."""
        if self.read_only:
            return
        self.flush()
        fields = self.carried_fields(entry)
        if not fields:
            return
        self.undo_stack.beginMacro(tr("確認済みにする"))
        for field in fields:
            self.undo_stack.push(
                SetFieldCommand(
                    self,
                    entry,
                    f"{field}_state",
                    STATE_CARRIED,
                    STATE_CONFIRMED,
                    tr("確認済みにする"),
                )
            )
        self.undo_stack.endMacro()
        self.review_changed.emit()

    def carried_fields(self, entry: Entry) -> list[str]:
        """The entry's texts still marked 前年度から引継ぎ・未確認."""
        return [f for f in ("actual", "plan") if getattr(entry, f"{f}_state") == STATE_CARRIED]

    def entry_state_text(self, entry: Entry) -> str:
        """The mark shown under an entry's departments."""
        fields = self.carried_fields(entry)
        if not fields:
            return ""
        names = "・".join(TEXT_LABELS[f] for f in fields)
        return self.tr("前年度から引継ぎ・未確認({0})").replace("{0}", names)

    def previous_texts(self, entry: Entry) -> dict[str, str | None] | None:
        """Last year's 実績 and 取組予定 of an entry, or None when there is no last year.

        Kept on the entry by a rollover; otherwise found in last year's report in
        the store, matched by goal, direction and department.
        """
        if entry.previous_actual is not None or entry.previous_plan is not None:
            return {"actual": entry.previous_actual, "plan": entry.previous_plan}
        if self._previous_pairs is None:
            self._previous_pairs = {}
            previous = self.store.load_previous(self.report)
            if previous is not None:
                from ..core import yearly

                self._previous_pairs = yearly.match_entries(self.report, previous).pairs
        old = self._previous_pairs.get(entry.id)
        return {"actual": old.actual, "plan": old.plan} if old is not None else None

    def direction_marker(self, direction: Direction):
        """An orange dot in the tree for a direction with unconfirmed carried texts."""
        if any(self.carried_fields(e) for e in direction.entries):
            return _carried_icon()
        return None

    def set_font(self, font: QFont) -> None:
        """The editors' font, for the documents made from now on and those made already."""
        self.font = QFont(font)
        for document in self._docs.values():
            document.setDefaultFont(font)

    # -- applying changes (called by the commands) ---------------------------------
    def _report_failure(self, exc: Exception) -> None:
        logger.error("store refused a change: %s", exc)
        self.store_failed.emit(
            self.tr("データファイルに書き込めませんでした: {0}").replace("{0}", str(exc))
        )

    def apply_field(self, node: object, field: str, value: object) -> bool:
        """Set a plain field in the store and the tree."""
        try:
            self.store.update([(kind_of(node), node.id, field, value)])
        except (sqlite3.Error, OSError, KeyError) as exc:
            self._report_failure(exc)
            return False
        setattr(node, field, value)
        if isinstance(node, TREE_KINDS):
            self.tree.node_changed(node)
        self.node_changed.emit(node)
        if isinstance(node, Entry):
            direction = self.parent_of(node)
            self.tree.node_changed(direction)
            if field in ("departments", "answered_by"):
                self.departments_changed.emit()
            if field.endswith("_state"):
                self.review_changed.emit()
            else:
                self.structure_changed.emit(direction)
        return True

    def siblings(self, parent: object, node: object) -> list:
        """The list a node lives in under its parent."""
        if isinstance(node, Goal):
            return parent.goals
        if isinstance(node, Direction):
            return parent.directions
        if isinstance(node, Measure):
            return parent.measures
        if isinstance(node, MainProject):
            return parent.main_projects
        return parent.entries

    def position_of(self, parent: object, node: object) -> int:
        """A node's index among its siblings (by identity: equal nodes may repeat)."""
        return next(i for i, sibling in enumerate(self.siblings(parent, node)) if sibling is node)

    def _changed(self, parent: object, node: object) -> None:
        self.report.renumber()
        if isinstance(node, TREE_KINDS):
            self.tree.relabel()
            self.tree_changed.emit()
        direction = parent if isinstance(parent, Direction) else None
        if direction is not None:
            self.tree.node_changed(direction)
        self.structure_changed.emit(direction)

    def insert_node(self, parent: object, node: object, position: int) -> bool:
        """Put a node (and all below it) under ``parent`` at ``position``."""
        try:
            self.store.insert(node, parent.id, position)
        except (sqlite3.Error, OSError) as exc:
            self._report_failure(exc)
            return False
        in_tree = isinstance(node, TREE_KINDS)
        if in_tree:
            self.tree.begin_insert(parent, position)
        self.siblings(parent, node).insert(position, node)
        if in_tree:
            self.tree.end_insert()
        self._changed(parent, node)
        return True

    def remove_node(self, parent: object, node: object) -> bool:
        """Take a node (and all below it) out of the report."""
        siblings = self.siblings(parent, node)
        position = self.position_of(parent, node)
        try:
            self.store.delete(kind_of(node), node.id)
        except (sqlite3.Error, OSError, KeyError) as exc:
            self._report_failure(exc)
            return False
        in_tree = isinstance(node, TREE_KINDS)
        if in_tree:
            self.tree.begin_remove(parent, position)
        siblings.pop(position)
        if in_tree:
            self.tree.end_remove()
        self._changed(parent, node)
        return True

    def move_node(self, node: object, source: object, old: int, target: object, new: int) -> bool:
        """Move a node; ``new`` is its index among the target's children once moved."""
        try:
            self.store.move(kind_of(node), node.id, target.id, new)
        except (sqlite3.Error, OSError, KeyError) as exc:
            self._report_failure(exc)
            return False
        in_tree = isinstance(node, TREE_KINDS)
        if in_tree:
            self.tree.begin_move(source, old, target, new)
        self.siblings(source, node).pop(old)
        self.siblings(target, node).insert(new, node)
        if in_tree:
            self.tree.end_move()
        self._changed(source, node)
        if target is not source:
            self._changed(target, node)
        return True

    # -- what the window asks for (each an undo step) ---------------------------------
    def parent_of(self, node: object) -> object | None:
        """The parent of any node (the report for goals)."""
        if isinstance(node, TREE_KINDS):
            return self.tree.parent_node(node)
        for _goal, direction in self.report.directions():
            if node in direction.entries or node in direction.main_projects:
                return direction
        return None

    def rename(self, node: object, title: str) -> None:
        """A new title (or project name)."""
        if self.read_only:
            return
        field = "name" if isinstance(node, MainProject) else "title"
        old = getattr(node, field)
        if title != old:
            self.undo_stack.push(SetFieldCommand(self, node, field, old, title, tr("名前の変更")))

    def set_departments(self, entry: Entry, names: list[str]) -> None:
        """The departments of an entry."""
        if self.read_only:
            return
        if names != entry.departments:
            self.undo_stack.push(
                SetFieldCommand(
                    self, entry, "departments", list(entry.departments), names, tr("所管部署の変更")
                )
            )

    def set_relisted(self, project: MainProject, relisted: bool) -> None:
        """Whether a main project carries 【再掲】."""
        if self.read_only:
            return
        if relisted != project.relisted:
            self.undo_stack.push(
                SetFieldCommand(
                    self, project, "relisted", project.relisted, relisted, tr("【再掲】の切り替え")
                )
            )

    def add(self, parent: object, node: object, position: int | None = None) -> None:
        """Insert a new node (at the end by default)."""
        if self.read_only:
            return
        self.flush()
        siblings = self.siblings(parent, node)
        position = len(siblings) if position is None else position
        self.undo_stack.push(
            InsertCommand(
                self, parent, node, position, tr("{0}の追加").replace("{0}", kind_label(node))
            )
        )

    def delete(self, node: object) -> None:
        """Remove a node with everything below it."""
        if self.read_only:
            return
        self.flush()
        parent = self.parent_of(node)
        position = self.position_of(parent, node)
        self.undo_stack.push(DeleteCommand(self, parent, node, position, tr("削除")))

    def move(self, node: object, target: object, position: int) -> None:
        """Move a node under ``target`` to ``position`` (its index once moved)."""
        if self.read_only:
            return
        self.flush()
        source = self.parent_of(node)
        old = self.position_of(source, node)
        if source is target and old == position:
            return
        self.undo_stack.push(MoveCommand(self, node, (source, old), (target, position), tr("移動")))

    def move_by(self, node: object, delta: int) -> bool:
        """Move a node up (-1) or down (+1) among its siblings."""
        parent = self.parent_of(node)
        new = self.position_of(parent, node) + delta
        if not 0 <= new < len(self.siblings(parent, node)):
            return False
        self.move(node, parent, new)
        return True

    def close(self) -> bool:
        """Save what is pending; True when nothing was lost."""
        return self.flush()
