"""What the window's features share: the store, the open report and one set of signals.

Each feature (file work, the year's work, inquiries, structure, snapshots,
review, find) is handed the :class:`Session` and its parent widget, and
nothing else: features never reach into one another. They speak through the
session's signals, which the main window connects in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from ..appdata import StoreLock
from ..core import fiscal
from ..core.model import ImportResult, ReportError
from ..core.store import Store
from .editor.document import ReportDocument
from .shared.messages import Button, ask, warn
from .tasks import TaskRunner

logger = logging.getLogger(__name__)


class Session(QObject):
    """The store, the open report and the signals between the window's features."""

    document_changed = Signal(object)  # the ReportDocument now open, or None
    # The store's reports changed: the year to show, the Report just stored (shown as
    # it is, without loading it again), or None.
    reports_changed = Signal(object)
    reveal = Signal(object, str, int, int)  # show a node's field, selecting a span
    reveal_id = Signal(str)  # show the node with this id (an import warning's row)
    message = Signal(str, int)  # a status-bar message and how long it stays (ms)
    written = Signal(object)  # a file or folder was written: offer to open it
    offer = Signal(str, object)  # a status-bar button: its label and what it does
    departments_changed = Signal()  # inquiry records or departments changed
    warnings_found = Signal()  # an import left notes to check: show them
    review_requested = Signal()  # show the check before submission
    drafts_made = Signal()  # the new year copied last year's plans into the 実績 drafts
    limit_changed = Signal(int)  # the length limit of the texts (0: none)
    focus_back = Signal()  # a panel or dialog closed: the keyboard goes back to the editor
    store_changed = Signal(object)  # the window now works on another store (a server's)

    def __init__(
        self,
        store: Store,
        settings: QSettings,
        tasks: TaskRunner,
        *,
        read_only: bool = False,
        lock: StoreLock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.lock = lock  # the store file's lock this window holds (None on a server)
        self.settings = settings
        self.tasks = tasks
        self.read_only = read_only
        self.document: ReportDocument | None = None

    def set_document(self, document: ReportDocument | None) -> None:
        """The report now open in the window (the one before stops listening for others)."""
        if self.document is not None and self.document is not document:
            self.document.sharing.stop()
        self.document = document
        self.document_changed.emit(document)

    def flush(self) -> bool:
        """Save the open report's pending keystrokes now."""
        return self.document.flush() if self.document is not None else True

    def open_store(self, location: str | Path | None) -> None:
        """Move the window to another store: a server's URL, a file, or None for the
        default file. A failure raises ReportError (one line), and the open store stays."""
        from ..appdata import lock_of
        from ..workspace import open_store

        if self.tasks.busy:
            # A task's end writes to the store it started on (the packs sent, say).
            raise ReportError(self.tr("実行中の処理が終わってから、もう一度開いてください。"))
        if not self.flush():
            # The open store has not taken what was typed: leaving it would lose that.
            raise ReportError(
                self.tr("保存できていない入力があります。保存できてから、もう一度開いてください。")
            )
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            store = open_store(location)
        except ReportError as exc:
            # (The message names a server without its password; the location given may hold it.)
            logger.info("cannot open another store: %s", exc)
            raise ReportError(" ".join(str(exc).split())) from exc
        finally:
            QApplication.restoreOverrideCursor()
        if store.location == self.store.location:
            store.close()  # already the open store: nothing changes
            self.message.emit(
                self.tr("{0} はすでに開いています。").replace("{0}", store.location), 5000
            )
            return
        lock = lock_of(store)
        try:
            if lock is not None:
                lock.acquire()
        except ReportError:
            store.close()
            raise
        old, old_lock = self.store, self.lock
        self.store, self.lock = store, lock
        self.store_changed.emit(store)
        old.close()
        if old_lock is not None:
            old_lock.release()

    def stop_listening(self) -> None:
        """The window closes: the open report hears no more of others' changes."""
        if self.document is not None:
            self.document.sharing.stop()

    def close_store(self) -> None:
        """Close the store the window is on and give its lock back (the editor ends)."""
        self.stop_listening()
        self.store.close()
        if self.lock is not None:
            self.lock.release()

    def start_dir(self) -> str:
        """The folder file dialogs open in (the last one used)."""
        return str(self.settings.value("files/last_dir", str(Path.home())))

    def show_error(self, parent: QWidget, title: str, message: str) -> None:
        """One clear message (kept in the status bar too)."""
        self.message.emit(f"{title}: {message}", 15000)
        warn(parent, title, message)

    def ask_replace(self, parent: QWidget, year: int) -> bool:
        """Ask before a report replaces the one of the same year."""
        answer = ask(
            parent,
            self.tr("同じ年度の報告があります"),
            self.tr("{0}の報告はすでにあります。\n取り込んだ内容で置き換えますか？").replace(
                "{0}", fiscal.short_label(year)
            ),
        )
        return answer == Button.Yes

    def store_report(
        self,
        parent: QWidget,
        result: ImportResult,
        reason: str,
        failed: str,
        cancelled: str = "",
    ) -> ImportResult | None:
        """Store a report read or made (asking before it replaces one) and show it.

        The window opens the very report stored, numbered once when it was read
        or made, instead of loading it back from the store. None when the user
        kept the old report or the store refused (``failed`` heads the message;
        the store then keeps what it had).
        """
        from ..workspace import save_import

        year = result.report.actual_year
        self.flush()
        replace = year in self.store.years()
        if replace and not self.ask_replace(parent, year):
            if cancelled:
                self.message.emit(cancelled, 5000)
            return None
        try:
            result = save_import(self.store, result, replace=replace, reason=reason)
        except Exception as exc:
            logger.exception("%s failed", reason)
            self.show_error(parent, failed, str(exc))
            return None
        if replace and self.document is not None and self.document.report.actual_year == year:
            # The open report was replaced: its nodes are gone from the store, so
            # nothing of it may be written again.
            self.document.read_only = True
        self.reports_changed.emit(result.report)
        return result


class Feature(QObject):
    """One part of the window's work: its actions, dialogs and menu entries.

    ``writes`` are the actions that change the store: a window opened
    read-only disables them; ``needs_report`` the ones that need an open report.
    """

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.parent_widget = parent
        self.writes: list[QAction] = []
        self.needs_report: list[QAction] = []
        session.document_changed.connect(self._document_changed)

    @property
    def document(self) -> ReportDocument | None:
        """The open report (None when the store has none)."""
        return self.session.document

    def action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: object = None,
        tip: str = "",
        *,
        writes: bool = True,
        needs_report: bool = False,
    ) -> QAction:
        """An action of this feature, with its shortcut active anywhere in the window."""
        action = QAction(text, self.parent_widget)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.parent_widget.addAction(action)
        if writes:
            self.writes.append(action)
            action.setEnabled(not self.session.read_only)
        if needs_report:
            self.needs_report.append(action)
        return action

    def _document_changed(self, document: ReportDocument | None) -> None:
        for action in self.needs_report:
            action.setEnabled(
                document is not None and not (self.session.read_only and action in self.writes)
            )
        self.document_changed(document)

    def document_changed(self, document: ReportDocument | None) -> None:
        """Another report was opened (a feature that follows it overrides this)."""

    def show_error(self, title: str, message: str) -> None:
        """One clear message about this feature's work."""
        self.session.show_error(self.parent_widget, title, message)

    def read_then(self, label: str, work: Callable[[], object], then: Callable) -> None:
        """Read a file in the background, then go on; a failure is one clear message."""
        self.session.tasks.run(
            label,
            work,
            then,
            lambda message: self.show_error(self.tr("読み込めませんでした"), message),
        )
