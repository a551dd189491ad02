"""The sending half of the Chat screen: the conversation on show and the answer
streaming into it.

:class:`ConversationView` holds the current app, conversation and turns, sends a message
(new, edited or regenerated) on the ``INFERENCE`` lane and puts the stored answer in
place when it is done; :class:`~desktop.ui.chat.view.ChatView` builds the widgets it
uses, loads apps, conversations and turns, and drives the sidebar. Stop (or Esc) cancels
the token: the service keeps the partial answer, marked stopped, and the bubble then
shows exactly what was stored. Sending an edited earlier message replaces it and every
later turn once its answer is stored; until then the replaced turns are only hidden, and
a failure shows them again.

"Read every document" beside Send (offered when the chat has documents: the app's
knowledge bases, files dropped on it) starts at the app's setting in each conversation
and overrides it for the questions sent while it is on or off; such an answer shows
"Reading batch 3 of 12…" while its items arrive, and Stop keeps the items merged so far.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

from desktop.core.chat_models import AppRecord, Turn
from desktop.core.errors import AppError, GenerationFailed
from desktop.core.models import Actor
from desktop.core.services.chat import TurnResult
from desktop.core.services.exhaustive import asked_exhaustively
from desktop.ui.chat.composer import ComposerEdit
from desktop.ui.chat.conversations import ConversationPanel
from desktop.ui.chat.editing import MessageEdit
from desktop.ui.chat.gauge import ContextGauge
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.chat.pane import ChatPane
from desktop.ui.chat.streaming import (
    BATCHES,
    StreamState,
    edit_op,
    regenerate_op,
    send_op,
    with_load_progress,
)
from desktop.ui.chat.transcript import Transcript
from desktop.ui.chat.variables import VariableForm
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage, show_error
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.view import View


class ConversationView(View):
    """The conversation state and everything that sends into it (see the module)."""

    # built by ChatView
    sidebar: ConversationPanel
    pane: ChatPane
    transcript: Transcript
    composer: ComposerEdit
    variables: VariableForm
    message: InlineMessage
    composer_message: InlineMessage
    gauge: ContextGauge
    editing: MessageEdit

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._app: AppRecord | None = None
        self._conversation_id: int | None = None
        self._turns: list[Turn] = []
        self._stream: StreamState | None = None
        self._has_files = False  # files were dropped on the conversation on show

    def _load_conversations(self) -> None:
        """Reload the sidebar's conversations of the current app (ChatView loads)."""
        raise NotImplementedError

    def _load_turns(self, conversation_id: int, then: Callable[[], None] | None = None) -> None:
        """Show ``conversation_id``'s turns, then call ``then`` (ChatView loads)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ sending

    def _set_streaming(self, streaming: bool) -> None:
        self.pane.set_streaming(streaming)
        self.sidebar.setEnabled(not streaming)

    @property
    def streaming(self) -> bool:
        return self._stream is not None

    def _show_intro(self) -> None:
        if self._app is not None:
            config = self._app.config
            self.transcript.show_intro(config.opening_statement, config.suggested_questions)

    def _on_composer_send_requested(self) -> None:
        if self.send_text(self.composer.toPlainText()):
            self.composer.clear()

    def send_text(self, text: str) -> bool:
        """Ask ``text`` in the current conversation (or a new one); False if not sent."""
        if self._stream is not None or self._app is None or not text.strip():
            return False
        if self.editing.active:
            return self._send_edit(text)
        variables: dict[str, str] | None = None
        if self._conversation_id is None:
            missing = self.variables.missing()
            if missing:
                self.composer_message.show_error(
                    self.tr("Fill in {names} before sending.").format(names=", ".join(missing))
                )
                self.variables.focus_first_missing()
                return False
            variables = self.variables.values()
        actor = self._actor()
        if actor is None:
            return False
        read_all = self.pane.read_all()
        op = send_op(actor, self._app.id, text, self._conversation_id, variables, read_all)
        answer = self.transcript.add_exchange(text)
        self._start_stream(op, answer, text, None, variables)
        return True

    def regenerate(self) -> None:
        """Answer the last message again (the new answer replaces it once stored)."""
        answer = self.transcript.last_answer()
        conv_id = self._conversation_id
        if self._stream is not None or conv_id is None or not self._turns or answer is None:
            return
        actor = self._actor()
        if actor is None:
            return
        self.editing.end(clear_box=True)
        op = regenerate_op(actor, conv_id, self.pane.read_all())  # the toggle beside Send
        previous = self._turns[-1]
        answer.start_stream()
        self._start_stream(op, answer, previous.user_text, previous, None)

    def _send_edit(self, text: str) -> bool:
        """Send ``text`` in place of the message being edited (and everything after it)."""
        edited, index, conv_id = self.editing.turn, self.editing.index, self._conversation_id
        actor = self._actor()
        if edited is None or conv_id is None or actor is None:
            return False
        op = edit_op(actor, conv_id, edited.id, text, self.pane.read_all())
        self.editing.end(clear_box=False)
        self.transcript.hide_from(index)
        answer = self.transcript.add_exchange(text)
        self._start_stream(op, answer, text, None, None, edited=edited)
        return True

    def stop(self) -> None:
        """Stop the streaming answer (what was written so far is kept), or, with no
        answer streaming, stop editing an earlier message."""
        if self._stream is None:
            self.editing.end(clear_box=True)
            return
        self._stream.task.cancel()
        self.pane.set_stopping()

    def _start_stream(
        self,
        op: Callable[[LaneContext], TurnResult],
        answer: AnswerBubble,
        question: str,
        previous: Turn | None,
        variables: dict[str, str] | None,
        *,
        edited: Turn | None = None,
    ) -> None:
        self.message.clear_message()
        self.composer_message.clear_message()
        task = self.run(
            Lane.INFERENCE,
            with_load_progress(op, lambda: self.ctx.engines().chat_model),
            key="stream",
            on_progress=self._on_stream_progress,
            on_chunk=self._on_stream_chunk,
            on_done=self._on_stream_done,
            on_failed=self._on_stream_failed,
            on_finally=self._on_stream_finally,
        )
        self._stream = StreamState(task, answer, question, previous, variables, edited)
        self._set_streaming(True)

    def _on_stream_progress(self, done: int, total: object, message: str) -> None:
        if self._stream is None:
            return
        if message != BATCHES:  # the model loading
            self._stream.answer.show_status(self.pane.loading_text(done))
        elif isinstance(total, int) and done < total:  # about to read batch done + 1
            text = self.tr("Reading batch {n} of {total}…").format(n=done + 1, total=total)
            self._stream.answer.show_progress(text)

    def _on_stream_chunk(self, text: str) -> None:
        if self._stream is not None:
            self._stream.answer.append(text)

    def _on_stream_done(self, result: TurnResult) -> None:
        stream = self._stream
        assert stream is not None
        turn = result.turn
        if stream.edited is not None:  # the edited message and what followed are replaced
            kept = [t for t in self._turns if t.seq < stream.edited.seq]
            self._turns = [*kept, turn]
            self.transcript.show_turns(self._turns, self.transcript.ratings())
        elif stream.previous is not None and self._turns:
            self._turns[-1] = turn
        else:
            self._turns.append(turn)
        if self._conversation_id is None:
            values = stream.variables or {}
            labels = self._app.config.labels if self._app is not None else None
            self.variables.set_variables(list(values), values, editable=False, labels=labels)
        self._conversation_id = result.conversation_id
        if stream.edited is None:
            stream.answer.finish(turn, last=True)
        self.gauge.show_turn(turn)
        self._later(self._load_conversations)

    def _on_stream_failed(self, exc: BaseException) -> None:
        stream = self._stream
        assert stream is not None
        kept = exc.conversation_id if isinstance(exc, GenerationFailed) else None
        if kept is not None:  # the partial answer was stored as a failed turn: show it
            self._conversation_id = kept
            self._later(lambda: self._load_turns(kept, then=lambda: self._show_failure(exc)))
            self._later(self._load_conversations)
            return
        if stream.edited is not None:  # nothing was replaced: edit again or cancel
            self.transcript.drop_last_exchange()
            self.transcript.unhide_all()
            index = next(i for i, t in enumerate(self._turns) if t.id == stream.edited.id)
            self.editing.begin(index, stream.edited, self.composer.toPlainText() or stream.question)
        elif stream.previous is not None:
            stream.answer.finish(stream.previous, last=True)
        else:
            self.transcript.drop_last_exchange()
            if not self._turns:
                self._show_intro()
            if not self.composer.toPlainText().strip():
                self.composer.setPlainText(stream.question)
        self.gauge.show_turn(self._turns[-1] if self._turns else None)
        self._show_failure(exc)

    def _on_stream_finally(self) -> None:
        self._stream = None
        self._set_streaming(False)

    def _offer_read_all(
        self, *, files: bool | None = None, reset: bool = False, last: Turn | None = None
    ) -> None:
        """Offer "Read every document" when the chat has documents to read (``files``:
        whether some were dropped on it, when known); ``reset`` sets it to the mode the
        conversation's ``last`` question was asked in (an opened conversation: its
        answer is regenerated in that mode), else to the app's setting."""
        if files is not None:
            self._has_files = files
        config = self._app.config if self._app is not None else None
        offered = config is not None and (bool(config.kb_ids) or self._has_files)
        checked = config.exhaustive if reset and config is not None else None
        if reset and last is not None:
            checked = asked_exhaustively(last)
        self.pane.offer_read_all(offered, checked)

    # ------------------------------------------------------------------ helpers

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and (self._stream is not None or self.editing.active):
            self.stop()
            event.accept()
            return
        super().keyPressEvent(event)

    def _actor(self) -> Actor | None:
        try:
            return self.actor()
        except AppError:  # signed out or locked: the window shows the sign-in screen
            return None

    def _later(self, fn: Callable[[], None]) -> None:
        """Start follow-up work from the event loop, never inside a completion callback."""
        QTimer.singleShot(0, self, fn)

    def _show_failure(self, exc: BaseException) -> None:
        if isinstance(exc, AppError):
            self.message.show_error(exc)
        else:
            show_error(self, exc)
