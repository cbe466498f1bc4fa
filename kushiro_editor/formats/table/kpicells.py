"""What one cell of a hand-made KPI table holds: a number, its unit, a year, a note.

People type 「1,234人」, 「１２．５」, 「△3」, 「85.5%」, 「約 120」, 「1,200（R1）」,
「98（速報値）」 or 「集計中」; Excel stores 85.5 % as 0.855 with a percent format
and shows 12.3 as 「12.30」 under 「0.00」. A reading keeps the number exact
(never through a binary float's digits), with the places the sheet shows, the
unit typed after it, a year or a note in brackets, and, when the cell was not a
number at all, the problem in words so that nothing is dropped silently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from ...core.kpi.numbers import MISSING_MARKS
from .kpiheader import year_in

# A number as typed, with what follows it: 「△1,234.5 人（R1）」.
_TYPED = re.compile(
    r"^(?P<sign>[△▲\-−+]?)\s*(?P<digits>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<rest>.*)$"
)
_BRACKETED = re.compile(r"[(（\[［]([^)）\]］]*)[)）\]］]")
_ABOUT = ("約", "およそ", "概ね", "おおむね")
# Words that say a value is not known yet rather than zero.
_NOT_YET = ("集計中", "未集計", "未確定", "調査中", "未定", "なし", "無し")


@dataclass(frozen=True)
class Reading:
    """A cell read as a KPI's number."""

    value: Decimal | None = None
    unit: str = ""
    year: int | None = None
    note: str = ""  # 速報値, 見込み, 約 …
    problem: str = ""  # why a cell that holds something gave no number


def _places(number_format: str) -> int | None:
    """The decimal places a number format shows (「#,##0.00」 → 2), None for General."""
    if not number_format or number_format == "General":
        return None
    body = number_format.split(";", 1)[0]
    match = re.search(r"\.([0#?]+)", body)
    return len(match.group(1)) if match else 0


def _from_number(raw: float | int | Decimal, number_format: str) -> Reading:
    percent = "%" in (number_format or "")
    # A float through the shortest text that reads back as it: 0.1, not 0.1000000000000000055.
    value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
    if percent:
        value *= 100
    places = _places(number_format.replace("%", "") if percent else number_format)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    elif value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Reading(value, "%" if percent else "")


def read(raw: object, number_format: str = "General") -> Reading:
    """The number a cell holds, or None with the reason when it holds none."""
    if raw is None:
        return Reading()
    if isinstance(raw, bool):
        return Reading(problem=f"「{raw}」は数値ではありません")
    if isinstance(raw, (int, float, Decimal)):
        return _from_number(raw, number_format)
    if isinstance(raw, (datetime, date)):
        return Reading(problem=f"日付「{raw:%Y-%m-%d}」は数値ではありません")
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if text in MISSING_MARKS or text in ("－", "ー"):
        return Reading()
    note_parts: list[str] = []
    for word in _ABOUT:
        if text.startswith(word):
            note_parts.append(word)
            text = text[len(word) :].lstrip()
            break
    match = _TYPED.match(text)
    if match is None:
        if any(word in text for word in _NOT_YET):
            return Reading(note=text)
        return Reading(problem=f"「{str(raw)[:30]}」は数値として読めません")
    sign = "-" if match["sign"] in ("△", "▲", "-", "−") else ""
    value = Decimal(sign + match["digits"].replace(",", ""))
    value = value.copy_abs() if value == 0 else value
    rest = match["rest"]
    year = None
    for inside in _BRACKETED.findall(rest):
        found = year_in(inside)
        if found is not None and year is None:
            year = found
        elif inside.strip():
            note_parts.append(inside.strip())
    unit = _BRACKETED.sub("", rest).strip()
    return Reading(value, unit, year, "・".join(note_parts))
