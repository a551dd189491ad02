"""A conversation opened again in the chat window sets "Read every document" to the mode
its last question was asked in, so Regenerate on an exhaustive answer reads every
document again (with its batches shown), and on a plain one answers from the passages,
whatever the app's setting."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.ui.chat import ChatView
from desktop.ui.context import Backend
from tests.gui.test_chat_exhaustive import (
    ITEM,
    HeldReader,
    _record_progress,
    _seed_app,
    fake_chat,
    view,
)
from tests.gui.test_chat_exhaustive_followups import _settled
from tests.gui.test_chat_view import _open

__all__ = ["fake_chat", "view"]  # the fixtures, shared with test_chat_exhaustive
EVERY = "List EVERY item"


def _reopen(qtbot: Any, view: ChatView, conversation: int) -> None:
    view._on_sidebar_new_requested()
    qtbot.waitUntil(lambda: view.sidebar.model.find(conversation) is not None)
    view._on_sidebar_conversation_chosen(conversation)
    qtbot.waitUntil(lambda: view._conversation_id == conversation and bool(view._turns))
    qtbot.waitUntil(lambda: not view.ctx.runner.busy)


@pytest.mark.parametrize("app_exhaustive", [False, True], ids=["plain-app", "exhaustive-app"])
def test_regenerate_in_a_reopened_conversation_repeats_the_mode_it_was_asked_in(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: HeldReader,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    app_exhaustive: bool,
) -> None:
    seeded = _seed_app(workspace, tmp_path, exhaustive=app_exhaustive, docs=3)
    shown = _record_progress(monkeypatch)
    _open(qtbot, view)
    toggle = view.pane.read_all_button
    assert toggle.isChecked() is app_exhaustive
    toggle.click()  # asked the other way than the app says
    view.send_text("List every part number.")
    qtbot.waitUntil(lambda: len(view.transcript.answers) == 1)
    _settled(qtbot, view, view.transcript.answers[-1])
    asked_exhaustively = not app_exhaustive
    conversation = view._conversation_id
    assert conversation is not None

    _reopen(qtbot, view, conversation)

    assert toggle.isChecked() is asked_exhaustively  # the mode it was asked in
    fake_chat.prompts.clear()
    shown.clear()
    answer = view.transcript.answers[-1]
    first_turn = answer.turn
    qtbot.mouseClick(answer.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.streaming and view.transcript.answers[-1].turn is not None)
    answer = _settled(qtbot, view, view.transcript.answers[-1])
    assert answer.turn is not first_turn
    if asked_exhaustively:
        assert len(fake_chat.prompts) > 1 and all(EVERY in p for p in fake_chat.prompts)
        assert sorted(re.findall(ITEM, answer.body.toPlainText())) == sorted(seeded)
        assert any(s.startswith("Reading batch 1 of") for s in shown)
    else:
        assert len(fake_chat.prompts) == 1 and EVERY not in fake_chat.prompts[0]
