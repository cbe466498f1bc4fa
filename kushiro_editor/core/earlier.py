"""The earlier report a report's changes are shown against: a past year's, or a snapshot's.

The command line names it (``--changes-since R2``, or a snapshot's id or
name); the window offers the same choices. An earlier year is a report of the
store before the report's own; a snapshot is compared by the report of the
same year it holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import fiscal, snapshots, validate
from .model import Report, ReportError
from .snapshots import Snapshot
from .store import Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Earlier:
    """One report to compare with: a year of the store, or a snapshot's report of the year."""

    year: int
    snapshot: Snapshot | None = None

    @property
    def label(self) -> str:
        """「R2年度の報告」 or 「スナップショット 2021-05-31 10:00:00 提出版」, as offered."""
        if self.snapshot is None:
            return f"{fiscal.short_label(self.year)}の報告"
        return f"スナップショット {self.snapshot.label}"

    def load(self, store: Store) -> Report:
        """The report itself."""
        if self.snapshot is None:
            return store.load(self.year)
        with snapshots.open_snapshot(self.snapshot) as old:
            return old.load(self.year)


def choices(store: Store, report: Report, *, named_only: bool = False) -> list[Earlier]:
    """What ``report`` can be compared with: earlier years (newest first), then snapshots.

    With ``named_only`` only the snapshots taken by hand with a name (「提出版」),
    not the automatic ones taken every day and before each large change.
    """
    years = [Earlier(year) for year in store.years() if year < report.actual_year]
    held = [
        Earlier(report.actual_year, snapshot)
        for snapshot in snapshots.snapshots(store)
        if (snapshot.named or not named_only) and report.actual_year in snapshots.years_in(snapshot)
    ]
    return years + held


def find(store: Store, key: str, report: Report) -> Earlier:
    """The earlier report ``key`` names: a year (R2, 2020, 令和2年度) or a snapshot's id or name."""
    year = _year(key)
    if year is not None:
        if year >= report.actual_year:
            raise ReportError(
                f"{fiscal.short_label(year)}は、書き出す{fiscal.short_label(report.actual_year)}"
                "の報告より前の年度ではありません。前の年度"
                f"({fiscal.short_label(report.actual_year - 1)}など)かスナップショットを"
                "指定してください。"
            )
        if year not in store.years():
            raise ReportError(f"{fiscal.short_label(year)}の報告はデータファイルにありません。")
        return Earlier(year)
    listed = snapshots.snapshots(store)
    found = [s for s in listed if key in s.keys] or [s for s in listed if s.name == key]
    if len(found) > 1:
        ids = "、".join(s.id for s in found)
        raise ReportError(
            f"「{key}」という名前のスナップショットが複数あります。id で指定してください: {ids}"
        )
    if not found:
        raise ReportError(
            f"「{key[:30]}」という年度の報告もスナップショットもありません"
            "(R2 のような年度か、snapshot list で表示されるスナップショットの id か名前で"
            "指定します)。"
        )
    snapshot = found[0]
    if report.actual_year not in snapshots.years_in(snapshot):
        raise ReportError(
            f"スナップショット「{snapshot.label}」には"
            f"{fiscal.short_label(report.actual_year)}の報告がありません。"
        )
    return Earlier(report.actual_year, snapshot)


def _year(key: str) -> int | None:
    """The fiscal year a key names (2020, R2, 令和2年度), else None."""
    text = key.strip()
    try:
        year = (
            int(text) if text.isascii() and text.isdigit() else fiscal.parse_label(text, whole=True)
        )
    except (ValueError, ReportError):
        return None
    return year if validate.is_supported_year(year) else None
