"""実績を過去形にする: propose, preview, then apply the chosen sentences as one undo step."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication, QDialog, QTextEdit, QWidget

from ...core import kinds, pastdrafts
from ...core.model import TEXT_LABELS, Report, place_in
from ..editor.commands import tr
from ..session import Feature, Session
from ..shared.snapshot import take_snapshot
from .dialog import PastTenseDialog

logger = logging.getLogger(__name__)


class PastTenseWork(Feature):
    """実績を過去形にする (Ctrl+Shift+T), also offered when a new year took last year's plans."""

    def __init__(self, session: Session, parent: QWidget) -> None:
        super().__init__(session, parent)
        self.act_past_tense = self.action(
            self.tr("実績を過去形にする(&T)…"),
            self.preview,
            "Ctrl+Shift+T",
            self.tr("前年度の取組予定を写した実績の文末を、一覧で確かめてから過去形にします"),
            needs_report=True,
        )
        session.drafts_made.connect(self.offer)

    def offer(self) -> None:
        """The new year copied last year's plans into the 実績: offer to put them in the past."""
        self.session.offer.emit(self.tr("実績の下書きを過去形にする…"), self.preview)

    def focused_text(self) -> tuple[object, str, str] | None:
        """The rich text the keyboard is in: its node, field and place (None elsewhere)."""
        widget = QApplication.focusWidget()
        if self.document is None or not isinstance(widget, QTextEdit):
            return None
        found = self.document.field_of(widget.document())
        if found is None:
            return None
        node, field = found
        if kinds.of(node).field(field).type != kinds.RICH:
            return None
        where = place_in(self.document.report, node)
        return node, field, f"{where} {TEXT_LABELS.get(field, '')}".rstrip()

    def preview(self) -> None:
        """Propose off the window's thread (the analyser), then show the preview."""
        document = self.document
        if document is None:
            return
        focused = self.focused_text()
        document.flush()
        report = document.report

        def work() -> tuple[list[pastdrafts.TextDraft], pastdrafts.TextDraft | None]:
            found = pastdrafts.drafts(report, carried_only=False)
            one = None
            if focused is not None:
                node, field, where = focused
                one = pastdrafts.draft_of(node, field, where, getattr(node, field))
            return found, one

        self.session.tasks.run(
            self.tr("文末を調べています…"),
            work,
            lambda result: self._show(report, *result),
            lambda message: self.show_error(self.tr("過去形にできませんでした"), message),
        )

    def _show(
        self,
        report: Report,
        found: list[pastdrafts.TextDraft],
        focused: pastdrafts.TextDraft | None,
    ) -> None:
        if self.document is None or self.document.report is not report:
            return  # another report was opened meanwhile
        # Last year's drafts, and the text the keyboard is in, whoever wrote it.
        texts = [d for d in found if d.carried] + ([focused] if focused is not None else [])
        if not any(d.changes for d in texts):
            # The sentences it could not judge are not a reason to open the preview.
            self.session.message.emit(self.tr("過去形にする文はありません。"), 5000)
            return
        dialog = PastTenseDialog(found, focused, self.parent_widget)
        if self.confirm(dialog):
            self.apply(dialog.chosen())

    def confirm(self, dialog: PastTenseDialog) -> bool:
        """Show the preview; True to apply the sentences chosen in it."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def apply(self, chosen: list[tuple[pastdrafts.TextDraft, list]]) -> bool:
        """A snapshot, then the chosen sentences as one step on the undo history."""
        if self.document is None:
            return False
        batch = pastdrafts.edits_of(chosen)
        if not batch:
            return False
        take_snapshot(self.session, "pasttense")
        done = self.document.apply(tr("過去形にする"), batch)
        if done:
            sentences = sum(len(p) for _d, p in chosen)
            self.session.message.emit(
                self.tr(
                    "{0} 文を過去形にしました(文章 {1} 件、未確認の印はそのまま。"
                    "元に戻す: Ctrl+Z)。"
                )
                .replace("{0}", str(sentences))
                .replace("{1}", str(len(batch))),
                10000,
            )
        return done
