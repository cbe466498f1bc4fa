"""Checks at the door: values the store and the exporters can hold, or one clear message.

Every value that comes from outside (a file, the command line, the window)
passes here before it reaches the store, so that nothing the editor cannot
show, export or delete is ever stored: fiscal years within the supported
eras, integers within SQLite's range, texts that can be encoded, ids that
can be written into any file format.
"""

from __future__ import annotations

import logging
import unicodedata

from . import fiscal
from .model import ReportError

logger = logging.getLogger(__name__)

# 昭和元年度 to 令和99年度: the years the labels and the exports can name.
FIRST_YEAR = fiscal.ERAS[-1].first_fiscal_year
LAST_YEAR = fiscal.ERAS[0].first_fiscal_year + 98
SQLITE_MIN, SQLITE_MAX = -(2**63), 2**63 - 1
ID_LENGTH = 64
# Control, format (zero-width), surrogate, private-use and unassigned characters,
# line and paragraph separators: none belongs in an id.
_BAD_ID_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def is_supported_year(year: int) -> bool:
    """Whether the editor can label and export this fiscal year."""
    return FIRST_YEAR <= year <= LAST_YEAR


def year_label(year: int) -> str:
    """A year as lists show it: R2年度(2020年度), or 1800年度(対応していない年)."""
    if not is_supported_year(year):
        return f"{fiscal.western_label(year)}(対応していない年)"
    return f"{fiscal.short_label(year)}({fiscal.western_label(year)})"


def fiscal_year(year: object) -> int:
    """A fiscal year the editor supports, or ReportError naming the range."""
    if isinstance(year, bool) or not isinstance(year, int) or not is_supported_year(year):
        raise ReportError(
            f"{_short(year)}年度は対応していない年です"
            f"({FIRST_YEAR}〜{LAST_YEAR}年度で指定してください)。"
        )
    return year


def integer(value: object, what: str) -> int:
    """An integer SQLite can store, or ReportError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError(f"{what}は整数で指定してください: {_short(value)}")
    if not SQLITE_MIN <= value <= SQLITE_MAX:
        raise ReportError(f"{what}が大きすぎます: {_short(value)}")
    return value


def is_encodable(text: str) -> bool:
    """Whether a text can be written as UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(value: str, what: str) -> str:
    """A text that can be stored and exported, or ReportError naming where."""
    if not is_encodable(value):
        raise ReportError(f"{what}に文字として表せないもの(孤立したサロゲート)が含まれています。")
    return value


def node_id(value: object, what: str = "id") -> str:
    """An id the store and every export can hold, or ReportError."""
    if not isinstance(value, str) or not value or len(value) > ID_LENGTH:
        raise ReportError(f"{what}は 1〜{ID_LENGTH} 文字の文字列で指定してください。")
    text(value, what)
    bad = [ch for ch in value if unicodedata.category(ch) in _BAD_ID_CATEGORIES]
    if bad or value != value.strip():
        code = f"U+{ord(bad[0]):04X}" if bad else "前後の空白"
        raise ReportError(
            f"{what}「{value.encode('unicode_escape').decode()}」に使えない文字({code})があります。"
        )
    return value


def _short(value: object) -> str:
    shown = str(value)
    return shown if len(shown) <= 30 else shown[:30] + "…"
