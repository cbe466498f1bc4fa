"""Excel cells ⇄ rich text, and opening an untrusted workbook safely.

Shared by the report's Excel reader and writer and by the inquiry packs: a
cell holds lines (no paragraphs or list items), bold parts as openpyxl rich
text.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..core import richtext
from ..core.model import ReportError
from ..core.richtext import Block, Run
from .common import open_zip

logger = logging.getLogger(__name__)


def safe_text(text: str) -> str:
    """Text with the characters a cell cannot hold removed."""
    return richtext.clean_text(text)


def cell_value(blocks: tuple[Block, ...] | list[Block], bold_font):
    """A cell's value: plain text, or rich text when something is bold."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    parts: list[Run] = []
    for index, block in enumerate(blocks):
        if index:
            parts.append(Run("\n"))
        parts.extend(block.runs)
    if not any(run.bold for run in parts):
        return safe_text("".join(run.text for run in parts))
    rich = CellRichText()
    for run in parts:
        text = safe_text(run.text)
        if text:
            rich.append(TextBlock(bold_font, text) if run.bold else text)
    return rich


def cell_runs(value) -> list[Run]:
    """A cell's value as runs (rich text keeps its bold parts)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock

    if value is None:
        return []
    if isinstance(value, CellRichText):
        runs = []
        for part in value:
            if isinstance(part, TextBlock):
                bold = bool(part.font is not None and part.font.b)
                runs.append(Run(part.text or "", bold))
            else:
                runs.append(Run(str(part)))
        return runs
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [Run(str(value))]


def blocks_from_runs(runs: list[Run]) -> list[Block]:
    """Lines of a cell as paragraphs; 「・」 lines as list items."""
    blocks: list[Block] = []
    current: list[Run] = []

    def close() -> None:
        if current:
            text = "".join(r.text for r in current).lstrip(" \u3000")
            blocks.append(Block("li" if text.startswith("・") else "p", tuple(current)))
        current.clear()

    for run in runs:
        pieces = run.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for index, piece in enumerate(pieces):
            if index:
                close()
            if piece:
                current.append(Run(piece, run.bold))
    close()
    return blocks


def caused_by(exc: BaseException, kind: type) -> bool:
    """True when ``kind`` is among the exceptions that led to ``exc``."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def open_workbook(path: Path, what: str = "Excel のブック"):
    """An untrusted workbook, opened safely, or one ReportError saying why not.

    The zip is checked first (size, members, ratio); openpyxl parses with
    defusedxml, which it uses when installed (a dependency).
    """
    import zipfile

    from defusedxml.common import DefusedXmlException
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    with open_zip(path, "Excel") as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise ReportError(f"{path.name} は Excel のブックではありません。")
    try:
        # Not read_only: that mode loses merged cells.
        return load_workbook(path, rich_text=True, data_only=True)
    except DefusedXmlException as exc:  # a ValueError: caught before the others
        raise ReportError(
            f"{path.name} には安全でない XML が含まれているため読み込みません。"
        ) from exc
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
        AttributeError,
        SyntaxError,
    ) as exc:
        if caused_by(exc, DefusedXmlException):  # openpyxl wraps the refusal
            raise ReportError(
                f"{path.name} には安全でない XML が含まれているため読み込みません。"
            ) from exc
        raise ReportError(f"{path.name} を{what}として読めません({type(exc).__name__})。") from exc
