"""Fitting a conversation into the context window.

The system prompt and the newest user message always fit, or the turn is refused with
ContextOverflow; older turns are dropped oldest first until the rendered prompt leaves
``max_tokens`` free. The number dropped is recorded with the turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from desktop.core.chat_models import ChatMessage
from desktop.core.errors import ContextOverflow


class PromptRenderer(Protocol):
    def render(self, messages: list[ChatMessage]) -> str: ...

    def count_tokens(self, prompt: str) -> int: ...


@dataclass(frozen=True, slots=True)
class FittedPrompt:
    prompt: str
    prompt_tokens: int
    dropped_turns: int
    messages: tuple[ChatMessage, ...]


def _messages(system: str, history: Sequence[tuple[str, str]], user_text: str) -> list[ChatMessage]:
    out = [ChatMessage("system", system)] if system.strip() else []
    for question, answer in history:
        out += [ChatMessage("user", question), ChatMessage("assistant", answer)]
    out.append(ChatMessage("user", user_text))
    return out


def fit_context(
    renderer: PromptRenderer,
    system: str,
    history: Sequence[tuple[str, str]],
    user_text: str,
    *,
    n_ctx: int,
    max_tokens: int,
) -> FittedPrompt:
    """Keep as many of the newest turns as fit into ``n_ctx - max_tokens`` tokens.

    Fitting is monotonic in the number of dropped turns, so a binary search needs only
    about log2(turns) renders instead of one per dropped turn.
    """
    budget = n_ctx - max_tokens
    if budget <= 0:
        raise ContextOverflow("models.no_room_for_answer", max_tokens=max_tokens, n_ctx=n_ctx)

    def attempt(dropped: int) -> FittedPrompt | None:
        messages = _messages(system, history[dropped:], user_text)
        prompt = renderer.render(messages)
        tokens = renderer.count_tokens(prompt)
        if tokens > budget:
            return None
        return FittedPrompt(prompt, tokens, dropped, tuple(messages))

    minimal = attempt(len(history))
    if minimal is None:
        alone = renderer.count_tokens(renderer.render(_messages(system, (), user_text)))
        raise ContextOverflow(
            "models.message_too_long",
            needed=alone,
            budget=budget,
            n_ctx=n_ctx,
            max_tokens=max_tokens,
        )
    low, high, best = 0, len(history), minimal
    while low < high:
        mid = (low + high) // 2
        fitted = attempt(mid)
        if fitted is None:
            low = mid + 1
        else:
            best, high = fitted, mid
    return best
