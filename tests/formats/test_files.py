"""What every format shares: the collector held back while a writer builds its document."""

from __future__ import annotations

import gc

import pytest

from kushiro_editor.core.model import ReportError
from kushiro_editor.formats.files import collector_paused
from kushiro_editor.formats.xlsx import writer as xlsx_writer


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_is_held_back_inside_and_runs_again_after(collector):
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_when_the_writer_fails(collector):
    gc.enable()
    with pytest.raises(ReportError), collector_paused():
        raise ReportError("書き出せません")
    assert gc.isenabled()


def test_a_collector_held_back_by_the_program_stays_so(collector):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_the_excel_export_builds_and_saves_with_the_collector_held_back(
    collector, monkeypatch, tmp_path, sample_result
):
    gc.enable()
    seen = []
    build = xlsx_writer.build

    def recording(report, options=None):
        seen.append(gc.isenabled())
        return build(report, options)

    monkeypatch.setattr(xlsx_writer, "build", recording)
    xlsx_writer.write_file(sample_result.report, tmp_path / "r.xlsx")
    assert seen == [False]
    assert gc.isenabled()
    assert (tmp_path / "r.xlsx").stat().st_size > 0
