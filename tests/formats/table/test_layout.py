"""Measuring text as the printed table will show it."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from kushiro_editor.formats.table.layout import text_width


def one_by_one(text: str) -> int:
    # Ambiguous-width characters are full width in Japanese fonts.
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def test_every_character_has_its_east_asian_width():
    characters = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    characters += [chr(c) for c in (0x1F600, 0x20B9F, 0x2A6D6, 0x3FFFD, 0xE0001)]
    wrong = [c for c in characters if text_width(c) != one_by_one(c)]
    assert wrong == []


def test_report_text():
    assert text_width("R2年度は3名を受け入れた。") == 3 + 11 * 2
    assert text_width("①・※○ ABC") == 4 * 2 + 4
    assert text_width("") == 0


@given(st.text())
def test_any_text_measures_as_its_characters(text):
    assert text_width(text) == one_by_one(text)
