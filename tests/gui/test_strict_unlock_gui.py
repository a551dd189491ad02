"""Strict unlock mode in the window: the Owner turns it on in Settings > Security with
their password, locking drops the database key and closes every lane's connection, the
sign-in screen unwraps the key with the typed password (a wrong one reads as any wrong
password does), and every lane then opens with that key.

The GUI tests' key store is an in-memory fake; strict mode removes the workspace's item
from it just as from the real keyring (tests/unit/test_strict_unlock.py, and the CLI over
the Secret Service in tests/integration/test_cli_strict_unlock.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from desktop import app
from desktop.core.errors import AuthenticationFailed
from desktop.core.keyring_items import workspace_key_items
from desktop.core.messages import Language, Surface, render
from desktop.core.models import Role
from desktop.core.workspace_policy import Policy
from desktop.security import slotcrypto
from desktop.ui.context import Backend, UiContext
from desktop.ui.i18n import Translations
from desktop.ui.login import LoginView
from desktop.ui.main_window import MainWindow
from desktop.ui.recovery import RecoveryKeyDialog
from desktop.ui.settings.strict import OwnerPasswordDialog, StrictUnlockPanel
from desktop.ui.settings.view import SettingsView
from desktop.ui.tasks import Lane, LaneContext
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as

SIGN_IN_FAILED = render("accounts.sign_in_failed", {}, Language.EN, Surface.GUI)


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Password slots with a cheap Argon2id (the real parameters take a second a try)."""
    monkeypatch.setattr(slotcrypto, "DEFAULT_KDF", slotcrypto.KdfParams(1, 8192, 1))


@contextmanager
def open_as(backend: Backend, username: str) -> Iterator[app.Workspace]:
    """The strict-mode workspace opened with a user's password, on the test's thread."""
    with app.open_workspace(
        backend.data_dir,
        key_store=backend.key_store_factory(),
        credentials=(username, PEOPLE_PASSWORD),
        hasher=backend.hasher,
        clock=backend.clock,
        engines=backend.engines_factory(),
    ) as ws:
        yield ws


@pytest.fixture
def strict_workspace(workspace: Backend) -> Backend:
    """``workspace`` in strict mode, with the Member mo (who has no slot)."""
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PEOPLE_PASSWORD)
    return workspace


@pytest.fixture
def make_window(
    qtbot: Any, make_ctx: Callable[[], UiContext]
) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(make_ctx())
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def _submit(qtbot: Any, login: LoginView, user: str, password: str) -> None:
    login.username.setText(user)
    login.password.setText(password)
    login.submit.click()
    qtbot.waitUntil(login.submit.isEnabled, timeout=10_000)


def _sign_in(qtbot: Any, window: MainWindow, user: str) -> None:
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        _submit(qtbot, window.login, user, PEOPLE_PASSWORD)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=10_000)


