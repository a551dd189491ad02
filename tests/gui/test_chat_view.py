"""The Chat screen over fakes: an app's opening statement and suggestions, a streamed
Markdown answer stored as a turn, feedback (and its state when a conversation is
reopened), regenerate, copy, Stop and Esc, variables, editing an earlier message (which
replaces it and what followed), conversation search / rename / delete, failures, and
citations that open their passage."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from desktop.core.chat_models import AppConfig, AppVisibility
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role, TraceFilter
from desktop.ui.chat import ChatView, conversations
from desktop.ui.chat.markdown import MarkdownBrowser
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.context import Backend, UiContext
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, MemorySource
from tests.gui.conftest import open_direct, sign_in_as

OPENING = "Hi! I answer questions about **tea**."
SUGGESTIONS = ("What is matcha?", "How hot should the water be?")


def _arrange(backend: Backend, tmp_path: Path, fn: Callable[[Any, Any, int], Any]) -> Any:
    """Register the fake model and run ``fn(ws, owner, model_id)`` on the test thread."""
    model = tmp_path / "tiny.gguf"
    if not model.exists():
        model.write_bytes(b"GGUF" + b"\0" * 64)
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        found = [m for m in ws.models.list(owner) if m.name == "tiny"]
        model_id = found[0].id if found else ws.models.register(owner, str(model), "tiny").id
        return fn(ws, owner, model_id)


def _make_app(backend: Backend, tmp_path: Path, name: str = "tea", **config: Any) -> int:
    def create(ws: Any, owner: Any, model_id: int) -> int:
        return ws.apps.create(owner, AppConfig(name=name, model_id=model_id, **config)).id

    return int(_arrange(backend, tmp_path, create))


def _stored(backend: Backend, fn: Callable[[Any, Any], Any]) -> Any:
    with open_direct(backend) as ws:
        return fn(ws, ws.accounts.authenticate("owner", PEOPLE_PASSWORD))


@pytest.fixture
def view(qtbot: Any, owner_ctx: UiContext) -> Any:
    chat = ChatView(owner_ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())  # as the window does
    yield chat
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)  # detached work ends before teardown


@pytest.fixture
def tea_app(workspace: Backend, tmp_path: Path) -> int:
    return _make_app(
        workspace, tmp_path, opening_statement=OPENING, suggested_questions=SUGGESTIONS
    )


def _open(qtbot: Any, view: ChatView) -> None:
    view.activate()
    qtbot.waitUntil(lambda: view.transcript.intro is not None and view._app is not None)


def _wait_answer(qtbot: Any, view: ChatView, count: int = 1) -> AnswerBubble:
    qtbot.waitUntil(
        lambda: (
            not view.streaming
            and len(view.transcript.answers) == count
            and view.transcript.answers[-1].turn is not None
        )
    )
    return view.transcript.answers[-1]


def _is_bold(browser: MarkdownBrowser, word: str) -> bool:
    cursor = browser.document().find(word)
    return not cursor.isNull() and cursor.charFormat().fontWeight() == QFont.Weight.Bold


def test_send_stream_rate_regenerate_and_copy(
    qtbot: Any, view: ChatView, tea_app: int, fake_chat: FakeChatModel, workspace: Backend
) -> None:
    _open(qtbot, view)
    intro = view.transcript.intro
    assert intro is not None and "tea" in intro.opening.toPlainText()
    assert _is_bold(intro.opening, "tea") and intro.opening.isVisibleTo(intro)
    assert [b.text() for b in intro.buttons] == list(SUGGESTIONS)

    fake_chat.replies = [["Hello ", "**world**"], ["Once ", "more"]]
    qtbot.keyClicks(view.composer, "Say hi")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    assert view.composer.toPlainText() == "" and view.streaming
    assert view.stop_button.isVisibleTo(view) and not view.send_button.isVisibleTo(view)
    answer = _wait_answer(qtbot, view)
    assert answer.body.toPlainText().strip() == "Hello world"
    assert _is_bold(answer.body, "world") and not _is_bold(answer.body, "Hello")
    assert view.transcript.intro is None and not view.stop_button.isVisibleTo(view)
    assert "tokens/s" in view.gauge.speed_label.text()
    assert view.gauge.bar.maximum() == 4096 and view.gauge.bar.value() > 0

    conv_id = view._conversation_id
    turns = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    assert [(t.user_text, t.answer, t.stop_reason) for t in turns] == [
        ("Say hi", "Hello **world**", "stop")
    ]
    qtbot.waitUntil(lambda: view.sidebar.visible_titles() == ["Say hi"])

    qtbot.mouseClick(answer.up_button, Qt.MouseButton.LeftButton)
    dialog = view.answer_actions.feedback_dialog
    assert dialog is not None and dialog.isVisible() and not answer.up_button.isChecked()
    dialog.comment.setPlainText("Clear and short")
    dialog.accept()
    qtbot.waitUntil(answer.up_button.isChecked)
    traces = _stored(workspace, lambda ws, owner: ws.logs.traces(owner, TraceFilter()))
    assert traces[0]["feedback"]["rating"] == "up"
    assert traces[0]["feedback"]["comment"] == "Clear and short"

    assert answer.regenerate_button.isVisibleTo(answer)
    qtbot.mouseClick(answer.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.streaming and answer.body.toPlainText().strip() == "Once more")
    turns = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    assert [(t.user_text, t.answer) for t in turns] == [("Say hi", "Once more")]
    assert answer.turn is not None and answer.turn.id == turns[0].id

    qtbot.mouseClick(answer.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "Once more"


def test_a_suggested_question_sends_itself(
    qtbot: Any, view: ChatView, tea_app: int, fake_chat: FakeChatModel, workspace: Backend
) -> None:
    _open(qtbot, view)
    fake_chat.replies = [["Powdered green tea."]]
    intro = view.transcript.intro
    assert intro is not None
    qtbot.mouseClick(intro.buttons[0], Qt.MouseButton.LeftButton)
    _wait_answer(qtbot, view)
    qtbot.waitUntil(lambda: view.sidebar.visible_titles() == [SUGGESTIONS[0]])
    convs = _stored(workspace, lambda ws, owner: ws.chat.conversations(owner, tea_app))
    assert [c.title for c in convs] == [SUGGESTIONS[0]]


@pytest.mark.parametrize("how", ["stop button", "escape"])
def test_stop_ends_the_stream_and_keeps_only_what_was_written(
    qtbot: Any,
    view: ChatView,
    tea_app: int,
    fake_chat: FakeChatModel,
    workspace: Backend,
    how: str,
) -> None:
    _open(qtbot, view)
    gate = threading.Event()
    fake_chat.replies = [["Hello ", "there ", "STALE"]]
    fake_chat.on_piece = lambda i: gate.wait(10) if i == 1 else None
    try:
        view.send_text("Tell me a story")
        answer = view.transcript.answers[-1]
        qtbot.waitUntil(lambda: "Hello" in answer.body.toPlainText())
        assert view.streaming and view.stop_button.isVisibleTo(view)
        if how == "escape":
            qtbot.keyClick(view.composer, Qt.Key.Key_Escape)
        else:
            qtbot.mouseClick(view.stop_button, Qt.MouseButton.LeftButton)
        assert not view.stop_button.isEnabled()
    finally:
        gate.set()
    answer = _wait_answer(qtbot, view)
    assert answer.turn is not None and answer.turn.stop_reason == "cancelled"
    assert "STALE" not in answer.body.toPlainText()
    assert answer.body.toPlainText().strip() == answer.turn.answer.strip()
    assert "Stopped" in answer.meta.text()
    conv_id = view._conversation_id
    turns = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    assert turns[0].stop_reason == "cancelled" and "STALE" not in turns[0].answer
    assert view.send_button.isVisibleTo(view) and not view.stop_button.isVisibleTo(view)


def test_required_variables_are_asked_before_sending(
    qtbot: Any, view: ChatView, workspace: Backend, tmp_path: Path, fake_chat: FakeChatModel
) -> None:
    app_id = _make_app(workspace, tmp_path, name="desk", instructions="Help the {{team}} team.")
    _open(qtbot, view)
    field = view.variables.fields["team"]
    assert view.variables.isVisibleTo(view) and not field.isReadOnly()
    qtbot.keyClicks(view.composer, "Where is the printer?")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    assert not view.streaming and "team" in view.composer_message.text()
    assert view.composer_message.isVisibleTo(view)
    assert view.composer.toPlainText() == "Where is the printer?"

    field.setText("ops")
    fake_chat.replies = [["Second floor."]]
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    _wait_answer(qtbot, view)
    assert view.variables.fields["team"].isReadOnly()
    assert not view.composer_message.isVisibleTo(view)
    convs = _stored(workspace, lambda ws, owner: ws.chat.conversations(owner, app_id))
    assert convs[0].variables == {"team": "ops"}
    assert "Help the ops team." in fake_chat.prompts[-1]


def _two_turns(qtbot: Any, view: ChatView, fake_chat: FakeChatModel) -> None:
    fake_chat.replies = [["First."], ["Second."]]
    view.send_text("How mcuh is matcha?")
    _wait_answer(qtbot, view)
    view.send_text("And sencha?")
    _wait_answer(qtbot, view, count=2)


def test_editing_a_message_replaces_it_and_everything_after_it(
    qtbot: Any, view: ChatView, tea_app: int, fake_chat: FakeChatModel, workspace: Backend
) -> None:
    _open(qtbot, view)
    _two_turns(qtbot, view, fake_chat)
    conv_id = view._conversation_id
    before = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    first = view.transcript.questions[0]
    qtbot.mouseClick(first.edit_button, Qt.MouseButton.LeftButton)
    assert view.composer.toPlainText() == "How mcuh is matcha?"
    assert "Editing message 1" in view.composer_message.text()
    assert view.pane.cancel_edit_button.isVisibleTo(view)
    assert first.bubble.property("editing") is True
    assert not view.transcript.questions[1].bubble.property("editing")

    fake_chat.replies = [["About ", "a dollar a gram."]]
    view.composer.setPlainText("How much is matcha?")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            not view.streaming
            and len(view.transcript.answers) == 1
            and view.transcript.answers[0].turn is not None
        )
    )
    assert [q.text for q in view.transcript.questions] == ["How much is matcha?"]
    answer = view.transcript.answers[0]
    assert answer.body.toPlainText().strip() == "About a dollar a gram."
    assert answer.regenerate_button.isVisibleTo(view)
    assert not view.pane.cancel_edit_button.isVisibleTo(view)
    assert not view.composer_message.isVisibleTo(view) and view.composer.toPlainText() == ""
    assert "mcuh" not in fake_chat.prompts[-1] and "sencha" not in fake_chat.prompts[-1]
    turns = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    assert [(t.user_text, t.answer) for t in turns] == [
        ("How much is matcha?", "About a dollar a gram.")
    ]
    assert answer.turn is not None and answer.turn.id == turns[0].id
    traces = _stored(workspace, lambda ws, owner: ws.logs.traces(owner, TraceFilter()))
    traced = {t["trace"]["turn_id"] for t in traces}
    assert {t.id for t in before} | {turns[0].id} == traced  # the replaced turns stay logged


def test_an_edit_can_be_cancelled_and_a_failed_one_changes_nothing(
    qtbot: Any,
    view: ChatView,
    tea_app: int,
    fake_chat: FakeChatModel,
    workspace: Backend,
    tmp_path: Path,
) -> None:
    _open(qtbot, view)
    _two_turns(qtbot, view, fake_chat)
    conv_id = view._conversation_id
    before = _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id))
    qtbot.mouseClick(view.transcript.questions[1].edit_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.pane.cancel_edit_button, Qt.MouseButton.LeftButton)
    assert not view.editing.active and view.composer.toPlainText() == ""
    assert not view.pane.cancel_edit_button.isVisibleTo(view)
    qtbot.mouseClick(view.transcript.questions[0].edit_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(view.composer, Qt.Key.Key_Escape)
    assert not view.editing.active and not view.composer_message.isVisibleTo(view)

    qtbot.mouseClick(view.transcript.questions[0].edit_button, Qt.MouseButton.LeftButton)
    (tmp_path / "tiny.gguf").unlink()  # the model file is gone: the edit fails
    view.composer.setPlainText("How much is matcha?")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.streaming and view.message.isVisibleTo(view))
    assert [q.text for q in view.transcript.questions] == ["How mcuh is matcha?", "And sencha?"]
    assert all(q.isVisibleTo(view) for q in view.transcript.questions)
    assert [a.turn.id for a in view.transcript.answers if a.turn] == [t.id for t in before]
    assert view.transcript.answers[1].regenerate_button.isVisibleTo(view)
    assert view.editing.active and view.editing.turn == before[0]
    assert view.composer.toPlainText() == "How much is matcha?"
    assert _stored(workspace, lambda ws, owner: ws.chat.turns(owner, conv_id)) == before


def test_a_reopened_conversation_shows_your_ratings(
    qtbot: Any, view: ChatView, tea_app: int, fake_chat: FakeChatModel, workspace: Backend
) -> None:
    fake_chat.replies = [["Green."], ["Grassy."]]

    def arrange(ws: Any, owner: Any) -> None:
        first = ws.chat.send(owner, tea_app, "What colour is matcha?")
        second = ws.chat.send(
            owner, None, "How does it taste?", conversation_id=first.conversation_id
        )
        ws.logs.rate(owner, first.turn.id, "up")
        ws.logs.rate(owner, second.turn.id, "down", "too short")

    _stored(workspace, arrange)
    _open(qtbot, view)
    qtbot.waitUntil(lambda: len(view.sidebar.visible_titles()) == 1)
    view.sidebar.list.clicked.emit(view.sidebar.conversation_index(0))
    _wait_answer(qtbot, view, count=2)
    first, second = view.transcript.answers
    assert first.up_button.isChecked() and not first.down_button.isChecked()
    assert second.down_button.isChecked() and not second.up_button.isChecked()
    assert (first.rating, second.rating) == ("up", "down")

    fake_chat.replies = [["Sweet and grassy."]]
    qtbot.mouseClick(second.regenerate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.streaming and "Sweet" in second.body.toPlainText())
    assert not second.down_button.isChecked() and second.rating is None  # a new answer
    assert first.up_button.isChecked()

    fake_chat.replies = [["Umami."]]  # an edit keeps the ratings of the answers before it
    qtbot.mouseClick(view.transcript.questions[1].edit_button, Qt.MouseButton.LeftButton)
    view.send_text("How does it really taste?")
    qtbot.waitUntil(
        lambda: not view.streaming and "Umami" in view.transcript.answers[-1].body.toPlainText()
    )
    kept, new = view.transcript.answers
    assert kept.up_button.isChecked() and new.rating is None and not new.down_button.isChecked()


def test_conversations_search_open_rename_and_delete(
    qtbot: Any,
    view: ChatView,
    tea_app: int,
    fake_chat: FakeChatModel,
    workspace: Backend,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_chat.replies = [["Green."], ["Dark."], ["抹茶です。"]]
    for text in ("Matcha basics", "Coffee roast", "抹茶について"):
        _stored(workspace, lambda ws, owner, t=text: ws.chat.send(owner, tea_app, t))
    _open(qtbot, view)
    qtbot.waitUntil(lambda: len(view.sidebar.visible_titles()) == 3)
    view.sidebar.search.setText("MATCHA")
    assert view.sidebar.visible_titles() == ["Matcha basics"]
    view.sidebar.search.setText("抹茶")
    assert view.sidebar.visible_titles() == ["抹茶について"]
    view.sidebar.search.clear()
    assert len(view.sidebar.visible_titles()) == 3

    row = view.sidebar.visible_titles().index("Coffee roast")
    index = view.sidebar.conversation_index(row)
    view.sidebar.list.clicked.emit(index)
    _wait_answer(qtbot, view)
    assert view.transcript.questions[0].text == "Coffee roast"
    assert view.transcript.answers[0].body.toPlainText().strip() == "Dark."
    conv_id = view._conversation_id

    monkeypatch.setattr(conversations, "ask_text", lambda *a, **k: ("Espresso notes", True))
    view.sidebar.ask_rename(conv_id, "Coffee roast")
    qtbot.waitUntil(lambda: "Espresso notes" in view.sidebar.visible_titles())

    monkeypatch.setattr(conversations, "ask", lambda *a, **k: QMessageBox.StandardButton.No)
    view.sidebar.ask_delete(conv_id, "Espresso notes")
    assert view._conversation_id == conv_id
    monkeypatch.setattr(conversations, "ask", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.sidebar.ask_delete(conv_id, "Espresso notes")
    qtbot.waitUntil(lambda: len(view.sidebar.visible_titles()) == 2)
    assert view._conversation_id is None and view.transcript.intro is not None
    titles = _stored(workspace, lambda ws, owner: [c.title for c in ws.chat.conversations(owner)])
    assert sorted(titles) == sorted(["Matcha basics", "抹茶について"])


def test_a_failed_turn_is_shown_inline_and_the_message_comes_back(
    qtbot: Any, view: ChatView, tea_app: int, workspace: Backend, tmp_path: Path
) -> None:
    _open(qtbot, view)
    (tmp_path / "tiny.gguf").unlink()  # the model file is gone
    qtbot.keyClicks(view.composer, "Anyone there?")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.streaming and view.message.isVisibleTo(view))
    assert view.message.text() and view.composer.toPlainText() == "Anyone there?"
    assert view.transcript.answers == [] and view.transcript.intro is not None
    assert _stored(workspace, lambda ws, owner: ws.chat.conversations(owner)) == []


def test_without_a_model_the_screen_says_what_to_do(qtbot: Any, view: ChatView) -> None:
    """No model, so nothing to chat with (with one, quick chats need no app)."""
    view.activate()
    qtbot.waitUntil(lambda: not view.ctx.runner.busy and "No model yet" in view.pane.empty.text())
    assert view.pane.empty.isVisibleTo(view) and not view.composer.isEnabled()
    assert view.pane.empty_action.isVisibleTo(view)  # the Owner may add one


def test_a_citation_opens_its_passage_and_document_version(
    qtbot: Any, view: ChatView, workspace: Backend, tmp_path: Path, fake_chat: FakeChatModel
) -> None:
    passage = "Matcha is shade-grown green tea, stone-ground into powder."

    def arrange(ws: Any, owner: Any, model_id: int) -> int:
        kb = ws.knowledge.create(owner, "tea notes", visibility=KbVisibility.ALL)
        ws.knowledge.ingest(owner, kb.id, [MemorySource("matcha.md", passage.encode())])
        cfg = AppConfig(name="librarian", model_id=model_id, kb_ids=(kb.id,))
        return int(ws.apps.create(owner, cfg).id)

    _arrange(workspace, tmp_path, arrange)
    _open(qtbot, view)
    fake_chat.replies = [["It is ground green tea ", "[1]."]]
    view.send_text("What is matcha?")
    answer = _wait_answer(qtbot, view)
    assert "Matcha is shade-grown" in fake_chat.prompts[-1]
    assert "kura-cite:1" in answer.body.toHtml()
    chips = answer.findChildren(QPushButton, "citationChip")
    assert len(chips) == 1 and "matcha.md" in chips[0].text()

    answer.body.anchorClicked.emit(QUrl("kura-cite:1"))
    qtbot.waitUntil(lambda: view.answer_actions.citation_dialog is not None)
    dialog = view.answer_actions.citation_dialog
    assert dialog is not None and dialog.isVisible()
    assert passage in dialog.text.toPlainText()
    assert "version 1" in dialog.version_label.text()
    assert "current" in dialog.version_label.text()
    dialog.reject()
    qtbot.waitUntil(lambda: view.answer_actions.citation_dialog is None)

    qtbot.mouseClick(chips[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.answer_actions.citation_dialog is not None)
    view.answer_actions.citation_dialog.reject()  # type: ignore[union-attr]


def test_web_links_in_answers_are_copied_not_opened(
    qtbot: Any, view: ChatView, tea_app: int, fake_chat: FakeChatModel
) -> None:
    _open(qtbot, view)
    fake_chat.replies = [["See [the guide](https://example.com/tea)."]]
    view.send_text("Where can I read more?")
    answer = _wait_answer(qtbot, view)
    answer.body.anchorClicked.emit(QUrl("https://example.com/tea"))
    assert QGuiApplication.clipboard().text() == "https://example.com/tea"
    assert view.message.isVisibleTo(view) and "example.com" in view.message.text()


def test_a_member_sees_only_the_apps_shared_with_them(
    qtbot: Any, workspace: Backend, tmp_path: Path, make_ctx: Callable[[], UiContext]
) -> None:
    _make_app(workspace, tmp_path, name="everyone")
    _make_app(
        workspace, tmp_path, name="board", visibility=AppVisibility.PARTIAL, members=("owner",)
    )
    _stored(
        workspace,
        lambda ws, owner: ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD),
    )
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    chat = ChatView(ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    _open(qtbot, chat)
    picker = chat.sidebar.app_picker
    # the apps shared with them, then quick chats with the registered models
    assert [picker.itemText(i) for i in range(picker.count())] == ["everyone", "Quick chats"]
    assert chat.composer.isEnabled() and chat.sidebar.isEnabled()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not ctx.runner.busy)


def test_a_member_without_a_model_is_told_to_ask_the_owner(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    _stored(
        workspace,
        lambda ws, owner: ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD),
    )
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    chat = ChatView(ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    chat.activate()
    qtbot.waitUntil(lambda: not ctx.runner.busy and "ask the Owner" in chat.pane.empty.text())
    assert not chat.pane.empty_action.isVisibleTo(chat) and not chat.composer.isEnabled()


def test_a_citation_shows_the_section_breadcrumb_of_its_passage(
    qtbot: Any, view: ChatView, workspace: Backend, tmp_path: Path, fake_chat: FakeChatModel
) -> None:
    doc = "# Tea\n\n## Matcha\n\nMatcha is shade-grown green tea, stone-ground into powder."

    def arrange(ws: Any, owner: Any, model_id: int) -> int:
        kb = ws.knowledge.create(owner, "tea notes", visibility=KbVisibility.ALL)
        ws.knowledge.ingest(owner, kb.id, [MemorySource("tea.md", doc.encode())])
        cfg = AppConfig(name="librarian", model_id=model_id, kb_ids=(kb.id,))
        return int(ws.apps.create(owner, cfg).id)

    _arrange(workspace, tmp_path, arrange)
    _open(qtbot, view)
    fake_chat.replies = [["It is ground green tea ", "[1]."]]
    view.send_text("What is matcha?")
    answer = _wait_answer(qtbot, view)
    [chip] = answer.findChildren(QPushButton, "citationChip")
    assert "Tea > Matcha" in chip.toolTip()
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.answer_actions.citation_dialog is not None)
    dialog = view.answer_actions.citation_dialog
    assert dialog is not None
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("Tea > Matcha" in text for text in labels), labels
    dialog.reject()
