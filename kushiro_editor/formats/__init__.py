"""File formats: a reader and a writer per format, chosen by the file's extension.

``read_file`` and ``write_file`` are the doors; each office format has its
``*_reader`` and ``*_writer`` module with the same two functions.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import ImportResult, ImportWarning, Report, ReportError

if TYPE_CHECKING:
    from .table.layout import ExportOptions

logger = logging.getLogger(__name__)

READABLE = (".tsv", ".txt", ".json", ".docx", ".xlsx", ".pdf", ".xls", ".doc")
WRITABLE = (".docx", ".xlsx", ".pdf", ".json")


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read a report from any supported file, chosen by its extension.

    Whatever the file holds, the result is a report or one ReportError: a
    reader's unexpected exception (a damaged file no check foresaw) is logged
    and reported as a damaged file, never passed on.
    """
    path = Path(path)
    try:
        return _read(path, actual_year)
    except ReportError:
        raise
    except RecursionError as exc:
        raise ReportError(f"{path.name} は入れ子が深すぎるため読めません。") from exc
    except MemoryError as exc:
        raise ReportError(f"{path.name} は大きすぎるため読めません。") from exc
    except Exception as exc:
        logger.exception("unexpected error reading %s", path)
        raise ReportError(
            f"{path.name} を読めませんでした。ファイルが壊れているか、"
            f"想定していない作りです({type(exc).__name__})。"
        ) from exc


def _read(path: Path, actual_year: int | None) -> ImportResult:
    suffix = path.suffix.lower()
    if suffix not in READABLE:
        raise ReportError(
            f"{path.name} は読み込めない種類のファイルです"
            "(.docx .xlsx .doc .xls .pdf .tsv .txt .json に対応)。"
        )
    if suffix in (".xls", ".doc"):
        from .legacy import read_doc, read_xls

        read_old = read_xls if suffix == ".xls" else read_doc
        return read_old(path, actual_year=actual_year)
    if suffix == ".pdf":
        from .pdf.reader import read_file as read_pdf

        return read_pdf(path, actual_year=actual_year)
    if suffix in (".docx", ".xlsx"):
        if suffix == ".docx":
            from .docx import reader
        else:
            from .xlsx import reader
        return reader.read_file(path, actual_year=actual_year)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReportError(f"ファイルが見つかりません: {path}") from exc
    except IsADirectoryError as exc:
        raise ReportError(f"フォルダーは読み込めません: {path}") from exc
    except OSError as exc:
        raise ReportError(f"ファイルを読めません: {path} ({exc.strerror})") from exc
    if not data.strip():
        raise ReportError(f"ファイルが空です: {path.name}")
    if suffix == ".json":
        from . import reportjson

        result = reportjson.read(data)
        if actual_year is not None:
            result.report.actual_year = actual_year
        return result
    from . import tsv

    return tsv.read(data, actual_year=actual_year)


def write_file(
    report: Report,
    path: Path | str,
    options: ExportOptions | None = None,
    *,
    warnings: list[ImportWarning] | None = None,
) -> None:
    """Write the report to a .docx, .xlsx, .pdf or .json file, chosen by its extension.

    ``options`` (fonts, size) shape the office formats; ``warnings`` (the
    import's notes) travel only in JSON.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import writer as docx_writer

        docx_writer.write_file(report, path, options)
    elif suffix == ".xlsx":
        from .xlsx import writer as xlsx_writer

        xlsx_writer.write_file(report, path, options)
    elif suffix == ".pdf":
        from .pdf import writer as pdf_writer

        pdf_writer.write_file(report, path, options)
    elif suffix == ".json":
        from . import reportjson

        reportjson.write(report, path, warnings)
    else:
        raise ReportError(f"{path.name} には書き出せません(.docx .xlsx .pdf .json に対応)。")
