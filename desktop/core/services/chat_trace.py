"""The parts of a chat turn that need no storage: streaming the answer out of the model
with its timings, the ``chat.turn`` audit payload that records it, and the result."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.core.chat_models import AppRecord, ModelRecord, Turn, template_in_use
from desktop.core.ports import ChatModel, Generation
from desktop.core.prompting import FittedPrompt
from desktop.core.tasks import CancelToken

PieceSink = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class TurnResult:
    conversation_id: int
    turn: Turn

    def as_dict(self) -> dict[str, Any]:
        t = self.turn
        return {
            "conversation_id": self.conversation_id,
            "message_id": t.id,
            "text": t.answer,
            "stop_reason": t.stop_reason,
            "usage": t.usage,
            "timings": t.timings,
            "dropped_turns": t.dropped_turns,
            "app_version": t.app_version,
            "citations": list(t.citations),
        }


@dataclass(slots=True)
class PartialAnswer:
    """What an answer had produced when it failed: kept, not thrown away."""

    pieces: list[str] = field(default_factory=list)
    generation: Generation | None = None
    started: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.pieces)


def stream_answer(
    model: ChatModel,
    fitted: FittedPrompt,
    app: AppRecord,
    cancel: CancelToken,
    on_piece: PieceSink | None,
    perf: Callable[[], float],
    partial: PartialAnswer | None = None,
) -> tuple[str, Generation, dict[str, float]]:
    """Generate the answer, passing each piece to ``on_piece``; returns the text, the
    generation (counters, stop reason, seed) and its timings in ms and tokens/s. When it
    fails part-way, ``partial`` holds what came before the failure."""
    partial = partial if partial is not None else PartialAnswer()
    pieces = partial.pieces
    started = partial.started = perf()
    first: float | None = None
    generation = partial.generation = model.generate(fitted.prompt, app.config.params, cancel)
    for piece in generation:
        if first is None:
            first = perf()
        pieces.append(piece)
        if on_piece is not None:
            on_piece(piece)
    ended = perf()
    decode = ended - first if first is not None else 0.0
    rate = (generation.completion_tokens - 1) / decode if decode > 0 else 0.0
    timings = {
        "ttft_ms": round(((first or ended) - started) * 1000, 2),
        "total_ms": round((ended - started) * 1000, 2),
        "tokens_per_s": round(rate, 2),
    }
    return "".join(pieces), generation, timings


def turn_trace(
    turn: Turn,
    app: AppRecord,
    model: ModelRecord,
    fitted: FittedPrompt,
    generation: Generation,
    extra: dict[str, Any],
) -> dict[str, Any]:
    """The full trace of a stored turn, as its ``chat.turn`` audit event carries it."""
    return {
        "conversation_id": turn.conversation_id,
        "turn_id": turn.id,
        "seq": turn.seq,
        "app_id": app.id,
        "app_version": app.version,
        "input": turn.user_text,
        "model": {
            "name": model.name,
            "sha256": model.sha256,
            "settings": model.settings.as_dict(),
            "template": template_in_use(model.info),
        },
        "params": {**app.config.params.as_dict(), "seed_used": generation.seed},
        "prompt_sha256": hashlib.sha256(fitted.prompt.encode()).hexdigest(),
        "dropped_turns": fitted.dropped_turns,
        "output": turn.answer,
        "usage": turn.usage,
        "timings": turn.timings,
        "stop_reason": generation.stop_reason,
        **remote_trace(generation),
        **extra,
    }


def remote_trace(generation: Generation | None) -> dict[str, Any]:
    """A remote model's part of the trace (endpoint, the model id the server reported,
    the request's parameters, usage, timings); empty for a local model."""
    remote = getattr(generation, "remote", None)
    return {"remote": dict(remote)} if isinstance(remote, dict) else {}
