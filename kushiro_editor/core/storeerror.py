"""What went wrong with the store file, in one Japanese line: what happened, what to do.

SQLite and the file system report failures as exceptions whose text is for
programmers (``database is locked``, ``disk I/O error``, ``[Errno 30]``).
:func:`translate` turns each into a :class:`StoreError` with a message for
the office, the same in the command line and in the window. The store is
as it was in every case: each write is one transaction that SQLite rolls back.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
from pathlib import Path

from .model import ReportError

logger = logging.getLogger(__name__)

# The errors translate() understands; anything else is a programming error.
FAILURES = (sqlite3.Error, OSError, UnicodeError, OverflowError, MemoryError)


class StoreError(ReportError):
    """The store could not be read or written; ``failure`` names the class of failure."""

    def __init__(self, message: str, failure: str) -> None:
        super().__init__(message)
        self.failure = failure


def _writable_folder(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path()
    return os.access(folder, os.W_OK)


# Below this much room an I/O error of SQLite (its shared memory or journal could
# not grow) is the disk being full, not damage.
LOW_SPACE = 8 * 1024 * 1024


def _disk_error(exc: BaseException, text: str) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    return name.startswith("SQLITE_IOERR") or "disk i/o error" in text


def _disk_full(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path()
    try:
        return shutil.disk_usage(folder).free < LOW_SPACE
    except OSError:
        return False


def translate(exc: BaseException, path: Path | str) -> StoreError:
    """The StoreError a low-level failure of the store at ``path`` stands for."""
    if isinstance(exc, StoreError):
        return exc
    if str(path).lower().startswith(("postgresql://", "postgres://")):
        return _on_server(exc, str(path))
    path = Path(path)
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    name = path.name
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, (UnicodeError, OverflowError, sqlite3.IntegrityError)):
        return StoreError(
            f"保存できない値(文字として表せない文字か、大きすぎる数)が含まれていたため、"
            f"{name} は変更していません。",
            "value",
        )
    if isinstance(exc, MemoryError):
        return StoreError(f"メモリが足りないため {name} を処理できませんでした。", "memory")
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{name} は別のプログラムが使用中です(10 秒待ちました)。そのプログラムを"
            "終了してから、もう一度実行してください。",
            "locked",
        )
    if "full" in text or code == errno.ENOSPC or (_disk_error(exc, text) and _disk_full(path)):
        return StoreError(
            f"ディスクの空きが足りないため {name} に保存できませんでした(変更は保存されて"
            "いません)。空きを作ってから、もう一度実行してください。",
            "full",
        )
    if (
        "readonly" in text
        or "read-only" in text
        or code in (errno.EACCES, errno.EPERM, errno.EROFS)
    ):
        where = "ファイル" if _writable_folder(path) else "フォルダ"
        return StoreError(
            f"{name} に書き込めません({where}が読み取り専用です)。書き込みの許可を"
            "確かめるか、別の場所にコピーして使ってください。",
            "readonly",
        )
    if "unable to open" in text:
        if path.parent.exists() and not _writable_folder(path):
            return StoreError(
                f"{name} を開けません(フォルダが読み取り専用です)。書き込みの許可を"
                "確かめるか、別の場所にコピーして使ってください。",
                "readonly",
            )
        return StoreError(
            f"{name} を開けません(フォルダがないか、ファイルに使えない場所です): {path}",
            "open",
        )
    if _disk_error(exc, text):
        # The disk failed to read or write: the file need not be damaged, and a
        # snapshot on the same disk would fail the same way.
        return StoreError(
            f"{name} を読み書きできませんでした(ディスクの読み書きに失敗しました)。"
            "ディスクの空きと接続を確かめてから、もう一度実行してください。",
            "io",
        )
    if isinstance(exc, sqlite3.DatabaseError):
        return StoreError(
            f"{name} が壊れているか、このエディタのデータファイルではありません。"
            "スナップショットから復元するか、バックアップのファイルを使ってください。",
            "corrupt",
        )
    return StoreError(f"{name} を読み書きできませんでした({exc})。", "io")


def _on_server(exc: BaseException, location: str) -> StoreError:
    """What a failure on this side of a server's store stands for (the server's own
    failures are translated by its connection)."""
    if isinstance(exc, (UnicodeError, OverflowError)):
        return StoreError(
            f"保存できない値(文字として表せない文字か、大きすぎる数)が含まれていたため、"
            f"{location} は変更していません。",
            "value",
        )
    if isinstance(exc, MemoryError):
        return StoreError(f"メモリが足りないため {location} を処理できませんでした。", "memory")
    return StoreError(f"{location} を読み書きできませんでした({exc})。", "io")
