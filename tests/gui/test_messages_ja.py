"""Errors in the Japanese window read in Japanese: a wrong password on the sign-in
screen, a weak password in the Add member dialog, and a permission denial when an
Admin's role is taken away on another connection while the dialog is open."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.i18n import Translations
from desktop.ui.login import LoginView
from desktop.ui.members import MembersView
from desktop.ui.members_dialogs import AddMemberDialog
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as

GOOD = "copper lantern orbit meadow"


@pytest.fixture
def japanese(qapp: Any) -> Iterator[None]:
    translations = Translations()
    assert translations.install("ja")
    yield
    translations.install("en")


def test_a_wrong_password_reads_in_japanese(
    qtbot: Any, japanese: None, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    view = LoginView(ctx)
    qtbot.addWidget(view)
    view.username.setText("owner")
    view.password.setText("not the passphrase")
    view.submit.click()
    qtbot.waitUntil(lambda: view.submit.isEnabled() and not ctx.runner.busy)
    assert view.message.text() == (
        "サインインできません: ユーザー名、パスワードまたはコードが違います"
        "（またはアカウントが無効です）"
    )


def _add_member_dialog(qtbot: Any, ctx: UiContext) -> AddMemberDialog:
    view = MembersView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1 and not ctx.runner.busy)
    view.findChild(QPushButton, "addMember").click()
    dialog = view.findChild(AddMemberDialog)
    assert dialog is not None
    return dialog


def test_a_weak_password_reads_in_japanese(
    qtbot: Any, japanese: None, owner_ctx: UiContext
) -> None:
    dialog = _add_member_dialog(qtbot, owner_ctx)
    dialog.username.setText("mika")
    dialog.passwords.password.setText("password1234")
    qtbot.waitUntil(lambda: "よく使われるパスワード" in dialog.passwords.strength.text())
    assert dialog.passwords.strength.text().startswith("このパスワードは使えません")
    dialog.passwords.password.setText("short")
    qtbot.waitUntil(lambda: "パスワードが短すぎます（5 文字）" in dialog.passwords.strength.text())
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
    dialog.reject()


def test_a_permission_denial_reads_in_japanese(
    qtbot: Any, japanese: None, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    dialog = _add_member_dialog(qtbot, ctx)
    dialog.username.setText("mika")
    dialog.passwords.password.setText(GOOD)
    dialog.passwords.confirm.setText(GOOD)
    qtbot.waitUntil(lambda: not ctx.runner.busy)
    with open_direct(workspace) as ws:  # the Owner demotes Ada meanwhile
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.set_role(owner, "ada", Role.MEMBER)
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.message.text()) and not ctx.runner.busy)
    assert dialog.message.text() == (
        "権限がありません: メンバーの役割ではメンバーを管理することはできません。"
        "ワークスペースのオーナーか管理者に依頼してください"
    )
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        assert "mika" not in {u.username for u in ws.accounts.list_users(owner)}
    dialog.reject()
