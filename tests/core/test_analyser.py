"""Where the analyser's dictionary comes from, and the checks when it cannot be loaded."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from kushiro_editor.core import analyser, review

SENTENCE = "市有林の整備を実施した。"


@pytest.fixture
def finder():
    """Set a dictionary finder for one test; the installed dictionary again afterwards."""
    yield analyser.use_dictionary_finder
    analyser.use_dictionary_finder(None)
    analyser.when_missing(None)


def installed_dictionary() -> Path:
    spec = importlib.util.find_spec("sudachidict_small")
    assert spec is not None and spec.submodule_search_locations
    return Path(spec.submodule_search_locations[0]) / "resources" / "system.dic"


def test_a_dictionary_file_from_the_finder_is_used(finder):
    asked = []

    def find() -> Path:
        asked.append(True)
        return installed_dictionary().resolve()

    finder(find)
    assert [t.normalized for t in analyser.tokens("取組み")] == ["取り組み"]
    assert analyser.tense(SENTENCE) == analyser.PAST
    assert analyser.tokens("及び")
    assert asked == [True]  # loaded once
    assert not analyser.is_missing()


@pytest.mark.parametrize("broken", ["garbage", "absent", "raises"])
def test_a_dictionary_that_cannot_be_loaded_makes_the_analyser_missing(
    finder, tmp_path, broken, caplog
):
    garbage = tmp_path / "system-0123456789ab.dic"
    garbage.write_bytes(b"\0" * 4096)

    def find() -> Path:
        if broken == "raises":
            raise OSError("the data folder is gone")
        return garbage if broken == "garbage" else tmp_path / "absent.dic"

    told = []
    finder(find)
    analyser.when_missing(lambda: told.append(True))
    assert analyser.tokens(SENTENCE) == ()
    assert not analyser.available()
    assert analyser.is_missing()
    assert told == [True]  # once, not per text
    assert "could not be loaded" in caplog.text
    # The review falls back to its sentence-ending patterns.
    assert review.tense_of(SENTENCE) == analyser.PAST
    # A listener set later hears at once.
    late = []
    analyser.when_missing(lambda: late.append(True))
    assert late == [True]


def test_a_listener_that_fails_does_not_stop_the_check(finder, tmp_path):
    def closed_window() -> None:
        raise RuntimeError("Internal C++ object already deleted.")

    finder(lambda: tmp_path / "absent.dic")
    analyser.when_missing(closed_window)
    assert review.tense_of(SENTENCE) == analyser.PAST


def test_the_installed_dictionary_again_after_a_missing_one(finder, tmp_path):
    finder(lambda: tmp_path / "absent.dic")
    assert not analyser.available()
    finder(None)
    assert analyser.available()
    assert not analyser.is_missing()
