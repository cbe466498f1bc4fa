"""How a report judges its KPIs: the rate mode and the rating scale, both the office's choice.

A scale is data: ordered grades, best first, each with the lowest achievement
rate (in %) it takes, the last one taking every rate below; and the label shown
when a KPI has no rate. The presets are the scales cities commonly use; an
office may write its own. Nothing here imports the model (the model's report
holds a :class:`KpiSettings`).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

logger = logging.getLogger(__name__)

# (v − b) / (t − b): how far the value has come from the baseline toward the target.
RATE_PROGRESS = "progress"
# v / t, or t / v when lower is better: the value against the target.
RATE_TARGET = "target"
RATE_MODES = {
    RATE_PROGRESS: "基準値からの進捗（(実績値−基準値)÷(目標値−基準値)）",
    RATE_TARGET: "目標値に対する実績値（実績値÷目標値、低いほどよい指標は目標値÷実績値）",
}
MISSING_LABEL = "－"


@dataclass(frozen=True)
class Grade:
    """One grade of a scale: its label and the lowest rate (%) it takes (None: any below)."""

    label: str
    minimum: Decimal | None
    meaning: str = ""


@dataclass(frozen=True)
class RatingScale:
    """Ordered grades, best first; the last takes every rate the others do not."""

    name: str
    grades: tuple[Grade, ...]
    missing: str = MISSING_LABEL  # shown when there is no rate (no value, no target …)

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            raise ValueError(f"評価の基準「{self.name}」: {problem}")

    def label_for(self, rate: Decimal | None) -> str:
        """The grade a rate (in %) earns; the missing label when there is none."""
        if rate is None:
            return self.missing
        for grade in self.grades:
            if grade.minimum is None or rate >= grade.minimum:
                return grade.label
        raise AssertionError("the last grade takes every rate")  # pragma: no cover

    @property
    def labels(self) -> tuple[str, ...]:
        """The grades' labels, best first."""
        return tuple(grade.label for grade in self.grades)

    def legend(self) -> list[str]:
        """One line per grade, as a legend under a table prints it: 「A: 100%以上 目標を達成」."""
        lines = []
        for index, grade in enumerate(self.grades):
            if grade.minimum is not None:
                bound = f"{_percent(grade.minimum)}%以上"
            else:
                above = self.grades[index - 1].minimum if index else None
                bound = f"{_percent(above)}%未満" if above is not None else "すべて"
            lines.append(f"{grade.label}: {bound}" + (f" {grade.meaning}" if grade.meaning else ""))
        lines.append(f"{self.missing}: 実績値がないなど、算定できないもの")
        return lines


def _percent(value: Decimal) -> str:
    return format(value, "f")


def _problem(scale: RatingScale) -> str:
    """What is wrong with a scale, in the office's words ("" when it can be used)."""
    if not scale.grades:
        return "評価の段階がありません"
    labels = [grade.label for grade in scale.grades]
    if any(not isinstance(label, str) or not label.strip() for label in labels):
        return "ラベルのない段階があります"
    if len(set(labels)) != len(labels) or scale.missing in labels:
        return "同じラベルが 2 回使われています"
    *upper, last = scale.grades
    if last.minimum is not None:
        return "最後の段階は「それ未満すべて」にしてください(下限なし)"
    minimums = [grade.minimum for grade in upper]
    if any(not isinstance(m, Decimal) or not m.is_finite() for m in minimums):
        return "最後以外の段階には下限(%)が必要です"
    if any(high <= low for high, low in itertools.pairwise(minimums)):
        return "下限は上の段階ほど大きくしてください"
    return ""


def _grades(*items: tuple[str, str | None, str]) -> tuple[Grade, ...]:
    return tuple(
        Grade(label, None if m is None else Decimal(m), meaning) for label, m, meaning in items
    )


# The scales cities commonly use, shipped as data.
PRESETS: tuple[RatingScale, ...] = (
    RatingScale(
        "A〜D",
        _grades(
            ("A", "100", "目標を達成"),
            ("B", "80", "概ね順調"),
            ("C", "50", "やや遅れている"),
            ("D", None, "遅れている"),
        ),
    ),
    RatingScale(
        "◎○△×",
        _grades(
            ("◎", "100", "目標を達成"),
            ("○", "80", "概ね順調"),
            ("△", "50", "やや遅れている"),
            ("×", None, "遅れている"),
        ),
    ),
    RatingScale(
        "S〜C",
        _grades(
            ("S", "120", "目標を大きく上回る"),
            ("A", "100", "目標を達成"),
            ("B", "80", "概ね順調"),
            ("C", None, "遅れている"),
        ),
    ),
)


def preset(name: str) -> RatingScale:
    """A shipped scale by its name."""
    for scale in PRESETS:
        if scale.name == name:
            return scale
    raise KeyError(name)


@dataclass(frozen=True)
class KpiSettings:
    """What a report uses to judge its KPIs: the rate mode and the rating scale."""

    rate_mode: str = RATE_PROGRESS
    scale: RatingScale = field(default_factory=lambda: PRESETS[0])

    def __post_init__(self) -> None:
        if self.rate_mode not in RATE_MODES:
            raise ValueError(f"達成率の算定方法「{self.rate_mode}」は使えません")
        if not isinstance(self.scale, RatingScale):
            raise ValueError("評価の基準がありません")

    @property
    def is_default(self) -> bool:
        """Whether the report still uses the shipped defaults (then nothing is written)."""
        return self == KpiSettings()


# -- plain data (the store's column and the JSON file) ------------------------------
def settings_to_data(settings: KpiSettings) -> dict[str, Any]:
    """The settings as JSON-ready data, thresholds as decimal text."""
    scale = settings.scale
    return {
        "rate_mode": settings.rate_mode,
        "scale": {
            "name": scale.name,
            "grades": [
                {
                    "label": g.label,
                    "minimum": None if g.minimum is None else format(g.minimum, "f"),
                    "meaning": g.meaning,
                }
                for g in scale.grades
            ],
            "missing": scale.missing,
        },
    }


def settings_from_data(data: Any) -> KpiSettings:
    """Settings from their data; ValueError (in Japanese) for anything else."""
    if not isinstance(data, dict):
        raise ValueError("指標の設定がオブジェクトではありません")
    scale = data.get("scale")
    if not isinstance(scale, dict) or not isinstance(scale.get("grades"), list):
        raise ValueError("評価の基準(scale)が読めません")
    grades = []
    for item in scale["grades"]:
        if not isinstance(item, dict):
            raise ValueError("評価の段階がオブジェクトではありません")
        minimum = item.get("minimum")
        if minimum is not None:
            if not isinstance(minimum, str):
                raise ValueError("評価の段階の下限は文字列の数値にしてください")
            try:
                minimum = Decimal(minimum)
            except InvalidOperation:
                raise ValueError(
                    f"評価の段階の下限「{minimum[:20]}」は数値ではありません"
                ) from None
        grades.append(Grade(_string(item, "label"), minimum, _string(item, "meaning", "")))
    rate_mode = data.get("rate_mode", RATE_PROGRESS)
    if not isinstance(rate_mode, str):
        raise ValueError("達成率の算定方法(rate_mode)は文字列にしてください")
    return KpiSettings(
        rate_mode,
        RatingScale(
            _string(scale, "name", ""),
            tuple(grades),
            _string(scale, "missing", MISSING_LABEL),
        ),
    )


def _string(data: dict[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"「{key}」は文字列にしてください")
    return value
