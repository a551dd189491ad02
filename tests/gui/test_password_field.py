"""The password widget in the Members dialogs: the rules up front, and a refused
password's reason said once (on the strength line), not twice."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QPushButton

from desktop.core.policy import PASSWORD_MIN
from desktop.ui.context import UiContext
from desktop.ui.members import MembersView
from desktop.ui.members_dialogs import AddMemberDialog
from desktop.ui.plain import PlainLabel


def _add_member_dialog(qtbot: Any, ctx: UiContext) -> AddMemberDialog:
    view = MembersView(ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1 and not ctx.runner.busy)
    view.findChild(QPushButton, "addMember").click()
    dialog = view.findChild(AddMemberDialog)
    assert dialog is not None
    return dialog


def test_add_member_says_why_a_password_is_refused_once(qtbot: Any, owner_ctx: UiContext) -> None:
    dialog = _add_member_dialog(qtbot, owner_ctx)
    assert str(PASSWORD_MIN) in dialog.passwords.rules.text()
    dialog.username.setText("mika")
    dialog.passwords.password.setText("password1234")
    dialog.passwords.confirm.setText("password1234")
    qtbot.waitUntil(lambda: "common" in dialog.passwords.strength.text())
    reason = dialog.passwords.strength.text()
    dialog.submit_button.click()
    qtbot.waitUntil(lambda: dialog.submit_button.isEnabled() and not owner_ctx.runner.busy)
    shown = [
        label.text()
        for label in dialog.findChildren(PlainLabel)
        if label.isVisibleTo(dialog) and label.text()
    ]
    assert shown.count(reason) == 1, shown
    dialog.reject()
