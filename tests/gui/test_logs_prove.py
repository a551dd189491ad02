"""The Logs screen's "Disclose a value…" (``kura logs prove``): the Owner chooses a
pseudonymised bundle, a type and the value an auditor was given; the result line names
the pseudonym and the opening, which the stock verifier accepts for that value. A value
that is none of the bundle's pseudonyms gets the one-line refusal; only the Owner sees
the button."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop import app
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppConfig
from desktop.core.models import Role
from desktop.core.pii import PiiType
from desktop.ui.context import Backend, UiContext
from desktop.ui.logs import LogsView
from desktop.ui.logs.prove_dialog import ProveDialog
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector
from tests.fakes_pii import FakePiiDetector
from tests.gui.conftest import open_direct, sign_in_as

MY_NUMBER = "123456789018"
NAME = "山田太郎"


@pytest.fixture
def fake_engines(fake_chat: FakeChatModel) -> app.Engines:
    return app.Engines(FakeInspector(), fake_chat, pii_detector=FakePiiDetector())


@pytest.fixture
def bundle(workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path) -> Path:
    """A pseudonymised bundle of a turn that named NAME and MY_NUMBER."""
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
        data = ws.logs.export(owner, pseudonymise=True).data
    path = tmp_path / "audit.zip"
    path.write_bytes(data)
    return path


def _prove(
    qtbot: Any, ctx: UiContext, bundle: Path, kind: PiiType, value: str
) -> tuple[LogsView, ProveDialog]:
    """The Logs view (kept alive by the caller: it owns the dialog) and its disclose
    dialog, disclosing."""
    view = LogsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    assert view.prove_button.isVisibleTo(view)
    dialog = view.open_prove()
    dialog.bundle.setText(str(bundle))
    dialog.pii_type.setCurrentIndex(dialog.pii_type.findData(kind.value))
    dialog.value.setText(value)
    qtbot.mouseClick(dialog.prove_button, Qt.MouseButton.LeftButton)
    return view, dialog


def test_the_owner_discloses_a_value_and_the_stock_verifier_accepts_its_opening(
    qtbot: Any, owner_ctx: UiContext, bundle: Path, workspace: Backend
) -> None:
    _view, dialog = _prove(qtbot, owner_ctx, bundle, PiiType.MY_NUMBER, MY_NUMBER)
    try:
        qtbot.waitUntil(lambda: dialog.proof is not None, timeout=20_000)
        proof = dialog.proof
        assert proof is not None and proof["events"] >= 1
        line = dialog.result_line.text()
        assert proof["placeholder"] in line and proof["opening"] in line
        assert "My Number" in line and MY_NUMBER not in line
        assert f"--check-value MY_NUMBER VALUE {proof['opening']}" in dialog.command.text()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    check = ("MY_NUMBER", MY_NUMBER, proof["opening"])
    report = bundle_verify.verify_bundle_bytes(bundle.read_bytes(), check_value=check)
    assert report.ok and report.facts["value_check"]["found"]
    with open_direct(workspace) as ws, ws.store.transaction() as tx:
        opened = [
            e for e in tx.audit.iter_events() if e.action == AuditAction.LOGS_PSEUDONYM_OPENED
        ]
    assert len(opened) == 1 and MY_NUMBER not in str(opened[0].payload)


def test_a_value_that_is_none_of_the_bundles_pseudonyms_is_refused_in_one_line(
    qtbot: Any, owner_ctx: UiContext, bundle: Path
) -> None:
    _view, dialog = _prove(qtbot, owner_ctx, bundle, PiiType.PERSON, "佐藤花子")
    try:
        qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=20_000)
        text = dialog.message.text()
        assert "not one of this bundle's pseudonyms" in text and "\n" not in text
        assert dialog.proof is None and dialog.result_line.text() == ""
        assert dialog.prove_button.isEnabled()
    finally:
        dialog.close()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)


def test_no_bundle_file_is_said_before_anything_runs(
    qtbot: Any, owner_ctx: UiContext, bundle: Path, tmp_path: Path
) -> None:
    _view, dialog = _prove(qtbot, owner_ctx, tmp_path / "missing.zip", PiiType.PERSON, NAME)
    try:
        assert "No bundle file" in dialog.message.text() and not owner_ctx.runner.busy
    finally:
        dialog.close()


def test_only_the_owner_sees_the_disclose_button(
    qtbot: Any, owner_ctx: UiContext, bundle: Path, workspace: Backend
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    sign_in_as(owner_ctx, workspace, "ada")
    view = LogsView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    assert view.export_button.isVisibleTo(view) and not view.prove_button.isVisibleTo(view)
