"""Regenerate and edit-and-resend in the chat window follow "Read every document"
beside Send (issue 17): the toggle's state is how the question is answered again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.errors import ModelProcessStopped
from desktop.ui.chat import ChatView
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.context import Backend
from tests.gui.test_chat_exhaustive import (
    ITEM,
    HeldReader,
    _chips,
    _record_progress,
    _seed_app,
    fake_chat,
    view,
)
from tests.gui.test_chat_view import _open

__all__ = ["fake_chat", "view"]  # the fixtures, shared with test_chat_exhaustive
EVERY = "List EVERY item"


def _settled(qtbot: Any, view: ChatView, answer: AnswerBubble) -> AnswerBubble:
    qtbot.waitUntil(lambda: not view.streaming and answer.turn is not None)
    qtbot.waitUntil(lambda: not view.ctx.runner.busy)
    return answer


def test_regenerate_and_edit_follow_the_read_every_document_toggle(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: HeldReader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seeded = _seed_app(workspace, tmp_path, exhaustive=False, docs=3)
    shown = _record_progress(monkeypatch)
    _open(qtbot, view)
    toggle = view.pane.read_all_button
    assert toggle.isVisibleTo(view) and not toggle.isChecked()
    view.send_text("List every part number.")
    qtbot.waitUntil(lambda: len(view.transcript.answers) == 1)
    answer = _settled(qtbot, view, view.transcript.answers[-1])
    assert len(fake_chat.prompts) == 1 and EVERY not in fake_chat.prompts[0]

    toggle.click()  # on: the answer again reads every document
    fake_chat.prompts.clear()
    first_turn = answer.turn
    qtbot.mouseClick(answer.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.streaming and answer.turn is not first_turn)
    answer = _settled(qtbot, view, view.transcript.answers[-1])
    assert len(fake_chat.prompts) > 1 and all(EVERY in p for p in fake_chat.prompts)
    assert sorted(re.findall(ITEM, answer.body.toPlainText())) == sorted(seeded)
    assert any(s.startswith("Reading batch 1 of") for s in shown)  # its batches shown

    toggle.click()  # off: the edited question is answered from the top passages
    fake_chat.prompts.clear()
    question = view.transcript.questions[0]
    qtbot.mouseClick(question.edit_button, Qt.MouseButton.LeftButton)
    assert view.editing.active
    view.send_text("List every part number, please.")
    qtbot.waitUntil(lambda: len(view.transcript.answers) == 1 and view.streaming is False)
    answer = _settled(qtbot, view, view.transcript.answers[-1])
    assert answer.turn is not None and answer.turn.user_text.endswith("please.")
    assert len(fake_chat.prompts) == 1 and EVERY not in fake_chat.prompts[0]


def test_a_failed_exhaustive_answer_shows_its_partial_list_with_citation_chips(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: HeldReader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed_app(workspace, tmp_path, exhaustive=True)
    reads = fake_chat.generate

    def dies_at_batch_3(prompt: str, *args: Any, **kwargs: Any) -> Any:
        if len(fake_chat.prompts) == 2:  # two batches merged, then the model process dies
            raise ModelProcessStopped("models.host_stopped_exit", exit_code=1, advice="")
        return reads(prompt, *args, **kwargs)

    monkeypatch.setattr(fake_chat, "generate", dies_at_batch_3)
    _open(qtbot, view)
    view.send_text("List every part number.")
    qtbot.waitUntil(
        lambda: (
            not view.streaming
            and view.transcript.answers
            and view.transcript.answers[-1].turn is not None
        )
    )
    answer = _settled(qtbot, view, view.transcript.answers[-1])
    assert answer.turn is not None and answer.turn.stop_reason == "failed"
    assert re.findall(ITEM, answer.body.toPlainText())  # the partial list stays
    assert len(_chips(answer)) == len(answer.turn.citations) > 0  # with its sources
