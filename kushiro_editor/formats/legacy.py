"""Excel 97–2003 (.xls) and Word 97–2003 (.doc): last year's file in an old format.

An .xls book is read with xlrd (values, merged ranges, bold parts, hidden
sheets) and handed to the Excel reader as the same workbook in today's
format, so that one reader makes every guess. A .doc file has no well-kept
Python reader: LibreOffice converts it to .docx when it is installed;
otherwise one message says how to save it as .docx in Word.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..core.model import ImportResult, ReportError
from .files import MAX_TEXT_BYTES, check_regular

logger = logging.getLogger(__name__)

SAVE_AS_DOCX = (
    "Word で開き、「ファイル」→「名前を付けて保存」で種類に「Word 文書 (*.docx)」を選んで"
    "保存し直してから読み込んでください。"
)
CONVERT_TIMEOUT = 180  # seconds LibreOffice may take to convert one file
# Where LibreOffice is installed on Windows when it is not on the PATH.
WINDOWS_SOFFICE = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def read_xls(path: Path, *, actual_year: int | None = None) -> ImportResult:
    """Read an Excel 97–2003 book holding the report table."""
    import xlrd

    _check_size(path)
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, xlrd.compdoc.CompDocError, ValueError, IndexError) as exc:
        raise ReportError(
            f"{path.name} を Excel 97-2003 のブックとして読めません({exc})。"
        ) from exc
    try:
        with tempfile.TemporaryDirectory(prefix="kushiro-xls-") as folder:
            converted = Path(folder) / f"{path.stem}.xlsx"
            _as_xlsx(book, converted)
            from .xlsx.reader import read_file

            return read_file(converted, actual_year=actual_year)
    finally:
        book.release_resources()


def _as_xlsx(book, target: Path) -> None:
    """The .xls book written as an .xlsx with the same cells, merges, bold and hidden sheets."""
    from openpyxl import Workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from .xlsx.cells import safe_text

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index in range(book.nsheets):
        source = book.sheet_by_index(index)
        sheet = workbook.create_sheet(source.name[:31] or f"Sheet{index + 1}")
        if source.visibility:
            sheet.sheet_state = "hidden" if source.visibility == 1 else "veryHidden"
        for row in range(source.nrows):
            for column in range(source.ncols):
                value = source.cell_value(row, column)
                if value in ("", None):
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, str):
                    bold_parts = _bold_parts(book, source, row, column, value)
                    if bold_parts is not None:
                        bold = InlineFont(b=True)
                        value = CellRichText(
                            *(
                                TextBlock(bold, safe_text(text)) if is_bold else safe_text(text)
                                for text, is_bold in bold_parts
                                if text
                            )
                        )
                    else:
                        value = safe_text(value)
                sheet.cell(row=row + 1, column=column + 1, value=value)
        for first_row, last_row, first_col, last_col in source.merged_cells:
            # xlrd's ends are exclusive; a range of one cell is no merge.
            if (last_row - first_row) * (last_col - first_col) > 1:
                sheet.merge_cells(
                    start_row=first_row + 1,
                    start_column=first_col + 1,
                    end_row=last_row,
                    end_column=last_col,
                )
    workbook.save(target)


def _bold_parts(book, sheet, row: int, column: int, text: str) -> list[tuple[str, bool]] | None:
    """A cell's text cut into (text, bold) parts, or None when nothing in it is bold."""
    xf = book.xf_list[sheet.cell_xf_index(row, column)]
    cell_bold = bool(book.font_list[xf.font_index].bold)
    runs = sheet.rich_text_runlist_map.get((row, column))
    if not runs:
        return [(text, True)] if cell_bold else None
    parts = []
    starts = [(0, xf.font_index), *runs]
    for (start, font), (end, _next) in zip(starts, [*starts[1:], (len(text), 0)], strict=True):
        parts.append((text[start:end], bool(book.font_list[font].bold)))
    return parts if any(bold for _text, bold in parts) else None


def _check_size(path: Path) -> None:
    """Refuse a missing file, or one far larger than any report (an old format is read whole)."""
    size = check_regular(path).st_size
    if size > MAX_TEXT_BYTES:
        raise ReportError(f"{path.name} は大きすぎるため読めません。")


def soffice_command() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in WINDOWS_SOFFICE if Path(p).exists()), None)


def read_doc(path: Path, *, actual_year: int | None = None) -> ImportResult:
    """Read a Word 97–2003 file, converted to .docx by LibreOffice when it is installed."""
    _check_size(path)
    program = soffice_command()
    if program is None:
        raise ReportError(
            f"{path.name} は古い Word 形式(.doc)のため、そのままでは読み込めません。" + SAVE_AS_DOCX
        )
    with tempfile.TemporaryDirectory(prefix="kushiro-doc-") as folder:
        work = Path(folder)
        source = work / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        profile = (work / "profile").as_uri()  # a private profile: works beside an open LibreOffice
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            _convert(command, work)
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("LibreOffice could not convert %s: %s", path, exc)
            raise ReportError(
                f"{path.name} を LibreOffice で .docx に変換できませんでした。" + SAVE_AS_DOCX
            ) from exc
        converted = work / "source.docx"
        if not converted.exists():
            raise ReportError(
                f"{path.name} を LibreOffice で .docx に変換できませんでした。" + SAVE_AS_DOCX
            )
        from .docx.reader import read_file

        return read_file(converted, actual_year=actual_year)


def _convert(command: list[str], work: Path) -> None:
    """Run LibreOffice; on a timeout, end it with every process it started.

    soffice hands the work to a child (oosplash → soffice.bin): killing only
    the process started would leave the converter running, holding the file
    and the CPU. In a session of its own, the whole group is ended at once.
    """
    posix = os.name == "posix"
    with subprocess.Popen(
        command,
        cwd=work,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=posix,
    ) as process:
        try:
            _out, err = process.communicate(timeout=CONVERT_TIMEOUT)
        except subprocess.TimeoutExpired:
            if posix:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            # Not communicate(): a worker that escaped the group may hold the pipes open.
            process.wait()
            raise
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command, stderr=err)
