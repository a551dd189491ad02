"""The Logs screen's export with Pseudonymise personal data ticked: the bundle written
holds pseudonyms, not the canary values, and verifies; without a detector the dialog
shows the one-line refusal and writes nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.logs import LogsView
from desktop.ui.logs.export_dialog import ExportDialog
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector
from tests.fakes_pii import FakePiiDetector
from tests.gui.conftest import open_direct

MY_NUMBER = "123456789018"
NAME = "山田太郎"


@pytest.fixture
def with_detector() -> bool:
    return True


@pytest.fixture
def fake_engines(fake_chat: FakeChatModel, with_detector: bool) -> app.Engines:
    return app.Engines(
        FakeInspector(), fake_chat, pii_detector=FakePiiDetector() if with_detector else None
    )


@pytest.fixture
def canaries(workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        hr = ws.apps.create(owner, AppConfig(name="hr", model_id=model_id)).id
        fake_chat.replies = [["Noted."]]
        ws.chat.send(mo, hr, f"{NAME} のマイナンバーは {MY_NUMBER}")


def _export(qtbot: Any, ctx: UiContext, out: Path) -> tuple[LogsView, ExportDialog]:
    """The Logs view (kept alive by the caller) and its export dialog, exporting."""
    view = LogsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    dialog = view.open_export()
    qtbot.waitUntil(dialog.export_button.isEnabled)
    dialog.folder.setText(str(out))
    dialog.file_name.setText("audit.zip")
    dialog.pseudonymise.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return view, dialog


def test_export_with_pseudonymise_ticked_writes_no_canary(
    qtbot: Any, owner_ctx: UiContext, canaries: None, tmp_path: Path
) -> None:
    _view, dialog = _export(qtbot, owner_ctx, tmp_path)
    try:
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
        outcome = dialog.outcome
        assert outcome is not None and outcome.pseudonymised is not None
        assert outcome.pseudonymised >= 2
        assert f"pseudonymised in {outcome.pseudonymised} events" in dialog.bundle_path.text()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    bundle = tmp_path / "audit.zip"
    report = bundle_verify.verify_bundle(str(bundle))
    assert report.ok and report.facts["pseudonymised"] == outcome.pseudonymised
    with zipfile.ZipFile(bundle) as z:
        text = z.read("events.jsonl").decode("utf-8")
    assert MY_NUMBER not in text and NAME not in text and "<PERSON:" in text


@pytest.mark.parametrize("with_detector", [False])
def test_export_with_pseudonymise_ticked_and_no_detector_is_refused(
    qtbot: Any, owner_ctx: UiContext, canaries: None, tmp_path: Path, with_detector: bool
) -> None:
    _view, dialog = _export(qtbot, owner_ctx, tmp_path)
    try:
        qtbot.waitUntil(lambda: "not available" in dialog.message.text(), timeout=20_000)
        assert "Pseudonymise personal data" in dialog.message.text()
        assert dialog.outcome is None and not (tmp_path / "audit.zip").exists()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
