"""A report with many entries (five times the sample) survives every format unchanged."""

from __future__ import annotations

import pytest

from benchmarks.synthetic import entry_count, scaled
from kushiro_editor.core.store import Store
from kushiro_editor.formats import read_file, reportjson, write_file
from tests.formats.handmade import content


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    from kushiro_editor.appdata import sample_path

    report = scaled(read_file(sample_path()).report, 5)
    assert entry_count(report) == 350  # 70 rows of departments, five times
    return report


@pytest.mark.parametrize("kind", ["json", "docx", "xlsx"])
def test_many_entries_round_trip(tmp_path, large, kind):
    path = tmp_path / f"large.{kind}"
    write_file(large, path)
    assert content(read_file(path).report) == content(large)


def test_many_entries_through_the_store(tmp_path, large):
    with Store(tmp_path / "s.sqlite3") as store:
        store.save(large)
        assert reportjson.dumps(store.load()) == reportjson.dumps(large)
