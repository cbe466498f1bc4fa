"""The one table of file formats: what the editor reads and writes, and how.

The window's file dialogs, the command line's ``import``/``export`` and
``formats.read_file``/``write_file`` all read this table, so a new format is
one ``Format`` here plus its reader or writer module. Readers and writers are
named by module path and loaded only when a file of their kind is read or
written: the command line starts without openpyxl, python-docx or ReportLab.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.model import ImportResult, ImportWarning, Report, ReportError

if TYPE_CHECKING:
    from .opendata import Publisher
    from .table.layout import ExportOptions

logger = logging.getLogger(__name__)

# What a writer may take besides the report and the path.
LAYOUT = "layout"  # fonts and size (ExportOptions): the laid-out documents
WARNINGS = "warnings"  # the import's notes, kept beside the report
PUBLISHER = "publisher"  # the municipality's code and name (opendata.Publisher)


@dataclass(frozen=True)
class Format:
    """One file format: its suffixes, its names, its reader and writer."""

    key: str  # the command line's --KEY and the window's export kind
    suffixes: tuple[str, ...]  # lower case, the first one is given to files written
    label: str  # the kind of file, as the file dialogs name it
    name: str  # the short name in 「Word で書き出し」
    reader: str | None = None  # "module:function", relative to this package
    writer: str | None = None
    options: tuple[str, ...] = ()  # what the writer takes: LAYOUT, WARNINGS
    purpose: str = ""  # what a written file is for (status tip, --help)
    # A document handed in or published counts as the year's export (作業の流れ).
    published: bool = False
    # Read back, a written file gives the whole report (the open data keeps only the
    # department rows' texts; the web page is not read).
    whole: bool = True
    # A second file the writer may write beside the first, named by this ending
    # (the open data's KPIs: 「報告_指標.csv」); an export's targets check it too.
    companion: str = ""

    def companions(self, path: Path) -> tuple[Path, ...]:
        """The files written beside ``path`` (when the report has what they hold)."""
        if not self.companion:
            return ()
        return (path.with_name(f"{path.stem}{self.companion}{path.suffix}"),)

    @property
    def suffix(self) -> str:
        """The suffix a written file is given."""
        return self.suffixes[0]

    @property
    def patterns(self) -> str:
        """「*.tsv *.txt」: the file dialog's patterns."""
        return " ".join(f"*{suffix}" for suffix in self.suffixes)

    @property
    def dialog_filter(self) -> str:
        """「Word 文書 (*.docx)」: one entry of a file dialog's filter."""
        return f"{self.label} ({self.patterns})"

    def read(self, path: Path, *, actual_year: int | None = None) -> ImportResult:
        """Read ``path`` with this format's reader."""
        if self.reader is None:
            raise ReportError(f"{path.name} は{self.label}として読み込めません。")
        return _load(self.reader)(path, actual_year=actual_year)

    def write(
        self,
        report: Report,
        path: Path,
        options: ExportOptions | None = None,
        warnings: list[ImportWarning] | None = None,
        publisher: Publisher | None = None,
    ) -> None:
        """Write ``report`` to ``path`` in this format, whatever the path's suffix."""
        if self.writer is None:
            raise ReportError(f"{self.label}には書き出せません。")
        given: dict[str, object] = {}
        if LAYOUT in self.options:
            given["options"] = options
        if WARNINGS in self.options:
            given["warnings"] = warnings
        if PUBLISHER in self.options:
            given["publisher"] = publisher
        _load(self.writer)(report, path, **given)


