"""Studio gives an app's variables labels; the chat's variable form (and Studio's
preview) then shows each label instead of the key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop.core.chat_models import AppConfig
from desktop.ui.chat import ChatView
from desktop.ui.context import Backend, UiContext
from desktop.ui.studio.view import StudioView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct


def _register_model(backend: Backend, tmp_path: Path) -> None:
    model_file = tmp_path / "tiny.gguf"
    model_file.write_bytes(b"GGUF" + bytes(64))
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.models.register(owner, str(model_file), name="tiny")


def _form_labels(view: ChatView) -> list[str]:
    return [label.text() for label in view.variables.findChildren(QLabel)]


def test_studio_sets_a_variable_label_and_the_chat_form_shows_it(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, tmp_path: Path, fake_chat: FakeChatModel
) -> None:
    _register_model(workspace, tmp_path)
    studio = StudioView(owner_ctx)
    qtbot.addWidget(studio)
    studio.activate()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    studio.new_button.click()
    editor = studio.editor
    editor.name.setText("Onboarding")
    editor.model.setCurrentIndex(editor.model.findText("tiny"))
    assert editor.variable_labels.isHidden()  # no variables yet
    editor.instructions.setPlainText("Welcome {{department}} staff starting {{start_date}}.")
    table = editor.variable_labels.table
    assert editor.variable_labels.isVisibleTo(editor) and table.rowCount() == 2
    keys = [table.item(row, 0).text() for row in range(table.rowCount())]
    assert keys == ["department", "start_date"]
    editor.variable_labels.set_label("department", "Your team")
    assert studio.save_button.isEnabled()
    studio.save_button.click()
    qtbot.waitUntil(lambda: studio.app_list.count() == 1)
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        saved = ws.apps.show(owner, "Onboarding")
    assert saved.config.labels == {"department": "Your team"}
    assert not studio.save_button.isEnabled()  # the saved labels are the form's baseline
    preview_labels = [w.text() for w in studio.preview.variables_box.findChildren(QLabel)]
    assert preview_labels == ["Your team", "Start date"]
    studio.teardown()

    chat = ChatView(owner_ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    chat.activate()
    qtbot.waitUntil(lambda: chat._app is not None and chat.variables.isVisibleTo(chat))
    assert _form_labels(chat) == ["Your team", "Start date"]
    assert "department" not in _form_labels(chat)
    chat.variables.fields["department"].setText("Sales")
    chat.variables.fields["start_date"].setText("Monday")
    fake_chat.replies = [["Welcome!"]]
    qtbot.keyClicks(chat.composer, "Hello")
    qtbot.keyClick(chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not chat.streaming and chat._conversation_id is not None)
    assert _form_labels(chat) == ["Your team", "Start date"]  # read-only now, same labels
    assert chat.variables.fields["department"].isReadOnly()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)


def test_an_app_saved_without_labels_opens_in_studio_with_blank_labels(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, tmp_path: Path
) -> None:
    _register_model(workspace, tmp_path)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        model = ws.models.get(owner, "tiny")
        ws.apps.create(owner, AppConfig(name="Old", model_id=model.id, instructions="{{team}}"))
    studio = StudioView(owner_ctx)
    qtbot.addWidget(studio)
    studio.activate()
    qtbot.waitUntil(lambda: studio.current_id is not None and not owner_ctx.runner.busy)
    table = studio.editor.variable_labels.table
    assert table.rowCount() == 1 and table.item(0, 1).text() == ""
    assert not studio.save_button.isEnabled()
    studio.teardown()
