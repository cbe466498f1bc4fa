"""Hand-made Word tables changed in their XML, as Word stores what python-docx cannot make."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.formats.handmade import word_table


def edited(tmp_path: Path, name: str, *changes: tuple[str, str]) -> Path:
    """The hand-made table with each (typed XML, replacement) changed once in its body."""
    path = tmp_path / name
    word_table(path)
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    xml = files["word/document.xml"].decode()
    for old, new in changes:
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    files["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return path


def ruby(base: str, reading: str) -> str:
    return (
        '<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="distributeSpace"/><w:hps w:val="10"/>'
        '<w:hpsRaise w:val="18"/><w:hpsBaseText w:val="21"/><w:lid w:val="ja-JP"/></w:rubyPr>'
        f"<w:rt><w:r><w:t>{reading}</w:t></w:r></w:rt>"
        f"<w:rubyBase><w:r><w:t>{base}</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )
