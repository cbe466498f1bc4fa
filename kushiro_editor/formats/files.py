"""What every format shares: bounded reading of regular files, safe zip reading, atomic writes."""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from ..core.model import ReportError
from ..core.reading import check_regular, open_regular, read_bounded

logger = logging.getLogger(__name__)

# The readers (formats.read_file, legacy, pdf) take the regular-file check from here too.
__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_TEXT_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_MEMBERS",
    "ZIP_ERRORS",
    "atomic_output",
    "check_regular",
    "collector_paused",
    "decode_text",
    "open_regular",
    "open_zip",
    "read_bounded",
    "read_member",
    "read_whole",
    "replaceable_target",
    "write_atomically",
]

MAX_TEXT_BYTES = 64 * 1024 * 1024
# A real report's .docx/.xlsx unpacks to a few MB; this is far above that and
# far below what would exhaust memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
MAX_COMPRESSION_RATIO = 200
# What reading a damaged zip can raise besides BadZipFile.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def decode_text(data: bytes) -> str:
    """Decode a text file as Windows offices write them.

    UTF-8 (with or without BOM), UTF-16 with BOM, or CP932 (Shift_JIS). A
    file that is mostly UTF-8 with broken bytes is refused rather than read
    as CP932 mojibake.
    """
    if len(data) > MAX_TEXT_BYTES:
        raise ReportError("ファイルが大きすぎます(64MB まで)。")
    return _without_nul(_decoded(data))


def _without_nul(text: str) -> str:
    """The text without the NUL characters no office text holds.

    A few NULs (a tool's padding) are nothing, wherever they stand: left in,
    a cell of NULs beside a tab looked written and moved a plan to another
    row. Many are a file saved in another encoding than it says (UTF-16
    without its byte order mark), which is refused.
    """
    count = text.count("\0")
    if not count:
        return text
    if count * 100 > len(text):
        line = text.count("\n", 0, text.find("\0")) + 1
        raise ReportError(
            f"{line}行目から NUL 文字が多く、文章として読めません"
            "(文字コードの違うファイルのようです)。Excel やメモ帳で開き、"
            "「UTF-8」か「Unicode (UTF-16)」で保存し直してください。"
        )
    return text.replace("\0", "")


def _decoded(data: bytes) -> str:
    # UTF-32's byte order marks begin as UTF-16's do: they are looked at first.
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-32")
        except UnicodeDecodeError as exc:
            raise ReportError("UTF-32 のファイルとして読めません(途中が壊れています)。") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReportError("UTF-16 のファイルとして読めません(途中が壊れています)。") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    replaced = data.decode("utf-8", errors="replace")
    broken = replaced.count("\ufffd")
    non_ascii = sum(1 for ch in replaced if ord(ch) > 0x7F)
    if non_ascii and broken / non_ascii < 0.2:
        raise ReportError(
            f"UTF-8 のファイルとして読めない箇所があります({utf8_error.start}バイト目付近)。"
            "ファイルが壊れている可能性があります。"
        )
    try:
        return data.decode("cp932")
    except UnicodeDecodeError as exc:
        raise ReportError(
            "文字コードを判別できません(UTF-8 または Shift_JIS で保存してください)。"
        ) from exc


def read_whole(path: Path) -> bytes:
    """A text format's bytes; a missing, unreadable, empty or endless file is one Japanese line.

    Only a regular file is read, and never more than :data:`MAX_TEXT_BYTES`
    and one byte: a pipe or ``/dev/zero`` is refused before reading.
    """
    data = read_bounded(path, MAX_TEXT_BYTES)
    if not data.strip():
        raise ReportError(f"ファイルが空です: {path.name}")
    return data


