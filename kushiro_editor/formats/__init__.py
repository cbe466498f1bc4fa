"""File formats: one module per format, readers and writers side by side."""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.model import ImportResult, ReportError

logger = logging.getLogger(__name__)

READABLE = (".tsv", ".txt", ".json", ".docx", ".xlsx", ".pdf")


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
            "(.docx .xlsx .pdf .tsv .txt .json に対応)。"
        )
    if suffix == ".pdf":
        from .pdf_reader import read_file as read_pdf

        return read_pdf(path, actual_year=actual_year)
    if suffix in (".docx", ".xlsx"):
        if suffix == ".docx":
            from . import docx as reader
        else:
            from . import xlsx as reader
        return reader.read(path, actual_year=actual_year)
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
        from . import json

        result = json.read(data)
        if actual_year is not None:
            result.report.actual_year = actual_year
        return result
    from . import tsv

    return tsv.read(data, actual_year=actual_year)
