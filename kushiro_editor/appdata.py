"""What the editor needs from the machine it runs on.

The user's data folder, the default store path, the bundled sample report,
and the lock file that lets one editor (window or command) write a store at a
time. The core stays free of Qt; this module may use QtCore.

A lock left by a process that no longer runs (a crash, a killed process) is
recognised as stale and taken over. Reading commands need no lock: SQLite
lets readers in beside a writer.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from .core import storefiles
from .core.model import ReportError

try:
    import fcntl
except ImportError:  # Windows: an open lock file cannot be removed, which is the test there
    fcntl = None

logger = logging.getLogger(__name__)

ORGANIZATION = "Kushiro"
APPLICATION = "KushiroProgressEditor"
STORE_NAME = "reports.sqlite3"
SAMPLE_NAME = "kushiro_progress_r2_r3.tsv"
LOG_NAME = "kushiro-editor.log"


def set_application_names() -> None:
    """Name the application for QStandardPaths and QSettings (no QApplication needed)."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)


def data_dir() -> Path:
    """The user's data folder for the editor (created on demand).

    The *local* application data folder: on Windows the roaming one may be
    redirected to a network share, where SQLite's WAL is not safe.
    """
    from PySide6.QtCore import QStandardPaths

    set_application_names()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    path = Path(location)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_store_path() -> Path:
    """The store used when no ``--db`` is given."""
    override = os.environ.get("KUSHIRO_EDITOR_DB")
    return Path(override) if override else data_dir() / STORE_NAME


def log_path() -> Path:
    """The log file: details of every failure (stderr and dialogs get one line)."""
    return data_dir() / LOG_NAME


def resources_dir() -> Path:
    """The bundled resources (the sample report, icons)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", here / "_resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")


def sample_path() -> Path:
    """The FY2020 report the editor ships with."""
    return resources_dir() / "sample" / SAMPLE_NAME


@dataclass(frozen=True)
class Holder:
    """Who holds a lock."""

    pid: int
    host: str
    application: str


class StoreLockedError(ReportError):
    """Another editor or command is writing to the store."""

    def __init__(self, path: Path, holder: Holder | None) -> None:
        who = f"(PID {holder.pid}、{holder.host})" if holder else ""
        super().__init__(f"このデータファイルは別のウィンドウかコマンドで使用中です{who}: {path}")
        self.holder = holder


class StoreLock:
    """The lock of a store file."""

    def __init__(self, store_path: Path | str) -> None:
        from PySide6.QtCore import QLockFile

        self.path = storefiles.lock_path(store_path)
        self._lock = QLockFile(str(self.path))
        # Only a lock whose process is gone is stale: an editor left open over a
        # weekend still holds its store.
        self._lock.setStaleLockTime(0)

    def acquire(self, timeout_ms: int = 200) -> None:
        """Take the lock, or raise StoreLockedError naming who holds it."""
        if self._lock.tryLock(timeout_ms):
            return
        from PySide6.QtCore import QLockFile

        if self._lock.error() == QLockFile.LockError.LockFailedError:
            if self._remove_if_abandoned() and self._lock.tryLock(timeout_ms):
                return
            raise StoreLockedError(self.path, self.holder())
        raise ReportError(f"ロックファイルを作れません: {self.path}")

    def _remove_if_abandoned(self) -> bool:
        """Remove an empty lock file that no process holds; True when it was removed.

        A process killed between creating its lock file and writing who it is
        leaves the file empty, and an empty lock names no process whose end
        would make it stale: it would refuse every writer for good. A live
        holder keeps the file locked (Qt takes ``flock`` on it; on Windows an
        open lock file cannot be removed), so only an abandoned one goes.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return False
        try:
            info = os.fstat(fd)
            if info.st_size:
                return False  # it names its holder: Qt judges whether it is stale
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    return False  # a process holds it (and is writing who it is)
                return self._unlink_if_same(info)
        finally:
            os.close(fd)
        return self._unlink_if_same(info)

    def _unlink_if_same(self, info: os.stat_result) -> bool:
        try:
            now = self.path.stat()
            if (now.st_dev, now.st_ino, now.st_size) != (info.st_dev, info.st_ino, 0):
                return False
            self.path.unlink()
        except OSError:
            return False
        logger.warning("took over the empty lock file %s", self.path)
        return True

    def holder(self) -> Holder | None:
        """The process holding the lock, if it can be read."""
        info = self._lock.getLockInfo()
        # PySide6 returns (pid, host, application); an unreadable lock gives pid 0.
        if not info or not info[0]:
            return None
        pid, host, application = info[-3:]
        return Holder(int(pid), str(host), str(application))

    def release(self) -> None:
        """Give the lock back."""
        if self._lock.isLocked():
            self._lock.unlock()

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def lock_of(store) -> StoreLock | None:
    """The lock that keeps one editor per store file; None for a server, where many
    edit at once and the server's transactions keep them apart."""
    return None if store.path is None else StoreLock(store.path)
