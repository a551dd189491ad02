"""Usage > Set limits… (Owner): set and clear a user's, app's or model's limit through
the same service as ``kura limits``; the card shows it at once, the change is audited,
a model takes only "answers at once", a bad name is one line inline; an Admin (who sees
usage) has no button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from desktop.core.models import Role
from desktop.ui.context import Backend, UiContext
from desktop.ui.usage import UsageView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as


def _user(backend: Backend, name: str, role: Role) -> None:
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, name, role, PEOPLE_PASSWORD)


def _view(qtbot: Any, ctx: UiContext) -> UsageView:
    view = UsageView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not ctx.runner.busy)
    return view


def _rows(view: UsageView) -> list[tuple[str, str]]:
    table = view.limits.table
    return [(table.item(r, 0).text(), table.item(r, 2).text()) for r in range(table.rowCount())]


def test_the_owner_sets_and_clears_a_limit_from_the_usage_screen(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    _user(workspace, "mo", Role.MEMBER)
    view = _view(qtbot, owner_ctx)
    assert view.edit_limits.isVisibleTo(view) and not view.limits.isVisibleTo(view)
    qtbot.mouseClick(view.edit_limits, Qt.MouseButton.LeftButton)
    editor = view.limits_editor
    assert editor is not None
    editor.name.setText("mo")
    editor.kind.setCurrentIndex(editor.kind.findData("tokens_per_day"))
    editor.value.setValue(1500)
    qtbot.mouseClick(editor.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(view) == [("User mo", "0 of 1,500 (0%)")], timeout=10_000)
    assert editor.message.text() == "Set: Tokens per day for mo: 1,500."
    assert view.limits.isVisibleTo(view)

    editor.scope.setCurrentIndex(editor.scope.findData("model"))
    assert [editor.kind.itemData(i) for i in range(editor.kind.count())] == ["concurrent"]
    editor.name.setText("no-such-model")
    qtbot.mouseClick(editor.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.set_button.isEnabled() and bool(editor.message.text()))
    assert "no-such-model" in editor.message.text() and "\n" not in editor.message.text()
    assert editor.message.property("kind") == "error"

    editor.scope.setCurrentIndex(editor.scope.findData("user"))
    editor.name.setText("mo")
    editor.kind.setCurrentIndex(editor.kind.findData("tokens_per_day"))
    qtbot.mouseClick(editor.clear_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.limits.uses == [] and not owner_ctx.runner.busy, timeout=10_000)
    assert editor.message.text() == "Cleared: mo has no limit on Tokens per day now."
    assert not view.limits.isVisibleTo(view)
    with open_direct(workspace) as ws, ws.store.transaction() as tx:
        changes = [
            (e.action, e.actor) for e in tx.audit.iter_events() if e.action.startswith("limits.")
        ]
    assert changes == [("limits.set", "owner"), ("limits.cleared", "owner")]
    editor.reject()
    qtbot.waitUntil(lambda: view.limits_editor is None)


def test_an_admin_sees_usage_but_cannot_change_limits(
    qtbot: Any, workspace: Backend, make_ctx: Callable[[], UiContext]
) -> None:
    _user(workspace, "ada", Role.ADMIN)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    view = _view(qtbot, ctx)
    assert not view.edit_limits.isVisibleTo(view)
