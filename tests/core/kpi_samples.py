"""A small report with KPIs on a goal, a direction and a measure, for the KPI tests."""

from __future__ import annotations

from decimal import Decimal

from kushiro_editor.core.model import (
    LOWER,
    Direction,
    Entry,
    Goal,
    Kpi,
    KpiTarget,
    KpiValue,
    Measure,
    Report,
)


def kpi_report() -> Report:
    """FY2020's report: 数値目標 on the goal, two KPIs on the direction, one on a measure."""
    visitors = Kpi(
        name="観光入込客数",
        unit="万人",
        departments=["観光振興室"],
        baseline=Decimal("500.0"),
        baseline_year=2018,
        target=Decimal("600.0"),
        target_year=2024,
        yearly_targets=(KpiTarget(2020, Decimal("540.0")), KpiTarget(2022, Decimal("570"))),
        values=(
            KpiValue(2019, Decimal("512.30")),
            KpiValue(2020, Decimal("530.5"), "速報値"),
        ),
        comment="感染症の影響で減少",
    )
    waiting = Kpi(
        name="待機児童数",
        unit="人",
        departments=["こども育成課", "教育支援課"],
        better=LOWER,
        baseline=Decimal("40"),
        baseline_year=2019,
        target=Decimal("0"),
        target_year=2024,
        values=(KpiValue(2019, Decimal("40")), KpiValue(2020, Decimal("0"))),
    )
    catch = Kpi(
        name="漁獲量",
        unit="t",
        departments=["水産課"],
        baseline=Decimal("1000"),
        baseline_year=2019,
        target=Decimal("1200"),
        target_year=2024,
        values=(KpiValue(2019, Decimal("1000")), KpiValue(2020, None, "集計中")),
    )
    population = Kpi(
        name="社会増減数",
        unit="人",
        departments=["企画課"],
        baseline=Decimal("-1200"),
        baseline_year=2019,
        target=Decimal("-600"),
        target_year=2024,
        values=(KpiValue(2020, Decimal("-900")),),
    )
    direction = Direction(
        title="観光の振興",
        measures=[Measure(title="水産業の振興", body="<p>説明</p>", kpis=[catch])],
        entries=[Entry(departments=["観光振興室"], actual="<p>した。</p>", plan="<p>する。</p>")],
        kpis=[visitors, waiting],
    )
    report = Report(
        title="進捗報告",
        actual_year=2020,
        goals=[Goal(title="地域の魅力", directions=[direction], kpis=[population])],
    )
    report.renumber()
    return report


def by_name(report: Report, name: str) -> Kpi:
    """The KPI of that name anywhere in the report."""
    from kushiro_editor.core.kpi import fields

    return next(kpi for _owner, kpi in fields.kpis(report) if kpi.name == name)


def exact(report: Report) -> list[tuple]:
    """Every KPI's values as text, where it stands: what a round trip must keep exactly."""
    from kushiro_editor.core.kpi import fields

    out = []
    for owner, kpi in fields.kpis(report):
        out.append(
            (
                type(owner).__name__,
                kpi.id,
                kpi.name,
                kpi.unit,
                tuple(kpi.departments),
                kpi.better,
                _text(kpi.baseline),
                kpi.baseline_year,
                _text(kpi.target),
                kpi.target_year,
                tuple((t.year, str(t.value)) for t in kpi.yearly_targets),
                tuple((v.year, _text(v.value), v.note) for v in kpi.values),
                kpi.comment,
                kpi.override,
                kpi.override_reason,
            )
        )
    return out


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
