"""What a department sent back (照会回答), and the fingerprint of a text as sent.

The pack writer stores a checksum of every text it sends; the answer reader
and the merge compare against it to tell an answered text from an untouched
one, and a text changed in the store since the pack was sent (a conflict).
Both sides use the functions here so that the fingerprints always agree.
The request that goes with the packs (deadline, contact) and the record of
the inquiry per department (:mod:`.inquiryrecord` keeps it) are described
here too, so that the packs, the merge and the command line share them.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import richtext

logger = logging.getLogger(__name__)

# What a department writes in an answer cell to clear the text: an empty cell
# is no answer, never a deletion.
DELETE_WORD = "削除"


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
    blank: list[str] = field(default_factory=list)  # fields left empty: no answer
    context_changed: bool = False


@dataclass
class AnsweredKpi:
    """One KPI's value of the report's year as the 「指標」 sheet sent and answered it.

    A note left blank is no answer: ``note`` is then the note as sent.
    """

    row: int
    kpi_id: str
    year: int
    sent_value: Decimal | None
    sent_note: str
    value: Decimal | None
    note: str


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
    kpis: list[AnsweredKpi] = field(default_factory=list)  # values that differ from the pack's
    # (row, id) of 「指標」 rows whose id the pack never sent: another department's KPI, say.
    unsent_kpis: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Request:
    """What the planning office asks with the packs: a deadline and whom to ask."""

    deadline: date | None = None
    person: str = ""  # 担当
    extension: str = ""  # 内線
    email: str = ""  # メール

    @property
    def contact(self) -> str:
        """「担当 山田 内線 1234 メール kikaku@…」 (empty when nothing was given)."""
        parts = [
            f"{label} {value}"
            for label, value in (
                ("担当", self.person),
                ("内線", self.extension),
                ("メール", self.email),
            )
            if value.strip()
        ]
        return " ".join(parts)

    @property
    def deadline_text(self) -> str:
        """「2021年5月31日(月)」, or empty."""
        if self.deadline is None:
            return ""
        day = "月火水木金土日"[self.deadline.weekday()]
        d = self.deadline
        return f"{d.year}年{d.month}月{d.day}日({day})"


@dataclass(frozen=True)
class PackSent:
    """One pack sent to a department, as recorded."""

    department: str
    sent_at: str
    deadline: str = ""  # ISO date, or empty
    contact: str = ""
    file_name: str = ""
    rows: int = 0


@dataclass(frozen=True)
class RecordedAnswer:
    """What was decided about a department's last answer to one text."""

    answer_sum: str
    result: str  # the text the report held right after the decision
    decision: str  # taken, edited, kept or pending
    decided_at: str
    before_sum: str = ""  # checksum of the text the decision replaced (to see an undo)


@dataclass(frozen=True)
class DepartmentStatus:
    """Where a department stands in the inquiry (one line of 照会状況)."""

    department: str
    sent_at: str = ""
    deadline: str = ""
    rows: int = 0
    answered_rows: int = 0
    pending: int = 0
    last_answer: str = ""

    @property
    def state(self) -> str:
        """未照会, 未回答, 一部回答 or 回答済."""
        if not self.sent_at:
            return "未照会"
        if not self.answered_rows:
            return "未回答"
        return "回答済" if self.answered_rows >= self.rows else "一部回答"

    def line(self) -> str:
        """One line of ``inquiry status``."""
        if not self.sent_at:
            return f"{self.department}  未照会"
        parts = [self.department, f"送付 {self.sent_at[:10]}"]
        parts.append(f"期限 {self.deadline}" if self.deadline else "期限なし")
        parts.append(f"{self.rows}行")
        if not self.answered_rows:
            parts.append("未回答")
        else:
            parts.append(f"{self.state} {self.answered_rows}/{self.rows}行")
            parts.append(f"未決定の競合 {self.pending}件")
            parts.append(f"最終回答 {self.last_answer[:10]}")
        return "  ".join(parts)
