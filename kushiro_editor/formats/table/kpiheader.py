"""The header of a KPI table made by hand: each column found by what its heading means.

Offices keep last year's 数値目標・KPI in their own Excel sheet, each with its
own headings: 「指標名」 or 「KPI」, 「基準値（R1）」 or 「現状値」 with a 「基準年度」
column, 「R2年度」 or 「実績値」 over 「令和2年度」, 「所管課」 or 「担当」. A column's
role comes from the words of its heading (longest first, so that 「目標年度」 is
not read as 「目標」), and a fiscal year in a heading (和暦 or 西暦) is the year
the column holds; a heading of two rows is read as one (「実績値」 over its years).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...core import fiscal

GOAL = "goal"
DIRECTION = "direction"
MEASURE = "measure"
NAME = "name"
UNIT = "unit"
BASELINE = "baseline"
BASELINE_YEAR = "baseline_year"
TARGET = "target"
TARGET_YEAR = "target_year"
VALUE = "value"  # a year's value: the heading names the year
RATE = "rate"
RATING = "rating"
DEPARTMENTS = "departments"
COMMENT = "comment"

# The words a heading of each role uses; the longest word that a heading holds wins.
WORDS: dict[str, tuple[str, ...]] = {
    GOAL: ("基本目標",),
    DIRECTION: ("基本的方向", "施策の方向", "方向性"),
    MEASURE: ("具体的な施策", "施策"),
    NAME: ("指標名", "指標", "KPI", "数値目標", "成果指標", "評価指標", "項目"),
    UNIT: ("単位",),
    BASELINE: ("基準値", "現状値", "策定時", "基準"),
    BASELINE_YEAR: ("基準年度", "基準年", "現状値の年度"),
    TARGET: ("目標値", "目標"),
    TARGET_YEAR: ("目標年度", "目標年"),
    VALUE: ("実績値", "実績", "現状"),
    RATE: ("達成率", "進捗率", "達成度"),
    RATING: ("評価", "判定", "達成状況"),
    DEPARTMENTS: ("所管部署", "所管課", "所管", "担当課", "担当部署", "担当"),
    COMMENT: ("備考", "コメント", "説明", "要因分析", "要因"),
}
# Roles a heading may hold a year for: 「基準値（R1）」, 「目標値(R6)」, 「R2年度」.
_DATED = (BASELINE, TARGET, VALUE)


def folded(text: str) -> str:
    """A heading compared as written in any width, without spaces and line breaks."""
    return "".join(unicodedata.normalize("NFKC", text or "").split()).upper()


def year_in(text: str) -> int | None:
    """The fiscal year a heading or a cell names, if any."""
    try:
        return fiscal.parse_label(text)
    except ValueError:
        return None


def role_of(text: str) -> str | None:
    """The role a heading's words give it (a bare year is a year's value)."""
    heading = folded(text)
    if not heading:
        return None
    best, length = None, 0
    for role, words in WORDS.items():
        for word in words:
            if word.upper() in heading and len(word) > length:
                best, length = role, len(word)
    if best is None and year_in(heading) is not None:
        return VALUE
    return best


@dataclass
class KpiColumn:
    """One column of the table: its role and, for a dated one, the year its heading names."""

    index: int
    role: str
    heading: str
    year: int | None = None


@dataclass
class KpiHeader:
    """Where the table's header is and what each of its columns holds."""

    first_row: int
    height: int
    columns: list[KpiColumn] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # headings of no known role

    def of(self, role: str) -> list[KpiColumn]:
        """The columns of a role, left to right."""
        return [c for c in self.columns if c.role == role]

    def one(self, role: str) -> KpiColumn | None:
        """The first column of a role."""
        found = self.of(role)
        return found[0] if found else None


def _headings(rows: Sequence[Sequence[str]], index: int, height: int) -> list[str]:
    width = max(len(rows[i]) for i in range(index, index + height))
    out = []
    for column in range(width):
        parts: list[str] = []
        for i in range(index, index + height):
            text = rows[i][column] if column < len(rows[i]) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        out.append(" ".join(parts))
    return out


def _header(rows: Sequence[Sequence[str]], index: int, height: int) -> KpiHeader | None:
    headings = _headings(rows, index, height)
    header = KpiHeader(index, height)
    for column, heading in enumerate(headings):
        role = role_of(heading)
        if role is None:
            if heading:
                header.unread.append(heading)
            continue
        year = year_in(heading) if role in _DATED else None
        if role == VALUE and year is None:
            header.unread.append(heading)  # 「実績値」 without a year: whose value?
            continue
        header.columns.append(KpiColumn(column, role, heading, year))
    if header.one(NAME) is None:
        return None
    if not (header.of(VALUE) or header.one(TARGET) or header.one(BASELINE)):
        return None
    return header


def find_header(rows: Sequence[Sequence[str]], limit: int = 40) -> KpiHeader | None:
    """The first row (or two) naming a KPI's name and some of its numbers.

    The row must name two roles itself, so that a title merged over the table
    (「KPI一覧」) is not read as the heading of every column.
    """
    for index in range(min(limit, len(rows))):
        if len({role_of(text) for text in rows[index]} - {None}) < 2:
            continue
        one = _header(rows, index, 1)
        two = _header(rows, index, 2) if index + 1 < len(rows) else None
        # Two rows when the second adds dated columns (「実績値」 over 「R2年度」「R3年度」).
        if two is not None and (one is None or len(two.of(VALUE)) > len(one.of(VALUE))):
            return two
        if one is not None:
            return one
    return None
