"""Where snapshots live and how their files are named.

Shared by :mod:`.snapshots` (taking, listing, restoring) and :mod:`.migrations`
(the copy kept before a schema update), so that neither imports the other.
A file name is ``20210531-100000-123__manual__提出版.sqlite3``: the time it was
taken to the millisecond, the reason, and the name made safe for any file
system; a second snapshot within the same millisecond gets ``-2``, ``-3``…
after the time instead of replacing the first.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

logger = logging.getLogger(__name__)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_NAME = re.compile(r"^(\d{8}-\d{6}-\d{3})(?:-(\d+))?__([a-z]+)__(.*)\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S-%f"
# File systems allow 255 bytes per name; the stamp and reason take about 40 and
# the full name is kept inside the snapshot, so the file name keeps a short,
# readable part of it.
NAME_BYTES = 120


def folder_of(store_path: Path) -> Path:
    """The snapshot folder of a store file."""
    return store_path.with_name(store_path.name + ".snapshots")


@dataclass(frozen=True)
class ParsedName:
    """What a snapshot's file name says."""

    created: datetime
    sequence: int
    reason: str
    name: str


def safe_part(name: str) -> str:
    """The part of a snapshot name that goes into its file name (short, portable)."""
    safe = _UNSAFE.sub("_", name.strip())
    # Lone surrogates cannot be written as a file name on any platform.
    safe = safe.encode("utf-8", "replace").decode("utf-8")
    encoded = safe.encode("utf-8")[:NAME_BYTES]
    return encoded.decode("utf-8", "ignore")


def file_name(reason: str, name: str, now: datetime, sequence: int = 1) -> str:
    """The file name of a snapshot taken at ``now`` (the ``sequence``-th in that millisecond)."""
    stamp = now.strftime("%Y%m%d-%H%M%S-") + f"{now.microsecond // 1000:03d}"
    if sequence > 1:
        stamp += f"-{sequence}"
    return f"{stamp}__{reason}__{safe_part(name)}.sqlite3"


def free_path(folder: Path, reason: str, name: str, now: datetime) -> Path:
    """A path in ``folder`` for a new snapshot that replaces no other one."""
    stamp = file_name(reason, name, now).split("__", 1)[0]
    taken = {p.name.split("__", 1)[0] for p in folder.glob(f"{stamp}*__*")}
    sequence = 1
    while True:
        candidate = file_name(reason, name, now, sequence)
        if candidate.split("__", 1)[0] not in taken:
            return folder / candidate
        sequence += 1


def parse(file: str) -> ParsedName | None:
    """What a snapshot file name says; None for other files (or an impossible date)."""
    match = _NAME.match(file)
    if not match:
        return None
    stamp, sequence, reason, name = match.groups()
    try:
        created = datetime.strptime(stamp, _STAMP)
    except ValueError:
        logger.warning("ignoring %s in the snapshot folder: impossible date", file)
        return None
    return ParsedName(created, int(sequence or 1), reason, name)
