"""Reading a file someone named: only a regular file, and never more than a limit.

A pipe (FIFO) never ends and may block already on opening, a device such as
``/dev/zero`` never ends either, and a folder is no file: each is refused
before a byte is read, with one Japanese line. What is read is bounded before
it is read (the limit and one byte more), so an oversized file is never held
whole. ``formats.files`` builds the readers' helpers on this; the notation
rules (in the core) use it directly.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .model import ReportError

logger = logging.getLogger(__name__)

MIB = 1024 * 1024


def _refuse_kind(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReportError(f"{path.name} はフォルダです。読み込むファイルを指定してください。")
    if not stat.S_ISREG(mode):
        raise ReportError(
            f"{path.name} は通常のファイルではありません(パイプや装置など)。"
            "読み込むファイルを指定してください。"
        )


def check_regular(path: Path | str) -> os.stat_result:
    """The file's status; a missing file, a folder, a pipe or a device is one ReportError."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise ReportError(f"ファイルが見つかりません: {path}") from exc
    except OSError as exc:
        raise ReportError(f"ファイルを読めません: {path} ({exc.strerror or exc})") from exc
    _refuse_kind(path, info.st_mode)
    return info


@contextlib.contextmanager
def open_regular(path: Path | str) -> Iterator[BinaryIO]:
    """Open a regular file for reading in binary; anything else is refused unopened.

    Opened without blocking: a pipe put in the file's place after the check
    would otherwise wait for a writer forever on ``open``.
    """
    path = Path(path)
    check_regular(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ReportError(f"ファイルを開けません: {path.name} ({exc.strerror or exc})") from exc
    try:
        _refuse_kind(path, os.fstat(fd).st_mode)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_bounded(path: Path | str, limit: int) -> bytes:
    """A regular file's bytes, refused (unread beyond ``limit`` + 1) when larger than ``limit``."""
    path = Path(path)
    with open_regular(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise ReportError(f"ファイルを読めません: {path} ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise ReportError(
            f"{path.name} は大きすぎるため読み込みません({max(1, limit // MIB)}MB まで)。"
        )
    return data
