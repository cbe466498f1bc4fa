"""A KPI's value answered in an inquiry pack, as one item of the merge review.

The value and its note of the report's year travel together: the pack sent
them, the department answered them, the store holds them now. Like a text, the
answer is a conflict when the clerk changed the value or the note after the
pack was made (or after a first version of the answers was merged) and the
answer differs from what the store holds; the clerk keeps the current value,
takes the answer, or types a value. A taken value is one ``editing.set_value``
batch, which ``merge.answer_edits`` puts with the texts' edits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import fiscal
from ..edits import Edit
from ..inquiry import checksum
from ..inquiryrecord import TAKEN, AnswerDecision, Decided
from ..model import Kpi, KpiValue, ReportError
from . import editing
from .numbers import format_value, parse_value, value_text

logger = logging.getLogger(__name__)

# The field the record of answers keeps a KPI's answered value under.
FIELD = "kpi_value"


def pair_text(value: KpiValue) -> str:
    """A value and its note as the record keeps them (exact, as typed)."""
    return f"{value_text(value.value) or ''}\t{value.note}"


def from_pair_text(text: str, year: int) -> KpiValue:
    """The value and note back from :func:`pair_text` (not known when unreadable)."""
    number, _tab, note = text.partition("\t")
    try:
        return KpiValue(year, parse_value(number), note)
    except ReportError:
        return KpiValue(year, None, note)


def pair_sum(value: KpiValue) -> str:
    """The fingerprint the record compares answers and undone merges with."""
    return checksum(pair_text(value))


def shown(value: KpiValue, unit: str = "") -> str:
    """「1,234 万人(速報値)」, 「－」 for a value not known."""
    text = format_value(value.value, grouping=True)
    if value.value is not None and unit:
        text += f" {unit}"
    return text + (f"({value.note})" if value.note else "")


@dataclass
class KpiMergeItem(Decided):
    """One KPI's answered value, with what it would replace and what was decided."""

    department: str
    place: str  # 【基本目標1】① 指標「観光入込客数」
    kpi: Kpi
    year: int
    sent: KpiValue
    answered: KpiValue
    current: KpiValue
    base: KpiValue | None = None  # what a first version's merge left, for a second version
    choice: str = ""
    merged: KpiValue | None = None  # the value typed when the choice is EDITED

    field = FIELD

    @property
    def conflict(self) -> bool:
        """The clerk changed the value or its note after the pack (or the first version)."""
        return self.current != self.compared

    @property
    def where(self) -> str:
        """【基本目標1】① 指標「観光入込客数」 R2年度の値."""
        return f"{self.place} {fiscal.short_label(self.year)}の値"

    def show(self, value: KpiValue) -> str:
        """A value of this KPI as the review lists it, with its unit."""
        return shown(value, self.kpi.unit)

    def lines(self) -> list[str]:
        """The item's two lines under its heading in the review as text."""
        start = "前回の取り込み後" if self.second_version else "照会時"
        base = self.show(self.compared)
        if self.conflict:
            return [
                f"    企画課の変更 {start}→現在: {base} → {self.show(self.current)}",
                f"    部署の回答   {start}→回答: {base} → {self.show(self.answered)}",
            ]
        return [f"    {start}: {base}", f"    回答  : {self.show(self.answered)}"]

    def edits(self) -> list[Edit]:
        """The batch that puts the result into the KPI (empty when it keeps the current)."""
        if not self.accepted or self.result == self.current:
            return []
        return editing.set_value(self.kpi, self.year, self.result.value, self.result.note)

    def decision(self, settled: bool = False) -> AnswerDecision:
        """What to record: the answer, the value right after, and the value before."""
        result = self.current if settled else self.result
        return AnswerDecision(
            self.department,
            self.kpi.id,
            FIELD,
            pair_sum(self.answered),
            pair_text(result),
            TAKEN if settled else self.choice,
            pair_sum(self.current),
        )
