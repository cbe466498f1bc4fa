"""The open report: its nodes, its store, one undo stack and autosave.

Every change reaches the store through here, by the core's one edit path
(:mod:`kushiro_editor.core.edits`). Text fields live in QTextDocuments
(created when first shown, kept for the session so that their undo steps stay
valid); a changed field is written to the store at most :data:`AUTOSAVE_MS`
after its first unsaved keystroke, and at once on :meth:`ReportDocument.flush`
(focus change, Ctrl+S, close, before any other change). Every other change is
:meth:`ReportDocument.apply`: one undo command that writes the store first and
changes the report and the tree only when the store took it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

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

from ...core import edits, kinds, previousplan, review, versions
from ...core.edits import Edit
from ...core.model import (
    STATE_CARRIED,
    TEXT_LABELS,
    Direction,
    Entry,
    Goal,
    MainProject,
    Measure,
    Report,
    ReportError,
)
from ...core.store import Store
from ...core.storeerror import StoreError
from ...core.versions import VersionConflictError
from . import richedit
from .commands import EditCommand, TextCommand, tr
from .sharing import Sharing
from .treemodel import ReportTreeModel

logger = logging.getLogger(__name__)

# What a refused write raises: the store's own errors and the core's ReportError.
FAILURES = (sqlite3.Error, OSError, KeyError, ValueError, ReportError)
AUTOSAVE_MS = 500
RETRY_MS = 5000
TREE_KINDS = (Goal, Direction, Measure)


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


def _is_text(edit: Edit) -> bool:
    return isinstance(edit, edits.SetField) and edits.is_text_field(edit.node, edit.field)


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
    changed = Signal()  # the report changed: once per batch or save, after the other signals

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
        self._quiet = False  # a batch is changing documents: not typing, no own undo step
        # The fields whose typing since the last save began from a carried text.
        self._carried_steps: set[tuple[str, str]] = set()
        self._previous_pairs: dict[str, Entry] | None = None
        self._previous_report: list[Report | None] = []  # loaded on first use, then kept
        self._plans: tuple[object, previousplan.PreviousPlans] | None = None
        # Each node's version as loaded and saved here: a save on a version changed
        # meanwhile is refused by the store, then merged or asked (sharing.py).
        self.known = versions.of_report(store.conn, report.id)
        self.sharing = Sharing(self)

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
                lambda key=key, document=document: self._text_step(key, document)
            )
            self._docs[key] = document
            self._owners[key] = node
        return document

    def current_text(self, node: object, field: str) -> str:
        """A text field as it is now (including keystrokes not yet saved)."""
        document = self._docs.get((node.id, field))
        if document is not None and (node.id, field) in self._dirty:
            return richedit.serialise(document)
        return getattr(node, field)

    def field_of(self, document: QTextDocument) -> tuple[object, str] | None:
        """The node and field a text document edits (None for any other document)."""
        for key, known in self._docs.items():
            if known is document:
                return self._owners[key], key[1]
        return None

    def open_text(self, node: object, field: str) -> QTextDocument | None:
        """A text field's document if an editor made it already (None otherwise)."""
        return self._docs.get((node.id, field))

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Change documents from outside: no typing saved, no undo step of their own."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def is_typing(self, node: object) -> bool:
        """Whether a text of the node was typed into and is not saved yet."""
        return any(key[0] == node.id for key in self._dirty)

    def typed_keys(self) -> set[tuple[str, str]]:
        """The (id, field) of the texts typed and not saved yet."""
        return set(self._dirty)

    def forget_typing(self, key: tuple[str, str]) -> None:
        """A typed text is settled otherwise (a conflict's choice): no longer to be saved."""
        self._dirty.discard(key)

    def show_changes(self, batch: Sequence[Edit]) -> None:
        """Tell the views about changes someone else made (already in the report)."""
        self._announce(batch)

    def _text_step(self, key: tuple[str, str], document: QTextDocument) -> None:
        if self._quiet:
            return
        # The first step typed into a carried text is the one whose undo puts its
        # 未確認 mark back (the save clears the mark, outside any undo step).
        node = self._owners[key]
        carried = key not in self._carried_steps and self._is_carried(node, key[1])
        if carried:
            self._carried_steps.add(key)
        self.undo_stack.push(TextCommand(self, key, document, carried=carried))

    @staticmethod
    def _is_carried(node: object, field: str) -> bool:
        return isinstance(node, Entry) and getattr(node, f"{field}_state", "") == STATE_CARRIED

    def text_typed_again(self, key: tuple[str, str]) -> None:
        """A redo typed a carried text's first step again: its save clears the mark."""
        self._carried_steps.add(key)

    def mark_restored(self, key: tuple[str, str]) -> None:
        """An undo took a carried text back to what was carried: its mark comes back."""
        self._carried_steps.discard(key)
        node = self._owners.get(key)
        if node is not None and self.report.find_node(node.id) is node:
            self.flush([edits.SetField(node, f"{key[1]}_state", STATE_CARRIED, mechanical=True)])

    def _text_changed(self, key: tuple[str, str]) -> None:
        if self._quiet:
            return
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

    def flush(self, marks: Sequence[Edit] = ()) -> bool:
        """Write every changed field to the store now, in one transaction.

        Typed text already has its undo steps (the documents' own), so this
        runs the core's edit path without a command of its own. ``marks`` go
        in the same transaction (an undo of typing puts a 未確認 mark back).
        """
        self._timer.stop()
        if (not self._dirty and not marks) or self.read_only:
            return True
        pending: list[Edit] = []
        for key in list(self._dirty):
            node = self._owners[key]
            if self.report.find_node(node.id) is not node:
                self._dirty.discard(key)  # deleted since: its text went with it
                continue
            pending.append(edits.SetField(node, key[1], richedit.serialise(self._docs[key])))
        try:
            applied, _undo = self._write([*pending, *marks])
        except VersionConflictError as exc:
            return self.sharing.settle(exc, [*pending, *marks], lambda _rest: self.flush(marks))
        except StoreError as exc:
            if exc.failure != "connection":
                return self._save_failed(exc)
            logger.warning("autosave kept for later: %s", exc)
            self.sharing.lost()
            return False
        except FAILURES as exc:
            return self._save_failed(exc)
        was_dirty = bool(self._dirty)
        self._dirty.clear()
        # Saved, marks cleared: later typing in these fields no longer starts from a carried text.
        self._carried_steps.clear()
        self._announce(applied)
        self._timer.setInterval(AUTOSAVE_MS)
        if was_dirty:
            self.saved_changed.emit(True)
        return True

    def _save_failed(self, exc: Exception) -> bool:
        """The store refused the autosave: say so, keep the text, try again in a while."""
        logger.error("autosave failed: %s", exc, exc_info=exc)
        self.store_failed.emit(
            self.tr(
                "保存できませんでした({0})。入力は残っています。5秒後にもう一度保存します。"
            ).replace("{0}", str(exc))
        )
        self._timer.start(RETRY_MS)
        return False

    # -- review marks ---------------------------------------------------------------
    def confirm(self, entry: Entry) -> None:
        """「確認済み」: the carried texts of an entry are right as they are (one undo step)."""
        self.apply(tr("確認済みにする"), review.confirm_edits(entry))

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
                from ...core import yearly

                self._previous_pairs = yearly.match_entries(self.report, previous).pairs
        old = self._previous_pairs.get(entry.id)
        return {"actual": old.actual, "plan": old.plan} if old is not None else None

    def previous_plans(self) -> previousplan.PreviousPlans:
        """Last year's 取組予定 of each entry, matched again only when the rows changed.

        What the match reads (the order of goals and directions, their titles,
        each entry's departments and kept texts) is compared on each call; typing
        a 実績 or a 取組予定 changes none of it.
        """
        key = self._match_key()
        if self._plans is None or self._plans[0] != key:
            if not self._previous_report:
                self._previous_report.append(self.store.load_previous(self.report))
            previous = self._previous_report[0]
            self._plans = (key, previousplan.previous_plans(self.report, previous))
        return self._plans[1]

    def _match_key(self) -> tuple:
        return tuple(
            (
                goal.id,
                direction.id,
                direction.title,
                tuple((e.id, tuple(e.departments), e.previous_plan) for e in direction.entries),
            )
            for goal, direction in self.report.directions()
        )

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

    # -- the one edit path ------------------------------------------------------------
    def _report_failure(self, exc: Exception) -> None:
        if isinstance(exc, StoreError) and exc.failure == "connection":
            # Typed texts wait for the server; a change made otherwise is not taken.
            self.sharing.lost()
            self.store_failed.emit(
                self.tr("サーバーとの接続が切れているため、この変更はしていません。")
            )
            return
        logger.error("store refused a change: %s", exc)
        self.store_failed.emit(self.tr("書き込めませんでした: {0}").replace("{0}", str(exc)))

    def apply(self, label: str, batch: Iterable[Edit]) -> bool:
        """Change the report: one undo step, written to the store before the report.

        Everything that changes the open report comes through here (renames,
        new rows, merges, replace-all…); False when nothing changed or the
        store refused the batch (the report then stays as it was).
        """
        if self.read_only:
            return False
        self.flush()
        texts: list[QTextDocument] = []
        batch = list(batch)
        try:
            applied, undo = self._run(batch, texts, "first")
        except VersionConflictError as exc:
            return self.sharing.settle(exc, batch, lambda rest: self.apply(label, rest))
        except FAILURES as exc:
            self._report_failure(exc)
            return False
        if not applied:
            return False
        self.undo_stack.push(EditCommand(self, label, applied, undo, texts))
        return True

    def run_edits(self, batch: Sequence[Edit], texts: list[QTextDocument], step: str) -> bool:
        """Undo ("undo") or redo ("redo") a command's batch; False when the store refused it."""
        try:
            self._run(batch, texts, step)
        except VersionConflictError as exc:
            # Someone changed those nodes since: taken in, the step is tried once more.
            return self.sharing.may_retry(exc, batch) and self.run_edits(batch, texts, step)
        except FAILURES as exc:
            self._report_failure(exc)
            return False
        return True

    def _write(
        self, batch: Iterable[Edit], before: Callable[[Edit], None] | None = None
    ) -> tuple[list[Edit], list[Edit]]:
        """The core's edit path, with the tree told: (the batch as run, the batch undoing it)."""
        applied: list[Edit] = []

        def each(edit: Edit) -> None:
            if before is not None:
                before(edit)
            self._apply_one(edit)
            applied.append(edit)

        undo = edits.apply(self.store, self.report, batch, each=each, known=self.known)
        if applied and edits.is_structural(applied):
            self.tree.relabel()
        return applied, undo

    def _run(
        self, batch: Iterable[Edit], texts: list[QTextDocument], step: str
    ) -> tuple[list[Edit], list[Edit]]:
        """Run a batch and keep the text documents in step, then tell the views.

        ``step`` is "first" when a command is made (each text field changed takes
        an undo step in its document, collected in ``texts``), "undo" or "redo" after.
        """
        made: list[tuple[edits.SetField, QTextDocument]] = []

        def before(edit: Edit) -> None:
            # Made before the node changes, so that the document's step goes from the
            # old text to the new one.
            if step == "first" and _is_text(edit):
                made.append((edit, self.text_document(edit.node, edit.field)))

        applied, undo = self._write(batch, before)
        self._quiet = True
        try:
            if step == "first":
                for edit, document in made:
                    richedit.replace_all(document, edit.value, self.indent_px)
                    texts.append(document)
            elif step == "undo":
                for document in reversed(texts):
                    document.undo()
            else:
                for document in texts:
                    document.redo()
        finally:
            self._quiet = False
        changed_texts = [e for e in applied if _is_text(e)]
        for edit in changed_texts:
            self._dirty.discard((edit.node.id, edit.field))
        self._announce(applied)
        if changed_texts and step != "first":
            # An undo or redo shows where its text changed, as Ctrl+Z in a field does.
            self.reveal.emit(changed_texts[0].node, changed_texts[0].field)
        return applied, undo

    def _apply_one(self, edit: Edit) -> None:
        node = edit.node
        if isinstance(edit, edits.SetField) or not isinstance(node, TREE_KINDS):
            edits.apply_to_report(edit)
            return
        if isinstance(edit, edits.Insert):
            self.tree.begin_insert(edit.parent, edit.position)
            edits.apply_to_report(edit)
            self.tree.end_insert()
        elif isinstance(edit, edits.Remove):
            self.tree.begin_remove(edit.parent, edits.position_of(edit.parent, node))
            edits.apply_to_report(edit)
            self.tree.end_remove()
        else:
            self.tree.begin_move(edit.source, edit.old, edit.target, edit.new)
            edits.apply_to_report(edit)
            self.tree.end_move()

    def _announce(self, batch: Sequence[Edit]) -> None:
        """Tell the views what a batch changed (each signal once)."""
        if not batch:
            return
        directions: dict[int, object] = {}
        review = departments = False
        if edits.is_structural(batch):
            self.tree_changed.emit()
            for edit in batch:
                if isinstance(edit, edits.SetField):
                    continue
                for parent in (
                    (edit.source, edit.target) if isinstance(edit, edits.Move) else (edit.parent,)
                ):
                    if isinstance(parent, Direction):
                        directions[id(parent)] = parent
            if not directions:
                self.structure_changed.emit(None)
        changed: dict[int, object] = {}
        for edit in batch:
            if not isinstance(edit, edits.SetField):
                continue
            node, field = edit.node, edit.field
            changed[id(node)] = node
            if isinstance(node, TREE_KINDS):
                self.tree.node_changed(node)
            if isinstance(node, Entry):
                direction = self.parent_of(node)
                self.tree.node_changed(direction)
                departments |= field in ("departments", "answered_by")
                review |= field.endswith("_state")
                if field in ("departments",):
                    directions[id(direction)] = direction
            elif isinstance(node, MainProject):
                direction = self.parent_of(node)
                if direction is not None:
                    directions[id(direction)] = direction
        for node in changed.values():
            self.node_changed.emit(node)
        for direction in directions.values():
            self.tree.node_changed(direction)
            self.structure_changed.emit(direction)
        if departments:
            self.departments_changed.emit()
        if review:
            self.review_changed.emit()
        self.changed.emit()

    # -- what the window asks for (each an undo step) ---------------------------------
    def parent_of(self, node: object) -> object | None:
        """The parent of any node (the report for goals)."""
        if isinstance(node, TREE_KINDS):
            return self.tree.parent_node(node)
        return edits.parent_of(self.report, node)

    def rename(self, node: object, title: str) -> None:
        """A new title (or project name)."""
        field = "name" if isinstance(node, MainProject) else "title"
        self.apply(tr("名前の変更"), [edits.SetField(node, field, title)])

    def set_departments(self, entry: Entry, names: list[str]) -> None:
        """The departments of an entry."""
        self.apply(tr("所管部署の変更"), [edits.SetField(entry, "departments", list(names))])

    def set_relisted(self, project: MainProject, relisted: bool) -> None:
        """Whether a main project carries 【再掲】."""
        self.apply(tr("【再掲】の切り替え"), [edits.SetField(project, "relisted", relisted)])

    def add(self, parent: object, node: object, position: int | None = None) -> None:
        """Insert a new node (at the end by default)."""
        siblings = edits.siblings(parent, node)
        position = len(siblings) if position is None else position
        self.apply(
            tr("{0}の追加").replace("{0}", kinds.label_of(node)),
            [edits.Insert(parent, node, position)],
        )

    def delete(self, node: object) -> None:
        """Remove a node with everything below it."""
        parent = self.parent_of(node)
        if parent is not None:
            position = edits.position_of(parent, node)
            self.apply(tr("削除"), [edits.Remove(parent, node, position)])

    def move(self, node: object, target: object, position: int) -> None:
        """Move a node under ``target`` to ``position`` (its index once moved)."""
        source = self.parent_of(node)
        old = edits.position_of(source, node)
        if source is target and old == position:
            return
        self.apply(tr("移動"), [edits.Move(node, source, old, target, position)])

    def move_by(self, node: object, delta: int) -> bool:
        """Move a node up (-1) or down (+1) among its siblings."""
        parent = self.parent_of(node)
        new = edits.position_of(parent, node) + delta
        if not 0 <= new < len(edits.siblings(parent, node)):
            return False
        self.move(node, parent, new)
        return True

    def close(self) -> bool:
        """Save what is pending; True when nothing was lost."""
        return self.flush()
