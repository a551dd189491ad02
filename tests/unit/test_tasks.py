"""CancelToken: the cancel callbacks blocking waits use instead of polling."""

from __future__ import annotations

from desktop.core.tasks import CancelToken


def test_on_cancel_runs_once_now_or_when_cancelled_and_can_be_forgotten() -> None:
    token = CancelToken()
    seen: list[str] = []
    token.on_cancel(lambda: seen.append("a"))
    forget = token.on_cancel(lambda: seen.append("b"))
    forget()
    token.cancel()
    token.cancel()
    assert seen == ["a"]
    token.on_cancel(lambda: seen.append("late"))  # already cancelled: at once
    assert seen == ["a", "late"]
