"""Studio's "Read every document for each question" toggle saves the app's exhaustive
setting, and an app loads with it as stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.chat_models import AppConfig
from desktop.ui.context import Backend, UiContext
from desktop.ui.studio.view import StudioView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct


def test_the_studio_toggle_makes_an_app_read_every_document(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, tmp_path: Path
) -> None:
    model_file = tmp_path / "tiny.gguf"
    model_file.write_bytes(b"GGUF" + bytes(64))
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        model = ws.models.register(owner, str(model_file), name="tiny")
        created = ws.apps.create(owner, AppConfig(name="Inventory", model_id=model.id))
    view = StudioView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    assert not view.editor.exhaustive.isChecked() and not view.save_button.isEnabled()
    view.editor.exhaustive.setChecked(True)
    assert view.save_button.isEnabled()
    view.save_button.click()
    qtbot.waitUntil(lambda: "version 2" in view.message.text())
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    with open_direct(workspace) as ws:
        saved = ws.apps.show(ws.accounts.authenticate("owner", PEOPLE_PASSWORD), created.id)
    assert saved.config.exhaustive
    assert view.editor.exhaustive.isChecked() and not view.save_button.isEnabled()
