"""Characters inserted from the symbol fonts (Symbol, Wingdings) read as Unicode."""

from __future__ import annotations

import pytest

from kushiro_editor.formats import read_file
from tests.formats.docx.edits import edited
from tests.formats.handmade import entry_texts


def sym(font: str, code: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{code}"/></w:r>'


@pytest.mark.parametrize(
    ("font", "code", "shown"),
    [
        ("Symbol", "F0AE", "→"),
        ("Symbol", "F0AC", "←"),
        ("Symbol", "F0DE", "⇒"),
        ("Symbol", "F0B7", "•"),
        ("Wingdings", "F0E8", "➔"),
        ("Wingdings", "F0F0", "⇨"),
        ("Wingdings", "F0D8", "➢"),
        ("Wingdings", "F09F", "•"),
        ("Wingdings", "F06C", "●"),
        ("Wingdings", "F0A7", "▪"),
        ("Wingdings", "F0FC", "✓"),
        ("Wingdings", "F081", "①"),
    ],
)
def test_symbol_font_characters_read_as_unicode(tmp_path, font, code, shown):
    path = edited(
        tmp_path,
        "sym.docx",
        (
            "<w:r><w:t>寄港を予定する。</w:t></w:r>",
            "<w:r><w:t>寄港</w:t></w:r>" + sym(font, code) + "<w:r><w:t>予定する。</w:t></w:r>",
        ),
    )
    result = read_file(path)
    assert entry_texts(result.report)[1][2] == f"寄港{shown}予定する。"
    assert not any(w.topic == "symbol" for w in result.warnings)


def test_text_in_the_symbol_font_and_an_unknown_symbol(tmp_path):
    path = edited(
        tmp_path,
        "sym-run.docx",
        (
            "<w:r><w:t>寄港を予定する。</w:t></w:r>",
            '<w:r><w:rPr><w:rFonts w:ascii="Symbol" w:hAnsi="Symbol"/></w:rPr>'
            "<w:t>\uf0ae</w:t></w:r>"
            "<w:r><w:t>寄港を予定する。</w:t></w:r>" + sym("Wingdings", "F0FF"),
        ),
    )
    result = read_file(path)
    assert entry_texts(result.report)[1][2] == "→寄港を予定する。"
    unknown = [w for w in result.warnings if w.topic == "symbol"]
    assert len(unknown) == 1 and "Wingdings の F0FF" in unknown[0].message
