"""Office Open XML packages: parts found through their relationships, Strict read as transitional.

A package names its main part in ``_rels/.rels``; a file may also hold a
stale ``word/document.xml`` or ``xl/workbook.xml`` beside it (left by a
tool that renamed the part), so the readers never take a part by its
usual name. ISO/IEC 29500 Strict (Word's and Excel's 「Strict Open XML」)
is the same vocabulary under other namespace names: its parts are mapped
to the transitional names before they are parsed, so one reader reads both.
"""

from __future__ import annotations

import posixpath
import zipfile

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ..core.model import ReportError
from .files import read_member

RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Strict namespace → transitional namespace. Relationship types share the
# relationships prefix (…/relationships/officeDocument and so on), so the
# prefix maps them too.
_STRICT = {
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ),
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": (
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    ),
    b"http://purl.oclc.org/ooxml/spreadsheetml/main": (
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/main": (
        b"http://schemas.openxmlformats.org/drawingml/2006/main"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": (
        b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing": (
        b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/picture": (
        b"http://schemas.openxmlformats.org/drawingml/2006/picture"
    ),
    b"http://purl.oclc.org/ooxml/drawingml/chart": (
        b"http://schemas.openxmlformats.org/drawingml/2006/chart"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/math": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/math"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/customProperties": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    ),
    b"http://purl.oclc.org/ooxml/officeDocument/customXml": (
        b"http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    ),
    b"http://purl.oclc.org/ooxml/schemaLibrary/main": (
        b"http://schemas.openxmlformats.org/schemaLibrary/2006/main"
    ),
}
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"


def is_strict(data: bytes) -> bool:
    """Whether an XML part uses the Strict namespaces."""
    return _STRICT_MARK in data


def transitional(data: bytes) -> bytes:
    """An XML part with the Strict namespace names replaced by the transitional ones."""
    if _STRICT_MARK not in data:
        return data
    for strict, usual in _STRICT.items():
        data = data.replace(strict, usual)
    return data


def read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part's bytes, Strict mapped to transitional."""
    return transitional(read_member(archive, name))


def parse_part(archive: zipfile.ZipFile, name: str):
    """A part parsed safely (no DTDs, no entities); ReportError when it is not sound XML."""
    try:
        return SafeET.fromstring(read_part(archive, name))
    except DefusedXmlException as exc:
        raise ReportError("安全でない XML が含まれているため読み込みません。") from exc
    except SafeET.ParseError as exc:
        raise ReportError(f"ファイルの一部({name})が壊れています(XML を読めません)。") from exc


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str, str]]:
    """(Id, Type, part name) of ``part``'s internal relationships to parts the package holds."""
    rels = _rels_name(part) if part else "_rels/.rels"
    if rels not in archive.NameToInfo:
        return []
    root = parse_part(archive, rels)
    base = posixpath.dirname(part)
    found = []
    for rel in root.iter(f"{{{RELATIONSHIPS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            name = posixpath.normpath(target.lstrip("/"))
        else:
            name = posixpath.normpath(posixpath.join(base, target))
        if name in archive.NameToInfo:
            found.append((rel.get("Id", ""), rel.get("Type", ""), name))
    return found


def related(archive: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts ``part`` relates to by a relationship type ending in ``/kind``, in order.

    ``part`` is ``""`` for the package itself (``_rels/.rels``). Targets are
    resolved against the part's folder; external targets (links) are left
    out, and so are targets the package does not hold.
    """
    ending = f"/{kind}"
    return [name for _id, type_, name in _relationships(archive, part) if type_.endswith(ending)]


def related_by_id(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """``part``'s relationships by Id (what an ``r:id`` names): (type, part name)."""
    return {rel_id: (type_, name) for rel_id, type_, name in _relationships(archive, part)}


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The part ``_rels/.rels`` names as the document (Word's body, Excel's workbook)."""
    parts = related(archive, "", "officeDocument")
    return parts[0] if parts else None
