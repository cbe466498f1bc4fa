"""File formats: a reader and a writer per format, chosen by the file's extension.

``read_file`` and ``write_file`` are the doors; which module reads or writes
which suffix is the table in ``registry``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import ImportResult, ImportWarning, Report, ReportError
from . import registry
from .files import check_regular

if TYPE_CHECKING:
    from .table.layout import ExportOptions

logger = logging.getLogger(__name__)


def read_file(path: Path | str, *, actual_year: int | None = None) -> ImportResult:
    """Read a report from any file the registry reads, chosen by its extension.

    Whatever the file holds, the result is a report or one ReportError: a
    reader's unexpected exception (a damaged file no check foresaw) is logged
    and reported as a damaged file, never passed on.
    """
    path = Path(path)
    format_ = registry.for_reading(path)
    # Whatever the suffix: a folder, a pipe or a device is refused before any reader opens it.
    check_regular(path)
    try:
        return format_.read(path, actual_year=actual_year)
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


def write_file(
    report: Report,
    path: Path | str,
    options: ExportOptions | None = None,
    *,
    warnings: list[ImportWarning] | None = None,
) -> None:
    """Write the report in the registry's format of the path's extension.

    ``options`` (fonts, size) shape the office formats; ``warnings`` (the
    import's notes) travel only in JSON.
    """
    path = Path(path)
    registry.for_writing(path).write(report, path, options, warnings)
