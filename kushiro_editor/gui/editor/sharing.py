"""The open report shared with others: conflicts, their changes live, edits kept offline.

Several planners may have one report open on the server (and, on a file, a
window may still meet a change the command line made). Each node's version
as loaded is kept by the document (:mod:`kushiro_editor.core.versions`):

- a text saved on a version someone else changed meanwhile is not written
  over theirs: when both changed the same text the choice is the user's
  (:class:`~.conflictdialog.ConflictDialog`, one undo step per choice), and
  everything else merges silently;
- on a server the window listens (:class:`~kushiro_editor.core.server.notify.Listener`,
  a QSocketNotifier on its socket) and takes in only the nodes others changed,
  their editors updated where they differ, so that the cursor stays; a node
  being typed into here waits for its save, where a change of the same text
  becomes a conflict;
- a lost connection keeps the typed texts, says so in one line, connects
  again every few seconds and saves them once the server is back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor, QTextDocument

from ...core import edits, kinds, versions
from ...core.kpi import fields as kpi_fields
from ...core.model import TEXT_LABELS, Entry, place
from ...core.storeerror import StoreError
from ...core.versions import Conflict, VersionConflictError
from . import richedit
from .commands import EditCommand, tr
from .conflictdialog import BOTH, MINE, THEIRS, ConflictDialog

logger = logging.getLogger(__name__)

RECONNECT_MS = 3000
ACCESS_SECONDS = 3.0  # how long what the login may write is taken as read


def _units(text: str) -> bytes:
    return text.encode("utf-16-le")  # Qt counts positions in UTF-16 code units


def update_in_place(document: QTextDocument, markup: str, indent_px: float) -> None:
    """Show another person's text without an undo step, changing only what differs.

    Cursors before and after the changed part keep their places (a reader's
    cursor in the editor does not jump); the document's own history starts
    anew, since its steps were taken on the text before.
    """
    fresh = QTextDocument()
    fresh.setDefaultFont(document.defaultFont())
    richedit.load(fresh, markup, indent_px)
    old, new = _units(document.toPlainText()), _units(fresh.toPlainText())
    start = 0
    while start + 2 <= min(len(old), len(new)) and old[start : start + 2] == new[start : start + 2]:
        start += 2
    end = 0
    while (
        end + 2 <= min(len(old), len(new)) - start
        and old[len(old) - end - 2 : len(old) - end] == new[len(new) - end - 2 : len(new) - end]
    ):
        end += 2
    document.setUndoRedoEnabled(False)
    try:
        taken = QTextCursor(fresh)
        taken.setPosition(start // 2)
        taken.setPosition((len(new) - end) // 2, QTextCursor.MoveMode.KeepAnchor)
        cursor = QTextCursor(document)
        cursor.setPosition(start // 2)
        cursor.setPosition((len(old) - end) // 2, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertFragment(taken.selection())
        if richedit.serialise(document) != richedit.serialise(fresh):
            # A change of bold or of a list item alone: the whole text, as it is stored.
            richedit.load(document, markup, indent_px)
    finally:
        document.setUndoRedoEnabled(True)


class Sharing(QObject):
    """What a document does because others work on the same store."""

    status = Signal(str)  # one line for the status bar ("" when the connection is back)
    outdated = Signal()  # others added, removed or moved nodes: the report is to be read again
    access_changed = Signal()  # a row of the login was submitted or returned

    def __init__(self, document) -> None:
        super().__init__(document)
        self.document = document
        self.store = document.store
        self.offline = False
        # Asked once per conflicting text; the window shows the dialog (BOTH loses nothing).
        self.choose: Callable[[Conflict, str], str] = lambda _conflict, _where: BOTH
        self._listener = None
        self._access = None  # the department login's rows (None: every row may be written)
        self._access_read: float | None = None
        self._notifier: QSocketNotifier | None = None
        self._retry = QTimer(self)
        self._retry.setInterval(RECONNECT_MS)
        self._retry.timeout.connect(self.reconnect)
        if self.store.on_server:
            self._listen()

    # -- what this login may write ----------------------------------------------------------
    def access(self):
        """The department login's rows (None where every row may be written), read from the
        server at most every few seconds (a submission or a return changes it)."""
        import time

        if not self.store.on_server:
            return None
        now = time.monotonic()
        if self._access_read is None or now - self._access_read > ACCESS_SECONDS:
            from ...core.server import access

            self._access = access.read(self.store, self.document.report)
            self._access_read = now
        return self._access

    def lock_of(self, entry: Entry) -> str:
        """Why the connected login cannot change the row now ("" when it can)."""
        rows = self.access()
        return rows.reason(entry) if rows is not None else ""

    def forget_access(self) -> None:
        """Read the login's rows again (a row was submitted or returned): the rows shown
        open or close for typing."""
        self._access_read = None
        self.access_changed.emit()

    # -- others' changes ----------------------------------------------------------------
    def _listen(self) -> None:
        from ...core.server import notify

        try:
            self._listener = notify.Listener(self.store.conn)
        except StoreError:
            logger.warning("cannot listen for changes", exc_info=True)
            return
        self._notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._heard)
        self.document.destroyed.connect(self._listener.close)

    def _stop_listening(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def stop(self) -> None:
        """The window closes: no more listening or connecting again."""
        self._retry.stop()
        self._stop_listening()

    def _heard(self, *_args) -> None:
        from ...core.server.connection import ConnectionLostError

        if self._listener is None:
            return
        try:
            changes = self._listener.take()
            if changes:
                self.receive(changes)
        except ConnectionLostError:
            # (the listening connection, or the store's while reading what changed)
            logger.warning("a connection was lost while taking in others' changes")
            self.lost()
        except StoreError as exc:  # others' changes are read again with the next ones
            logger.warning("others' changes not taken in: %s", exc)

    def receive(self, changes: Iterable) -> None:
        """Take in the nodes others changed (a node being typed into waits for its save)."""
        document, report = self.document, self.document.report
        index = {node.id: node for node in kinds.nodes(report)}
        index[report.id] = report
        index.update((kpi.id, kpi) for _owner, kpi in kpi_fields.kpis(report))
        latest: dict[str, object] = {}
        for change in changes:
            latest[change.node_id] = change
        fresh, structural = [], False
        for change in latest.values():
            node = index.get(change.node_id)
            if change.op == "insert":
                structural |= node is None and change.parent in index
            elif change.op == "delete":
                structural |= node is not None
            elif node is not None:
                known = document.known.get((change.kind, change.node_id))
                if known is not None and change.version <= known:
                    continue  # our own change, or one taken in already
                if change.kind == kpi_fields.KIND or self._moved(node, change):
                    structural = True  # (a KPI's values are read with the report)
                elif not document.is_typing(node):
                    fresh.append(node)
        structural |= not self.refresh(fresh)
        if structural:
            self.outdated.emit()

    def _moved(self, node: object, change) -> bool:
        if change.parent is None:  # the report itself
            return False
        parent = self.document.parent_of(node)
        if parent is None or parent.id != change.parent:
            return True
        return edits.position_of(parent, node) != change.position

    def refresh(self, nodes: Sequence[object], keep: Iterable[tuple[str, str]] = ()) -> bool:
        """Read nodes again and show what changed; False when one is gone or moved away.

        ``keep`` are fields typed here and not saved yet: they stay as typed.
        """
        document = self.document
        keep = set(keep) | document.typed_keys()
        shown: list[edits.SetField] = []
        whole = True
        for node in nodes:
            kind = edits.kind_name(node)
            now = versions.stored(self.store.conn, kind, node.id, kinds.KINDS[kind].names())
            if now is None:
                whole = False
                continue
            document.known[kind, node.id] = now.version
            for name, value in now.values.items():
                if (node.id, name) in keep or getattr(node, name) == value:
                    continue
                setattr(node, name, value)
                shown.append(edits.SetField(node, name, value, mechanical=True))
                text = document.open_text(node, name)
                if text is not None:
                    with document.quietly():
                        update_in_place(text, value, document.indent_px)
        document.show_changes(shown)
        return whole

    def catch_up(self) -> None:
        """After a time away: take in every node changed since it was read."""
        document = self.document
        stored = versions.of_report(self.store.conn, document.report.id)
        index = {node.id: node for node in kinds.nodes(document.report)}
        index[document.report.id] = document.report
        index.update((kpi.id, kpi) for _owner, kpi in kpi_fields.kpis(document.report))
        if {node_id for _kind, node_id in stored} != set(index):
            self.outdated.emit()  # nodes added or removed meanwhile
            return
        changed = [
            index[node_id]
            for (kind, node_id), version in stored.items()
            if version > document.known.get((kind, node_id), -1)
        ]
        if any(edits.kind_name(n) == kpi_fields.KIND for n in changed):
            self.outdated.emit()
            return
        if not self.refresh([n for n in changed if not document.is_typing(n)]):
            self.outdated.emit()

    # -- conflicts ---------------------------------------------------------------------
    def settle(
        self,
        refused: VersionConflictError,
        batch: Sequence[edits.Edit],
        retry: Callable[[list[edits.Edit]], bool],
    ) -> bool:
        """A write met nodes changed meanwhile: merge what can be, ask about the rest.

        The nodes are read again (what is typed here stays), ``retry`` writes the
        batch without the texts both sides changed, and each of those is the
        user's choice, one undo step each. Returns what ``retry`` returned.
        """
        document = self.document
        sets = [e for e in batch if isinstance(e, edits.SetField)]
        conflicts = versions.sort_out(sets, refused.stale)
        clashing = {(c.node.id, c.field) for c in conflicts}
        for key in clashing:
            document.forget_typing(key)
        stale = {s.node_id for s in refused.stale}
        self.refresh(list({id(e.node): e.node for e in sets if e.node.id in stale}.values()))
        done = retry(
            [
                e
                for e in batch
                if not (isinstance(e, edits.SetField) and (e.node.id, e.field) in clashing)
            ]
        )
        for conflict in conflicts:
            self._resolve(conflict, self.choose(conflict, self.where(conflict)))
        return done

    def may_retry(self, refused: VersionConflictError, batch: Sequence[edits.Edit]) -> bool:
        """An undo or redo met nodes changed meanwhile: read them again; retry it?

        Not when the other person changed a text the step changes too: theirs is
        shown and kept, and the step is refused with one line.
        """
        sets = [e for e in batch if isinstance(e, edits.SetField)]
        clashing = versions.sort_out(sets, refused.stale)
        stale = {s.node_id for s in refused.stale}
        self.refresh(list({id(e.node): e.node for e in sets if e.node.id in stale}.values()))
        if clashing:
            self.document.store_failed.emit(
                tr(
                    "ほかの人が同じ文章を変更していたため、元に戻す・やり直すをしませんでした"
                    "(ほかの人の文章を表示しています)。"
                )
            )
        return not clashing

    def where(self, conflict: Conflict) -> str:
        """【基本目標1】① 農林課 実績, as the inquiry review names a text."""
        node = conflict.node
        direction = self.document.parent_of(node)
        goal = self.document.parent_of(direction) if direction is not None else None
        if goal is None:
            return kinds.field_label(node, conflict.field)
        label = TEXT_LABELS.get(conflict.field) if isinstance(node, Entry) else None
        return f"{place(goal, direction, node)} {label or kinds.field_label(node, conflict.field)}"

    def _resolve(self, conflict: Conflict, choice: str) -> None:
        document, node, field = self.document, conflict.node, conflict.field
        if choice == THEIRS:
            # The store holds theirs already; the step goes from the text typed here,
            # so that an undo brings it back.
            text = document.text_document(node, field)
            with document.quietly():
                text.setUndoRedoEnabled(False)
                richedit.load(text, conflict.mine, document.indent_px)
                text.setUndoRedoEnabled(True)
                richedit.replace_all(text, conflict.theirs, document.indent_px)
            document.undo_stack.push(
                EditCommand(
                    document,
                    tr("相手の文章にする"),
                    [edits.SetField(node, field, conflict.theirs, mechanical=True)],
                    [edits.SetField(node, field, conflict.mine, mechanical=True)],
                    [text],
                )
            )
            return
        text = conflict.mine if choice == MINE else versions.both(conflict.mine, conflict.theirs)
        label = tr("自分の文章を残す") if choice == MINE else tr("両方の文章を残す")
        document.apply(label, [edits.SetField(node, field, text)])

    # -- a lost connection ------------------------------------------------------------
    def lost(self) -> None:
        """The server went away: keep everything, say so, connect again every few seconds."""
        if not self.store.on_server:
            return
        self.offline = True
        self._stop_listening()
        self.status.emit(
            tr("サーバーとの接続が切れました。変更 {0} 件は接続が戻ったときに保存します").replace(
                "{0}", str(len(self.document.typed_keys()))
            )
        )
        if not self._retry.isActive():
            self._retry.start()

    def reconnect(self) -> bool:
        """Try the server again; once back, catch up and save what waited."""
        try:
            self.store.conn.reconnect()
        except StoreError:
            logger.info("the server is still away")
            return False
        self._retry.stop()
        self.offline = False
        self._stop_listening()
        self._listen()
        waiting = len(self.document.typed_keys())
        try:
            self.catch_up()
        except StoreError:
            logger.warning("catching up failed", exc_info=True)
        if self.document.flush() and not self.offline:
            self.status.emit(
                tr("サーバーに再び接続しました。保存を待っていた変更 {0} 件を保存しました").replace(
                    "{0}", str(waiting)
                )
            )
        return not self.offline


def connect_window(window, document) -> None:
    """The window's part: conflicts asked in its dialog, the line in its status bar."""
    sharing = document.sharing

    def choose(conflict: Conflict, where: str) -> str:
        dialog = ConflictDialog(conflict, where, window)
        dialog.exec()
        return dialog.choice

    def outdated() -> None:
        if window.session.document is not document or not document.flush():
            return
        window.load_report(document.report.actual_year)
        window.statusBar().showMessage(
            tr("ほかの人が行や項目を追加・削除・移動したため、報告を読み直しました。"), 10000
        )

    sharing.choose = choose
    sharing.status.connect(
        lambda line: window.statusBar().showMessage(line, 0 if sharing.offline else 10000)
    )
    # Read again after the notification's handling, never inside it.
    sharing.outdated.connect(outdated, Qt.ConnectionType.QueuedConnection)
