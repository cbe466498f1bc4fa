"""A whole store copied between a file and a server, both ways, identically."""

from __future__ import annotations

import pytest

from kushiro_editor.core import inquiryrecord, storecopy
from kushiro_editor.core.inquiry import PackSent
from kushiro_editor.core.kpi import demo
from kushiro_editor.core.model import ReportError
from kushiro_editor.core.store import Store


def _rich_store(location, sample_result) -> Store:
    store = Store(location)
    store.save(demo.demo_report(sample_result.report), sample_result.warnings)
    store.set_notation_rules('{"version": 1}')
    inquiryrecord.record_packs(store, 2020, [PackSent("水産課", "2021-05-10", rows=3)])
    return store


def test_a_file_goes_to_the_server_and_back_identically(tmp_path, pg_url, sample_result):
    with _rich_store(tmp_path / "a.sqlite3", sample_result) as first:
        expected = storecopy.contents(first)
        with Store(pg_url) as server:
            counts = storecopy.copy(first, server)
            assert storecopy.contents(server) == expected
            with Store(tmp_path / "b.sqlite3") as back:
                storecopy.copy(server, back)
                assert storecopy.contents(back) == expected
                assert back.load(2020) == first.load(2020)
    assert counts["kpi"] == 47 and counts["entry"] == 70
    assert counts["import_warning"] == len(sample_result.warnings)


def test_the_server_numbers_on_after_a_copy(tmp_path, pg_url, sample_result):
    with _rich_store(tmp_path / "a.sqlite3", sample_result) as first, Store(pg_url) as server:
        storecopy.copy(first, server)
        report = server.load(2020)
        report.actual_year = 2021
        server.save(report, sample_result.warnings)  # new warnings get fresh numbers
        assert len(server.warnings(2021)) == len(sample_result.warnings)


def test_a_target_with_a_report_is_refused_and_unchanged(tmp_path, pg_url, sample_result):
    first = _rich_store(tmp_path / "a.sqlite3", sample_result)
    with first, _rich_store(pg_url, sample_result) as server:
        before = storecopy.contents(server)
        with pytest.raises(ReportError, match="すでに報告があります"):
            storecopy.copy(first, server)
        assert storecopy.contents(server) == before
