"""Sign-in, TOTP, lock and unlock at the window level."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.login import LoginView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct


def _submit(qtbot: Any, view: LoginView, user: str, password: str) -> None:
    view.username.setText(user)
    view.password.setText(password)
    view.submit.click()


def test_wrong_password_shows_inline_error_and_clears_field(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    view = LoginView(ctx)
    qtbot.addWidget(view)
    _submit(qtbot, view, "owner", "not the passphrase")
    qtbot.waitUntil(view.submit.isEnabled)
    assert not ctx.signed_in
    assert view.message.text() and not view.message.isHidden()
    assert view.password.text() == ""


def test_sign_in_then_totp_then_session(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    import pyotp

    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
        enrollment = ws.totp.begin(mo)
        ws.totp.confirm(mo, pyotp.TOTP(enrollment.secret).at(workspace.clock.now()))
    ctx = make_ctx()
    ctx.attach()
    view = LoginView(ctx)
    qtbot.addWidget(view)
    with qtbot.assertNotEmitted(view.signed_in):
        _submit(qtbot, view, "mo", PEOPLE_PASSWORD)
        qtbot.waitUntil(lambda: not view.code.isHidden())
    assert view.password.text() == PEOPLE_PASSWORD  # kept for the second step
    workspace.clock.advance(seconds=60)
    view.code.setText(pyotp.TOTP(enrollment.secret).at(workspace.clock.now()))
    with qtbot.waitSignal(view.signed_in, timeout=10_000):
        view.submit.click()
    assert ctx.peek_actor() is not None and ctx.peek_actor().username == "mo"
    assert view.password.text() == "" and view.code.text() == ""


def test_idle_timeout_locks_and_unlock_prefills_user(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    window.start()
    ctx = window.ctx
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        _submit(qtbot, window.login, "owner", PEOPLE_PASSWORD)
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy)
    assert ctx.session is not None
    workspace.clock.advance(seconds=ctx.session.idle_timeout.total_seconds() + 1)
    with qtbot.waitSignal(ctx.session_did_lock):
        ctx._on_idle_tick()  # what the idle timer does
    assert not ctx.signed_in
    assert window.pages.currentWidget() is window.login  # the workspace is hidden
    assert window.login.username.text() == "owner" and window.login.password.text() == ""
    assert "without activity" in window.login.subtitle.text()
    window.close()


def test_locking_by_hand_says_it_was_locked_not_idle(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    window.start()
    ctx = window.ctx
    with qtbot.waitSignal(window.login.signed_in, timeout=10_000):
        _submit(qtbot, window.login, "owner", PEOPLE_PASSWORD)
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy)
    with qtbot.waitSignal(ctx.session_did_lock):
        window.shell.lock_button.click()
    subtitle = window.login.subtitle.text()
    assert "without activity" not in subtitle and "locked the window" in subtitle
    window.close()
