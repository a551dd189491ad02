"""What a chat turn writes: the plan it runs on and its four transactions' contents.

:class:`~desktop.core.services.chat.ChatService` opens each transaction (``self._op``
or ``self._continue``) and hands the operation to one of these: open the turn (and a
new conversation), store the answer, keep a failed answer's partial text, or drop a
turn that failed. Each writes its audit event through ``op.audit``: the question's
``chat.asked`` when it is stored, and later the ``chat.turn`` or ``chat.failed`` that
completes it (all three name the turn_id).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import (
    AppRecord,
    Conversation,
    ModelRecord,
    StopReason,
    Turn,
    fill_variables,
)
from desktop.core.errors import GenerationFailed, InputError, NotFound
from desktop.core.knowledge_models import SearchHit
from desktop.core.models import Actor
from desktop.core.ports import Generation, Transaction
from desktop.core.prompting import FittedPrompt
from desktop.core.services.apps import find_app
from desktop.core.services.base import Op
from desktop.core.services.chat_privacy import PrivacyPlan, load_privacy
from desktop.core.services.chat_trace import PartialAnswer, turn_trace
from desktop.core.services.conversations import own_conversation
from desktop.core.services.exhaustive import BATCHES
from desktop.core.services.retrieval import citations


def answered_history(turns: list[Turn]) -> list[tuple[str, str]]:
    """(question, answer) pairs for the prompt: finished turns only (a failed turn's
    answer is cut off where its model stopped: the model is not shown it as an answer)."""
    return [
        (t.user_text, t.answer)
        for t in turns
        if t.stop_reason is not None and t.stop_reason != StopReason.FAILED
    ]


@dataclass(frozen=True, slots=True)
class TurnPlan:
    conversation: Conversation | None  # None: created when the turn starts
    app: AppRecord
    model: ModelRecord
    variables: dict[str, str]
    history: list[tuple[str, str]]
    privacy: PrivacyPlan = field(default_factory=PrivacyPlan)


#: What the audit log keeps of a text (pseudonyms under *minimise logs*).
LogText = Callable[[str], str]


def _same(text: str) -> str:
    return text


@dataclass(frozen=True, slots=True)
class FailedTurn:
    """A turn whose answer failed part-way, with what it had produced."""

    plan: TurnPlan
    conv: Conversation
    pending: Turn
    model: ModelRecord
    fitted: FittedPrompt
    partial: PartialAnswer
    hits: list[SearchHit]
    error: GenerationFailed


def open_turn(
    op: Op, plan: TurnPlan, message: str, model: ModelRecord, now: str, log: LogText = _same
) -> tuple[Conversation, Turn]:
    """The pending turn, in the plan's conversation or in a new one, with its
    ``chat.asked`` event (and ``conversation.created``), in the caller's transaction."""
    tx = op.tx
    conv = plan.conversation
    if conv is None:
        conv = tx.conversations.create(
            app_id=plan.app.id,
            app_version=plan.app.version,
            user_id=op.actor.user_id,
            title=" ".join(message.split())[:80],
            variables=plan.variables,
            now=now,
        )
        op.audit(
            action=AuditAction.CONVERSATION_CREATED,
            obj=f"conversation:{conv.id}",
            payload={
                "app_id": plan.app.id,
                "app_version": plan.app.version,
                "variables": {k: log(v) for k, v in plan.variables.items()},
            },
        )
    elif not tx.conversations.turns(conv.id):  # started empty: its first message titles it
        title = " ".join(message.split())[:80]
        tx.conversations.rename(conv.id, title, now=now)
        conv = replace(conv, title=title)
        op.audit(
            action=AuditAction.CONVERSATION_RENAMED,
            obj=f"conversation:{conv.id}",
            payload={"app_id": conv.app_id, "title": log(title)},
        )
    pending = tx.conversations.add_turn(
        conversation_id=conv.id,
        user_text=message,
        app_version=plan.app.version,
        model_sha256=model.sha256,
        now=now,
    )
    # Audited where it is stored: a crash before the answer leaves no unrecorded question.
    # The answer's ``chat.turn`` (or ``chat.failed``) names the same turn_id.
    op.audit(
        action=AuditAction.CHAT_ASKED,
        obj=f"conversation:{conv.id}",
        payload={
            "app_id": plan.app.id,
            "conversation_id": conv.id,
            "turn_id": pending.id,
            "input": log(message),
        },
    )
    return conv, pending


def record_answer(
    op: Op,
    plan: TurnPlan,
    conv: Conversation,
    pending: Turn,
    model: ModelRecord,
    fitted: FittedPrompt,
    answer: str,
    generation: Generation,
    timings: dict[str, float],
    extra: dict[str, Any],
    now: str,
    log: LogText = _same,
) -> Turn:
    """Store the answer (replacing the turns ``extra`` names) and its ``chat.turn`` trace."""
    usage = {
        "prompt_tokens": generation.prompt_tokens,
        "completion_tokens": generation.completion_tokens,
    }
    tx = op.tx
    if "regenerated_from" in extra:
        tx.conversations.delete_turn(int(extra["regenerated_from"]))
    if "replaced_turns" in extra:
        tx.conversations.supersede(extra["replaced_turns"], by=pending.id, now=now)
    turn = tx.conversations.finish_turn(
        pending.id,
        answer=answer,
        stop_reason=generation.stop_reason,
        usage=usage,
        timings=timings,
        dropped_turns=fitted.dropped_turns,
        now=now,
        citations=extra["retrieved"],
    )
    trace = turn_trace(turn, plan.app, model, fitted, generation, extra)
    op.audit(
        action=AuditAction.CHAT_TURN,
        obj=f"conversation:{conv.id}",
        payload=logged(trace, log),
    )
    return turn


