"""Finding the report table's header by what it means, not by its exact words.

Hand-made tables head their columns in many ways: 「基本目標・基本的方向・具体的な
施策」 or 「施策」, 「所管部署」 or 「担当課」, 「令和２年度の実績」 or 「R2実績」, in
one header row or two (「進捗報告」 over the two year columns). The header is the
first row whose short cells name the four columns; each column is then known
by its heading wherever it stands, and a column of another kind (備考, 評価) is
reported as not read.
"""

from __future__ import annotations

import contextlib
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...core import fiscal, richtext
from ...core.model import ImportWarning
from . import columns as table_columns
from .columns import ACTUAL, DEPARTMENTS, LEFT, PLAN, PROGRESS_WORDS

logger = logging.getLogger(__name__)

# The start of the left column's heading: a cell starting so is the header's.
HEADER_LEFT = table_columns.column(LEFT).marks[0]
# A heading is short; a longer cell is text, whatever words it uses.
MAX_HEADING = 40
_GOAL_ROW = re.compile(r"^【\s*基本目標")


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def role_of(text: str) -> str | None:
    """The column a heading names, or None when it names none of the table's columns."""
    folded = _folded(text)
    if not folded or len(folded) > MAX_HEADING or _GOAL_ROW.match(folded):
        return None
    if folded.endswith(("。", ".")):
        return None  # a sentence: text, not a heading
    # The words of each column as ``columns`` declares them, in its rank order.
    for column in table_columns.by_rank():
        if column.names_heading(folded):
            return column.role
    return None


def _is_group(text: str) -> bool:
    folded = _folded(text)
    return bool(folded) and any(folded.startswith(word) for word in PROGRESS_WORDS)


@dataclass
class Header:
    """Where the header is and which column holds what."""

    first_row: int  # index of the header's first row in the rows looked at
    height: int  # one or two rows
    columns: dict[str, int]  # role → column index
    texts: list[str]  # each column's heading, both rows joined
    others: list[tuple[int, str]] = field(default_factory=list)  # headed columns not read

    @property
    def missing(self) -> list[str]:
        """The roles no column is headed for."""
        return [
            column.role
            for column in table_columns.declared()
            if column.required and column.role not in self.columns
        ]

    @property
    def complete(self) -> bool:
        """Every required column found."""
        return not self.missing

    def missing_message(self) -> str:
        """「「実績」の列が見つかりません」: what the header lacks, in words."""
        names = "・".join(f"「{table_columns.column(role).name}」" for role in self.missing)
        shown = " / ".join(text for text in self.texts if text)
        return f"{names}の列が見つかりません(見出しと見た行: {shown})。"


def _roles(cells: Sequence[str]) -> dict[int, str]:
    found = {}
    for index, text in enumerate(cells):
        role = role_of(text)
        if role is not None:
            found[index] = role
    return found


def _all_short(cells: Sequence[str]) -> bool:
    return all(len(_folded(text)) <= MAX_HEADING for text in cells)


def header_at(rows: Sequence[Sequence[str]], index: int) -> Header | None:
    """The header starting at ``rows[index]`` (plain texts by column), if it is one.

    A row is a header when its cells are all short and name at least two of
    the four columns; the row below joins it when it heads columns the first
    leaves open (the year columns under 「進捗報告」).
    """
    first = list(rows[index])
    if not _all_short(first):
        return None
    roles = _roles(first)
    groups = [i for i, text in enumerate(first) if _is_group(text)]
    if len(set(roles.values())) + (1 if groups else 0) < 2:
        return None
    height = 1
    texts = [_folded(text) for text in first]
    if index + 1 < len(rows):
        second = list(rows[index + 1])
        below = _roles(second)
        open_roles = {role for role in below.values() if role not in roles.values()}
        if below and open_roles and _all_short(second):
            height = 2
            width = max(len(first), len(second))
            first = [*first, *[""] * (width - len(first))]
            second = [*second, *[""] * (width - len(second))]
            texts = [_folded(upper + lower) for upper, lower in zip(first, second, strict=True)]
    columns: dict[str, int] = {}
    others = []
    for column, text in enumerate(texts):
        if not text:
            continue
        role = role_of(text)
        if role is None and _is_group(text):
            continue  # 「進捗報告」 alone, over columns the row below names
        if role is None or role in columns:
            others.append((column, text))
        else:
            columns[role] = column
    if len(columns) < 2:
        return None
    return Header(index, height, columns, texts, others)


def find_header(rows: Sequence[Sequence[str]], limit: int = 60) -> Header | None:
    """The first complete header among the first rows, else the fullest partial one."""
    best: Header | None = None
    for index in range(min(len(rows), limit)):
        header = header_at(rows, index)
        if header is None:
            continue
        if header.complete:
            return header
        if best is None or len(header.columns) > len(best.columns):
            best = header
    return best


def is_repeated_header(cells: Sequence[str]) -> bool:
    """A header row (or the lower row of a two-row header) met inside the table."""
    if not _all_short(cells):
        return False
    roles = set(_roles(cells).values())
    if any(_is_group(text) for text in cells):
        return bool(roles & {LEFT, DEPARTMENTS})
    # Both year columns headed, nothing but headings beside them: a department
    # row never reads so, even one whose texts are 「実績」 and 「予定」.
    roles_by_column = _roles(cells)
    headed = all(index in roles_by_column for index, text in enumerate(cells) if _folded(text))
    return {ACTUAL, PLAN} <= roles and headed


def unread_columns_warning(headings: Sequence[str]) -> ImportWarning:
    """The warning for columns left out: 「備考」 is not one of the report's four."""
    names = "、".join(f"「{text}」" for text in headings)
    return ImportWarning(
        row=0,
        topic="column",
        message=f"{names}の列は進捗報告の列ではないため、取り込んでいません。",
    )


def is_header_row(cells: list[str], plain: list[str] | None = None) -> bool:
    """The table's heading rows (they repeat at page breaks in extracted text).

    ``plain``: the cells as plain text, when the caller has them already.
    """
    if plain is None:
        plain = [richtext.to_plain(c).strip() for c in cells]
    first, rest = plain[0], plain[1:]
    declared = table_columns.declared()
    left_marks = declared[0].marks
    if (left_marks and first.startswith(left_marks)) or is_repeated_header(plain):
        return True
    marks = tuple(mark for column in declared[1:] for mark in column.marks)
    return (
        not first
        and any(mark in c for c in rest for mark in marks)
        and not any(len(c) > 30 for c in rest)
    )


def header_year(plain: list[str]) -> int | None:
    """The fiscal year of 実績 a header row names (a plan's year less one)."""
    for role, offset in ((ACTUAL, 0), (PLAN, 1)):
        for cell in plain:
            if role_of(cell) == role:
                with contextlib.suppress(ValueError):
                    return fiscal.parse_label(cell) - offset
    return None
