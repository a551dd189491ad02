"""Chat: a given GGUF model answers from the knowledge base, and cites it."""

from __future__ import annotations

from pathlib import Path

from desktop import app
from desktop.core.chat_models import AppConfig, LoadSettings, SamplingParams
from desktop.core.models import Actor
from desktop.diagnostics.common import StepFailed, StepOutcome, one_line

CHAT_QUESTION = "How many days a week may staff work remotely?"


def chat_step(ws: app.Workspace, owner: Actor, model: Path, kb_id: int) -> StepOutcome:
    """Self-test: register ``model``, make an app over the knowledge base ``kb_id`` and
    ask it one question; the answer must come back with passages."""
    record = ws.models.register(
        owner, str(model), name="self-test", settings=LoadSettings(n_ctx=2048)
    )
    config = AppConfig(
        name="self-test",
        model_id=record.id,
        instructions="Answer in one short sentence.",
        params=SamplingParams(temperature=0.0, max_tokens=16, seed=7),
        kb_ids=(kb_id,),
    )
    chat_app = ws.apps.create(owner, config)
    result = ws.chat.send(owner, chat_app.id, CHAT_QUESTION)
    turn = result.turn
    if not turn.answer.strip():
        raise StepFailed(f"the model gave an empty answer (stop reason {turn.stop_reason})")
    if not turn.citations:
        raise StepFailed("the answer came back without any passage from the knowledge base")
    info = record.info
    tokens = turn.usage.get("completion_tokens", 0)
    cited = sum(1 for c in turn.citations if c.get("cited"))
    detail = (
        f"{info.architecture} {info.quantization or ''}".strip()
        + f", {tokens} tokens at {turn.timings.get('tokens_per_s', 0)} tok/s, "
        f"{len(turn.citations)} passage(s) given, {cited} cited, "
        f"answer {one_line(turn.answer, 60)!r}"
    )
    return detail, {
        "model": record.path,
        "answer": turn.answer,
        "stop_reason": turn.stop_reason,
        "usage": turn.usage,
        "citations": len(turn.citations),
    }
