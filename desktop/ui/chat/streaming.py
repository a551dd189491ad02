"""What a streaming answer needs on each side of the lanes: the ops that ask for one on
the inference lane, the sink that feeds its pieces to the GUI, and the view's record of
the answer in flight."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop.core.chat_models import Turn
from desktop.core.errors import Cancelled
from desktop.core.models import Actor
from desktop.core.services.chat import TurnResult
from desktop.core.tasks import ProgressSink
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.tasks import LaneContext, Task


def stream_sink(lc: LaneContext) -> Callable[[str], None]:
    """Pieces go to the GUI until the user stops. Stopping keeps the partial answer (the
    service stores it as "cancelled"), so a piece arriving after Stop is dropped quietly
    instead of raising and discarding the whole turn."""

    def sink(piece: str) -> None:
        if not lc.token.cancelled:
            with contextlib.suppress(Cancelled):
                lc.emit(piece)

    return sink


TurnOp = Callable[[LaneContext], TurnResult]

#: The lane progress message that marks an exhaustive turn's batches (load progress has
#: none): ``done`` batches of ``total`` read.
BATCHES = "batches"


def batch_progress(lc: LaneContext) -> ProgressSink:
    """An exhaustive turn's progress, as the lane's (tagged :data:`BATCHES`). The items
    merged so far go to the GUI first: the next batch may keep the model busy a while.
    After Stop it says nothing (the reader stops at the next batch on its own)."""

    def report(done: int, total: int | None, message: str = "") -> None:
        if not lc.token.cancelled:
            with contextlib.suppress(Cancelled):
                lc.flush()
                lc.progress(done, total, BATCHES)

    return report


def with_load_progress(op: TurnOp, chat_model: Callable[[], Any]) -> TurnOp:
    """``op`` reporting its model's load progress as the lane's progress (percent of
    100), when the chat model can tell it (``watch_load``: the model host's adapter)."""

    def wrapped(lc: LaneContext) -> TurnResult:
        watch = getattr(chat_model(), "watch_load", None)
        if not callable(watch):
            return op(lc)

        def report(fraction: float) -> None:
            if not lc.token.cancelled:
                with contextlib.suppress(Cancelled):
                    lc.progress(round(fraction * 100), 100)

        with watch(report):
            return op(lc)

    return wrapped


def send_op(
    actor: Actor,
    app_id: int,
    text: str,
    conversation_id: int | None,
    variables: dict[str, str] | None,
    exhaustive: bool | None = None,
) -> TurnOp:
    """Ask ``text`` in the conversation (a new one with ``variables`` when None);
    ``exhaustive`` True or False overrides the app's setting for this question."""

    def op(lc: LaneContext) -> TurnResult:
        result: TurnResult = lc.ws.chat.send(
            actor,
            app_id,
            text,
            conversation_id=conversation_id,
            variables=variables,
            cancel=lc.token,
            on_piece=stream_sink(lc),
            exhaustive=exhaustive,
            progress=batch_progress(lc),
        )
        return result

    return op


def regenerate_op(actor: Actor, conversation_id: int, exhaustive: bool | None = None) -> TurnOp:
    """Answer the conversation's last message again; ``exhaustive`` True or False says
    whether to read every document (None: as the message was first asked)."""

    def op(lc: LaneContext) -> TurnResult:
        result: TurnResult = lc.ws.chat.regenerate(
            actor,
            conversation_id,
            cancel=lc.token,
            on_piece=stream_sink(lc),
            exhaustive=exhaustive,
            progress=batch_progress(lc),
        )
        return result

    return op


def edit_op(
    actor: Actor, conversation_id: int, turn_id: int, text: str, exhaustive: bool | None = None
) -> TurnOp:
    """Send ``text`` in place of message ``turn_id`` and everything after it;
    ``exhaustive`` as for :func:`regenerate_op`."""

    def op(lc: LaneContext) -> TurnResult:
        result: TurnResult = lc.ws.chat.edit_and_resend(
            actor,
            conversation_id,
            turn_id,
            text,
            cancel=lc.token,
            on_piece=stream_sink(lc),
            exhaustive=exhaustive,
            progress=batch_progress(lc),
        )
        return result

    return op


@dataclass
class StreamState:
    """The answer in flight: its task, its bubble, and what to restore if it fails."""

    task: Task
    answer: AnswerBubble
    question: str
    previous: Turn | None  # the answer being regenerated
    variables: dict[str, str] | None  # a new conversation's values
    edited: Turn | None = None  # the message an edit replaces (with every later one)
