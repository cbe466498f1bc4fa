"""Notation rule files and files that are not files, generated: one clear error or a sound result.

A rule file that is accepted must leave the texts as a second fix finds them (the
fix ends and never grows the text without end); a pipe, a device or a folder under
any reader's name is refused at once, never read or waited on.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kushiro_editor.core import notation, notationfile
from kushiro_editor.core.model import Direction, Entry, Goal, Report, ReportError
from kushiro_editor.formats import read_file
from kushiro_editor.formats.inquiry.answers import read_answers

pytestmark = pytest.mark.slow

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Forms that overlap one another, so that generated rules meet in the texts.
FORMS = [
    "子供",
    "子ども",
    "取組",
    "取り組み",
    "組み",
    "供",
    "ども",
    "１２",
    "12",
    "ｶﾅ",
    "カナ",
    "〜",
    "～",
]
JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=4), st.just([]), st.just({})
)


def _one_line_error(exc: ReportError) -> None:
    message = str(exc)
    assert message and "\n" not in message.strip()


def _report(text: str) -> Report:
    entry = Entry(departments=["こども支援課"], actual=f"<p>{text}</p>", plan="<p>予定。</p>")
    direction = Direction(title="d", entries=[entry])
    return Report(title="t", actual_year=2020, goals=[Goal(title="g", directions=[direction])])


def _mostly(valid, junk=JUNK):
    """Usually a value a rule file may hold, now and then one it may not."""
    # (one_of would flatten the junk's own branches and weigh them like the valid one;
    # a middle number, as the ends of a range are drawn more often than the rest)
    return st.integers(0, 9).flatmap(lambda n: junk if n == 4 else valid)


@st.composite
def _rule_item(draw, number: int):
    forms = st.lists(st.sampled_from(FORMS), min_size=1, max_size=3)
    item = {
        "id": draw(_mostly(st.just(f"r{number}"), st.sampled_from(["r0", "", 1]))),
        "prefer": draw(_mostly(st.sampled_from(FORMS))),
        "replace": draw(_mostly(forms, st.one_of(st.sampled_from(FORMS), JUNK))),
    }
    optional = {
        "kind": _mostly(st.sampled_from(notation.METHODS)),
        "enabled": _mostly(st.booleans(), st.sampled_from(["false", "true", 0, 1])),
        "pos": st.sampled_from(["", "名詞", "動詞"]),
        "keep": _mostly(st.lists(st.sampled_from(FORMS), max_size=2)),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            item[key] = draw(values)
    return item


@st.composite
def _rule_files(draw):
    count = draw(st.integers(0, 5))
    rules = [draw(_rule_item(number)) for number in range(count)]
    return {
        "format": draw(_mostly(st.just(notationfile.FORMAT))),
        "version": draw(_mostly(st.just(notationfile.FORMAT_VERSION), st.integers(-1, 99))),
        "rules": draw(_mostly(st.just(rules))),
    }


RULE_FILES = _rule_files()


@FUZZ
@given(document=RULE_FILES, words=st.lists(st.sampled_from(FORMS), min_size=1, max_size=20))
def test_a_rule_file_is_refused_in_one_line_or_fixes_once_and_for_all(document, words):
    try:
        rules = notationfile.from_json(json.dumps(document, ensure_ascii=False))
    except ReportError as exc:
        _one_line_error(exc)
        return
    text = "".join(words)
    report = _report(text)
    for _round in range(2):
        for edit in notation.fix_edits(report, notation.find(report, rules)):
            setattr(edit.node, edit.field, edit.value)
    # The second fix found nothing left to change, and the text kept its size's order.
    assert notation.find(report, rules) == []
    fixed = report.goals[0].directions[0].entries[0].actual
    assert len(fixed) <= 4 * len(text) + len("<p></p>")


@FUZZ
@given(data=st.binary(max_size=2048))
def test_any_bytes_as_a_rule_file(tmp_path, data):
    path = tmp_path / "rules.json"
    path.write_bytes(data)
    try:
        notationfile.read_rules(path)
    except ReportError as exc:
        _one_line_error(exc)


@FUZZ
@given(data=st.data())
def test_a_valid_rule_file_mutated(tmp_path, data):
    original = bytearray(notationfile.to_json(notationfile.default_rules()).encode())
    for _ in range(data.draw(st.integers(1, 12))):
        index = data.draw(st.integers(0, len(original) - 1))
        original[index] = data.draw(st.sampled_from(b'"[]{},:0tf \\'))
    path = tmp_path / "rules.json"
    path.write_bytes(bytes(original))
    try:
        notationfile.read_rules(path)
    except ReportError as exc:
        _one_line_error(exc)


# -- files that are not files -----------------------------------------------------------
def _special(kind: str, path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link to a fifo":
        os.mkfifo(path.with_name("pipe"))
        path.symlink_to(path.with_name("pipe"))
    else:
        path.symlink_to(f"/dev/{kind}")
    return path


def _refused_at_once(read, path: Path) -> None:
    """``read(path)`` raises one ReportError, without waiting on a pipe or reading a device."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            read(path)
        except BaseException as exc:  # whatever escaped is the finding
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        # Unblock a reader stuck on the pipe so the test run can go on, then fail.
        if path.is_fifo() or path.resolve().is_fifo():
            with path.open("wb"):
                pass
        pytest.fail(f"{path.name}: still reading after 20 s")
    (exc,) = outcome
    assert isinstance(exc, ReportError), repr(exc)
    _one_line_error(exc)


READERS = {"import": read_file, "rules": notationfile.read_rules, "answers": read_answers}
SUFFIX = st.one_of(
    st.sampled_from([".tsv", ".txt", ".json", ".docx", ".xlsx", ".xlsm", ".pdf", ".doc", ""]),
    st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=5).map(lambda s: "." + s),
)
KINDS = st.sampled_from(["fifo", "folder", "link to a fifo", "zero", "urandom", "null"])


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(reader=st.sampled_from(sorted(READERS)), kind=KINDS, suffix=SUFFIX)
def test_what_is_not_a_regular_file_is_refused_by_every_reader(
    tmp_path_factory, reader, kind, suffix
):
    folder = tmp_path_factory.mktemp("special")
    path = _special(kind, folder / f"input{suffix}")
    _refused_at_once(READERS[reader], path)
