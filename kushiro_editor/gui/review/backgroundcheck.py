"""The review panel's checks off the window's thread: 提出前の点検 and 表記の点検.

The panel checks again after every edit. On the sample a check takes a tenth
of a second, but the first notation check loads the analyser, and on a report
twenty times the sample's size the review takes one to two seconds and the
notation check as long: the window must not stall on either. What a check
needs is read on the window's thread as plain values (the markup strings
never change in place), the check runs in a worker, and its findings are put
together again on the window's thread with the nodes they belong to.

:class:`BackgroundCheck` runs one check at a time. A request made while one
runs waits, and a newer request replaces it; an answer is used only when no
request was made and no change announced (:meth:`BackgroundCheck.invalidate`)
since it was asked for, so that the panel never shows a stale answer as the
current one.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ...core import notation, review, richtext
from ...core.model import Direction, Kpi, Report

logger = logging.getLogger(__name__)

# The window's thread takes the interpreter lock back at every call into Qt and, while
# a check runs, waits up to the switch interval each time (5 ms by default): a
# keystroke's handling, with its many calls, would wait tens of milliseconds. While
# checks run the interval is shorter, so that the window is served first.
SWITCH_INTERVAL = 0.0005


class _ShortSwitching:
    """The short switch interval while any check runs (in any worker), the usual one after."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.usual = sys.getswitchinterval()

    def __enter__(self) -> None:
        with self.lock:
            if not self.running:
                self.usual = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL, self.usual))
            self.running += 1

    def __exit__(self, *_exc: object) -> None:
        with self.lock:
            self.running -= 1
            if not self.running:
                sys.setswitchinterval(self.usual)


_SHORT_SWITCHING = _ShortSwitching()


class _Signals(QObject):
    done = Signal(int, object, bool)  # generation, answer, whether the work succeeded


class _Job(QRunnable):
    """One request's work: plain values in, plain values out."""

    def __init__(self, generation: int, work: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.generation = generation
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            with _SHORT_SWITCHING:
                answer, ok = self.work(), True
        except Exception:  # a bug in a check must not take the window down
            logger.exception("a background check failed")
            answer, ok = None, False
        self.signals.done.emit(self.generation, answer, ok)


class BackgroundCheck(QObject):
    """Runs one check at a time in a worker; only the newest request's answer is used."""

    failed = Signal()  # the newest request's work raised (logged)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        if pool is None:  # one worker of its own (checks given one pool run one after another)
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
        self.pool = pool
        self.generation = 0
        self._running: _Job | None = None
        self._pending: _Job | None = None
        self._accept: dict[int, Callable[[object], None]] = {}

    @property
    def busy(self) -> bool:
        """Whether a check is under way or waiting for the one under way."""
        return self._running is not None or self._pending is not None

    def submit(self, work: Callable[[], object], accept: Callable[[object], None]) -> None:
        """Run ``work`` off the window's thread; ``accept`` gets its answer unless overtaken."""
        self.generation += 1
        job = _Job(self.generation, work)
        self._accept = {self.generation: accept}  # older requests' answers are not wanted
        if self._running is not None:
            self._pending = job  # replaces a request that had not started yet
            return
        self._start(job)

    def invalidate(self) -> None:
        """What is checked changed: the answer under way (if any) is stale, and a
        request waiting for it is not run at all."""
        self.generation += 1
        self._accept.clear()
        self._pending = None

    def _start(self, job: _Job) -> None:
        self._running = job
        job.signals.done.connect(self._finished)
        self.pool.start(job)

    def _finished(self, generation: int, answer: object, ok: bool) -> None:
        self._running = None
        if self._pending is not None:
            job, self._pending = self._pending, None
            self._start(job)
        accept = self._accept.pop(generation, None)
        if accept is None or generation != self.generation:
            logger.debug("dropped the stale answer of check %d", generation)
            return
        if not ok:
            self.failed.emit()
            return
        accept(answer)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the worker is idle (for closing the window and for tests)."""
        return self.pool.waitForDone(msecs)


# -- the review (提出前の点検) ---------------------------------------------------------------
@dataclass(frozen=True)
class ReviewRequest:
    """What the review of a report needs, copied on the window's thread."""

    report: Report  # goals, directions, measures, entries and KPIs copied; texts are shared
    limit: int
    departments: tuple[str, ...] | None


def review_request(report: Report, limit: int, departments: list[str] | None) -> ReviewRequest:
    """Copy what the check reads: the window changes its report while the check runs.

    The markup strings never change in place, so copies of the goals,
    directions, measures, entries and KPIs and of their lists are enough.
    """
    goals = [
        replace(
            goal,
            directions=[_copied(direction) for direction in goal.directions],
            kpis=_copied_kpis(goal.kpis),
        )
        for goal in report.goals
    ]
    copied = replace(report, goals=goals)
    return ReviewRequest(copied, limit, tuple(departments) if departments else None)


def _copied(direction: Direction) -> Direction:
    return replace(
        direction,
        # Measures and projects get their attributes replaced, never changed in
        # place: a copy of the lists is enough. An entry's departments list is not.
        measures=[
            replace(measure, kpis=_copied_kpis(measure.kpis)) for measure in direction.measures
        ],
        main_projects=list(direction.main_projects),
        entries=[
            replace(entry, departments=list(entry.departments)) for entry in direction.entries
        ],
        kpis=_copied_kpis(direction.kpis),
    )


def _copied_kpis(kpis: list[Kpi]) -> list[Kpi]:
    # A KPI's values are tuples of frozen items and its texts strings: replacing
    # them leaves the copy as it was; its departments list is changed in place.
    return [replace(kpi, departments=list(kpi.departments)) for kpi in kpis]


def run_review(request: ReviewRequest) -> list[tuple[int, str, str, str]]:
    """The review of the copy: (position in review.subjects, field, rule, detail) per finding."""
    subjects = review.subjects(request.report)
    position = {id(node): index for index, (_g, _d, node, _o) in enumerate(subjects)}
    departments = list(request.departments) if request.departments is not None else None
    findings = review.check(request.report, limit=request.limit, departments=departments)
    return [(position[id(f.entry)], f.field, f.rule, f.detail) for f in findings]


class ReviewChecker(BackgroundCheck):
    """提出前の点検 of a report in the background; ``found`` gives the findings."""

    found = Signal(object)  # list[review.Finding], in document order

    def check(self, report: Report, limit: int, departments: list[str] | None) -> None:
        """Check the report as it is now (a check under way is overtaken)."""
        places = review.subjects(report)
        request = review_request(report, limit, departments)

        def accept(answer: object) -> None:
            findings = []
            for index, field, rule, detail in answer:
                goal, direction, node, owner = places[index]
                findings.append(review.Finding(goal, direction, node, field, rule, detail, owner))
            self.found.emit(findings)

        self.submit(lambda: run_review(request), accept)


# -- the notation (表記の点検) ---------------------------------------------------------------
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
