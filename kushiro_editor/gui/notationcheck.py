"""表記の点検 off the window's thread, for the review panel.

The panel checks again after every edit. On the sample the analysis takes a
few tens of milliseconds once the analyser's line cache is warm, but the
first check loads the analyser and a report twenty times the sample's size
takes seconds: the window must not stall on that. The texts are read on the
window's thread (the markup strings, which never change in place), analysed
in a worker, and the findings put together again on the window's thread
with the nodes they belong to; an answer overtaken by a newer request is
dropped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..core import notation, richtext
from ..core.model import Report

logger = logging.getLogger(__name__)

# Characters of context either side of a finding, as the command line shows them.
CONTEXT = 12

Spot = tuple[int, int, str, str, notation.NotationRule]


class _Signals(QObject):
    done = Signal(int, object)  # generation, [(plain text, spots)] or None on failure


class _Check(QRunnable):
    """The analysis of plain strings only: nothing the window may change meanwhile."""

    def __init__(
        self,
        generation: int,
        markups: list[str],
        rules: list[notation.NotationRule],
        names: re.Pattern[str] | None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.generation = generation
        self.markups = markups
        self.rules = rules
        self.names = names
        self.signals = _Signals()

    def run(self) -> None:
        try:
            results = []
            for markup in self.markups:
                plain = richtext.to_plain(markup)
                results.append((plain, notation.find_in_text(plain, self.rules, self.names)))
        except Exception:  # a bug in a check must not take the window down
            logger.exception("the notation check failed")
            results = None
        self.signals.done.emit(self.generation, results)


class NotationChecker(QObject):
    """Finds a report's notation findings in the background; ``found`` gives them."""

    found = Signal(object)  # list[notation.NotationFinding], in document order
    failed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.generation = 0
        self._running: _Check | None = None
        self._places: dict[int, list] = {}
        self._pending: _Check | None = None

    @property
    def busy(self) -> bool:
        """Whether a check is under way."""
        return self._running is not None

    def check(
        self, report: Report, rules: list[notation.NotationRule], departments: Iterable[str] = ()
    ) -> None:
        """Check the report as it is now (a check under way is overtaken)."""
        self.generation += 1
        active = [r for r in rules if r.enabled]
        places = list(notation.texts(report)) if active else []
        markups = [getattr(node, name) for _goal, _direction, node, name in places]
        # Department names are never rewritten, as in notation.find.
        names = sorted({*report.departments(), *departments}, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, names))) if names else None
        job = _Check(self.generation, markups, active, pattern)
        self._places = {self.generation: places}
        if self._running is not None:
            self._pending = job
            return
        self._start(job)

    def _start(self, job: _Check) -> None:
        self._running = job
        job.signals.done.connect(self._finished)
        self.pool.start(job)

    def _finished(self, generation: int, results: list | None) -> None:
        self._running = None
        if self._pending is not None:
            job, self._pending = self._pending, None
            self._start(job)
            return
        places = self._places.pop(generation, None)
        if places is None or generation != self.generation:
            return
        if results is None:
            self.failed.emit()
            return
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

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for closing the window and for tests)."""
        return self.pool.waitForDone(msecs)
