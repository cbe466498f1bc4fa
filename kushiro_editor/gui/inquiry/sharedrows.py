"""The shared store's part of the 照会状況 panel: each department's rows 記入中 → 提出済み →
確認済み, and the buttons that move them (submitting for a department's login; accepting
and giving back for a planner).

The server decides who may do what (:mod:`...core.server.rowstates`); the
buttons shown follow who is connected only so that nobody is offered what the
server would refuse.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.model import ReportError
from ...core.server import logins, rowstates
from ..session import Session

logger = logging.getLogger(__name__)


class SharedRows(QObject):
    """What the panel reads of the shared store, and the row-state buttons under its table."""

    changed = Signal()  # a state was set: read the panel again

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.panel = parent
        self.bar = QWidget(parent)
        outer = QVBoxLayout(self.bar)
        outer.setContentsMargins(0, 0, 0, 0)
        # A row given back is 記入中 again; its comment is what the department must mend,
        # so it is shown where the department submits, not only kept on the server.
        self.returned = QLabel()
        self.returned.setWordWrap(True)
        self.returned.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.returned.hide()
        outer.addWidget(self.returned)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.hide()
        outer.addWidget(self.hint)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        self.submit_button = QPushButton(self.tr("担当の行を提出する(&S)"))
        self.accept_button = QPushButton(self.tr("確認済みにする(&A)"))
        self.give_back_button = QPushButton(self.tr("差し戻す(&R)…"))
        for button in (self.submit_button, self.accept_button, self.give_back_button):
            layout.addWidget(button)
        layout.addStretch(1)
        self.submit_button.clicked.connect(self.submit)
        self.accept_button.clicked.connect(self.accept)
        self.give_back_button.clicked.connect(self.give_back)
        self.me: logins.Login | None = None
        self.rows: dict[str, rowstates.DepartmentRows] = {}
        self.states: dict[str, rowstates.RowState] = {}
        self.selected = ""  # the department the panel's table is on

    def read(self) -> dict[str, rowstates.DepartmentRows]:
        """The departments on the shared store (none for a file), and who is connected."""
        store, document = self.session.store, self.session.document
        self.rows, self.me, self.states = {}, None, {}
        if store.on_server and document is not None:
            try:
                self.me = logins.whoami(store)
                self.rows = rowstates.by_department(store, document.report)
                self.states = rowstates.states(store, document.report)
            except ReportError as exc:  # (a store not set up by server init)
                logger.info("no row states: %s", exc)
        self.bar.setVisible(self.me is not None)
        self.select(self.selected)
        return self.rows

    def select(self, department: str) -> None:
        """The table's current department: what 確認済み and 差し戻す act on."""
        self.selected = department
        me, rows = self.me, self.rows.get(department)
        planner = bool(me and me.planner)
        self.submit_button.setVisible(bool(me) and not planner)
        self.accept_button.setVisible(planner)
        self.give_back_button.setVisible(planner)
        mine = [r for name, r in self.rows.items() if me and name in me.departments]
        self.submit_button.setEnabled(any(r.counts.get(rowstates.DRAFT) for r in mine))
        self.accept_button.setEnabled(bool(rows and rows.counts.get(rowstates.SUBMITTED)))
        self.give_back_button.setEnabled(bool(rows and rows.frozen))
        # A planner's buttons act on the table's department: say so while none is chosen
        # (disabled buttons alone do not tell why).
        self.hint.setText(self.tr("部署を選ぶと、その部署の提出された行を確認・差し戻しできます。"))
        self.hint.setVisible(planner and not rows)
        self._show_returned(self.own_departments() or ([department] if rows else []))

    def own_departments(self) -> tuple[str, ...] | None:
        """The connected department login's 所管部署; None for a planner or a store file."""
        me = self.me
        return None if me is None or me.planner else me.departments

    def returned_rows(self, departments) -> list[tuple[str, str]]:
        """The rows of ``departments`` given back and not yet submitted again, with the
        planner's comment: (place, comment)."""
        document = self.session.document
        if document is None or not self.states:
            return []
        found = []
        for row in rowstates.rows(document.report, departments):
            state = self.states.get(row.entry.id)
            if state is not None and state.state == rowstates.DRAFT and state.comment:
                found.append((row.where, state.comment))
        return found

    def _show_returned(self, departments) -> None:
        returned = self.returned_rows(departments) if departments else []
        lines = [f"・{where}: {comment}" for where, comment in returned]
        heading = (
            self.tr("差し戻した行(部署がまだ提出し直していません):")
            if self.me is not None and self.me.planner
            else self.tr("差し戻された行(直して、もう一度提出してください):")
        )
        self.returned.setText(heading + "\n" + "\n".join(lines))
        self.returned.setVisible(bool(returned))

    def _run(self, work, done: str) -> None:
        document = self.session.document
        if document is None or not self.session.flush():
            return
        try:
            count = work(document.report)
        except ReportError as exc:
            self.session.show_error(self.panel, self.tr("行の提出と確認"), str(exc))
            return
        document.sharing.forget_access()  # (its rows open or close for typing)
        self.session.message.emit(done.replace("{0}", str(count)), 6000)
        self.changed.emit()

    def submit(self) -> None:
        """Submit the connected department's rows that are 記入中."""
        me = self.me
        if me is None:
            return
        store = self.session.store

        def work(report):
            drafts = rowstates.ids_in(store, report, me.departments, rowstates.DRAFT)
            return rowstates.submit(store, report, drafts)

        self._run(work, self.tr("{0} 行を提出しました(企画担当が確認するまで変更できません)。"))

    def accept(self) -> None:
        """Accept the selected department's submitted rows."""
        store, department = self.session.store, self.selected

        def work(report):
            submitted = rowstates.ids_in(store, report, [department], rowstates.SUBMITTED)
            return rowstates.accept(store, report, submitted)

        self._run(work, self.tr("{0} 行を確認済みにしました。"))

    def give_back(self) -> None:
        """Give one of the selected department's frozen rows back with a comment."""
        rows = self.rows.get(self.selected)
        if rows is None or not rows.frozen:
            return
        places = [row.where for row in rows.frozen]
        title = self.tr("差し戻す")
        where, ok = QInputDialog.getItem(
            self.panel, title, self.tr("差し戻す行:"), places, 0, False
        )
        if not ok:
            return
        comment, ok = QInputDialog.getMultiLineText(
            self.panel, title, self.tr("差し戻す理由(部署に表示されます):")
        )
        if not ok:
            return
        entry_id = rows.frozen[places.index(where)].entry.id
        store = self.session.store

        def work(report):
            rowstates.give_back(store, report, entry_id, comment)
            return 1

        self._run(work, self.tr("{0} 行を差し戻しました。"))
