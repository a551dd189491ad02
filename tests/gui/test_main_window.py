"""The window's flows over fakes: first run to the chat screen, sign-in shows only what
the role may use, locking hides the workspace, a language switch rebuilds the screens,
and closing waits for running work and closes every lane's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPlainTextEdit

from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.main_window import MainWindow
from desktop.ui.recovery import RecoveryKeyDialog
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct


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


def _sign_in(qtbot: Any, window: MainWindow, user: str) -> None:
    window.login.username.setText(user)
    window.login.password.setText(PEOPLE_PASSWORD)
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        window.login.submit.click()
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)


def test_first_run_creates_the_owner_shows_the_key_once_and_registers_a_model(
    qtbot: Any,
    backend: Backend,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    model = tmp_path / "demo.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    backend.demo_model = lambda: model
    shown: list[str] = []

    def accept(dialog: RecoveryKeyDialog) -> int:
        shown.append(dialog.findChild(QPlainTextEdit).toPlainText())
        return 1

    monkeypatch.setattr(RecoveryKeyDialog, "exec", accept)
    window = make_window()
    window.start()
    wizard = window.wizard
    assert wizard is not None
    qtbot.waitUntil(wizard.keyring_next.isEnabled)
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(PEOPLE_PASSWORD)
    wizard.owner_confirm.setText("something else")
    wizard.create_button.click()
    assert "differ" in wizard.message.text() and not backend.data_dir.exists()
    wizard.owner_confirm.setText(PEOPLE_PASSWORD)
    wizard.create_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10_000)
    assert wizard.owner_password.text() == "" and wizard._recovery_key
    wizard.show_key_button.click()
    assert len(shown) == 1 and len(shown[0]) > 20
    assert wizard._recovery_key is None  # nothing keeps the key once it was shown
    assert wizard.pages.currentIndex() == 3 and wizard.demo_button.isVisibleTo(wizard)
    wizard.demo_button.click()
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    assert window.pages.currentWidget() is window.shell
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("tanaka", PEOPLE_PASSWORD)
        assert [m.name for m in ws.models.list(owner)] == ["demo"]
        with ws.store.transaction() as tx:
            actions = [e.action for e in tx.audit.iter_events()]
    assert "workspace.recovery_key_shown" in actions


def test_screens_follow_the_role(
    qtbot: Any, workspace: Backend, make_window: Callable[[], MainWindow]
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "eve", Role.EDITOR, PEOPLE_PASSWORD)
    expected = {
        "owner": ["chat", "studio", "knowledge", "logs", "usage", "members", "settings"],
        "eve": ["chat", "studio", "settings"],
        "mo": ["chat", "settings"],
    }
    for user, screens in expected.items():
        window = make_window()
        window.start()
        _sign_in(qtbot, window, user)
        assert window.shell is not None
        assert list(window.shell.buttons) == screens
        for key in screens:
            window.shell.show_screen(key)
            qtbot.waitUntil(lambda w=window: not w.ctx.runner.busy, timeout=10_000)
        window.close()


def test_lock_hides_the_workspace_and_unlock_returns_to_it(
    qtbot: Any, workspace: Backend, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    shell = window.shell
    assert shell is not None
    shell.show_screen("members")
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    shell.lock_button.click()
    assert window.pages.currentWidget() is window.login
    assert window.login.username.text() == "owner" and window.login.password.text() == ""
    assert not window.ctx.signed_in
    _sign_in(qtbot, window, "owner")
    assert window.shell is shell and window.pages.currentWidget() is shell
    assert shell.stack.currentWidget() is shell.views["members"]


def test_language_switch_rebuilds_the_screens_in_japanese(
    qtbot: Any, workspace: Backend, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    window.ctx.set_language("ja")
    try:
        assert window.shell is not None
        assert window.shell.buttons["chat"].text() == "チャット"
        assert window.shell.stack.currentWidget() is window.shell.views["chat"]
    finally:
        window.ctx.set_language("en")
    assert window.shell.buttons["chat"].text() == "Chat"


def test_close_cancels_a_running_answer_and_closes_the_database(
    qtbot: Any,
    workspace: Backend,
    make_window: Callable[[], MainWindow],
    fake_chat: FakeChatModel,
    tmp_path: Path,
) -> None:
    import threading

    from desktop.core.chat_models import AppConfig

    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="m").id
        ws.apps.create(owner, AppConfig(name="helper", model_id=model_id))
    started, release = threading.Event(), threading.Event()

    def hold(index: int) -> None:
        if index == 1:
            started.set()
            release.wait(10)

    fake_chat.on_piece = hold
    fake_chat.replies = [["one ", "two ", "three"]]
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    chat = window.shell.show_screen("chat")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not window.ctx.runner.busy and chat.composer.isEnabled())
    assert chat.send_text("Count to three")
    assert started.wait(10)
    threading.Timer(0.2, release.set).start()
    window.close()  # cancels, waits for the lane, closes every connection there
    assert window.closed_cleanly is True
    assert all(lane._ws is None for lane in window.ctx.runner._lanes.values())
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        (conversation,) = ws.chat.conversations(owner)
        (turn,) = ws.chat.turns(owner, conversation.id)
    assert turn.stop_reason == "cancelled" and "three" not in turn.answer


def test_chat_without_any_model_offers_the_owner_settings_models(
    qtbot: Any, workspace: Backend, make_window: Callable[[], MainWindow]
) -> None:
    """A workspace with no model: Chat says so instead of pointing at Studio, hides the
    message box, and its button opens Settings › Models."""
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    shell = window.shell
    assert shell is not None
    chat = shell.show_screen("chat")
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    pane = chat.pane  # type: ignore[attr-defined]
    assert "No model yet" in pane.empty.text()
    assert pane.empty_action.isVisibleTo(window) and not pane.composer.isVisibleTo(window)
    pane.empty_action.click()
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    settings = shell.views["settings"]
    assert shell.stack.currentWidget() is settings
    assert settings.pages[settings.sections.currentRow()].key == "models"  # type: ignore[attr-defined]
