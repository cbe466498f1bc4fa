"""Fiscal-year labels in the Japanese era (令和2年度 / R2年度 / 2020年度).

The store keeps the Western fiscal year (April to March); every label the
editor, the exporters and the checks show comes from here.

The city names a fiscal year after the era it mostly falls in, so FY2019
(April 2019 to March 2020, Reiwa from 1 May 2019) is 令和元年度, and a
document that still says 平成31年度 means the same year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    """A Japanese era and the first fiscal year named after it."""

    name: str
    letter: str
    first_fiscal_year: int
    last_fiscal_year: int | None = None  # for 平成31年度 = FY2019


ERAS = (
    Era("令和", "R", 2019),
    Era("平成", "H", 1989, 2019),
    Era("昭和", "S", 1926, 1988),
)


def era_of(fiscal_year: int) -> tuple[Era, int]:
    """The era and its year number (1 = 元年) of a fiscal year."""
    for era in ERAS:
        if fiscal_year >= era.first_fiscal_year:
            return era, fiscal_year - era.first_fiscal_year + 1
    raise ValueError(f"{fiscal_year}年度は対応していない年です")


def _number(year: int) -> str:
    return "元" if year == 1 else str(year)


def long_label(fiscal_year: int) -> str:
    """令和2年度; 令和元年度 for the first year."""
    era, year = era_of(fiscal_year)
    return f"{era.name}{_number(year)}年度"


def short_label(fiscal_year: int) -> str:
    """R2年度; the first year of an era is written out (令和元年度), never R1 or R元."""
    era, year = era_of(fiscal_year)
    if year == 1:
        return long_label(fiscal_year)
    return f"{era.letter}{year}年度"


def western_label(fiscal_year: int) -> str:
    """2020年度."""
    return f"{fiscal_year}年度"


def label_with_western(fiscal_year: int) -> str:
    """令和2年度（2020年度）."""
    return f"{long_label(fiscal_year)}（{western_label(fiscal_year)}）"


def actual_heading(fiscal_year: int) -> str:
    """The 実績 column heading: R2年度(実績)."""
    return f"{short_label(fiscal_year)}(実績)"


def plan_heading(fiscal_year: int) -> str:
    """The 取組予定 column heading: R3年度(取組予定)."""
    return f"{short_label(fiscal_year)}(取組予定)"


# A number is read whole: R150 is no year (not R15), nor is 20201 (not 2020).
_LABEL = re.compile(
    r"(?:(?P<era>令和|平成|昭和|(?<![A-Za-z])[RHSrhs])\s*(?P<n>元|\d{1,2}(?![\d.]))"
    r"|(?<![\d.])(?P<western>(?:19|20)\d\d)(?![\d.]))\s*(?:年度?)?"
)


def parse_label(text: str, *, whole: bool = False) -> int:
    """The fiscal year a label names: R2年度, 令和元年度, 平成31年度, ２０２０年度…

    With ``whole`` the text must be the label and nothing else (a year typed
    as an argument: 「R2.5」 or 「2020年度版」 is then no year), else the label
    may stand inside a heading (「令和2年度(実績)」).
    Raises ValueError when the text names no fiscal year.
    """
    folded = unicodedata.normalize("NFKC", text)
    match = _LABEL.fullmatch(folded.strip()) if whole else _LABEL.search(folded)
    if not match:
        raise ValueError(f"年度が読み取れません: {text!r}")
    if match["western"]:
        return int(match["western"])
    key = match["era"].upper()
    era = next(e for e in ERAS if key in (e.name, e.letter))
    year = 1 if match["n"] == "元" else int(match["n"])
    if year < 1:
        raise ValueError(f"年度が読み取れません: {text!r}")
    fiscal_year = era.first_fiscal_year + year - 1
    if era.last_fiscal_year is not None and fiscal_year > era.last_fiscal_year:
        raise ValueError(f"{era.name}{year}年度という年度はありません")
    return fiscal_year
