"""What a department sent back (照会回答), and the fingerprint of a text as sent.

The pack writer stores a checksum of every text it sends; the answer reader
and the merge compare against it to tell an answered text from an untouched
one, and a text changed in the store since the pack was sent (a conflict).
Both sides use the functions here so that the fingerprints always agree.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import richtext

logger = logging.getLogger(__name__)


def checksum(text: str) -> str:
    """A short fingerprint of a text's plain form (line ends and edge spaces aside)."""
    lines = [line.strip(" \u3000") for line in text.replace("\r\n", "\n").split("\n")]
    plain = "\n".join(line for line in lines if line)
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()[:16]


def text_checksum(markup: str) -> str:
    """The fingerprint of a rich text."""
    return checksum(richtext.to_plain(markup))


@dataclass
class AnsweredRow:
    """One row of an answered pack."""

    row: int
    entry_id: str
    sent: dict[str, str]  # texts as sent (canonical)
    answered: dict[str, str]  # texts as answered (canonical), only where changed
    context_changed: bool = False


@dataclass
class Answers:
    """What a department sent back."""

    path: Path
    department: str
    actual_year: int
    report_id: str
    sent_at: str
    rows: list[AnsweredRow] = field(default_factory=list)
    added: list[tuple[int, str]] = field(default_factory=list)  # rows without an id
    deleted: list[str] = field(default_factory=list)  # ids sent but no longer in the sheet
    problems: list[str] = field(default_factory=list)
