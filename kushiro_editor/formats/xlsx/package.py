"""The workbook's package as openpyxl is given it: the part the relationships name, Strict mapped.

openpyxl takes the workbook from ``[Content_Types].xml`` (the first part
typed as a workbook, else ``xl/workbook.xml``), its shared strings from the
first part typed so and its styles from ``xl/styles.xml``; it does not open
a Strict workbook at all (it finds no sheet and only warns). A package
whose content types already name exactly the workbook ``_rels/.rels``
names, in the transitional namespaces, is read as it is; any other is
copied in memory with its XML parts mapped to the transitional names and
its content types and styles made to point where the relationships do.
The copy is bounded: ``open_zip`` has refused a package that unpacks too
far.
"""

from __future__ import annotations

import io
import logging
import zipfile
from xml.sax.saxutils import quoteattr

from ...core.model import ReportError
from .. import ooxml
from ..files import read_member

logger = logging.getLogger(__name__)

CONTENT_TYPES = "[Content_Types].xml"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# An ordinary book, a macro-enabled one, a template and a macro-enabled template.
WORKBOOK_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
STYLES = "xl/styles.xml"  # where openpyxl reads the styles, whatever the workbook names
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def workbook_part(archive: zipfile.ZipFile, name: str) -> str:
    """The part ``_rels/.rels`` names as the workbook; ReportError when there is none."""
    part = ooxml.main_part(archive)
    if part is None:
        raise ReportError(
            f"{name} は Excel のブックではないか、壊れています(ブックの本体が見つかりません)。"
        )
    if ooxml.parse_part(archive, part).tag != f"{{{SPREADSHEET}}}workbook":
        # A Word document or another package under an Excel name.
        raise ReportError(f"{name} は Excel のブックではありません。")
    return part


def _types(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(extension, type) of each Default and (part, type) of each Override, in order."""
    if CONTENT_TYPES not in archive.NameToInfo:
        return [], []
    root = ooxml.parse_part(archive, CONTENT_TYPES)
    defaults = [
        (item.get("Extension", ""), item.get("ContentType", ""))
        for item in root.iter(f"{{{_TYPES_NS}}}Default")
    ]
    overrides = [
        (item.get("PartName", "").lstrip("/"), item.get("ContentType", ""))
        for item in root.iter(f"{{{_TYPES_NS}}}Override")
    ]
    return defaults, overrides


def _content_types(
    defaults: list[tuple[str, str]],
    overrides: list[tuple[str, str]],
    book: str,
    strings: str | None,
) -> bytes:
    """Content types naming ``book`` as the only workbook and ``strings`` as its shared strings."""
    book_type = dict(overrides).get(book)
    if book_type not in WORKBOOK_TYPES:
        # The type another part was given (a macro-enabled book stays one), else a plain book.
        book_type = next((t for _p, t in overrides if t in WORKBOOK_TYPES), WORKBOOK_TYPES[0])
    kept = [(p, t) for p, t in overrides if t not in (*WORKBOOK_TYPES, SHARED_STRINGS_TYPE)]
    kept.append((book, book_type))
    if strings is not None:
        kept.append((strings, SHARED_STRINGS_TYPE))
    items = [
        f"<Default Extension={quoteattr(e)} ContentType={quoteattr(t)}/>"
        for e, t in defaults
        if t not in WORKBOOK_TYPES
    ]
    items += [
        f"<Override PartName={quoteattr('/' + p)} ContentType={quoteattr(t)}/>" for p, t in kept
    ]
    return f'<Types xmlns="{_TYPES_NS}">{"".join(items)}</Types>'.encode()


def readable_copy(archive: zipfile.ZipFile, book: str) -> io.BytesIO | None:
    """The package rewritten for openpyxl, or None when it reads the file as it is."""
    strict = ooxml.is_strict(read_member(archive, book))
    defaults, overrides = _types(archive)
    strings = next(iter(ooxml.related(archive, book, "sharedStrings")), None)
    styles = next(iter(ooxml.related(archive, book, "styles")), None)
    typed_books = [p for p, t in overrides if t in WORKBOOK_TYPES]
    typed_strings = [p for p, t in overrides if t == SHARED_STRINGS_TYPE]
    plain = (
        not strict
        and typed_books == [book]
        and not any(t in WORKBOOK_TYPES for _e, t in defaults)
        and typed_strings == ([strings] if strings else [])
        and (styles == STYLES or (styles is None and STYLES not in archive.NameToInfo))
    )
    if plain:
        return None
    logger.info(
        "reading a copy of the package (strict: %s, workbook: %s, named by type: %s)",
        strict,
        book,
        typed_books,
    )
    copy = io.BytesIO()
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        written = {CONTENT_TYPES, STYLES}
        for info in archive.infolist():
            name = info.filename
            if name in written or info.is_dir():
                continue  # a name held twice reads as its last copy, once
            written.add(name)
            data = read_member(archive, name)
            out.writestr(name, ooxml.transitional(data) if name.endswith(_XML_SUFFIXES) else data)
        out.writestr(CONTENT_TYPES, _content_types(defaults, overrides, book, strings))
        if styles is not None:
            out.writestr(STYLES, ooxml.read_part(archive, styles))
    copy.seek(0)
    return copy
