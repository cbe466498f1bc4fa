"""表記の点検 off the window's thread, for the review panel.

The panel checks again after every edit. On the sample the analysis takes a
few tens of milliseconds once the analyser's line cache is warm, but the
first check loads the analyser and a report twenty times the sample's size
takes seconds: the window must not stall on that. The texts are read on the
window's thread (the markup strings, which never change in place), analysed
in a worker (:class:`.backgroundcheck.BackgroundCheck`, shared with the
review's check), and the findings put together again on the window's thread
with the nodes they belong to; an answer overtaken by a newer request or by a
change is dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from PySide6.QtCore import Signal

from ..core import notation, richtext
from ..core.model import Report
from .backgroundcheck import BackgroundCheck

logger = logging.getLogger(__name__)

# Characters of context either side of a finding, as the command line shows them.
CONTEXT = 12

Spot = tuple[int, int, str, str, notation.NotationRule]


def find_spots(
    markups: list[str], rules: list[notation.NotationRule], names: re.Pattern[str] | None
) -> list[tuple[str, list[Spot]]]:
    """The analysis of plain strings only: each text's plain form and its spots."""
    results = []
    for markup in markups:
        plain = richtext.to_plain(markup)
        results.append((plain, notation.find_in_text(plain, rules, names)))
    return results


class NotationChecker(BackgroundCheck):
    """Finds a report's notation findings in the background; ``found`` gives them."""

    found = Signal(object)  # list[notation.NotationFinding], in document order

    def check(
        self, report: Report, rules: list[notation.NotationRule], departments: Iterable[str] = ()
    ) -> None:
        """Check the report as it is now (a check under way is overtaken)."""
        active = [r for r in rules if r.enabled]
        places = list(notation.texts(report)) if active else []
        markups = [getattr(node, name) for _goal, _direction, node, name in places]
        # Department names are never rewritten, as in notation.find.
        names = sorted({*report.departments(), *departments}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, names))) if names else None

        def accept(results: object) -> None:
            findings = []
            for (goal, direction, node, name), (plain, spots) in zip(places, results, strict=True):
                for start, end, before, after, rule in spots:
                    context = plain[max(0, start - CONTEXT) : end + CONTEXT].replace("\n", " ")
                    findings.append(
                        notation.NotationFinding(
                            goal, direction, node, name, start, end, before, after, rule, context
                        )
                    )
            self.found.emit(findings)

        self.submit(lambda: find_spots(markups, active, pattern), accept)
