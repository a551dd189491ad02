"""Settings > Models > Add remote server: the Owner registers an internal server's model
with its key in a password field; the key reaches the keyring, never the screen again.
The connection is tested first unless unticked; Remove (confirmed) deletes the key too."""

from __future__ import annotations

from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
)

from desktop.core.keyring_items import endpoint_key_item
from desktop.core.services.remote_models import RemoteRegistration
from desktop.security import netguard
from desktop.ui.context import Backend, UiContext
from desktop.ui.settings.models import ModelsPage
from tests.fake_openai import fake_openai
from tests.gui.conftest import open_direct
from tests.gui.test_settings_view import MakeView, child, make_view, owner_actor

__all__ = ["make_view"]  # the fixture, shared with the Settings tests

KEY = "sk-GUI-CANARY-0b7d"
PIN = "ab" * 32


def test_the_owner_adds_a_remote_server_with_a_hidden_key(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("models")
    assert isinstance(page, ModelsPage)
    qtbot.waitUntil(lambda: not child(page, QLabel, "emptyState").isHidden())
    qtbot.mouseClick(child(page, QPushButton, "addRemoteButton"), Qt.MouseButton.LeftButton)
    dialog = page.remote_dialog
    assert dialog is not None
    child(dialog, QLineEdit, "remoteNameEdit").setText("gpu")
    child(dialog, QLineEdit, "remoteUrlEdit").setText("https://192.0.2.9:8443/v1")
    child(dialog, QLineEdit, "remoteModelEdit").setText("big-model")
    child(dialog, QLineEdit, "remotePinEdit").setText(PIN)
    key = child(dialog, QLineEdit, "remoteKeyEdit")
    assert key.echoMode() == QLineEdit.EchoMode.Password
    key.setText(KEY)
    check = child(dialog, QCheckBox, "remoteCheckBox")
    assert check.isChecked()  # tried first unless unticked: this address is not there
    check.setChecked(False)
    buttons = child(dialog, QDialogButtonBox, "remoteButtons")
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    models = child(page, QListWidget, "modelList")
    qtbot.waitUntil(lambda: models.count() == 1, timeout=10_000)
    assert models.item(0).text() == "gpu"
    assert not shiboken6.isValid(key)  # the dialog, and the key typed into it, are gone
    assert KEY not in child(page, QLabel, "model_path").toolTip()
    with open_direct(workspace) as ws:
        record = ws.models.get(owner_actor(workspace), "gpu")
        keys = workspace.key_store_factory()
        assert record.endpoint is not None and record.endpoint.key_ref
        item = endpoint_key_item(ws.workspace_id, record.endpoint.key_ref)
    assert record.endpoint.addresses == (("192.0.2.9", 8443),)
    assert keys.get_secret(item) == KEY.encode()


def test_a_bad_address_is_explained_inline(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, make_view: MakeView
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("models")
    assert isinstance(page, ModelsPage)
    qtbot.mouseClick(child(page, QPushButton, "addRemoteButton"), Qt.MouseButton.LeftButton)
    dialog = page.remote_dialog
    assert dialog is not None
    child(dialog, QLineEdit, "remoteNameEdit").setText("far")
    child(dialog, QLineEdit, "remoteUrlEdit").setText("http://192.0.2.9:8000/v1")
    child(dialog, QLineEdit, "remoteModelEdit").setText("m")
    dialog.accept()
    qtbot.waitUntil(lambda: "only on this machine" in page.message.text(), timeout=10_000)


def _add(qtbot: Any, page: ModelsPage, name: str, port: int) -> None:
    qtbot.mouseClick(child(page, QPushButton, "addRemoteButton"), Qt.MouseButton.LeftButton)
    dialog = page.remote_dialog
    assert dialog is not None
    child(dialog, QLineEdit, "remoteNameEdit").setText(name)
    child(dialog, QLineEdit, "remoteUrlEdit").setText(f"http://127.0.0.1:{port}/v1")
    child(dialog, QLineEdit, "remoteModelEdit").setText("served-model")
    child(dialog, QLineEdit, "remoteKeyEdit").setText(KEY)
    dialog.accept()


def test_the_connection_is_tested_before_the_server_is_added(
    qtbot: Any, owner_ctx: UiContext, make_view: MakeView
) -> None:
    view = make_view(owner_ctx)
    page = view.show_section("models")
    assert isinstance(page, ModelsPage)
    try:
        with fake_openai("500") as failing:
            _add(qtbot, page, "down", failing.port)
            qtbot.waitUntil(lambda: "connection test" in page.message.text(), timeout=20_000)
        text = page.message.text()
        assert "HTTP 500" in text and 'untick "Test the connection"' in text
        assert "\n" not in text and child(page, QListWidget, "modelList").count() == 0
        with fake_openai("ok") as server:
            _add(qtbot, page, "gpu", server.port)
            qtbot.waitUntil(lambda: "Connection test:" in page.message.text(), timeout=20_000)
        assert "serves served-model" in page.message.text() and KEY not in page.message.text()
        assert [r["line"] for r in server.requests] == ["GET /v1/models HTTP/1.1"]
    finally:
        netguard.allow_connections(())


def test_the_owner_removes_a_remote_server_and_its_key_leaves_the_keyring(
    qtbot: Any,
    owner_ctx: UiContext,
    workspace: Backend,
    make_view: MakeView,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.ui.settings import models as models_page

    with open_direct(workspace) as ws:
        reg = RemoteRegistration(
            "gpu", "https://192.0.2.9:8443/v1", "big", pin_sha256=PIN, api_key=KEY
        )
        record = ws.remote_models.register(owner_actor(workspace), reg)
        assert record.endpoint is not None and record.endpoint.key_ref
        item = endpoint_key_item(ws.workspace_id, record.endpoint.key_ref)
    keys = workspace.key_store_factory()
    assert keys.get_secret(item) == KEY.encode()
    view = make_view(owner_ctx)
    page = view.show_section("models")
    assert isinstance(page, ModelsPage)
    models = child(page, QListWidget, "modelList")
    qtbot.waitUntil(lambda: models.count() == 1, timeout=10_000)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def fake_ask(_parent: object, _title: str, text: str, *_: object) -> object:
        asked.append(text)
        return answer

    monkeypatch.setattr(models_page, "ask", fake_ask)
    remove = child(page, QPushButton, "removeModelButton")
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "OS keyring" in asked[0] and "192.0.2.9" in asked[0]
    assert models.count() == 1 and keys.get_secret(item) == KEY.encode()  # "No": nothing
    answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Removed gpu." in page.message.text(), timeout=10_000)
    assert models.count() == 0 and keys.get_secret(item) is None
    with open_direct(workspace) as ws, ws.store.transaction() as tx:
        removed = [e for e in tx.audit.iter_events() if e.action == "model.removed"]
    assert len(removed) == 1 and removed[0].actor == "owner"
    assert KEY not in repr(removed[0].payload)
