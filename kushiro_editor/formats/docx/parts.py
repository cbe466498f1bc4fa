"""A Word package opened through its relationships: the body, its styles, numbering and chunks.

The main part is the one ``_rels/.rels`` names (a tool that renamed it may
leave a stale ``word/document.xml`` behind); its styles and numbering are
the parts it relates to. Strict files (Word's 「Strict Open XML 文書」) are
read through ``ooxml``'s mapping to the transitional names. An
``w:altChunk`` (a part pasted in whole by a mail merge or another program,
which Word shows as part of the text) is read in place when it is Word's
own format; any other kind (HTML, RTF, text) is refused, since the rows in
it would otherwise be lost without a word.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ...core.model import ReportError
from .. import ooxml
from ..files import (
    MAX_COMPRESSION_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    ZIP_ERRORS,
    open_zip,
    read_member,
)
from . import numbering
from .boxes import chosen
from .writer import w

logger = logging.getLogger(__name__)

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}chart"
CORE = "docProps/core.xml"
MAX_CHUNK_DEPTH = 3  # an embedded document inside an embedded document, and so on


@dataclass
class WordFile:
    """What the reader needs of a Word package."""

    body: Element
    styles: dict[str, str]  # style id → name
    labels: dict[Element, numbering.Label]  # each numbered paragraph's number
    has_lists: bool = False  # the package defines lists (numbering.xml with w:num)
    core: Element | None = None
    chunks: int = 0  # embedded Word documents read in place
    unpacked: list[int] = field(default_factory=lambda: [0])  # bytes unpacked from chunks
    charts: dict[Element, Element] = field(default_factory=dict)  # c:chart → its c:chartSpace


def _parse(archive: zipfile.ZipFile, part: str, name: str) -> Element:
    try:
        return SafeET.fromstring(ooxml.read_part(archive, part))
    except DefusedXmlException as exc:
        raise ReportError(f"{name} には安全でない XML が含まれているため読み込みません。") from exc
    except SafeET.ParseError as exc:
        raise ReportError(f"{name} は壊れています(XML を読めません)。") from exc


def _rels(archive: zipfile.ZipFile, part: str, kind: str, name: str) -> str | None:
    try:
        found = ooxml.related(archive, part, kind)
    except ReportError as exc:
        raise ReportError(f"{name} は壊れています(部品のつながりを読めません)。") from exc
    return found[0] if found else None


def _main(archive: zipfile.ZipFile, name: str) -> str:
    part = _rels(archive, "", "officeDocument", name)
    if part is not None:
        return part
    if "_rels/.rels" not in archive.NameToInfo and "word/document.xml" in archive.NameToInfo:
        # A package with no relationships at all (some generators write none):
        # the usual name is then all there is to go by.
        return "word/document.xml"
    raise ReportError(f"{name} は Word の文書ではありません。")


def style_names(styles: Element | None) -> dict[str, str]:
    """Style id → style name."""
    out: dict[str, str] = {}
    if styles is not None:
        for style in styles.iter(w("style")):
            found = style.find(w("name"))
            if found is not None:
                out[style.get(w("styleId"), "")] = found.get(w("val"), "")
    return out


def _style_id(p: Element) -> str:
    found = p.find(f"{w('pPr')}/{w('pStyle')}")
    return found.get(w("val"), "") if found is not None else ""


def _read(archive: zipfile.ZipFile, name: str, depth: int, unpacked: list[int]) -> WordFile:
    main = _main(archive, name)
    document = _parse(archive, main, name)
    body = document.find(w("body"))
    if document.tag != w("document") or body is None:
        raise ReportError(f"{name} は Word の文書ではありません。")
    styles_part = _rels(archive, main, "styles", name)
    numbering_part = _rels(archive, main, "numbering", name)
    styles = _parse(archive, styles_part, name) if styles_part else None
    lists = numbering.Numbering(
        _parse(archive, numbering_part, name) if numbering_part else None, styles
    )
    # Counted before the chunks are put in: their numbers are their own lists'.
    labels = numbering.labels(body, lists, _style_id, chosen)
    found = WordFile(
        body, style_names(styles), labels, has_lists=bool(lists.nums), unpacked=unpacked
    )
    found.charts = _charts(archive, main, body, name)
    _inline_chunks(archive, main, found, name, depth)
    return found


def _charts(archive: zipfile.ZipFile, main: str, body: Element, name: str) -> dict:
    """Each chart drawing's chart part, by the drawing's ``c:chart`` (the KPI section's charts)."""
    charts = list(body.iter(CHART))
    if not charts:
        return {}
    targets = ooxml.related_by_id(archive, main)
    out = {}
    for chart in charts:
        rel = targets.get(chart.get(f"{{{R}}}id", ""))
        if rel is None:
            continue
        try:
            out[chart] = _parse(archive, rel[1], name)
        except ReportError:
            continue  # a broken chart part shows no numbers: its words still may
    return out


def _inline_chunks(
    archive: zipfile.ZipFile, main: str, found: WordFile, name: str, depth: int
) -> None:
    """Each w:altChunk replaced by the body of the Word document it names."""
    places = [
        (parent, child)
        for parent in found.body.iter()
        for child in parent
        if child.tag == w("altChunk")
    ]
    if not places:
        return
    targets = ooxml.related_by_id(archive, main)
    for parent, chunk in places:
        rel = targets.get(chunk.get(f"{{{R}}}id", ""))
        if rel is None:
            raise ReportError(
                f"{name} には埋め込まれた部分がありますが、その中身が見つからないため、"
                "その部分の行を読み込めません。Word で開いて保存し直してから取り込んでください。"
            )
        inner = _chunk(archive, rel[1], name, depth, found.unpacked)
        index = list(parent).index(chunk)
        parent.remove(chunk)
        for offset, child in enumerate(c for c in inner.body if c.tag != w("sectPr")):
            parent.insert(index + offset, child)
        found.labels.update(inner.labels)
        for style_id, style in inner.styles.items():
            found.styles.setdefault(style_id, style)
        found.chunks += 1 + inner.chunks


def _chunk(
    archive: zipfile.ZipFile, part: str, name: str, depth: int, unpacked: list[int]
) -> WordFile:
    """The Word document an altChunk part holds: a whole .docx, or a document part."""
    if depth >= MAX_CHUNK_DEPTH:
        raise ReportError(
            f"{name} には何重にも埋め込まれた部分があるため読み込みません。"
            "Word で開いて保存し直してから取り込んでください。"
        )
    data = read_member(archive, part)
    if data.startswith(b"PK"):
        with _inner_zip(data, name, unpacked) as inner:
            return _read(inner, name, depth + 1, unpacked)
    root = None
    if data.lstrip()[:1] == b"<":
        try:
            root = SafeET.fromstring(ooxml.transitional(data))
        except DefusedXmlException as exc:
            raise ReportError(
                f"{name} には安全でない XML が含まれているため読み込みません。"
            ) from exc
        except SafeET.ParseError:
            root = None  # HTML that is not XML: refused below
    body = root.find(w("body")) if root is not None and root.tag == w("document") else None
    if body is None:
        kind = _kind(data)
        raise ReportError(
            f"{name} には {kind} で埋め込まれた部分があり、その中の行は読み込めません"
            "(取り込むと表の一部が欠けます)。Word で開いて .docx として保存し直してから"
            "取り込んでください。"
        )
    lists = numbering.Numbering(None, None)
    return WordFile(body, {}, numbering.labels(body, lists, _style_id, chosen), unpacked=unpacked)


def _kind(data: bytes) -> str:
    """What an embedded part that is not Word's is, for the message: told by its content.

    Its name or content type may say anything; the first bytes say what it is.
    """
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        return "RTF"
    if b"<html" in head or head.startswith((b"<!doctype html", b"mime-version")):
        return "HTML"
    return "Word 以外の形式(テキストなど)"


def _inner_zip(data: bytes, name: str, unpacked: list[int]) -> zipfile.ZipFile:
    """An embedded .docx opened in memory, held to the bounds of the file around it."""
    try:
        inner = zipfile.ZipFile(io.BytesIO(data))
        infos = inner.infolist()
    except ZIP_ERRORS as exc:
        raise ReportError(f"{name} の埋め込まれた文書が壊れています。") from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    unpacked[0] += total
    if (
        len(infos) > MAX_ZIP_MEMBERS
        or unpacked[0] > MAX_UNPACKED_BYTES
        or (total > 10 * 1024 * 1024 and total / packed > MAX_COMPRESSION_RATIO)
    ):
        inner.close()
        raise ReportError(f"{name} は展開後の大きさが異常なため読み込みません。")
    return inner


def open_document(path: Path) -> WordFile:
    """The package's main document, its styles and numbering, its chunks read in place."""
    with open_zip(path, "Word") as archive:
        found = _read(archive, path.name, 0, [0])
        core = _rels(archive, "", "core-properties", path.name)
        if core is None and CORE in archive.NameToInfo:
            core = CORE
        found.core = _parse(archive, core, path.name) if core else None
    return found
