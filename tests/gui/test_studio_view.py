"""The Studio screen: create an app through the editor, edit it (a new version), chat
with the saved app in the preview, delete it, and a Member's read-only view."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop import app
from desktop.core.chat_models import AppConfig, AppVisibility
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from desktop.ui.chat.markdown import NoResourceBrowser, render_markdown
from desktop.ui.context import Backend, UiContext
from desktop.ui.knowledge import widgets
from desktop.ui.studio import preview as preview_module
from desktop.ui.studio.view import StudioView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct, sign_in_as


def _owner(ws: app.Workspace) -> Any:
    return ws.accounts.authenticate("owner", PEOPLE_PASSWORD)


@pytest.fixture
def seeded(workspace: Backend, tmp_path: Path) -> dict[str, int]:
    """A registered fake model and a knowledge base everyone can read."""
    model_file = tmp_path / "tiny.gguf"
    model_file.write_bytes(b"GGUF" + bytes(64))
    with open_direct(workspace) as ws:
        owner = _owner(ws)
        model = ws.models.register(owner, str(model_file), name="tiny")
        kb = ws.knowledge.create(owner, "Handbook", visibility=KbVisibility.ALL)
    return {"model": model.id, "kb": kb.id}


@pytest.fixture
def make_view(qtbot: Any) -> Callable[[UiContext], StudioView]:
    def make(ctx: UiContext) -> StudioView:
        view = StudioView(ctx)
        qtbot.addWidget(view)
        view.activate()
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        return view

    return make


def _create_app(backend: Backend, **changes: Any) -> Any:
    with open_direct(backend) as ws:
        owner = _owner(ws)
        model = ws.models.get(owner, "tiny")
        config = AppConfig(name="Tutor", model_id=model.id).with_changes(**changes)
        return ws.apps.create(owner, config)


def test_create_an_app_through_the_editor(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, seeded: dict[str, int], make_view: Any
) -> None:
    view = make_view(owner_ctx)
    assert view.app_list.count() == 0
    view.new_button.click()
    editor = view.editor
    assert view.save_button.text() == "Create app"
    assert "Save the app" in view.preview.notice.text()
    editor.name.setText("Tutor")
    editor.description.setText("Explains things")
    editor.model.setCurrentIndex(editor.model.findText("tiny"))
    editor.instructions.setPlainText("Teach {{topic}} simply.")
    assert "topic" in editor.variables.text()
    editor.temperature.setValue(0.3)
    editor.max_tokens.setValue(256)
    editor.opening.setPlainText("Hi! What shall we learn?")
    for question in ("What is a fraction?", "Why is the sky blue?"):
        editor.questions.new_question.setText(question)
        editor.questions.add_button.click()
    editor.kbs.set_checked([seeded["kb"]])
    view.save_button.click()
    qtbot.waitUntil(lambda: view.app_list.count() == 1)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)

    with open_direct(workspace) as ws:
        saved = ws.apps.show(_owner(ws), "Tutor")
    c = saved.config
    assert saved.version == 1
    assert (c.description, c.model_id, c.instructions) == (
        "Explains things",
        seeded["model"],
        "Teach {{topic}} simply.",
    )
    assert c.variables == ("topic",)
    assert (c.params.temperature, c.params.max_tokens) == (0.3, 256)
    assert c.opening_statement == "Hi! What shall we learn?"
    assert c.suggested_questions == ("What is a fraction?", "Why is the sky blue?")
    assert c.kb_ids == (seeded["kb"],)
    assert c.visibility is AppVisibility.ALL
    assert view.current_id == saved.id
    assert not view.save_button.isEnabled()  # clean again
    assert view.preview.app is not None and view.preview.app.id == saved.id


def test_an_edit_saves_a_new_version(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, seeded: dict[str, int], make_view: Any
) -> None:
    created = _create_app(workspace, kb_ids=(seeded["kb"],))
    other = _create_app(workspace, name="Zed")
    with open_direct(workspace) as ws:
        ws.knowledge.create(_owner(ws), "Only for Zed", app_allowlist=(other.id,))
    view = make_view(owner_ctx)
    assert view.current_id == created.id
    labels = [view.editor.kbs.item(i).text() for i in range(view.editor.kbs.count())]
    assert labels == ["Handbook", "Only for Zed (not allowed for this app)"]
    assert not view.save_button.isEnabled()
    view.editor.description.setText("Now with a description")
    view.editor.visibility.setCurrentIndex(
        view.editor.visibility.findData(AppVisibility.PARTIAL.value)
    )
    view.editor.members.set_selected(["owner"])
    assert view.save_button.isEnabled()
    assert "Save to preview" in view.preview.notice.text()
    assert not view.preview.send_button.isEnabled()
    view.save_button.click()
    qtbot.waitUntil(lambda: "version 2" in view.message.text())
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        saved = ws.apps.show(_owner(ws), created.id)
    assert saved.version == 2
    assert saved.config.description == "Now with a description"
    assert (saved.config.visibility, saved.config.members) == (AppVisibility.PARTIAL, ("owner",))
    assert saved.config.kb_ids == (seeded["kb"],)  # untouched fields stay
    assert view.preview.send_button.isEnabled()


def test_preview_chats_with_the_saved_app(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    seeded: dict[str, int],
    make_view: Any,
    fake_chat: FakeChatModel,
) -> None:
    _create_app(
        workspace,
        instructions="Teach {{topic}} simply.",
        opening_statement="Welcome!",
        suggested_questions=("What is a fraction?",),
    )
    fake_chat.replies = [["Hello ", "**there**"], ["<img src='http://example.com/x.png'>"]]
    view = make_view(owner_ctx)
    preview = view.preview
    assert "Welcome!" in preview.transcript.toPlainText()
    preview.send_button.click()  # empty: nothing
    preview.input.setText("hi")
    preview.send_button.click()
    assert "topic" in preview.message.text()  # the variable must be filled in first
    preview.findChild(type(preview.input), "previewVar_topic").setText("maths")
    preview.send_button.click()
    qtbot.waitUntil(lambda: preview.conversation_id is not None and not preview.streaming)
    assert "Hello there" in preview.transcript.toPlainText()
    assert "Teach maths simply." in fake_chat.prompts[-1]
    assert not preview.suggestions.isVisibleTo(preview)

    preview.input.setText("and now?")
    preview.send_button.click()
    qtbot.waitUntil(lambda: len(preview.turns) == 2 and not preview.streaming)
    assert "<img src='http://example.com/x.png'>" in preview.transcript.toPlainText()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        [conv] = ws.chat.conversations(_owner(ws))
        turns = ws.chat.turns(_owner(ws), conv.id)
    assert conv.variables == {"topic": "maths"}
    assert [t.answer for t in turns] == ["Hello **there**", "<img src='http://example.com/x.png'>"]

    preview.restart_button.click()
    assert preview.turns == [] and preview.conversation_id is None


def test_markdown_is_rendered_without_html_or_remote_resources(qtbot: Any, tmp_path: Path) -> None:
    rendered = render_markdown("**bold** <script>alert(1)</script>")
    assert "<strong>bold</strong>" in rendered
    assert "<script>" not in rendered
    assert preview_module.NoResourceBrowser is NoResourceBrowser  # the chat's safe browser
    browser = NoResourceBrowser()
    qtbot.addWidget(browser)
    local = tmp_path / "a.png"
    local.write_bytes(b"\x89PNG not really")
    browser.setHtml(f'<img src="http://example.com/x.png"><img src="{local.as_uri()}">')
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    assert browser.document().resource(kind, QUrl(local.as_uri())).isNull()
    assert browser.loadResource(kind, QUrl(local.as_uri())).isNull()
    assert not browser.openLinks() and not browser.openExternalLinks()


def test_delete_asks_first(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    seeded: dict[str, int],
    make_view: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created = _create_app(workspace)
    answers = [False, True]
    monkeypatch.setattr(widgets, "confirm", lambda *_a: answers.pop(0))
    view = make_view(owner_ctx)
    view.delete_button.click()
    assert view.app_list.count() == 1 and not owner_ctx.runner.busy  # declined
    view.delete_button.click()
    qtbot.waitUntil(lambda: view.app_list.count() == 0)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        assert [a.id for a in ws.apps.list(_owner(ws))] == []
    assert created.id not in [a.id for a in view.apps]


def test_a_member_cannot_edit(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, seeded: dict[str, int], make_view: Any
) -> None:
    _create_app(workspace, opening_statement="Hello member")
    with open_direct(workspace) as ws:
        ws.accounts.add_user(_owner(ws), "mia", Role.MEMBER, PEOPLE_PASSWORD)
    sign_in_as(owner_ctx, workspace, "mia")
    view = make_view(owner_ctx)
    assert view.app_list.count() == 1
    assert view.editor.name.text() == "Tutor"
    assert not view.editor.name.isEnabled()
    assert not view.editor.instructions.isEnabled()
    assert not view.new_button.isVisibleTo(view)
    assert not view.save_button.isVisibleTo(view)
    assert not view.delete_button.isVisibleTo(view)
    view.new_button.click()  # hidden and refused
    assert view.current_id != -1


def test_stop_keeps_the_partial_answer(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    seeded: dict[str, int],
    make_view: Any,
    fake_chat: FakeChatModel,
) -> None:
    _create_app(workspace)
    started, release = threading.Event(), threading.Event()

    def hold(index: int) -> None:
        if index == 1:
            started.set()
            release.wait(10)

    fake_chat.on_piece = hold
    fake_chat.replies = [["First ", "second ", "third"]]
    view = make_view(owner_ctx)
    preview = view.preview
    preview.send("go")
    qtbot.waitUntil(started.is_set)
    assert preview.streaming and preview.stop_button.isVisibleTo(preview)
    preview.stop_button.click()
    release.set()
    qtbot.waitUntil(lambda: not preview.streaming)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    assert preview.turns[-1].stopped
    assert "(stopped)" in preview.transcript.toPlainText()
    with open_direct(workspace) as ws:
        [conv] = ws.chat.conversations(_owner(ws))
        [turn] = ws.chat.turns(_owner(ws), conv.id)
    assert turn.stop_reason == "cancelled"
    assert turn.answer == preview.turns[-1].answer
    assert "third" not in turn.answer
