"""A demonstration report: the bundled sample with made-up KPIs, to try the KPI views on.

The sample is the city's published R2 report and holds no KPIs; the
demonstration is a copy of it whose goals (数値目標) and directions each carry
two or three KPIs — baseline R1, target R6, the target path's R2 and R3
targets on a straight line between them, a value for R2 and an estimate
(見込み) for R3. The numbers are invented: the title says so, and every KPI's
comment does. They are chosen to give every grade of the default scale, one
value not known yet (the national test of R2 was not held), and one R3 estimate
typed in 円 for a KPI counted in 百万円, so that the review has KPI findings
to show.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from decimal import Decimal

from ..model import HIGHER, LOWER, Kpi, KpiTarget, KpiValue, Report
from .scales import RATE_TARGET, KpiSettings

logger = logging.getLogger(__name__)

TITLE = "【デモ】{0}（数値は架空）"
COMMENT = "デモ用の架空の数値です。"
BASELINE_YEAR = 2019  # 令和元年度
TARGET_YEAR = 2024  # 令和6年度
VALUE_YEAR = 2020  # R2: the sample's 実績 year
ESTIMATE_YEAR = 2021  # R3: its 取組予定 year, whose value is an estimate
ESTIMATE_NOTE = "見込み"


@dataclass(frozen=True)
class DemoKpi:
    """One made-up KPI: where it goes (goal, direction; 0 for the goal itself) and its numbers."""

    goal: int
    direction: int
    name: str
    unit: str
    departments: tuple[str, ...]
    baseline: str
    target: str
    value: str | None  # R2 (None: not known yet, with ``note``)
    estimate: str  # R3 見込み
    better: str = HIGHER
    note: str = ""


# fmt: off
KPIS: tuple[DemoKpi, ...] = (
    DemoKpi(1, 0, "市内総生産", "億円", ("都市経営課",), "6500", "6800", "6420", "6480"),
    DemoKpi(1, 0, "観光入込客数", "万人", ("観光振興室",), "539.0", "600.0", "305.4", "380.0"),
    DemoKpi(1, 1, "水産物の水揚量", "t", ("水産課",), "118000", "125000", "119900", "120500"),
    DemoKpi(1, 1, "新規就農者数", "人", ("農林課",), "2", "12", "3", "5"),
    DemoKpi(1, 2, "地場産品の商談成約件数", "件", ("産業推進室",), "85", "130", "61", "80"),
    # The R3 estimate typed in 円 for a KPI counted in 百万円: the review names it.
    DemoKpi(1, 2, "ふるさと納税の寄附額", "百万円", ("産業推進室",),
            "420", "700", "1080", "1350000000"),
    DemoKpi(1, 3, "外国人宿泊延べ数", "人泊", ("観光振興室",),
            "251000", "330000", "28600", "40000"),
    DemoKpi(1, 3, "観光案内所の利用者満足度", "％", ("観光振興室",),
            "85.0", "90.0", "87.2", "87.5"),
    DemoKpi(1, 3, "阿寒湖温泉の宿泊客数", "万人", ("阿寒観光振興課",),
            "62.4", "70.0", "38.5", "45.0"),
    DemoKpi(1, 4, "創業支援による創業件数", "件", ("産業推進室",), "18", "30", "19", "21"),
    DemoKpi(1, 4, "域外への販路開拓の支援件数", "件", ("商業労政課",), "40", "65", "44", "50"),
    DemoKpi(1, 5, "石炭技術研修の受入れ人数", "人", ("産業推進室",), "420", "500", "120", "300"),
    DemoKpi(1, 5, "市内炭鉱の出炭量", "万t", ("産業推進室",), "45.0", "50.0", "45.8", "46.5"),
    DemoKpi(1, 6, "スポーツ合宿の受入れ人数", "人", ("スポーツ課",),
            "3200", "4000", "1450", "2200"),
    DemoKpi(1, 6, "博物館の入館者数", "人", ("博物館",), "48000", "55000", "21500", "30000"),
    DemoKpi(1, 6, "ふるさと会員数", "人", ("市民協働推進課",), "1200", "2000", "1350", "1500"),
    DemoKpi(2, 0, "新規学卒者の市内就職率", "％", ("商業労政課",), "42.0", "50.0", "43.9", "44.5"),
    DemoKpi(2, 0, "有効求人倍率", "倍", ("商業労政課",), "1.05", "1.20", "0.93", "1.00"),
    DemoKpi(2, 1, "インターンシップ参加者数", "人", ("商業労政課",), "150", "250", "165", "190"),
    DemoKpi(2, 1, "UIJターン就職者数", "人", ("産業推進室",), "25", "50", "31", "35"),
    DemoKpi(2, 2, "企業立地件数(累計)", "件", ("産業推進室",), "3", "10", "4", "5"),
    DemoKpi(2, 2, "立地企業の新規雇用者数", "人", ("産業推進室",), "30", "150", "48", "70"),
    DemoKpi(2, 3, "移住相談件数", "件", ("市民協働推進課",), "180", "300", "233", "250"),
    DemoKpi(2, 3, "相談窓口を通じた移住者数", "人", ("市民協働推進課",), "35", "80", "41", "50"),
    DemoKpi(2, 3, "ちょっと暮らしの利用者数", "人", ("市民協働推進課",),
            "1100", "1500", "380", "600"),
    DemoKpi(2, 4, "介護職員初任者研修の修了者数", "人", ("介護高齢課",), "60", "100", "66", "72"),
    DemoKpi(2, 4, "看護学院卒業生の市内就職率", "％", ("高等看護学院",),
            "72.0", "80.0", "74.5", "75.0"),
    DemoKpi(2, 5, "就労による生活保護からの自立件数", "件", ("生活福祉事務所",),
            "95", "130", "100", "108"),
    DemoKpi(2, 5, "障がい者の一般就労への移行者数", "人", ("障がい福祉課",),
            "40", "60", "47", "48"),
    DemoKpi(3, 0, "合計特殊出生率", "", ("健康推進課",), "1.28", "1.40", "1.30", "1.31"),
    DemoKpi(3, 0, "子育てしやすいと感じる市民の割合", "％", ("こども育成課",),
            "48.5", "60.0", "50.1", "52.0"),
    DemoKpi(3, 1, "妊娠11週以内の妊娠届出の割合", "％", ("健康推進課",),
            "92.0", "95.0", "92.5", "93.0"),
    DemoKpi(3, 1, "婚活支援イベントの参加者数", "人", ("市民協働推進課",),
            "120", "200", "54", "90"),
    DemoKpi(3, 2, "待機児童数", "人", ("こども育成課",), "12", "0", "7", "4", better=LOWER),
    DemoKpi(3, 2, "子育て支援拠点の利用者数", "人", ("こども支援課",),
            "56000", "60000", "31000", "42000"),
    DemoKpi(3, 2, "乳幼児健診の受診率", "％", ("健康推進課",), "95.2", "98.0", "95.7", "96.0"),
    # The national test of R2 was not held: its value is not known, the review names it.
    DemoKpi(3, 3, "全国学力・学習状況調査の平均正答率(全国との差)", "ポイント", ("教育支援課",),
            "-3.5", "0.0", None, "-3.0", note="調査中止"),
    DemoKpi(3, 3, "放課後児童クラブの登録児童数", "人", ("こども育成課",),
            "2100", "2400", "2148", "2200"),
    DemoKpi(3, 4, "特定健康診査の受診率", "％", ("健康推進課",), "31.5", "45.0", "27.9", "30.0"),
    DemoKpi(3, 4, "胃がん検診の受診率", "％", ("健康推進課",), "9.8", "15.0", "10.6", "11.0"),
    DemoKpi(4, 0, "社会増減数", "人", ("都市経営課",), "-1150", "-600", "-1065", "-1000"),
    DemoKpi(4, 0, "まちなか居住人口", "人", ("都心部まちづくり推進室",),
            "9800", "10300", "9890", "9950"),
    DemoKpi(4, 1, "路線バスの利用者数", "万人", ("都市計画課",), "820", "850", "610", "680"),
    DemoKpi(4, 1, "自主防災組織の組織率", "％", ("防災危機管理課",),
            "68.0", "75.0", "69.6", "70.5"),
    DemoKpi(4, 1, "空き家の除却・利活用件数", "件", ("建築指導課",), "45", "70", "49", "53"),
    DemoKpi(4, 2, "釧路港の取扱貨物量", "万t", ("港湾空港課",), "1580", "1650", "1562", "1590"),
    DemoKpi(4, 2, "釧路空港の乗降客数", "万人", ("港湾空港課",), "86.0", "95.0", "30.2", "50.0"),
)
# fmt: on


def path_target(baseline: Decimal, target: Decimal, year: int) -> Decimal:
    """The target path's target of a year: a straight line from the baseline to the target,
    kept to the places the target is written with."""
    share = Decimal(year - BASELINE_YEAR) / Decimal(TARGET_YEAR - BASELINE_YEAR)
    exponent = min(baseline.as_tuple().exponent, target.as_tuple().exponent)
    return (baseline + (target - baseline) * share).quantize(Decimal(1).scaleb(exponent))


def make_kpi(item: DemoKpi) -> Kpi:
    """The KPI one row of :data:`KPIS` describes."""
    baseline, target = Decimal(item.baseline), Decimal(item.target)
    value = None if item.value is None else Decimal(item.value)
    return Kpi(
        name=item.name,
        unit=item.unit,
        departments=list(item.departments),
        better=item.better,
        baseline=baseline,
        baseline_year=BASELINE_YEAR,
        target=target,
        target_year=TARGET_YEAR,
        yearly_targets=tuple(
            KpiTarget(year, path_target(baseline, target, year))
            for year in (VALUE_YEAR, ESTIMATE_YEAR)
        ),
        values=(
            KpiValue(VALUE_YEAR, value, item.note),
            KpiValue(ESTIMATE_YEAR, Decimal(item.estimate), ESTIMATE_NOTE),
        ),
        comment=COMMENT,
    )


def demo_report(sample: Report) -> Report:
    """The sample with made-up KPIs, under a title that says so; the sample is left as it was.

    Raises ValueError when the sample has none of the goals and directions the
    KPIs are written for (it is not the bundled R2 report).
    """
    report = copy.deepcopy(sample)
    report.title = TITLE.replace("{0}", sample.title)
    # Against the year's target, as most offices rate: the progress from the
    # baseline swings to ±1,000 % in a year that fell far below it (R2's tourism).
    report.kpi_settings = KpiSettings(rate_mode=RATE_TARGET)
    for item in KPIS:
        try:
            goal = report.goals[item.goal - 1]
            owner = goal.directions[item.direction - 1] if item.direction else goal
        except IndexError:
            raise ValueError(
                f"the sample has no 【基本目標{item.goal}】 direction {item.direction}"
            ) from None
        owner.kpis.append(make_kpi(item))
    return report
