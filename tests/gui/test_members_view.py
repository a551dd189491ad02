"""The Members screen over fakes: adding a member through the dialog (passwords never
echo, strength feedback, mismatch inline), disabling, a role change that waits for the
Owner's approval, what an Admin may not touch, ownership transfer, and no access for a
Member. Every result is checked through the services afterwards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton

from desktop.core.models import Role, UserStatus
from desktop.core.workspace_policy import Policy
from desktop.ui.context import Backend, UiContext
from desktop.ui.members import MembersView
from desktop.ui.members_dialogs import (
    AddMemberDialog,
    ChangeRoleDialog,
    ConfirmDialog,
    ResetPasswordDialog,
)
from desktop.ui.members_model import MemberRow, allowed_actions
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as

NEW_PASSWORD = "copper lantern orbit meadow"


def _users(backend: Backend) -> dict[str, Any]:
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        return {u.username: u for u in ws.accounts.list_users(owner)}


def _view(qtbot: Any, ctx: UiContext, rows: int) -> MembersView:
    view = MembersView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows and not ctx.runner.busy)
    return view


def _click(qtbot: Any, view: MembersView, name: str) -> None:
    """Press a button the way a user could: only one that is shown and enabled."""
    button = view.findChild(QPushButton, name)
    assert button.isVisibleTo(view) and button.isEnabled(), name
    button.click()


def _settle(qtbot: Any, ctx: UiContext) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy)


@pytest.fixture
def staff(workspace: Backend) -> None:
    """Ada (Admin) and Mo (Member); role changes an Admin raises need approval."""
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        ws.policies.set(owner, Policy.ROLE_APPROVAL, True)


def test_add_member_through_the_dialog_then_disable_and_reset_password(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    view = _view(qtbot, owner_ctx, 1)
    _click(qtbot, view, "addMember")
    dialog = view.findChild(AddMemberDialog)
    fields = dialog.passwords
    assert {
        f.echoMode() for f in dialog.findChildren(QLineEdit) if "assword" in f.objectName()
    } == {QLineEdit.EchoMode.Password}
    dialog.username.setText("mika")
    dialog.display_name.setText("Mika Tanaka")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.EDITOR.value))
    fields.password.setText("short")
    qtbot.waitUntil(lambda: "too short" in fields.strength.text() and not owner_ctx.runner.busy)
    fields.password.setText(NEW_PASSWORD)
    qtbot.waitUntil(lambda: "Strong enough" in fields.strength.text())
    _settle(qtbot, owner_ctx)
    assert NEW_PASSWORD not in fields.strength.text()
    fields.confirm.setText(NEW_PASSWORD + "!")
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.message.text() and dialog.isVisible()
    fields.confirm.setText(NEW_PASSWORD)
    with qtbot.waitSignal(dialog.did_finish, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2 and not owner_ctx.runner.busy)
    assert view.message.text() == "Added mika."
    mika = _users(workspace)["mika"]
    assert (mika.role, mika.display_name, mika.status) == (
        Role.EDITOR,
        "Mika Tanaka",
        UserStatus.ACTIVE,
    )

    view.select("mika")
    assert view.actions_["status"].text() == "Disable"
    _click(qtbot, view, "toggleStatus")
    qtbot.waitUntil(lambda: view.model.index(1, 3).data() == "Disabled")
    _settle(qtbot, owner_ctx)
    assert _users(workspace)["mika"].status is UserStatus.DISABLED
    assert view.selected().username == "mika" and view.actions_["status"].text() == "Enable"

    _click(qtbot, view, "resetPassword")
    reset = view.findChild(ResetPasswordDialog)
    reset.passwords.password.setText("river candle harbor spruce")
    reset.passwords.confirm.setText("river candle harbor spruce")
    with qtbot.waitSignal(reset.did_finish, timeout=10_000):
        qtbot.mouseClick(reset.submit_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, owner_ctx)
    _click(qtbot, view, "toggleStatus")  # enable again, then sign in with the new password
    qtbot.waitUntil(lambda: view.model.index(1, 3).data() == "Active")
    _settle(qtbot, owner_ctx)
    with open_direct(workspace) as ws:
        assert ws.accounts.authenticate("mika", "river candle harbor spruce").role is Role.EDITOR


def test_an_admins_role_change_waits_for_the_owners_approval(
    qtbot: Any,
    staff: None,
    owner_ctx: UiContext,
    workspace: Backend,
    make_ctx: Callable[[], UiContext],
) -> None:
    admin_ctx = make_ctx()
    admin_ctx.attach()
    sign_in_as(admin_ctx, workspace, "ada")
    admin_view = _view(qtbot, admin_ctx, 3)
    assert not admin_view.actions_["transfer"].isVisibleTo(admin_view)
    admin_view.select("owner")  # the Admin may not touch the Owner
    assert not any(admin_view.actions_[k].isEnabled() for k in ("role", "status", "password"))
    admin_view.select("mo")
    _click(qtbot, admin_view, "changeRole")
    dialog = admin_view.findChild(ChangeRoleDialog)
    dialog.role.setCurrentIndex(dialog.role.findData(Role.EDITOR.value))
    with qtbot.waitSignal(dialog.did_finish, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: admin_view.requests_box.isVisibleTo(admin_view))
    _settle(qtbot, admin_ctx)
    assert "takes effect when the Owner approves" in admin_view.message.text()
    assert not admin_view.approve_button.isVisibleTo(admin_view)
    assert _users(workspace)["mo"].role is Role.MEMBER

    owner_view = _view(qtbot, owner_ctx, 3)
    assert owner_view.requests_box.isVisibleTo(owner_view)
    assert owner_view.requests.item(0, 0).text() == "mo"
    assert owner_view.requests.item(0, 1).text() == "Member → Editor"
    _click(qtbot, owner_view, "approveRole")
    qtbot.waitUntil(lambda: not owner_view.requests_box.isVisibleTo(owner_view))
    _settle(qtbot, owner_ctx)
    assert owner_view.message.text() == "Role change of mo approved."
    assert _users(workspace)["mo"].role is Role.EDITOR


def test_transfer_ownership_needs_the_name_typed(
    qtbot: Any, staff: None, owner_ctx: UiContext, workspace: Backend
) -> None:
    view = _view(qtbot, owner_ctx, 3)
    view.select("ada")
    assert view.actions_["transfer"].isEnabled()
    _click(qtbot, view, "transferOwnership")
    dialog = view.findChild(ConfirmDialog)
    assert not dialog.submit_button.isEnabled()
    dialog.confirm_text.setText("ad")
    assert not dialog.submit_button.isEnabled()
    dialog.confirm_text.setText("ada")
    with qtbot.waitSignal(dialog.did_finish, timeout=10_000):
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.index(0, 2).data() == "Admin")
    _settle(qtbot, owner_ctx)
    users = _users(workspace)
    assert (users["ada"].role, users["owner"].role) == (Role.OWNER, Role.ADMIN)
    assert owner_ctx.peek_actor().role is Role.ADMIN
    assert not view.actions_["transfer"].isVisibleTo(view)


def test_a_member_cannot_manage_members(
    qtbot: Any, staff: None, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "mo")
    view = MembersView(ctx)
    qtbot.addWidget(view)
    view.activate()
    assert view.denied.isVisibleTo(view) and not view.table.isVisibleTo(view)
    assert not view.add_button.isVisibleTo(view)
    assert not ctx.runner.busy


def test_allowed_actions_mirror_the_service_rules() -> None:
    from desktop.core.models import Actor

    owner = Actor(1, "owner", Role.OWNER)
    admin = Actor(2, "ada", Role.ADMIN)

    def row(user_id: int, role: Role, **kw: Any) -> MemberRow:
        base = {"totp": False, "failures": 0, "locked_until": None, "status": UserStatus.ACTIVE}
        return MemberRow(user_id, f"u{user_id}", "", role, **{**base, **kw})

    assert allowed_actions(admin, row(1, Role.OWNER, totp=True)) == set()
    assert allowed_actions(admin, row(1, Role.OWNER, failures=3)) == {"unlock"}
    assert allowed_actions(admin, row(2, Role.ADMIN, totp=True)) == {"password", "totp"}
    assert allowed_actions(admin, row(3, Role.ADMIN)) == {"role", "status", "password"}
    assert "transfer" in allowed_actions(owner, row(3, Role.MEMBER))
    assert "transfer" not in allowed_actions(owner, row(3, Role.MEMBER, status=UserStatus.DISABLED))
