"""Chat turns: the streaming path from a message to an audited answer.

A turn runs in three steps: (1) resolve the app and conversation and prove the model
file; (2) outside any transaction, fit the context and stream the answer, checking the
CancelToken between tokens; (3) store the answer and append the ``chat.turn`` audit event
with the full trace in one transaction. A stopped answer is kept, marked "cancelled".

A turn that replaces others (regenerate, edit-and-resend) replaces them only in step (3):
a failure, or a stop before the first token, leaves the conversation as it was.

What each step writes is in :mod:`desktop.core.services.chat_record`; listing, reading,
renaming and deleting conversations is :class:`ConversationService`
(:mod:`desktop.core.services.conversations`), which ``ChatService`` hands them to.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import Any

from desktop.core import rbac
from desktop.core.chat_models import (
    AppRecord,
    Conversation,
    ModelRecord,
    StopReason,
    Turn,
    fill_variables,
)
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AppError, Cancelled, GenerationFailed, InputError, NotFound
from desktop.core.knowledge_models import SearchHit
from desktop.core.models import Actor
from desktop.core.policy import require_text
from desktop.core.ports import ChatModel, Generation, Store
from desktop.core.ports.pii import PiiDetector
from desktop.core.prompting import FittedPrompt, fit_context
from desktop.core.services.base import AuditedService
from desktop.core.services.chat_files import ConversationFilesService
from desktop.core.services.chat_privacy import TurnPrivacy
from desktop.core.services.chat_record import (
    FailedTurn,
    TurnPlan,
    answered_history,
    open_turn,
    plan_turn,
    record_abandoned,
    record_answer,
    record_kept_failure,
)
from desktop.core.services.chat_trace import PieceSink, TurnResult, stream_answer
from desktop.core.services.conversations import ConversationService, own_conversation
from desktop.core.services.exhaustive import ExhaustiveReader, PartialReading, Reading, repeat_mode
from desktop.core.services.ingest import DocumentSource, IngestReport
from desktop.core.services.limits import LimitService
from desktop.core.services.models import ModelService
from desktop.core.services.passages import CitedPassage
from desktop.core.services.retrieval import Retriever, citation_block, citations
from desktop.core.tasks import CancelToken, ProgressSink, no_progress

__all__ = ["MAX_MESSAGE", "ChatService", "PieceSink", "TurnResult"]

MAX_MESSAGE = 100_000
_REPLACING = ("regenerated_from", "replaced_turns")


def _check_message(message: str) -> None:
    if not require_text(message, "common.what.message").strip():
        raise InputError("conversations.message_empty")
    if len(message) > MAX_MESSAGE:
        raise InputError("conversations.message_too_long", maximum=MAX_MESSAGE)


class ChatService(AuditedService):
    def __init__(
        self,
        store: Store,
        models: ModelService,
        chat_model: ChatModel,
        clock: Clock,
        perf_counter: Callable[[], float] = time.perf_counter,
        retriever: Retriever | None = None,
        files: ConversationFilesService | None = None,
        pii: PiiDetector | None = None,
        limits: LimitService | None = None,
    ) -> None:
        super().__init__(store)
        self._limits = limits  # None: no usage limits (services/limits.py)
        self._pii = pii  # None: a policy that needs it refuses (services/chat_privacy.py)
        self._retriever = retriever
        self._files = files
        self._models = models
        self._model = chat_model
        self._clock = clock
        self._perf = perf_counter
        self._reader = ExhaustiveReader(store, chat_model, perf_counter)
        forget = files.forget if files is not None else None
        self._conversations = ConversationService(store, clock, forget_kb=forget, pii=pii)

    # ------------------------------------------------------------------ turns

    def send(
        self,
        actor: Actor,
        app_ref: str | int | None,
        message: str,
        *,
        conversation_id: int | None = None,
        variables: dict[str, str] | None = None,
        cancel: CancelToken | None = None,
        on_piece: PieceSink | None = None,
        exhaustive: bool | None = None,
        progress: ProgressSink = no_progress,
    ) -> TurnResult:
        """Ask ``message`` in a new conversation with the app, or continue one.
        ``exhaustive`` (default: the app's setting) reads every chunk of the app's
        documents in batches (:mod:`.exhaustive`), reporting each batch to ``progress``."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            _check_message(message)
            actor = op.actor
            plan = plan_turn(op.tx, actor, app_ref, conversation_id, variables or {})
        cancel = cancel or CancelToken()
        return self._run(actor, plan, message, cancel, on_piece, {}, exhaustive, progress)

    def regenerate(
        self,
        actor: Actor,
        conversation_id: int,
        *,
        cancel: CancelToken | None = None,
        on_piece: PieceSink | None = None,
        exhaustive: bool | None = None,
        progress: ProgressSink = no_progress,
    ) -> TurnResult:
        """Answer the last message again. The new answer replaces the old one only once it
        is stored (the audit log keeps both); a failure, or a stop before the first token,
        leaves the old one in place. ``exhaustive`` None: the mode it was asked in."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            turns = tx.conversations.turns(conv.id, current_only=True)
            if not turns:
                raise InputError("conversations.nothing_to_regenerate")
            last = turns[-1]
            plan = plan_turn(tx, actor, None, conv.id, {})
        plan = replace(plan, history=answered_history(turns[:-1]))
        extra = {"regenerated_from": last.id}
        mode, cancel = repeat_mode(last, exhaustive), cancel or CancelToken()
        return self._run(actor, plan, last.user_text, cancel, on_piece, extra, mode, progress)

    def edit_and_resend(
        self,
        actor: Actor,
        conversation_id: int,
        turn_id: int,
        message: str,
        *,
        cancel: CancelToken | None = None,
        on_piece: PieceSink | None = None,
        exhaustive: bool | None = None,
        progress: ProgressSink = no_progress,
    ) -> TurnResult:
        """Send ``message`` in place of message ``turn_id``: the model is given only the
        turns before it, and the new turn replaces that turn and every later one, in the
        mode ``exhaustive`` says (None: the mode message ``turn_id`` was asked in).

        The replaced turns are kept, marked superseded: left out of ``turns`` and of
        later prompts, still in the log. They are marked only once the new answer is
        stored; a failure, or a stop before the first token, leaves them current. The
        conversation keeps its variables. NotFound unless ``turn_id`` is a current turn
        of one of your own conversations.
        """
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            _check_message(message)
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            turns = tx.conversations.turns(conv.id, current_only=True)
            at = next((i for i, t in enumerate(turns) if t.id == turn_id), None)
            if at is None:
                raise NotFound(
                    "conversations.no_such_message", conversation_id=conv.id, turn_id=turn_id
                )
            plan = plan_turn(tx, actor, None, conv.id, {})
        plan = replace(plan, history=answered_history(turns[:at]))
        extra = {"edited_from": turn_id, "replaced_turns": [t.id for t in turns[at:]]}
        mode, cancel = repeat_mode(turns[at], exhaustive), cancel or CancelToken()
        return self._run(actor, plan, message, cancel, on_piece, extra, mode, progress)

    def _run(
        self,
        actor: Actor,
        plan: TurnPlan,
        message: str,
        cancel: CancelToken,
        on_piece: PieceSink | None,
        extra: dict[str, Any],
        exhaustive: bool | None = None,
        progress: ProgressSink = no_progress,
    ) -> TurnResult:
        """Every turn's one way to the model: the usage limits admit it first."""
        with self._admit(actor, plan):
            return self._answer(actor, plan, message, cancel, on_piece, extra, exhaustive, progress)

    def _admit(self, actor: Actor, plan: TurnPlan) -> AbstractContextManager[None]:
        if self._limits is None:
            return nullcontext()
        return self._limits.admit(actor, plan.app.id, plan.model.id)

    def _answer(
        self,
        actor: Actor,
        plan: TurnPlan,
        message: str,
        cancel: CancelToken,
        on_piece: PieceSink | None,
        extra: dict[str, Any],
        exhaustive: bool | None,
        progress: ProgressSink,
    ) -> TurnResult:
        privacy = TurnPrivacy(plan.privacy, self._pii, cancel)  # None: refuses if needed
        model = self._models.verified(plan.model.id, cancel)
        self._model.load(model.path, model.sha256, model.settings, model.info)
        system = fill_variables(plan.app.config.instructions, plan.variables)
        reading = self._reading(actor, plan, message, exhaustive, privacy)
        hits = [] if reading else self._retrieve(actor, plan, message)
        if hits:
            system = f"{system}\n\n{citation_block(hits)}".strip()
        logged = [" ".join(message.split())[:80], *plan.variables.values()]  # title, too
        sources = reading.chunks if reading else [hit.chunk for hit in hits]
        logged += dict.fromkeys(t for c in sources for t in (c.document, c.heading) if t)
        system, history, asked = privacy.prompt(system, plan.history, message, logged)
        n_ctx, max_tokens = self._model.context_length(), plan.app.config.params.max_tokens
        fitted = reading.placeholder if reading else fit_context(
            self._model, system, history, asked, n_ctx=n_ctx, max_tokens=max_tokens
        )  # fmt: skip
        conv, pending = self._start(actor, plan, message, model, privacy)
        on_piece = privacy.sink(on_piece)
        gone = conv if plan.conversation is None else None  # what a failure removes
        partial = PartialReading()  # an exhaustive reading's citations too, if it fails
        generation: Generation
        try:
            if reading:  # every chunk, in batches (services/exhaustive.py)
                read = self._reader.read(reading, asked, cancel, on_piece, progress, partial)
                answer, generation, timings, fitted = read.parts
                extra = {**extra, **read.extra}
            else:
                answer, generation, timings = stream_answer(
                    self._model, fitted, plan.app, cancel, on_piece, self._perf, partial
                )
            answer = privacy.finish(answer)  # placeholders back to values
            if (
                not answer
                and generation.stop_reason == StopReason.CANCELLED
                and any(key in extra for key in _REPLACING)
            ):  # stopped before a word: what it would replace stays
                raise Cancelled("conversations.stopped_before_answer")
        except GenerationFailed as exc:
            kept = False
            extra = {**extra, **partial.extra}  # an exhaustive reading's items' citations
            if partial.pieces and not any(key in extra for key in _REPLACING):
                privacy.keep(partial.pieces)
                failed = FailedTurn(plan, conv, pending, model, fitted, partial, hits, exc)
                try:
                    self._keep_failed(actor, failed, extra, privacy)
                    kept = True
                    exc.conversation_id = conv.id
                except AppError:  # could not be stored: leave no pending turn behind
                    kept = False
            if not kept:
                self._abandon(actor, pending, gone, exc, privacy)
            raise
        except BaseException as exc:
            self._abandon(actor, pending, gone, exc, privacy)
            raise
        extra = {"retrieved": citations(hits, answer), **extra, **privacy.trace()}
        return self._finish(
            actor, plan, conv, pending, model, fitted, answer, generation, timings, extra, privacy
        )

    def _reading(
        self,
        actor: Actor,
        plan: TurnPlan,
        message: str,
        exhaustive: bool | None,
        privacy: TurnPrivacy,
    ) -> Reading | None:
        """An exhaustive turn's plan (the app's setting unless the question says), its
        passages masked when the turn pseudonymises."""
        if not (plan.app.config.exhaustive if exhaustive is None else exhaustive):
            return None
        mask = privacy.for_model if privacy.pseudonymise else None
        return self._reader.plan(actor, plan.app, plan.app.config.kb_ids, message, mask)

    def _retrieve(self, actor: Actor, plan: TurnPlan, message: str) -> list[SearchHit]:
        """Passages from the app's linked knowledge bases this user may read."""
        if self._retriever is None or not plan.app.config.kb_ids:
            return []
        return self._retriever.for_chat(actor, plan.app.id, plan.app.config.kb_ids, message)

    def _start(
        self, actor: Actor, plan: TurnPlan, message: str, model: ModelRecord, p: TurnPrivacy
    ) -> tuple[Conversation, Turn]:
        now = iso_utc(self._clock.now())
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            return open_turn(op, plan, message, model, now, p.log)

    def _finish(
        self,
        actor: Actor,
        plan: TurnPlan,
        conv: Conversation,
        pending: Turn,
        model: ModelRecord,
        fitted: FittedPrompt,
        answer: str,
        generation: Generation,
        timings: dict[str, float],
        extra: dict[str, Any],
        privacy: TurnPrivacy,
    ) -> TurnResult:
        privacy.read_answer(answer)
        now = iso_utc(self._clock.now())
        with self._continue(actor) as op:
            turn = record_answer(
                op, plan, conv, pending, model, fitted, answer, generation, timings, extra, now,
                privacy.log,
            )  # fmt: skip
            privacy.save(op.tx, turn.id)
        return TurnResult(conv.id, turn)

    def _keep_failed(
        self, actor: Actor, f: FailedTurn, extra: dict[str, Any], privacy: TurnPrivacy
    ) -> None:
        """A turn whose model failed after it had begun answering (the model process
        crashed, was killed, ran out of memory): the partial answer stays in the
        conversation, marked as failed, and the audit log records the full trace."""
        elapsed = round((self._perf() - f.partial.started) * 1000, 2)
        privacy.read_answer(f.partial.text)
        now = iso_utc(self._clock.now())
        with self._continue(actor) as op:
            record_kept_failure(op, f, extra, elapsed, now, privacy.log)
            privacy.save(op.tx, f.pending.id)

    def _abandon(
        self,
        actor: Actor,
        pending: Turn,
        new_conversation: Conversation | None,
        exc: BaseException,
        privacy: TurnPrivacy,
    ) -> None:
        """A turn that failed mid-answer is removed from the conversation (and a
        conversation it had just created goes too); the audit log records the failure."""
        reason = exc.message if isinstance(exc, AppError) else type(exc).__name__
        with self._continue(actor) as op:
            record_abandoned(op, pending, new_conversation, reason, privacy.log)

    # ------------------------------------------------------------------ conversations
    # (ConversationService, services/conversations.py, does these)

    def conversations(self, actor: Actor, app_ref: str | int | None = None) -> list[Conversation]:
        """The actor's own conversations, newest first (optionally of one app)."""
        return self._conversations.conversations(actor, app_ref)

    def start(
        self, actor: Actor, app_ref: str | int, variables: dict[str, str] | None = None
    ) -> Conversation:
        """A new, empty conversation with the app (its first message titles it)."""
        return self._conversations.start(actor, app_ref, variables)

    def start_quick(self, actor: Actor, model_ref: str | int) -> tuple[AppRecord, Conversation]:
        """A new, empty quick chat with a model: its quick-chat app and the conversation."""
        return self._conversations.start_quick(actor, model_ref)

    def search(self, actor: Actor, text: str) -> list[Conversation]:
        """Your own conversations whose title or messages contain ``text``."""
        return self._conversations.search(actor, text)

    def attach_files(
        self,
        actor: Actor,
        conversation_id: int,
        sources: Sequence[DocumentSource],
        cancel: CancelToken | None = None,
        progress: ProgressSink = no_progress,
    ) -> IngestReport:
        """Add files to one of your conversations: its later turns draw on them."""
        if self._files is None:
            raise InputError("conversations.files_unavailable")
        return self._files.attach(actor, conversation_id, sources, cancel, progress)

    def export(self, actor: Actor, conversation_id: int, target: str) -> tuple[str, list[Turn]]:
        """One of your conversations, for Markdown, PDF or print; the export is audited."""
        return self._conversations.export(actor, conversation_id, target)

    def turns(self, actor: Actor, conversation_id: int) -> list[Turn]:
        """The conversation as it stands, oldest first (edited-away turns left out)."""
        return self._conversations.turns(actor, conversation_id)

    def my_feedback(self, actor: Actor, conversation_id: int) -> dict[int, str]:
        """Your own ratings of the answers in one of your conversations, by turn id."""
        return self._conversations.my_feedback(actor, conversation_id)

    def passage(self, actor: Actor, turn_id: int, marker: int) -> CitedPassage:
        """The passage behind citation ``[marker]`` of one of your answers."""
        return self._conversations.passage(actor, turn_id, marker)

    def rename(self, actor: Actor, conversation_id: int, title: str) -> None:
        self._conversations.rename(actor, conversation_id, title)

    def delete(self, actor: Actor, conversation_id: int) -> None:
        """Really delete: rows go (secure_delete zeroes them) and the WAL is folded in."""
        self._conversations.delete(actor, conversation_id)
