"""Which rows the connected login may write, as the window needs to know before typing.

The server decides (row-level security, :mod:`.roles`); this only reads who
is connected and which of the login's rows are submitted, so that the window
can show another department's row, or a row waiting for a planner, as
read-only with the reason, instead of letting the typing be refused at the
next save. A planner, or a store file, may write every row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from ..model import Entry, Report, ReportError
from . import logins, rowstates

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Access:
    """A department login's rows: its 所管部署 and the rows of them it cannot change now."""

    login: str
    departments: frozenset[str]
    frozen: dict[str, str] = field(default_factory=dict)  # entry id → its state

    def reason(self, entry: Entry) -> str:
        """Why this login cannot change the row now ("" when it can)."""
        if not self.departments.intersection(entry.departments):
            mine = "、".join(sorted(self.departments)) or "どの所管部署にも"
            return f"ほかの部署の行です({self.login} が書けるのは {mine} の行です)。"
        state = self.frozen.get(entry.id)
        if state:
            return f"{state}の行です。企画担当が差し戻すまで変更できません。"
        return ""


def read(store, report: Report) -> Access | None:
    """The connected department login's access; None where every row may be written
    (a store file, a planner, or a server not set up by ``server init``)."""
    if not store.on_server:
        return None
    try:
        me = logins.whoami(store)
        if me.planner:
            return None
        states = rowstates.states(store, report)
    except ReportError as exc:
        logger.info("no row access read: %s", exc)
        return None
    frozen = {entry_id: s.state for entry_id, s in states.items() if s.frozen}
    return Access(me.name, frozenset(me.departments), frozen)
