"""A KPI's numbers: exact decimals read from what a person typed, shown as typed.

Values are :class:`decimal.Decimal`, never floats, so 12.3 stays 12.3 and
「12.30」 keeps its two places (the precision a department reports is part of
the value). A value may be missing — not yet known — which is ``None`` and
never zero.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from decimal import Decimal

from ..model import ReportError

logger = logging.getLogger(__name__)

# What a table writes in a cell that has no value yet.
MISSING_MARKS = frozenset({"", "-", "‐", "–", "—", "―", "−", "ー", "ｰ"})
# Japanese public documents write a negative number with a triangle: △5 is −5.
_NEGATIVE = ("-", "−", "△", "▲")
# Digits grouped by commas (1,234,567) or not, an optional fraction; nothing else
# (an exponent or a unit belongs elsewhere: the unit has its own field).
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
MAX_DIGITS = 30  # more than any count or amount a city reports


def parse_value(text: str) -> Decimal | None:
    """The value a field holds: 「12.30」, 「1,234」, 「１２．５」, 「△3」; None for 「－」.

    Raises ReportError (for the person who typed it) for anything that is not a
    number, such as a unit typed into the value (「12人」).
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded in MISSING_MARKS:
        return None
    sign, digits = "", folded
    if digits.startswith(_NEGATIVE):
        sign, digits = "-", digits[1:].lstrip()
    elif digits.startswith("+"):
        digits = digits[1:].lstrip()
    if not _NUMBER.fullmatch(digits):
        raise ReportError(
            f"「{text[:30]}」は数値として読めません(数字と小数点だけで入力してください)。"
        )
    plain = digits.replace(",", "")
    if len(plain.replace(".", "")) > MAX_DIGITS:
        raise ReportError(f"「{text[:30]}」は桁が多すぎます({MAX_DIGITS}桁まで)。")
    value = Decimal(sign + plain)
    # −0 is 0: a sign on nothing is a slip of the keyboard, not a value.
    return value.copy_abs() if value == 0 else value


def value_text(value: Decimal | None) -> str | None:
    """The exact text a value is kept as (the store, the JSON file); None stays None."""
    if value is None:
        return None
    return format(value, "f")


def format_value(value: Decimal | None, *, missing: str = "－", grouping: bool = False) -> str:
    """A value as printed, with the places it was given: 「12.30」, 「1,234」 when grouped."""
    if value is None:
        return missing
    return format(value, ",f" if grouping else "f")


def is_exact_number(value: object) -> bool:
    """Whether a value is a finite Decimal (a float is refused: it has already drifted)."""
    return isinstance(value, Decimal) and value.is_finite()


def same(a: object, b: object) -> bool:
    """Equal and written alike: 12.3 and 12.30 are the same number but not the same value."""
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return type(a) is type(b) and str(a) == str(b)
    return a == b
