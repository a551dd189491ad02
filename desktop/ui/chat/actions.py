"""What can be done with an answer once it is there: copy it, rate it (with an optional
comment), open a cited passage. Links in answers are never opened: Kura works offline,
so a link is copied instead."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QGuiApplication

from desktop.core.models import Actor
from desktop.core.services.passages import CitedPassage
from desktop.ui.chat.dialogs import CitationDialog, FeedbackDialog
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.chat.transcript import Transcript
from desktop.ui.errors import InlineMessage
from desktop.ui.tasks import Lane
from desktop.ui.view import View


class AnswerActions(QObject):
    """Handles the transcript's answer signals for ``view`` (whose lanes it uses, so the
    view's teardown cancels its work too)."""

    def __init__(
        self,
        view: View,
        transcript: Transcript,
        message: InlineMessage,
        actor: Callable[[], Actor | None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        super().__init__(view)
        self._view = view
        self._transcript = transcript
        self._message = message
        self._actor = actor
        self._on_failed = on_failed
        self.citation_dialog: CitationDialog | None = None
        self.feedback_dialog: FeedbackDialog | None = None
        transcript.copy_requested.connect(self._on_transcript_copy_requested)
        transcript.link_clicked.connect(self._on_transcript_link_clicked)
        transcript.rate_requested.connect(self._on_transcript_rate_requested)
        transcript.citation_requested.connect(self._on_transcript_citation_requested)

    def _on_transcript_copy_requested(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def _on_transcript_link_clicked(self, url: QUrl) -> None:
        QGuiApplication.clipboard().setText(url.toString())
        self._message.show_info(
            self.tr("Kura does not open web pages. The link was copied: {url}").format(
                url=url.toString()
            )
        )

    # ------------------------------------------------------------------ feedback

    def _on_transcript_rate_requested(self, answer: AnswerBubble, rating: str) -> None:
        if answer.turn is None:
            return
        turn_id = answer.turn.id
        dialog = FeedbackDialog(rating, self._view)
        dialog.accepted.connect(lambda: self._rate(turn_id, rating, dialog.comment_text()))
        dialog.finished.connect(dialog.deleteLater)
        self.feedback_dialog = dialog
        dialog.open()

    def _rate(self, turn_id: int, rating: str, comment: str) -> None:
        actor = self._actor()
        if actor is None:
            return
        self._view.run(
            Lane.DB,
            lambda lc: lc.ws.logs.rate(actor, turn_id, rating, comment),
            key=f"rate:{turn_id}",
            on_done=lambda _: self._on_rated(turn_id, rating),
            on_failed=self._on_failed,
        )

    def _on_rated(self, turn_id: int, rating: str) -> None:
        for answer in self._transcript.answers:
            if answer.turn is not None and answer.turn.id == turn_id:
                answer.set_rating(rating)

    # ------------------------------------------------------------------ citations

    def _on_transcript_citation_requested(self, turn_id: int, marker: int) -> None:
        actor = self._actor()
        if actor is None:
            return
        self._view.run(
            Lane.DB,
            lambda lc: lc.ws.chat.passage(actor, turn_id, marker),
            key="passage",
            on_done=self._on_passage_loaded,
            on_failed=self._on_failed,
        )

    def _on_passage_loaded(self, passage: CitedPassage) -> None:
        if self.citation_dialog is not None:
            self.citation_dialog.close()
        dialog = CitationDialog(passage, self._view)
        dialog.finished.connect(lambda _: self._on_citation_dialog_finished(dialog))
        self.citation_dialog = dialog
        dialog.open()

    def _on_citation_dialog_finished(self, dialog: CitationDialog) -> None:
        if self.citation_dialog is dialog:
            self.citation_dialog = None
        dialog.deleteLater()