def _on_lane(qtbot: Any, ctx: UiContext, lane: Lane, op: Callable[[LaneContext], Any]) -> Any:
    """Run ``op`` on ``lane``; its result, or the exception it raised."""
    outcome: list[Any] = []
    ctx.runner.run(lane, op, on_done=outcome.append, on_failed=outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    return outcome[0]


def _connections(ctx: UiContext) -> list[bool]:
    """Which lanes hold an open connection (after their queued work has run)."""
    assert ctx.runner.wait_idle(10)
    return [lane._ws is not None for lane in ctx.runner._lanes.values()]


def _workspace_id(backend: Backend) -> str:
    return str(json.loads(app.Layout(backend.data_dir).slots.read_text())["workspace_id"])


def _key_items(backend: Backend) -> list[str]:
    """The keyring items that could unwrap the database key."""
    key_store = backend.key_store_factory()
    items = workspace_key_items(_workspace_id(backend))
    return [item for item in key_store.items if item in items]  # type: ignore[attr-defined]


def test_owner_turns_strict_unlock_on_in_settings_then_locks_and_signs_in_with_the_password(
    qtbot: Any, workspace: Backend, make_window: Callable[[], MainWindow]
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    ctx = window.ctx
    assert window.shell is not None
    settings = window.shell.show_screen("settings")
    assert isinstance(settings, SettingsView)
    page = settings.show_section("security")
    check = page.findChild(QCheckBox, "strictUnlockCheck")
    assert check is not None and page.findChild(QCheckBox, "policy_strict_unlock") is None
    qtbot.waitUntil(check.isEnabled, timeout=10_000)
    assert not check.isChecked()

    check.click()  # asks for the Owner's password first
    panel = page.findChild(StrictUnlockPanel)
    assert panel is not None and isinstance(panel.dialog, OwnerPasswordDialog)
    dialog = panel.dialog
    field = dialog.findChild(QLineEdit, "strictPasswordEdit")
    assert field.echoMode() is QLineEdit.EchoMode.Password  # never shown
    assert not check.isChecked()  # not on until the password is accepted
    field.setText(PEOPLE_PASSWORD)
    dialog.findChild(QPushButton, "strictPasswordOk").click()
    without_slot = page.findChild(QLabel, "usersWithoutSlotLabel")
    qtbot.waitUntil(lambda: not without_slot.isHidden(), timeout=20_000)
    assert check.isChecked()
    # turning strict mode on rekeyed the database: the new recovery key is shown once
    recovery = page.findChild(RecoveryKeyDialog)
    assert recovery is not None and recovery.isVisible()
    new_key = recovery.findChild(QPlainTextEdit, "recoveryKeyText").toPlainText()
    recovery.findChild(QCheckBox, "storedCheck").setChecked(True)
    recovery.findChild(QPushButton, "continueButton").click()
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=10_000)
    with app.open_workspace(
        workspace.data_dir,
        key_store=workspace.key_store_factory(),
        credentials=("owner", PEOPLE_PASSWORD),
        hasher=workspace.hasher,
        clock=workspace.clock,
        engines=workspace.engines_factory(),
    ) as ws:
        assert ws.workspace.summary()["recovery_key_unseen"] is False
    assert new_key
    assert "cannot open the workspace" in without_slot.text() and "mo" in without_slot.text()
    assert "owner" not in without_slot.text()
    assert app.unlock_mode(workspace.data_dir, key_store=workspace.key_store_factory()) == (
        "strict"
    )
    assert _key_items(workspace) == []  # the keyring no longer opens the database

    # a lane that never had a connection opens one with the key already unwrapped
    opened = _on_lane(qtbot, ctx, Lane.INGEST, lambda lc: lc.ws.workspace_id)
    assert opened == _workspace_id(workspace)

    window.shell.lock_button.click()  # Ctrl+L does the same
    assert not ctx.opener.holds_key
    assert _connections(ctx) == [False, False, False]
    refused = _on_lane(qtbot, ctx, Lane.INGEST, lambda lc: lc.ws.workspace_id)
    assert isinstance(refused, AuthenticationFailed)  # nothing opens without a password

    _submit(qtbot, window.login, "owner", "not the passphrase")
    assert window.login.message.text() == SIGN_IN_FAILED
    assert not ctx.signed_in and not ctx.opener.holds_key

    _sign_in(qtbot, window, "owner")
    assert ctx.signed_in and ctx.opener.holds_key
    assert window.pages.currentWidget() is window.shell


def test_every_lane_opens_after_a_strict_mode_sign_in(
    qtbot: Any, strict_workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    refused = _on_lane(qtbot, ctx, Lane.INGEST, lambda lc: lc.ws.workspace_id)
    assert isinstance(refused, AuthenticationFailed)
    login = LoginView(ctx)
    qtbot.addWidget(login)
    with qtbot.waitSignal(login.signed_in, timeout=10_000):
        _submit(qtbot, login, "owner", PEOPLE_PASSWORD)
    actor = ctx.actor()
    kb = _on_lane(qtbot, ctx, Lane.INGEST, lambda lc: lc.ws.knowledge.create(actor, "Docs"))
    assert not isinstance(kb, BaseException), kb
    names = _on_lane(
        qtbot, ctx, Lane.INFERENCE, lambda lc: [k.name for k in lc.ws.knowledge.list(actor)]
    )
    assert names == ["Docs"]
    with open_as(strict_workspace, "owner") as ws:
        assert [k.name for k in ws.knowledge.list(actor)] == ["Docs"]
    assert _connections(ctx) == [True, True, True]


def test_a_user_without_a_slot_and_a_wrong_password_read_as_a_failed_sign_in(
    qtbot: Any, strict_workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    login = LoginView(ctx)
    qtbot.addWidget(login)
    for user, password in (("owner", "not the passphrase"), ("mo", PEOPLE_PASSWORD)):
        _submit(qtbot, login, user, password)
        assert login.message.text() == SIGN_IN_FAILED
        assert not ctx.signed_in and not ctx.opener.holds_key


def test_a_wrong_strict_mode_password_reads_in_japanese(
    qtbot: Any, qapp: Any, strict_workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    translations = Translations()
    assert translations.install("ja")
    try:
        ctx = make_ctx()
        ctx.attach()
        login = LoginView(ctx)
        qtbot.addWidget(login)
        _submit(qtbot, login, "owner", "not the passphrase")
        assert login.message.text() == render(
            "accounts.sign_in_failed", {}, Language.JA, Surface.GUI
        )
    finally:
        translations.install("en")


def test_cancelling_the_password_dialog_leaves_strict_unlock_off(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    view = SettingsView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    page = view.show_section("security")
    check = page.findChild(QCheckBox, "strictUnlockCheck")
    qtbot.waitUntil(check.isEnabled, timeout=10_000)
    check.click()
    panel = page.findChild(StrictUnlockPanel)
    assert panel is not None and panel.dialog is not None
    panel.dialog.findChild(QLineEdit, "strictPasswordEdit").setText("typed, then cancelled")
    panel.dialog.reject()
    qtbot.waitUntil(lambda: not owner_ctx.runner.live_tasks(), timeout=10_000)
    assert not check.isChecked()
    assert app.unlock_mode(workspace.data_dir, key_store=workspace.key_store_factory()) == (
        "keyring"
    )
    view.teardown()


def test_an_admin_does_not_see_the_strict_unlock_switch(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    view = SettingsView(ctx)
    qtbot.addWidget(view)
    view.activate()
    page = view.show_section("security")
    qtbot.waitUntil(lambda: page.findChild(QCheckBox, "policy_role_approval") is not None)
    assert page.findChild(QCheckBox, "strictUnlockCheck") is None
    assert page.findChild(QCheckBox, "policy_strict_unlock") is None
    assert page.findChild(StrictUnlockPanel) is None
    qtbot.waitUntil(lambda: not ctx.runner.live_tasks(), timeout=10_000)
    view.teardown()


def test_a_wrong_owner_password_leaves_strict_unlock_off_and_says_why(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    view = SettingsView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    page = view.show_section("security")
    check = page.findChild(QCheckBox, "strictUnlockCheck")
    qtbot.waitUntil(check.isEnabled, timeout=10_000)
    check.click()
    panel = page.findChild(StrictUnlockPanel)
    assert panel is not None and panel.dialog is not None
    panel.dialog.findChild(QLineEdit, "strictPasswordEdit").setText("not the passphrase")
    panel.dialog.findChild(QPushButton, "strictPasswordOk").click()
    expected = render("workspace.strict_needs_password", {}, Language.EN, Surface.GUI)
    qtbot.waitUntil(lambda: panel.message.text() == expected, timeout=10_000)
    qtbot.waitUntil(lambda: not owner_ctx.runner.live_tasks(), timeout=10_000)
    assert not check.isChecked() and check.isEnabled()
    assert app.unlock_mode(workspace.data_dir, key_store=workspace.key_store_factory()) == (
        "keyring"
    )
    view.teardown()
