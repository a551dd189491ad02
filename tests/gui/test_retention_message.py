"""The retention purge's one-line result names what it emptied, searches included."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from desktop.core.chat_models import AppConfig
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.ui.context import Backend, UiContext
from desktop.ui.settings.view import SettingsView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemorySource
from tests.gui.conftest import open_direct


def test_a_purge_that_empties_only_searches_says_how_many(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    clock: FixedClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF-model")
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        record = ws.models.register(owner, str(model))
        helper = ws.apps.create(owner, AppConfig(name="Helper", model_id=record.id))
        kb = ws.knowledge.create(owner, "docs", visibility=KbVisibility.ALL)
        ws.knowledge.ingest(owner, kb.id, [MemorySource("tea.txt", b"Matcha is green tea.")])
        ws.knowledge.search(owner, kb.id, "matcha", mode=RetrievalMode.FULLTEXT)
        ws.knowledge.search(owner, kb.id, "green tea", mode=RetrievalMode.FULLTEXT)
        clock.advance(timedelta(days=40).total_seconds())
        ws.logs.set_retention(owner, helper.id, days=30, legal_hold=False)
    owner_ctx.touch()  # the window was in use all along
    view = SettingsView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    page = view.show_section("retention")
    # the confirmation is a plain-text QMessageBox (desktop/ui/plain.py): answer Yes
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: QMessageBox.StandardButton.Yes.value)
    result = page.findChild(QLabel, "purgeResult")
    qtbot.mouseClick(page.findChild(QPushButton, "purgeButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: result.text() != "", timeout=10_000)
    assert result.text() == "Emptied 2 knowledge-base searches."
    qtbot.waitUntil(lambda: not owner_ctx.runner.live_tasks(), timeout=10_000)
    view.teardown()
