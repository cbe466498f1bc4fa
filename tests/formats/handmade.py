"""Files as planning offices make them by hand, in the official layout or close to it."""

from __future__ import annotations

from collections import Counter

from kushiro_editor.core import richtext
from kushiro_editor.formats import json as json_format
from kushiro_editor.formats import layout


def content(report) -> dict:
    """The report as JSON without ids (Word and Excel keep content, not store identity)."""

    def strip(data):
        if isinstance(data, dict):
            return {k: strip(v) for k, v in data.items() if k not in ("id", "node_id", "warnings")}
        if isinstance(data, list):
            return [strip(x) for x in data]
        return data

    return strip(json_format.to_dict(report))


def printed_characters(report) -> Counter:
    """Every non-space character the printed table must show."""
    chars: Counter = Counter()

    def add(text: str) -> None:
        chars.update(ch for ch in text if not ch.isspace())

    for row in layout.rows(report):
        if row.kind != "entry":
            add(row.text)
            continue
        for item in row.left:
            add(item.block.text)
        for name in row.departments:
            add(name)
        for block in (*row.actual, *row.plan):
            add(block.text)
    return chars


def entry_texts(report) -> list[tuple[list[str], str, str]]:
    """(departments, 実績 plain, 予定 plain) of every entry."""
    return [
        (e.departments, richtext.to_plain(e.actual), richtext.to_plain(e.plan))
        for _g, _d, e in report.entries()
    ]
