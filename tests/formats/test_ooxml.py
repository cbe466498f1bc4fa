"""Office packages: parts through their relationships, Strict namespaces mapped."""

from __future__ import annotations

import zipfile

import pytest

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats import ooxml

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_OFFICE = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def _package(path, rels: str, parts: dict[str, str]) -> zipfile.ZipFile:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_rels/.rels", rels)
        for name, data in parts.items():
            archive.writestr(name, data)
    return zipfile.ZipFile(path)


def _rels(*targets: tuple[str, str], mode: str = "") -> str:
    items = "".join(
        f'<Relationship Id="r{i}" Type="{kind}" Target="{target}"{mode}/>'
        for i, (kind, target) in enumerate(targets)
    )
    return f'<Relationships xmlns="{RELS}">{items}</Relationships>'


def test_the_main_part_is_the_one_the_package_names(tmp_path):
    archive = _package(
        tmp_path / "a.docx",
        _rels((f"{OFFICE}/officeDocument", "word/document2.xml")),
        {"word/document.xml": "<stale/>", "word/document2.xml": "<main/>"},
    )
    assert ooxml.main_part(archive) == "word/document2.xml"


def test_strict_relationships_name_the_main_part_too(tmp_path):
    archive = _package(
        tmp_path / "a.docx",
        _rels((f"{STRICT_OFFICE}/officeDocument", "/word/document.xml")),
        {"word/document.xml": "<main/>"},
    )
    assert ooxml.main_part(archive) == "word/document.xml"


def test_targets_resolve_against_the_part_and_skip_links_and_absent_parts(tmp_path):
    part_rels = _rels(
        (f"{OFFICE}/numbering", "numbering.xml"),
        (f"{OFFICE}/numbering", "../missing.xml"),
        (f"{OFFICE}/hyperlink", "https://example.org/"),
    )
    archive = _package(
        tmp_path / "a.docx",
        _rels((f"{OFFICE}/officeDocument", "word/document.xml")),
        {
            "word/document.xml": "<main/>",
            "word/numbering.xml": "<n/>",
            "word/_rels/document.xml.rels": part_rels,
        },
    )
    assert ooxml.related(archive, "word/document.xml", "numbering") == ["word/numbering.xml"]
    assert ooxml.related(archive, "word/document.xml", "hyperlink") == []
    assert ooxml.main_part(_package(tmp_path / "b.docx", _rels(), {})) is None


def test_strict_namespaces_become_transitional():
    strict = b'<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"/>'
    assert ooxml.is_strict(strict)
    mapped = ooxml.transitional(strict)
    assert b"http://schemas.openxmlformats.org/wordprocessingml/2006/main" in mapped
    assert not ooxml.is_strict(mapped)
    usual = b"<x/>"
    assert ooxml.transitional(usual) is usual


def test_a_part_that_is_not_xml_is_one_message(tmp_path):
    archive = _package(tmp_path / "a.docx", "<Relationships", {})
    with pytest.raises(ReportError, match="壊れています"):
        ooxml.main_part(archive)
