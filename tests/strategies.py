"""Hypothesis strategies for reports with Japanese text, bold, lists and joint departments."""

from __future__ import annotations

from hypothesis import strategies as st

from kushiro_editor.core import richtext
from kushiro_editor.core.model import Direction, Entry, Goal, MainProject, Measure, Report
from kushiro_editor.core.richtext import Block, Run

# Kana, common kanji, full-width and ASCII punctuation, digits, the markers the
# report uses, and the characters that trouble spreadsheets (= + - @).
JAPANESE = st.sampled_from(
    list("あいうえおかきくけこさしすせそアイウエオカキクケコ釧路市水産農林観光振興事業課室")
    + list("、。・「」()（）【】■○※①②③０１２ＡＢ")
    + list("abcXYZ019 =+-@<>&\"'%")
)
WORDS = st.text(JAPANESE, min_size=1, max_size=30).map(lambda s: s.strip() or "あ")
DEPARTMENTS = st.sampled_from(
    [
        "農林課",
        "水産課",
        "観光振興室",
        "阿寒観光振興課",
        "博物館",
        "健康推進課",
        "都心部まちづくり推進室",
        "教育支援課",
    ]
)


@st.composite
def runs(draw) -> tuple[Run, ...]:
    """A paragraph's runs: text, some bold, maybe a line break."""
    parts = draw(st.lists(st.tuples(WORDS, st.booleans(), st.booleans()), min_size=1, max_size=4))
    out = []
    for text, bold, newline in parts:
        out.append(Run(text, bold))
        if newline:
            out.append(Run("\n"))
    return tuple(out)


@st.composite
def rich_texts(draw, allow_empty: bool = True) -> str:
    """Canonical rich text of the subset."""
    blocks = draw(
        st.lists(
            st.tuples(st.sampled_from(["p", "li"]), runs()),
            min_size=0 if allow_empty else 1,
            max_size=4,
        )
    )
    return richtext.serialise([Block(kind, r) for kind, r in blocks])


@st.composite
def entries(draw) -> Entry:
    """A department entry, sometimes joint, sometimes with empty texts."""
    departments = draw(st.lists(DEPARTMENTS, min_size=1, max_size=2, unique=True))
    return Entry(departments=departments, actual=draw(rich_texts()), plan=draw(rich_texts()))


@st.composite
def directions(draw) -> Direction:
    """A direction with measures, main projects and entries."""
    return Direction(
        title=draw(WORDS),
        measures=draw(st.lists(st.builds(Measure, title=WORDS, body=rich_texts()), max_size=3)),
        main_projects=draw(
            st.lists(st.builds(MainProject, name=WORDS, relisted=st.booleans()), max_size=4)
        ),
        entries=draw(st.lists(entries(), min_size=1, max_size=4)),
    )


@st.composite
def reports(draw, max_goals: int = 3) -> Report:
    """A whole report; numbers and labels derived as the editor derives them."""
    goals = draw(
        st.lists(
            st.builds(Goal, title=WORDS, directions=st.lists(directions(), min_size=1, max_size=3)),
            min_size=1,
            max_size=max_goals,
        )
    )
    report = Report(title=draw(WORDS), actual_year=draw(st.integers(2015, 2035)), goals=goals)
    report.renumber()
    return report
