"""The one table of formats: read_file, write_file, the window's dialogs and the command line."""

from __future__ import annotations

import importlib
import re
import zipfile

import pytest
from PySide6.QtWidgets import QFileDialog

from kushiro_editor.cli import main as cli
from kushiro_editor.core.model import ImportResult, ReportError
from kushiro_editor.formats import read_file, registry, write_file
from tests.formats.corpus import EXPECTED_ENTRIES, Variant, write_docx, write_xlsx
from tests.formats.handmade import content, entry_texts

READABLE_SUFFIXES = registry.suffixes(registry.readable())
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _function(reference):
    """The module and name a registry reference points at (so a test can stand in for it)."""
    module, _, name = reference.partition(":")
    return importlib.import_module(module, "kushiro_editor.formats"), name


def test_the_table_names_each_suffix_and_key_once():
    keys = [f.key for f in registry.FORMATS]
    suffixes = registry.suffixes(registry.FORMATS)
    assert len(keys) == len(set(keys))
    assert len(suffixes) == len(set(suffixes))
    assert all(s == s.lower() and s.startswith(".") for s in suffixes)
    assert {".docx", ".xlsx", ".pdf", ".xls", ".doc", ".tsv", ".txt", ".json"} <= set(suffixes)
    assert {".docm", ".dotx", ".xlsm", ".xltx", ".xltm"} <= set(suffixes)


def test_every_reference_names_a_function_that_exists():
    references = [r for f in registry.FORMATS for r in (f.reader, f.writer) if r]
    for reference in references:
        module, name = _function(reference)
        assert callable(getattr(module, name)), reference
    # The frozen build bundles exactly these modules.
    assert registry.modules() == sorted({_function(r)[0].__name__ for r in references})


@pytest.mark.parametrize("suffix", [*READABLE_SUFFIXES, ".DOCX", ".Json"])
def test_every_readable_suffix_reaches_its_reader(tmp_path, monkeypatch, suffix):
    format_ = registry.of_path(tmp_path / f"x{suffix}", registry.readable())
    assert format_ is not None and format_.reader
    module, name = _function(format_.reader)
    calls = []
    answer = ImportResult(report=None, warnings=[])

    def reader(path, *, actual_year=None):
        calls.append((path.name, actual_year))
        return answer

    monkeypatch.setattr(module, name, reader)
    (tmp_path / f"last{suffix}").write_bytes(b"x")  # only a file that is there is read
    assert read_file(tmp_path / f"last{suffix}", actual_year=2021) is answer
    assert calls == [(f"last{suffix}", 2021)]


@pytest.mark.parametrize("key", [f.key for f in registry.writable() if f.whole])
def test_every_writer_writes_what_its_reader_reads_back(tmp_path, sample_result, key):
    format_ = registry.get(key)
    path = tmp_path / f"report{format_.suffix}"
    write_file(sample_result.report, path)
    assert path.stat().st_size > 0
    assert content(read_file(path).report) == content(sample_result.report)


@pytest.mark.parametrize("name", ["report.odt", "report.docx.bak", "report", "レポート.ods"])
def test_a_suffix_not_in_the_registry_is_refused_with_one_japanese_line(
    tmp_path, sample_result, name
):
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf\xe5\x9f\xba\xe6\x9c\xac\n")
    with pytest.raises(ReportError) as refused:
        read_file(path)
    message = str(refused.value)
    assert "\n" not in message and JAPANESE.search(message)
    assert name in message and "読み込めない種類" in message
    assert all(suffix in message for suffix in READABLE_SUFFIXES)
    with pytest.raises(ReportError, match="書き出せません") as refused:
        write_file(sample_result.report, tmp_path / f"out-{name}")
    assert "\n" not in str(refused.value) and not (tmp_path / f"out-{name}").exists()


def test_the_partial_writers_are_the_open_data_and_the_web_page():
    # Their round trips are pinned in test_opendata.py (the texts) and test_webpage.py.
    assert {f.key for f in registry.writable() if not f.whole} == {"csv", "html"}


