"""Long work (reading and writing files) off the window's thread, with progress shown."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..core.model import ReportError

logger = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work()
        except ReportError as exc:
            self.signals.failed.emit(str(exc))
        except MemoryError:
            self.signals.failed.emit(QObject.tr("メモリが足りないため処理できませんでした。"))
        except Exception as exc:  # a bug must not take the window down: report it
            logger.exception("background task failed")
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.done.emit(result)


class TaskRunner(QObject):
    """Runs one piece of work at a time in the background, behind a progress dialog."""

    finished = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._running: list[_Task] = []
        self._dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        """Whether work is under way."""
        return bool(self._running)

    def run(
        self,
        label: str,
        work: Callable[[], object],
        done: Callable[[object], None],
        failed: Callable[[str], None],
    ) -> None:
        """Run ``work`` in the background; ``done``/``failed`` run on the window's thread."""
        task = _Task(work)
        self._running.append(task)
        dialog = QProgressDialog(label, "", 0, 0, self.window)
        dialog.setWindowTitle(self.tr("お待ちください"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        self._dialog = dialog

        def finish(callback: Callable, value: object) -> None:
            dialog.close()
            dialog.deleteLater()
            self._running.remove(task)
            try:
                callback(value)
            finally:
                self.finished.emit()

        task.signals.done.connect(lambda value: finish(done, value))
        task.signals.failed.connect(lambda message: finish(failed, message))
        self.pool.start(task)

    def wait(self, msecs: int = 60000) -> bool:
        """Block until the background work has finished (for closing and tests)."""
        return self.pool.waitForDone(msecs)