FORMATS: tuple[Format, ...] = (
    Format(
        "docx",
        (".docx",),
        "Word 文書",
        "Word",
        reader=".docx.reader:read_file",
        writer=".docx.writer:write_file",
        options=(LAYOUT,),
        purpose="提出用の Word の表を書き出します",
        published=True,
    ),
    Format(
        "xlsx",
        (".xlsx",),
        "Excel ブック",
        "Excel",
        reader=".xlsx.reader:read_file",
        writer=".xlsx.writer:write_file",
        options=(LAYOUT,),
        purpose="公開用の Excel を書き出します",
        published=True,
    ),
    Format(
        "pdf",
        (".pdf",),
        "PDF",
        "PDF",
        reader=".pdf.reader:read_file",
        writer=".pdf.writer:write_file",
        options=(LAYOUT,),
        purpose="公表用の PDF を書き出します(Word の表と同じ様式)",
        published=True,
    ),
    Format(
        "html",
        (".html", ".htm"),
        "Web ページ",
        "Web ページ",
        writer=".webpage:write_file",
        options=(PUBLISHER,),
        whole=False,
        purpose="市のホームページに載せる、読み上げに対応した Web ページを書き出します",
        published=True,
    ),
    Format(
        "csv",
        (".csv",),
        "オープンデータ CSV",
        "CSV",
        reader=".opendata:read_file",
        writer=".opendata:write_file",
        options=(PUBLISHER,),
        whole=False,
        purpose="オープンデータの CSV(UTF-8、1部署1行。指標があれば指標の CSV も)を書き出します",
        companion="_指標",
        published=True,
    ),
    # A macro-enabled book or a template is an ordinary book to read: read, never
    # written (an export keeps .docx/.xlsx); the macros are neither run nor kept.
    Format(
        "docm",
        (".docm", ".dotx", ".dotm"),
        "Word マクロ有効文書・テンプレート",
        "Word",
        reader=".docx.reader:read_file",
    ),
    Format(
        "xlsm",
        (".xlsm", ".xltx", ".xltm"),
        "Excel マクロ有効ブック・テンプレート",
        "Excel",
        reader=".xlsx.reader:read_file",
    ),
    Format("xls", (".xls",), "Excel 97-2003 ブック", "Excel 97-2003", reader=".legacy:read_xls"),
    Format("doc", (".doc",), "Word 97-2003 文書", "Word 97-2003", reader=".legacy:read_doc"),
    Format("tsv", (".tsv", ".txt"), "タブ区切りテキスト", "テキスト", reader=".tsv:read_file"),
    Format(
        "json",
        (".json",),
        "JSON",
        "JSON",
        reader=".reportjson:read_file",
        writer=".reportjson:write",
        options=(WARNINGS,),
        purpose="報告をそのまま JSON で書き出します",
    ),
)


def get(key: str) -> Format:
    """The format of ``key`` (``"docx"``…)."""
    for format_ in FORMATS:
        if format_.key == key:
            return format_
    raise KeyError(key)


def readable() -> tuple[Format, ...]:
    """The formats a report can be read from, in the table's order."""
    return tuple(f for f in FORMATS if f.reader is not None)


def writable() -> tuple[Format, ...]:
    """The formats a report can be written to, in the table's order."""
    return tuple(f for f in FORMATS if f.writer is not None)


def suffixes(formats: tuple[Format, ...]) -> tuple[str, ...]:
    """Every suffix of ``formats``, in order."""
    return tuple(suffix for f in formats for suffix in f.suffixes)


def suffix_list(formats: tuple[Format, ...]) -> str:
    """「.docx .xlsx .pdf …」 for help and messages."""
    return " ".join(suffixes(formats))


def open_filter() -> str:
    """The open dialog's filter: every readable format, then every file."""
    patterns = " ".join(f.patterns for f in readable())
    return f"報告ファイル ({patterns});;すべてのファイル (*)"


def of_path(path: Path, formats: tuple[Format, ...]) -> Format | None:
    """The format among ``formats`` that ``path``'s suffix names, if any."""
    suffix = path.suffix.lower()
    return next((f for f in formats if suffix in f.suffixes), None)


def for_reading(path: Path) -> Format:
    """The format to read ``path`` with; a suffix no reader takes is one Japanese line."""
    format_ = of_path(path, readable())
    if format_ is None:
        raise ReportError(
            f"{path.name} は読み込めない種類のファイルです({suffix_list(readable())} に対応)。"
        )
    return format_


def for_writing(path: Path) -> Format:
    """The format to write ``path`` in; a suffix no writer takes is one Japanese line."""
    format_ = of_path(path, writable())
    if format_ is None:
        raise ReportError(f"{path.name} には書き出せません({suffix_list(writable())} に対応)。")
    return format_


def modules() -> list[str]:
    """Every reader's and writer's module by full name (a frozen build's hidden imports)."""
    references = [r for f in FORMATS for r in (f.reader, f.writer) if r is not None]
    names = {importlib.util.resolve_name(r.partition(":")[0], __package__) for r in references}
    return sorted(names)


def _load(reference: str) -> Callable:
    module, _, function = reference.partition(":")
    return getattr(importlib.import_module(module, __package__), function)
