"""Usage limits in the GUI: the Usage screen's limits card lists each limit with what is
used against it (the service's own numbers), stays hidden while none is set, and a chat
turn a limit refuses shows the one-line refusal inline, keeping the question."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.core.chat_models import AppConfig
from desktop.core.limits import LimitKind, LimitScope
from desktop.core.models import Role
from desktop.ui.chat import ChatView
from desktop.ui.context import Backend, UiContext
from desktop.ui.times import local_time
from desktop.ui.usage import UsageView
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct


def _arrange(backend: Backend, tmp_path: Path, fake_chat: FakeChatModel) -> int:
    """Owner, a Member "mo", model "tiny", app "hr"; mo asks one question; limits on mo
    (tokens a day, requests a minute), on "hr" (tokens a month) and "tiny" (at once)."""
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
        mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
        model_id = ws.models.register(owner, str(model), name="tiny").id
        ws.apps.create(owner, AppConfig(name="hr", model_id=model_id))
        fake_chat.replies = [["Twenty ", "days."]]
        turn = ws.chat.send(mo, "hr", "How many vacation days?").turn
        limits = ws.limits
        limits.set_limits(owner, LimitScope.USER, "mo", {LimitKind.TOKENS_PER_DAY: 40})
        limits.set_limits(owner, LimitScope.USER, "mo", {LimitKind.REQUESTS_PER_MINUTE: 1})
        limits.set_limits(owner, LimitScope.APP, "hr", {LimitKind.TOKENS_PER_MONTH: 10_000})
        limits.set_limits(owner, LimitScope.MODEL, "tiny", {LimitKind.CONCURRENT: 2})
        return int(turn.usage["prompt_tokens"] + turn.usage["completion_tokens"])


def _rows(view: UsageView) -> list[list[str]]:
    table = view.limits.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_limits_card_shows_each_limit_against_its_use(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    used = _arrange(workspace, tmp_path, fake_chat)
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: bool(view.limits.uses) and not owner_ctx.runner.busy)
    assert view.limits.isVisibleTo(view)
    share = round(100 * used / 40)
    resets = [u.resets_at for u in view.limits.uses]
    assert _rows(view) == [
        ["User mo", "Tokens per day", f"{used} of 40 ({share}%)", local_time(str(resets[0]))],
        ["User mo", "Requests per minute", "1 of 1 (100%)", local_time(str(resets[1]))],
        ["App hr", "Tokens per month", f"{used} of 10,000 (0%)", local_time(str(resets[2]))],
        ["Model tiny", "Answers at once", "0 of 2 (0%)", "as answers finish"],
    ]
    assert resets[0] == "2026-01-03T00:00:00.000000Z"  # the fixed clock's next UTC day
    reached = view.limits.table.item(1, 2)
    assert reached.font().bold() and "refused" in reached.toolTip()
    assert not view.limits.table.item(3, 2).font().bold()


def test_the_card_is_hidden_without_limits(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend
) -> None:
    view = UsageView(owner_ctx)
    qtbot.addWidget(view)
    view.activate()
    qtbot.waitUntil(lambda: view.report is not None and not owner_ctx.runner.busy)
    assert view.limits.uses == [] and not view.limits.isVisibleTo(view)


def test_a_refused_turn_shows_the_limit_inline(
    qtbot: Any, owner_ctx: UiContext, workspace: Backend, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    _arrange(workspace, tmp_path, fake_chat)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.limits.set_limits(owner, LimitScope.USER, "owner", {LimitKind.TOKENS_PER_DAY: 0})
    chat = ChatView(owner_ctx)
    qtbot.addWidget(chat, before_close_func=lambda w: w.teardown())
    chat.activate()
    qtbot.waitUntil(lambda: chat.transcript.intro is not None and chat._app is not None)
    qtbot.keyClicks(chat.composer, "Still there?")
    qtbot.keyClick(chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not chat.streaming and chat.message.isVisibleTo(chat))
    text = chat.message.text()
    assert "daily token limit of user 'owner' is reached (0 of 0)" in text
    assert "resets at 2026-01-03 00:00:00 UTC" in text and "Owner" in text
    assert "\n" not in text and chat.composer.toPlainText() == "Still there?"
    assert chat.transcript.answers == []
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not owner_ctx.runner.busy)
