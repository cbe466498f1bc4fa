"""The PDF's fonts: the chosen family's file where installed, a Japanese TrueType otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from kushiro_editor.formats.pdf import fonts as pdf_fonts


@pytest.fixture(autouse=True)
def _fresh_lookup():
    pdf_fonts.register.cache_clear()
    yield
    pdf_fonts.register.cache_clear()


def _has_truetype_japanese() -> bool:
    return any(
        name in pdf_fonts.installed_files()
        for name, _index in (*pdf_fonts.MINCHO_FILES, *pdf_fonts.GOTHIC_FILES)
    )


def test_a_missing_family_falls_back_to_an_installed_japanese_truetype_font():
    if not _has_truetype_japanese():
        pytest.skip("no Japanese TrueType font installed")
    name = pdf_fonts.register("存在しない明朝")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)  # embedded as a subset, not a reader's CID font
    assert 0x91E7 in font.face.charToGlyph  # 釧


def test_gothic_is_looked_for_among_the_gothic_files(monkeypatch, tmp_path):
    for name in ("ipag.ttf", "ipam.ttf"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(
        pdf_fonts, "installed_files", lambda: {p.name: p for p in tmp_path.iterdir()}
    )
    monkeypatch.setattr(pdf_fonts, "fontconfig_match", lambda family: None)
    gothic = pdf_fonts.candidates("ＭＳ ゴシック", heading=True)
    mincho = pdf_fonts.candidates("ＭＳ 明朝", heading=False)
    assert [c.path.name for c in gothic] == ["ipag.ttf"]
    assert [c.path.name for c in mincho] == ["ipam.ttf"]


def test_unusable_files_are_skipped_and_the_last_resort_is_named(monkeypatch, tmp_path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(
        pdf_fonts, "candidates", lambda family, heading: [pdf_fonts.FontFile(Path(broken))]
    )
    assert pdf_fonts.register("ＭＳ 明朝") == "HeiseiMin-W3"
    assert pdf_fonts.register("ＭＳ ゴシック", heading=True) == "HeiseiKakuGo-W5"
