"""Hypothesis strategies for reports with Japanese text, bold, lists and joint departments.

KPIs are drawn only when asked (``with_kpis=True``): the strategies draw the
same reports as before otherwise.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from kushiro_editor.core import richtext
from kushiro_editor.core.kpi import scales
from kushiro_editor.core.model import (
    HIGHER,
    LOWER,
    Direction,
    Entry,
    Goal,
    Kpi,
    KpiTarget,
    KpiValue,
    MainProject,
    Measure,
    Report,
)
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
def kpi_numbers(draw) -> Decimal:
    """An exact decimal as a department gives it: 0 to 3 places, kept (「12.30」)."""
    whole = draw(st.integers(-(10**6), 10**9))
    places = draw(st.integers(0, 3))
    if not places:
        return Decimal(whole)
    fraction = draw(st.integers(0, 10**places - 1))
    return Decimal(f"{whole}.{fraction:0{places}d}")


YEARS = st.integers(2015, 2035)


@st.composite
def kpis(draw) -> Kpi:
    """A KPI with missing and zero values, notes, yearly targets, sometimes an override."""
    optional = st.none() | kpi_numbers() | st.just(Decimal(0))
    value_years = sorted(draw(st.sets(YEARS, max_size=5)))
    target_years = sorted(draw(st.sets(YEARS, max_size=3)))
    override = draw(st.sampled_from(["", "A", "B", "◎"]))
    return Kpi(
        name=draw(WORDS),
        unit=draw(st.sampled_from(["", "人", "%", "万人", "t", "件"])),
        departments=draw(st.lists(DEPARTMENTS, max_size=2, unique=True)),
        better=draw(st.sampled_from([HIGHER, LOWER])),
        baseline=draw(optional),
        baseline_year=draw(st.none() | YEARS),
        target=draw(optional),
        target_year=draw(st.none() | YEARS),
        yearly_targets=tuple(KpiTarget(y, draw(kpi_numbers())) for y in target_years),
        values=tuple(
            KpiValue(y, draw(optional), draw(st.sampled_from(["", "速報値", "見込み"])))
            for y in value_years
        ),
        comment=draw(st.just("") | WORDS),
        override=override,
        override_reason=draw(WORDS) if override else "",
    )


def _kpi_lists(with_kpis: bool) -> dict[str, object]:
    return {"kpis": st.lists(kpis(), max_size=2)} if with_kpis else {}


@st.composite
def directions(draw, with_kpis: bool = False) -> Direction:
    """A direction with measures, main projects and entries (and KPIs, if asked)."""
    measure = st.builds(Measure, title=WORDS, body=rich_texts(), **_kpi_lists(with_kpis))
    return Direction(
        title=draw(WORDS),
        measures=draw(st.lists(measure, max_size=3)),
        main_projects=draw(
            st.lists(st.builds(MainProject, name=WORDS, relisted=st.booleans()), max_size=4)
        ),
        entries=draw(st.lists(entries(), min_size=1, max_size=4)),
        **{name: draw(kpi_list) for name, kpi_list in _kpi_lists(with_kpis).items()},
    )


SETTINGS = st.sampled_from(
    [
        scales.KpiSettings(),
        scales.KpiSettings(scales.RATE_TARGET, scales.PRESETS[1]),
        scales.KpiSettings(scales.RATE_PROGRESS, scales.PRESETS[2]),
    ]
)


@st.composite
def reports(draw, max_goals: int = 3, with_kpis: bool = False) -> Report:
    """A whole report; numbers and labels derived as the editor derives them."""
    goals = draw(
        st.lists(
            st.builds(
                Goal,
                title=WORDS,
                directions=st.lists(directions(with_kpis), min_size=1, max_size=3),
                **_kpi_lists(with_kpis),
            ),
            min_size=1,
            max_size=max_goals,
        )
    )
    report = Report(title=draw(WORDS), actual_year=draw(st.integers(2015, 2035)), goals=goals)
    if with_kpis:
        report.kpi_settings = draw(SETTINGS)
    report.renumber()
    return report
