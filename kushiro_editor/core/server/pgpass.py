"""PostgreSQL's password file: where a password for the shared store may be kept.

The editor never writes a password into its own settings. A clerk who wants
to connect without typing it each time has it written here, the file libpq
itself reads (``PGPASSFILE``, else ``%APPDATA%\\postgresql\\pgpass.conf`` on
Windows, ``~/.pgpass`` elsewhere), readable by its owner only, as libpq
requires on POSIX systems.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from pathlib import Path

from ..model import ReportError
from .address import Address

logger = logging.getLogger(__name__)


def path() -> Path:
    """The password file libpq reads on this computer."""
    named = os.environ.get("PGPASSFILE")
    if named:
        return Path(named)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home())) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def _escaped(value: str) -> str:
    # The file's fields are separated by ':'; a '\' or ':' in a value is escaped.
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _fields(line: str) -> list[str]:
    """A line's fields with their escapes undone (libpq's reading)."""
    fields, current, escaped = [], [], False
    for char in line:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ":":
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    fields.append("".join(current))
    return fields


def line_of(address: Address, password: str) -> str:
    """The password file's line for ``address`` (host:port:database:user:password)."""
    parts = (address.host, str(address.port), address.dbname, address.user, password)
    return ":".join(_escaped(part) for part in parts)


def save(address: Address, password: str, where: Path | None = None) -> Path:
    """Keep ``password`` for ``address``, replacing the line for the same server,
    port, database and login; returns the file. Other lines stay as they were."""
    if not password:
        raise ReportError("保存するパスワードがありません。")
    if any(c in password for c in "\r\n"):
        raise ReportError("パスワードに改行は使えません。")
    target = where or path()
    key = [address.host, str(address.port), address.dbname, address.user]
    kept: list[str] = []
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeError) as exc:
        raise ReportError(f"パスワードファイルを読めません: {target}") from exc
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and _fields(line)[:4] == key:
            continue
        kept.append(line)
    kept.append(line_of(address, password))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_private(target, "\n".join(kept) + "\n")
    except OSError as exc:
        raise ReportError(f"パスワードファイルに書き込めません: {target}") from exc
    logger.info("saved a password for %s@%s in %s", address.user, address.host, target)
    return target


def _write_private(target: Path, text: str) -> None:
    """Write the file under a temporary name made for its owner only, then rename it."""
    tmp = target.with_name(f".{target.name}.new")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    # Made 0600 from the start: the password is never readable by others, not even briefly.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        target.chmod(0o600)