def logged(trace: dict[str, Any], log: LogText) -> dict[str, Any]:
    """A trace with its texts (question, answer, and the names and headings of the
    documents it read, which may name a person too) as the audit log may keep them."""
    out = {
        k: log(v) if k in ("input", "output") and isinstance(v, str) else v
        for k, v in trace.items()
    }
    if isinstance(out.get("retrieved"), list):
        out["retrieved"] = [_logged_citation(c, log) for c in out["retrieved"]]
    reading = out.get("exhaustive")
    if isinstance(reading, dict) and isinstance(reading.get("batches"), list):
        batches = [
            {**b, "chunks": [[kb, log(doc), *rest] for kb, doc, *rest in b.get("chunks", [])]}
            for b in reading["batches"]
        ]
        out["exhaustive"] = {**reading, "batches": batches}
    return out


def _logged_citation(citation: Any, log: LogText) -> Any:
    if not isinstance(citation, dict):
        return citation
    return {
        **citation,
        **{
            k: log(citation[k]) for k in ("document", "heading") if isinstance(citation.get(k), str)
        },
    }


def record_kept_failure(
    op: Op, f: FailedTurn, extra: dict[str, Any], elapsed_ms: float, now: str, log: LogText = _same
) -> None:
    """Store a failed turn's partial answer, marked failed, with its full trace."""
    answer = f.partial.text
    generation = f.partial.generation
    usage = {
        "prompt_tokens": generation.prompt_tokens if generation is not None else 0,
        "completion_tokens": len(f.partial.pieces),
    }
    cited = citations(f.hits, answer)
    timings = {"total_ms": elapsed_ms}
    if "exhaustive" in extra:  # an exhaustive reading: its items' citations, its mode
        cited = extra["retrieved"]
        timings[BATCHES] = float(len(extra["exhaustive"]["batches"]))
    tx = op.tx
    turn = tx.conversations.finish_turn(
        f.pending.id,
        answer=answer,
        stop_reason=StopReason.FAILED.value,
        usage=usage,
        timings=timings,
        dropped_turns=f.fitted.dropped_turns,
        now=now,
        citations=cited,
    )
    trace: dict[str, Any] = {
        "turn_id": turn.id,
        "input": turn.user_text,
        "output": answer,
        "usage": usage,
    }
    if generation is not None:
        trace = turn_trace(
            turn, f.plan.app, f.model, f.fitted, generation, {**extra, "retrieved": cited}
        )
    op.audit(
        action=AuditAction.CHAT_FAILED,
        obj=f"conversation:{f.conv.id}",
        payload={
            **logged(trace, log),
            "app_id": f.plan.app.id,
            "stop_reason": StopReason.FAILED.value,
            "error": f.error.message,
            "partial_kept": True,
            "conversation_removed": False,
        },
    )


def record_abandoned(
    op: Op, pending: Turn, new_conversation: Conversation | None, reason: str, log: LogText = _same
) -> None:
    """Remove a failed turn (and the conversation it had just created); audit why."""
    tx = op.tx
    conv = tx.conversations.get(pending.conversation_id)
    tx.conversations.delete_turn(pending.id)
    if new_conversation is not None:
        tx.conversations.delete(new_conversation.id)
    op.audit(
        action=AuditAction.CHAT_FAILED,
        obj=f"conversation:{pending.conversation_id}",
        payload={
            "app_id": conv.app_id if conv is not None else None,
            "turn_id": pending.id,
            "input": log(pending.user_text),
            "error": reason,
            "conversation_removed": new_conversation is not None,
        },
    )


def plan_turn(
    tx: Transaction,
    actor: Actor,
    app_ref: str | int | None,
    conversation_id: int | None,
    variables: dict[str, str],
) -> TurnPlan:
    """What a turn runs on: the conversation (None for a new one), the app at its
    newest version (with the files dropped on the chat), its model, the variables, the
    answered history and the privacy plan; refuses another app's conversation."""
    if conversation_id is not None:
        conv: Conversation | None = own_conversation(tx, actor, conversation_id)
        assert conv is not None
        # New turns run on the newest version: unlinking a knowledge base or hiding
        # the app takes effect in running conversations too.
        app = find_app(tx, actor, conv.app_id)
        if app_ref is not None and find_app(tx, actor, app_ref).id != app.id:
            raise InputError(
                "conversations.other_app",
                conversation_id=conv.id,
                app=app.config.name,
                asked=app_ref,
            )
        variables = conv.variables
        history = answered_history(tx.conversations.turns(conv.id, current_only=True))
        files = tx.conversations.private_kb(conv.id)  # files dropped on this chat
        if files is not None:
            kb_ids = (*app.config.kb_ids, files)
            app = replace(app, config=app.config.with_changes(kb_ids=kb_ids))
    else:
        if app_ref is None:
            raise InputError("conversations.app_required")
        conv, app, history = None, find_app(tx, actor, app_ref), []
        fill_variables(app.config.instructions, variables)  # missing ones fail early
    model = tx.models.get(app.config.model_id)
    if model is None:
        raise NotFound("conversations.model_unregistered")
    privacy = load_privacy(tx, app.config, conv.id if conv is not None else None)
    return TurnPlan(conv, app, model, variables, history, privacy)
