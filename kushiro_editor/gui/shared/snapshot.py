"""A snapshot before a change that replaces much: several features take one."""

from __future__ import annotations

import logging

from ...core import snapshots
from ...core.model import ReportError
from ..session import Session

logger = logging.getLogger(__name__)


def take_snapshot(session: Session, reason: str, name: str = "") -> snapshots.Snapshot | None:
    """Snapshot the store now, before a change that replaces much (merges, prefill…).

    None in a read-only window, or when the snapshot failed (said in the status bar).
    """
    if session.read_only:
        return None
    session.flush()
    keep = int(session.settings.value("snapshots/keep", snapshots.DEFAULT_KEEP))
    try:
        return snapshots.take(session.store, reason, name, keep=keep)
    except ReportError as exc:
        session.message.emit(str(exc), 15000)
        return None