def test_the_command_line_refuses_an_unknown_suffix_in_one_line(tmp_path, capsys):
    path = tmp_path / "report.odt"
    path.write_text("基本目標", encoding="utf-8")
    assert cli.main(["import", str(path), "--db", str(tmp_path / "x.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kushiro-editor: エラー: report.odt は")
    assert not (tmp_path / "x.sqlite3").exists()


def _subparser(parser, *names):
    for name in names:
        action = next(a for a in parser._actions if a.dest in ("command", "action"))
        parser = action.choices[name]
    return parser


def test_the_command_line_export_options_are_the_registry_writers():
    export = _subparser(cli.build_parser(), "export")
    outputs = {
        option
        for action in export._actions
        if action.metavar == "OUT"
        for option in action.option_strings
    }
    assert outputs == {f"--{f.key}" for f in registry.writable()}
    assert not {f"--{f.key}" for f in registry.FORMATS if f.writer is None} & outputs


def test_export_without_an_output_names_every_writer(tmp_path, capsys):
    assert cli.main(["export", "--db", str(tmp_path / "none.sqlite3")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    for format_ in registry.writable():
        assert f"--{format_.key}" in err


def test_import_help_lists_every_readable_suffix(capsys):
    with pytest.raises(SystemExit):
        cli.main(["import", "-h"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps a long line
    assert registry.suffix_list(registry.readable()) in out


def _patterns(dialog_filter):
    """The patterns of a dialog filter's first entry: 「報告ファイル (*.docx *.xlsx)」."""
    first = dialog_filter.split(";;")[0]
    return first[first.index("(") + 1 : first.rindex(")")].split()


@pytest.fixture
def asked(monkeypatch):
    """The filters the window's file dialogs were opened with (each dialog is cancelled)."""
    filters = []

    def fake(_parent, _caption, _start, dialog_filter, *args, **kwargs):
        filters.append(dialog_filter)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return filters


def test_the_windows_open_dialogs_list_exactly_the_registry_formats(
    make_window, sample_store, store_path, asked
):
    from kushiro_editor.gui.year.dialogs import RolloverDialog

    window = make_window(store_path)
    window.files.act_import.trigger()
    window.year.prefill_dialog()
    RolloverDialog([2020], "", window)._browse()
    assert len(asked) == 3
    for dialog_filter in asked:
        assert _patterns(dialog_filter) == [f"*{s}" for s in READABLE_SUFFIXES]
        assert dialog_filter.endswith(";;すべてのファイル (*)")


def test_the_windows_export_actions_are_the_registry_writers(
    make_window, sample_store, store_path, asked, qtbot
):
    from kushiro_editor.gui.files.precheck import SUBMISSION_KEYS
    from tests.gui.conftest import answer_precheck

    window = make_window(store_path)
    assert list(window.files.export_actions) == [f.key for f in registry.writable()]
    for format_ in registry.writable():
        action = window.files.export_actions[format_.key]
        assert action.text().startswith(f"{format_.name} で書き出し")
        before = len(asked)
        if format_.key in SUBMISSION_KEYS:
            # The sample's open findings are shown first: export anyway.
            answer_precheck(lambda dialog: dialog.export_button.click())
        action.trigger()
        qtbot.waitUntil(lambda before=before: len(asked) > before, timeout=30000)
        assert asked[-1] == format_.dialog_filter
        assert _patterns(asked[-1]) == [f"*{s}" for s in format_.suffixes]


MACRO_AND_TEMPLATE = {".docm": "docx", ".dotx": "docx", ".xlsm": "xlsx", ".xltx": "xlsx"}
MACRO_AND_TEMPLATE |= {".xltm": "xlsx", ".dotm": "docx"}


@pytest.mark.parametrize("suffix", sorted(MACRO_AND_TEMPLATE))
def test_macro_enabled_files_and_templates_are_read_never_written(tmp_path, sample_result, suffix):
    """Read by the reader of their ordinary kind; an export keeps .docx or .xlsx."""
    usual = registry.get(MACRO_AND_TEMPLATE[suffix])
    assert registry.for_reading(tmp_path / f"last{suffix}").reader == usual.reader
    assert f"*{suffix}" in _patterns(registry.open_filter())
    assert suffix in registry.suffix_list(registry.readable())
    assert suffix not in usual.dialog_filter
    with pytest.raises(ReportError, match="書き出せません"):
        write_file(sample_result.report, tmp_path / f"out{suffix}")
    assert not (tmp_path / f"out{suffix}").exists()


WORD_TYPES = {
    ".docm": "application/vnd.ms-word.document.macroEnabled.main+xml",
    ".dotx": "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.mark.parametrize("suffix", sorted(WORD_TYPES))
def test_a_macro_enabled_word_document_reads_as_a_document(tmp_path, suffix):
    source = tmp_path / "corpus.docx"
    write_docx(source, Variant())
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        DOCX_TYPE.encode(), WORD_TYPES[suffix].encode()
    )
    files["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Sub AutoOpen()" * 40
    path = tmp_path / f"last-year{suffix}"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    assert entry_texts(read_file(path).report) == EXPECTED_ENTRIES


def test_the_command_line_imports_a_macro_enabled_book(tmp_path, capsys):
    path = tmp_path / "前年度.xlsm"
    write_xlsx(path.with_suffix(".xlsx"), Variant())
    path.with_suffix(".xlsx").rename(path)
    assert cli.main(["import", str(path), "--db", str(tmp_path / "x.sqlite3")]) == 0
    assert capsys.readouterr().err == ""
    assert (tmp_path / "x.sqlite3").exists()
