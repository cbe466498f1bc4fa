"""Workbooks as other programs store them: every text cell as shared rich text.

LibreOffice, on a PC whose fonts differ for Japanese and Latin letters (no MS
fonts), stores a cell that mixes scripts as rich text, one run per script,
each naming its font, in the shared strings; Excel does the same for a cell
typed with two fonts. openpyxl writes rich text inline, so the copy made here
moves every cell's text into the shared strings afterwards, as those programs
do.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

LATIN = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")
FONTS = {True: "Noto Sans CJK JP", False: "Liberation Serif"}


def _script_runs(value) -> CellRichText:
    """A cell's text cut where the script changes, each part with its own font; bold kept."""
    parts = value if isinstance(value, CellRichText) else [value]
    rich = CellRichText()
    for part in parts:
        text = part.text if isinstance(part, TextBlock) else str(part)
        bold = bool(isinstance(part, TextBlock) and part.font is not None and part.font.b)
        for piece in LATIN.findall(text):
            font = InlineFont(rFont=FONTS[not piece.isascii()], sz=10.5, b=bold or None)
            rich.append(TextBlock(font, piece))
    return rich


def _inline_to_shared(path: Path) -> None:
    """Move every inline string into the shared strings, as office suites store text."""
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    existing_names = set(files)
    existing = files.get("xl/sharedStrings.xml", b"").decode()
    items = [m[1] for m in re.finditer(r"<si>(.*?)</si>", existing, re.S)]
    inline = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)

    def move(match: re.Match) -> str:
        items.append(match[3])
        return f'<c {match[1]}t="s"{match[2]}><v>{len(items) - 1}</v></c>'

    for name in list(files):
        if name.startswith("xl/worksheets/sheet"):
            files[name] = inline.sub(move, files[name].decode()).encode()
    body = "".join(f"<si>{item}</si>" for item in items)
    files["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>'
    ).encode()
    if "xl/sharedStrings.xml" not in existing_names:
        # openpyxl left them out when it had no plain strings to share.
        files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            b"</Relationships>",
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def resave_as_rich_text(source: Path, target: Path, *, hidden_state: str = "hidden") -> None:
    """``source`` with every text cell stored as rich text, as another program saves it.

    Very hidden sheets come back merely hidden, as LibreOffice saves them.
    """
    workbook = load_workbook(source, rich_text=True)
    for sheet in workbook.worksheets:
        if sheet.sheet_state == "veryHidden":
            sheet.sheet_state = hidden_state
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str | CellRichText) and str(cell.value):
                    cell.value = _script_runs(cell.value)
    workbook.save(target)
    _inline_to_shared(target)