def open_zip(path: Path | str, kind: str) -> zipfile.ZipFile:
    """Open an Office file's zip, refusing what is not one or would unpack too far.

    ``kind`` names the format for messages (``"Word"``, ``"Excel"``).
    """
    path = Path(path)
    try:
        with open_regular(path) as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ReportError(f"ファイルを開けません: {path.name} ({exc.strerror})") from exc
    if not head:
        raise ReportError(f"ファイルが空です: {path.name}")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReportError(
            f"{path.name} はパスワードで保護されているか、古い形式(.doc/.xls)のファイルです。"
            f"保護を解除し、{kind} で .docx/.xlsx として保存し直してください。"
        )
    if not head.startswith(b"PK"):
        raise ReportError(f"{path.name} は {kind} のファイルではありません。")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReportError(f"{path.name} は壊れているか、途中までしかありません。") from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if (
        len(infos) > MAX_ZIP_MEMBERS
        or total > MAX_UNPACKED_BYTES
        or (total > 10 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO)
    ):
        archive.close()
        raise ReportError(f"{path.name} は展開後の大きさが異常なため読み込みません。")
    try:
        bad = archive.testzip() if total < 20 * 1024 * 1024 else None
    except ZIP_ERRORS as exc:
        archive.close()
        raise ReportError(f"{path.name} は壊れています(圧縮されたデータを読めません)。") from exc
    if bad is not None:
        archive.close()
        raise ReportError(f"{path.name} は壊れています({bad})。")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """Read one zip member, never more than ``limit`` bytes whatever its header claims."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limit + 1)
    except ZIP_ERRORS as exc:
        raise ReportError(f"ファイルの一部({name})が壊れています。") from exc
    if len(data) > limit:
        raise ReportError("ファイルの一部が大きすぎるため読み込みません。")
    return data


def replaceable_target(path: Path) -> Path:
    """The regular file an export replaces: a link's target; devices and folders refused."""
    # Through a symbolic link to the file it names (a link to a shared folder stays a link).
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise ReportError(f"{path.name} に書き込めません: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ReportError(f"{path.name} はフォルダです。ファイルの名前を指定してください。")
    if not stat.S_ISREG(info.st_mode):
        raise ReportError(
            f"{path.name} は通常のファイルではありません(装置など)。書き出し先に選べません。"
        )
    # By its permission bits, not os.access: an administrator may write anything,
    # but a file someone made read-only is one they meant to keep as it is.
    if not stat.S_IMODE(info.st_mode) & 0o222 or not os.access(target, os.W_OK):
        raise ReportError(
            f"{path.name} は読み取り専用のため上書きしません。"
            "書き出し先に別の名前を指定してください。"
        )
    return target


def _keep_mode(path: Path, fd: int) -> None:
    # The replaced file's permissions stay (a temporary file starts as 0600).
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError, AttributeError, NotImplementedError):
        os.fchmod(fd, mode)


@contextlib.contextmanager
def atomic_output(path: Path | str, mode: str = "wb") -> Iterator[IO]:
    """Write to a temporary file beside ``path`` and rename it into place.

    On any error the temporary file is removed and ``path`` is left as it
    was; a target held open by another program (Word on Windows) is
    reported in Japanese.
    """
    path = replaceable_target(Path(path))
    directory = path.parent if str(path.parent) else Path()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode) as handle:
            yield handle
            handle.flush()
            _keep_mode(path, handle.fileno())
            os.fsync(handle.fileno())
        try:
            tmp.replace(path)
        except PermissionError as exc:
            raise ReportError(
                f"{path.name} に書き込めません。Word や Excel で開いていれば閉じてから"
                "もう一度実行してください。"
            ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomically(path: Path | str, write: Callable[[IO], None]) -> None:
    """Call ``write(handle)`` on a buffer, then put its bytes in place through a temporary file.

    The writers build zip packages (python-docx, openpyxl) that close their
    zip only when all went well: on a full disk the unclosed zip would try
    again from the garbage collector and print its failure on stderr. Built
    in memory (a report's file is a few MB), the package is always complete
    before the disk is touched, and only plain writes can fail.
    """
    buffer = io.BytesIO()
    write(buffer)
    try:
        with atomic_output(path) as handle:
            handle.write(buffer.getbuffer())
    except OSError as exc:
        reason = "ディスクの空きが足りません" if exc.errno == 28 else (exc.strerror or str(exc))
        raise ReportError(f"{Path(path).name} を保存できませんでした: {reason}") from exc


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector back while a writer builds its document.

    openpyxl makes a Python object for every cell, row and style, which all
    live until the file is written: the collector, run again and again over a
    heap growing by hundreds of thousands of them, took a fifth of a large
    export with KPIs. Nothing they hold is garbage before the end; the
    collector runs as before once the writer is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
