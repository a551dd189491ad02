"""What a streaming answer needs on each side of the lanes: the sink that feeds pieces to
the GUI from the inference lane, and the view's record of the answer in flight."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from desktop.core.chat_models import Turn
from desktop.core.errors import Cancelled
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


@dataclass
class StreamState:
    """The answer in flight: its task, its bubble, and what to restore if it fails."""

    task: Task
    answer: AnswerBubble
    question: str
    previous: Turn | None  # the answer being regenerated
    variables: dict[str, str] | None  # a new conversation's values
