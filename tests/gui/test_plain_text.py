"""What users and documents supply shows as text, never as markup: a Member's feedback
comment with an ``<img src="file:...">`` loads nothing in an Admin's trace dialog, and
errors that carry names, message boxes and input dialogs show their markup literally."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Role
from desktop.ui.chat.conversations import ConversationPanel
from desktop.ui.chat.markdown import MarkdownBrowser, render_markdown
from desktop.ui.context import Backend, UiContext
from desktop.ui.errors import InlineMessage, show_error
from desktop.ui.knowledge.widgets import confirm
from desktop.ui.logs import LogsView
from desktop.ui.main_window import MainWindow
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, MemorySource
from tests.gui.conftest import open_direct, sign_in_as
from tests.gui.hostile import (
    MARK,
    canary_image,
    hostile,
    hostile_name,
    label_shows,
    markup_spots,
    spoof_count,
)


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return canary_image(tmp_path)


def test_a_members_hostile_feedback_shows_as_text_in_the_admins_trace_dialog(
    qtbot: Any,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
    fake_chat: FakeChatModel,
    tmp_path: Path,
    canary: Path,
) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, MARK, Role.MEMBER, PEOPLE_PASSWORD)
        member = ws.accounts.authenticate(MARK, PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        app_id = ws.apps.create(owner, AppConfig(name=hostile_name("app"), model_id=model_id)).id
        fake_chat.replies = [["Twenty days."]]
        turn = ws.chat.send(member, app_id, hostile(canary, "question")).turn.id
        ws.logs.rate(member, turn, "down", hostile(canary, "comment"))
        ws.logs.annotate(owner, turn, hostile(canary, "annotation"))
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    view = LogsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and not ctx.runner.busy)
    dialog = view.open_trace(0)
    try:
        qtbot.waitUntil(lambda: not ctx.runner.busy)
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        assert any("comment" in text and MARK in text for text in texts)
        assert any("annotation" in text and MARK in text for text in texts)
        assert markup_spots(dialog) == []
        assert markup_spots(view) == []
    finally:
        dialog.close()


def test_the_inline_message_shows_an_error_naming_hostile_text_as_text(
    qtbot: Any, canary: Path
) -> None:
    bar = InlineMessage()
    qtbot.addWidget(bar)
    bar.show_error(InputError("knowledge.kb_not_found", name=hostile(canary)))
    assert MARK in label_shows(bar)
    bar.show_info(hostile(canary))
    assert markup_spots(bar) == []


PLAIN = Qt.TextFormat.PlainText


def _capture_modal(action: Callable[[], object]) -> list[tuple[str, str, bool]]:
    """Runs ``action``, which opens a modal dialog, and closes that dialog; returns, for
    the dialog and each label in it, its class, what it showed and whether it was plain
    (read while it lived: a static QMessageBox function deletes its box on return)."""
    seen: list[tuple[str, str, bool]] = []

    def close_it() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(10, close_it)
            return
        try:
            plain = isinstance(modal, QMessageBox) and modal.textFormat() == PLAIN
            seen.append((type(modal).__name__, "", plain))
            for label in modal.findChildren(QLabel):
                seen.append((type(label).__name__, label_shows(label), label.textFormat() == PLAIN))
        finally:
            modal.close()

    QTimer.singleShot(0, close_it)
    action()
    return seen


def test_show_error_shows_a_hostile_name_as_text(canary: Path) -> None:
    parent = QWidget()
    try:
        seen = _capture_modal(
            lambda: show_error(parent, InputError("knowledge.kb_not_found", name=hostile(canary)))
        )
        assert seen[0] == ("QMessageBox", "", True)
        assert any(MARK in text for _, text, _ in seen)
    finally:
        parent.deleteLater()


@pytest.fixture
def hostile_workspace(
    workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path, canary: Path
) -> Backend:
    """A workspace where every name, description, message, comment and document a user
    can write is markup: a Member ``<b>SPOOF``, a hostile model, knowledge base, file,
    app, conversation, feedback comment and annotation."""
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, MARK, Role.MEMBER, PEOPLE_PASSWORD, hostile_name("dn"))
        member = ws.accounts.authenticate(MARK, PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name=hostile_name("model")).id
        kb = ws.knowledge.create(
            owner,
            hostile_name("kb"),
            description=hostile(canary, "kb"),
            visibility=KbVisibility.ALL,
        )
        text = f"{hostile(canary, 'passage')} The vacation policy gives twenty days."
        ws.knowledge.ingest(owner, kb.id, [MemorySource(f"{MARK}.txt", text.encode())])
        config = AppConfig(
            name=hostile_name("app"),
            model_id=model_id,
            description=hostile(canary, "description"),
            opening_statement=hostile(canary, "opening"),
            suggested_questions=(hostile_name("suggested"),),
            kb_ids=(kb.id,),
        )
        app_id = ws.apps.create(owner, config).id
        fake_chat.replies = [[hostile(canary, "answer")], [hostile(canary, "answer")]]
        turn = ws.chat.send(member, app_id, hostile(canary, "vacation question")).turn
        ws.chat.send(owner, app_id, hostile(canary, "vacation question"))
        ws.logs.rate(member, turn.id, "down", hostile(canary, "comment"))
        ws.logs.annotate(owner, turn.id, hostile(canary, "annotation"))
    return workspace


@pytest.mark.parametrize("user", ["owner", MARK])
def test_every_screen_shows_hostile_names_and_texts_as_text(
    qtbot: Any, hostile_workspace: Backend, make_ctx: Callable[[], UiContext], user: str
) -> None:
    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    try:
        window.start()
        window.login.username.setText(user)
        window.login.password.setText(PEOPLE_PASSWORD)
        with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
            window.login.submit.click()
        qtbot.waitUntil(lambda: not window.ctx.runner.busy)
        shell = window.shell
        assert shell is not None
        seen: dict[str, int] = {}
        for key in shell.buttons:
            view = shell.show_screen(key)
            qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=10_000)
            assert markup_spots(window) == [], key
            seen[key] = spoof_count(view)
        # the walk met hostile text on the screens that show it
        shows = {"chat", "studio", "knowledge", "logs", "members"} & set(seen)
        assert [key for key in sorted(shows) if seen[key] == 0] == [], seen
    finally:
        window.close()


def test_conversation_prompts_show_a_hostile_title_as_text(qtbot: Any, canary: Path) -> None:
    panel = ConversationPanel()
    qtbot.addWidget(panel)
    title = hostile(canary, "title")
    renamed = _capture_modal(lambda: panel.ask_rename(1, title))
    assert renamed[0][0] == "QInputDialog" and all(plain for _, _, plain in renamed[1:])
    deleting = _capture_modal(lambda: panel.ask_delete(1, title))
    assert deleting[0] == ("QMessageBox", "", True)
    assert any(MARK in text for _, text, _ in deleting)


def test_a_confirmation_naming_a_hostile_document_shows_it_as_text(
    qtbot: Any, canary: Path
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    asked = _capture_modal(
        lambda: confirm(parent, "Delete", f"Delete {hostile(canary)}?", "Delete")
    )
    assert asked[0] == ("QMessageBox", "", True)
    assert any(MARK in text for _, text, _ in asked)


def test_answers_show_hostile_html_as_text_and_load_no_file(qtbot: Any, canary: Path) -> None:
    """Answers are the deliberate rich text: the Markdown renderer escapes raw HTML, so
    the hostile markup is shown, and the browser loads no file an answer names."""
    answer = f"{hostile(canary)}\n\n![x]({canary.as_uri()}) ![y](https://x.test/y.png)"
    assert "<img" not in render_markdown(answer)  # markdown-it refuses file: links too
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown(answer)
    with qtbot.waitExposed(browser):
        browser.show()
    browser.close()
    assert MARK in browser.toPlainText() and "[image: y]" in browser.toPlainText()
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    loaded = browser.document().resource(kind, QUrl(canary.as_uri()))
    assert loaded is None or loaded.isNull()


def test_the_quick_chat_model_prompt_shows_a_hostile_model_name_as_text(
    qtbot: Any, canary: Path
) -> None:
    from desktop.ui.plain import ask_item

    name = hostile(canary, "model")
    picked = _capture_modal(lambda: ask_item(None, "Quick chat", f"Model {name}", [name]))
    assert picked[0][0] == "QInputDialog" and all(plain for _, _, plain in picked[1:])
    assert any(MARK in text for _, text, _ in picked)
