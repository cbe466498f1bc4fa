"""One step for the city's website: the PDF, the web page, the CSV and the Excel together
(and the KPIs' CSV when the report has KPIs).

The four files share one name (「R2進捗報告」 by default, a setting), each with its
own suffix, in one folder; every target is checked before any is written, so a
name that would land on the open store or on another output writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from ..core import fiscal
from ..core.kpi.fields import has_kpis
from ..core.model import ImportWarning, Report, ReportError
from . import registry, targets
from .opendata import Publisher
from .table.layout import ExportOptions

# In the order they are written and listed: the printed form first.
KINDS = ("pdf", "html", "csv", "xlsx")
_FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}


def default_name(report: Report) -> str:
    """「R2進捗報告」: the files' shared name when the office has set none."""
    return f"{fiscal.short_label(report.actual_year).removesuffix('年度')}進捗報告"


def outputs(folder: Path, name: str) -> list[tuple[registry.Format, Path]]:
    """The four files' formats and paths; a name Windows cannot use is one Japanese line."""
    name = name.strip()
    if not name or name.strip(".") == "" or set(name) & _FORBIDDEN or len(name) > 100:
        raise ReportError(
            f"公開用のファイル名「{name}」は使えません"
            '(空、100文字を超える名前、\\ / : * ? " < > | を含む名前は使えません)。'
        )
    if not folder.is_dir():
        raise ReportError(f"公開用のフォルダ {folder} がありません。")
    formats = [registry.get(kind) for kind in KINDS]
    return [(format_, folder / f"{name}{format_.suffix}") for format_ in formats]


def write_all(
    report: Report,
    folder: Path,
    name: str,
    store_path: Path | None,
    *,
    options: ExportOptions | None = None,
    warnings: list[ImportWarning] | None = None,
    publisher: Publisher | None = None,
) -> list[Path]:
    """Write the four files; nothing is written unless every target may be."""
    chosen = outputs(folder, name)
    targets.check_outputs([targets.Output.of(f, path) for f, path in chosen], store_path)
    for format_, path in chosen:
        format_.write(report, path, options, warnings, publisher)
    written = [path for _format, path in chosen]
    if has_kpis(report):  # the open data's KPIs, beside its CSV
        written += [beside for format_, path in chosen for beside in format_.companions(path)]
    return written
