"""Chat (issue 16): a quick chat that asks only for the model, a file dropped on the chat
and cited in the next answer, Ctrl+K and search in the text of your own conversations,
and conversations grouped by date in the local time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication

from desktop.core.chat_models import Conversation
from desktop.ui.chat import ChatView, dialogs
from desktop.ui.chat.conversations import ConversationPanel
from desktop.ui.context import Backend, UiContext
from tests.fakes import FakeChatModel
from tests.gui.test_chat_view import _arrange, _make_app, _open, _stored, _wait_answer


@pytest.fixture
def view(qtbot: Any, owner_ctx: UiContext) -> Any:
    chat = ChatView(owner_ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    yield chat
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)


def _drop(target: Any, paths: list[Path]) -> None:
    """Drag files over ``target`` and drop them (Qt delivers a drop only to the widget
    that accepted the drag's entry)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)


def test_a_quick_chat_asks_only_for_the_model_and_answers_without_any_app(
    qtbot: Any,
    view: ChatView,
    workspace: Backend,
    fake_chat: FakeChatModel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _arrange(workspace, tmp_path, lambda ws, owner, model_id: model_id)  # a model, no app
    asked: list[list[str]] = []
    monkeypatch.setattr(dialogs, "choose_model", lambda _p, names: asked.append(names) or "tiny")
    view.activate()
    picker = view.sidebar.app_picker
    qtbot.waitUntil(lambda: picker.count() == 1 and view.sidebar.quick_button.isVisibleTo(view))
    assert picker.itemText(0) == "Quick chats" and view.composer.isEnabled()
    view.sidebar.quick_button.click()
    qtbot.waitUntil(lambda: view._conversation_id is not None and view._app is not None)
    assert asked == [["tiny"]] and view._app is not None and view._app.config.quick
    fake_chat.replies = [["Hello from tiny."]]
    view.send_text("Say hello")
    answer = _wait_answer(qtbot, view)
    assert "Hello from tiny." in answer.body.toPlainText()
    qtbot.waitUntil(lambda: view.sidebar.visible_titles() == ["Say hello"])
    # no app was built: Studio lists none
    assert _stored(workspace, lambda ws, owner: ws.apps.list(owner)) == []


def test_an_app_made_after_chat_fell_back_to_quick_chats_is_selected_on_return(
    qtbot: Any, view: ChatView, workspace: Backend, tmp_path: Path
) -> None:
    """Chat shows quick chats while there is no app; once an app exists (made in Studio),
    coming back to Chat opens that app, unless the user had picked quick chats."""
    _arrange(workspace, tmp_path, lambda ws, owner, model_id: model_id)  # a model, no app
    view.activate()
    qtbot.waitUntil(lambda: view._quick and not owner_busy(view))
    app_id = _make_app(workspace, tmp_path, name="Plant helper")
    view.activate()
    qtbot.waitUntil(lambda: view._app is not None and view._app.id == app_id)
    assert not view._quick


def owner_busy(view: ChatView) -> bool:
    return bool(view.ctx.runner.busy)


def test_a_file_dropped_on_the_chat_is_cited_in_the_next_answer(
    qtbot: Any, view: ChatView, workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    _make_app(workspace, tmp_path)
    _open(qtbot, view)
    note = tmp_path / "lockers.txt"
    note.write_text("The boiler room key is in locker CANARY-77.", encoding="utf-8")
    _drop(view.pane, [note])
    qtbot.waitUntil(lambda: "Ask about lockers.txt" in view.composer_message.text(), timeout=10_000)
    assert view._conversation_id is not None  # the drop started the conversation
    fake_chat.replies = [["Locker CANARY-77 [1]."]]
    view.send_text("Where is the boiler room key?")
    answer = _wait_answer(qtbot, view)
    assert "CANARY-77" in fake_chat.prompts[-1]
    assert answer.turn is not None and answer.turn.citations[0]["document"] == "lockers.txt"
    # the message box takes a dropped file too, without pasting its path
    got: list[list[str]] = []
    view.composer.files_dropped.connect(got.append)
    _drop(view.composer.viewport(), [note])
    assert got == [[str(note)]] and view.composer.toPlainText() == ""
    qtbot.waitUntil(lambda: not view.ctx.runner.busy)


def test_ctrl_k_focuses_search_which_finds_text_inside_your_conversations(
    qtbot: Any, view: ChatView, workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    tea = _make_app(workspace, tmp_path)
    fake_chat.replies = [["Use form B-12 for that."], ["抹茶は石臼で挽きます。"], ["Fine."]]
    for text in ("Travel costs", "抹茶の作り方", "Weather"):
        _stored(workspace, lambda ws, owner, t=text: ws.chat.send(owner, tea, t))
    _open(qtbot, view)
    qtbot.waitUntil(lambda: len(view.sidebar.visible_titles()) == 3)
    assert view.find_shortcut.key() == QKeySequence("Ctrl+K")
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.find_shortcut.activated.emit()
    assert view.sidebar.search.hasFocus()
    view.sidebar.search.setText("b-12")  # only in an answer
    qtbot.waitUntil(lambda: view.sidebar.visible_titles() == ["Travel costs"])
    view.sidebar.search.setText("石臼")  # Japanese, in an answer
    qtbot.waitUntil(lambda: view.sidebar.visible_titles() == ["抹茶の作り方"])
    view.sidebar.list.clicked.emit(view.sidebar.conversation_index(0))
    _wait_answer(qtbot, view)
    view.sidebar.search.setText("nothing of the sort")
    qtbot.waitUntil(lambda: view.sidebar.empty.isVisibleTo(view))
    assert view.sidebar.visible_titles() == []
    view.sidebar.search.clear()
    qtbot.waitUntil(lambda: len(view.sidebar.visible_titles()) == 3)


def _conv(cid: int, title: str, updated: datetime) -> Conversation:
    ts = updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    return Conversation(cid, 1, 1, 1, title, {}, ts, ts)


def test_conversations_are_grouped_by_date_in_the_local_time_zone(qtbot: Any) -> None:
    jst = timezone(timedelta(hours=9), "JST")
    now = datetime(2026, 3, 10, 0, 30, tzinfo=jst)  # just after midnight in Tokyo
    panel = ConversationPanel()
    qtbot.addWidget(panel)
    panel.model.zone, panel.model.now = jst, lambda: now
    panel.set_conversations(
        [
            # 2026-03-09 15:40 UTC is already 10 March in Tokyo: today
            _conv(1, "a", datetime(2026, 3, 9, 15, 40, tzinfo=UTC)),
            _conv(2, "b", now - timedelta(hours=2)),
            _conv(3, "c", now - timedelta(days=3)),
            _conv(4, "d", now - timedelta(days=20)),
            _conv(5, "e", datetime(2026, 1, 15, 12, 0, tzinfo=jst)),
            _conv(6, "f", datetime(2025, 12, 1, 12, 0, tzinfo=jst)),
        ],
        None,
    )
    assert panel.visible_headers() == [
        "Today",
        "Yesterday",
        "Previous 7 days",
        "Previous 30 days",
        "2026-01",
        "2025-12",
    ]
    assert panel.visible_titles() == ["a", "b", "c", "d", "e", "f"]
    header = panel.proxy.index(0, 0)
    assert not header.flags() & Qt.ItemFlag.ItemIsSelectable  # a header is not a row to pick
    panel.search.setText("c")  # filtering the titles hides the headers
    assert panel.visible_headers() == [] and panel.visible_titles() == ["c"]
