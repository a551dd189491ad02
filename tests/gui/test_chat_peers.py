"""The chat pane like its peers: the model's name and the memory it will need, its load
progress while it loads, the time to the first token and the speed under each answer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.core.chat_models import GgufInfo, LoadSettings
from desktop.ui.chat import ChatView
from desktop.ui.chat.messages import AnswerBubble
from desktop.ui.context import Backend
from desktop.ui.main_window import MainWindow
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct
from tests.gui.test_chat_view import _make_app, _open, _wait_answer, view  # noqa: F401
from tests.gui.test_main_window import _sign_in, make_window  # noqa: F401


class LoadingFakeChat(FakeChatModel):
    """Reports load progress, as the model host's adapter does, on its first load."""

    def __init__(self) -> None:
        super().__init__()
        self._listener: Callable[[float], None] | None = None

    @contextmanager
    def watch_load(self, listener: Callable[[float], None]) -> Iterator[None]:
        self._listener = listener
        try:
            yield
        finally:
            self._listener = None

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        if self._listener is not None and self.loaded_sha256() != sha256:
            for fraction in (0.0, 0.42, 1.0):
                self._listener(fraction)
        super().load(path, sha256, settings, info)


@pytest.fixture
def fake_chat() -> FakeChatModel:
    return LoadingFakeChat()


def test_chat_names_the_model_shows_its_load_progress_and_time_to_first_token(
    qtbot: Any,
    view: ChatView,  # noqa: F811
    workspace: Backend,
    tmp_path: Path,
    fake_chat: FakeChatModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _make_app(workspace, tmp_path)
    _open(qtbot, view)
    header = view.pane.model_label
    assert header.isVisibleTo(view) and "tiny" in header.text()
    assert "needs about" in header.text() and "MB" in header.text()

    statuses: list[str] = []
    original = AnswerBubble.show_status

    def spy(bubble: AnswerBubble, text: str) -> None:
        statuses.append(text)
        original(bubble, text)

    monkeypatch.setattr(AnswerBubble, "show_status", spy)
    fake_chat.replies = [["Hello"]]
    qtbot.keyClicks(view.composer, "Hi")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    answer = _wait_answer(qtbot, view)
    assert any("tiny" in s and "42%" in s and "needs about" in s for s in statuses)
    meta = answer.meta.text()
    assert "First token after" in meta and "ms" in meta


def test_shortcuts_open_a_new_chat_and_settings_only_while_the_workspace_shows(
    qtbot: Any,
    workspace: Backend,
    make_window: Callable[[], MainWindow],  # noqa: F811
) -> None:
    window = make_window()
    window.start()
    _sign_in(qtbot, window, "owner")
    shell = window.shell
    assert shell is not None
    keys = {name: s.key().toString() for name, s in window.shortcuts.items()}
    assert keys == {"lock": "Ctrl+L", "new_chat": "Ctrl+N", "settings": "Ctrl+,"}
    assert "Ctrl+N" in shell.buttons["chat"].toolTip()
    assert "Ctrl+," in shell.buttons["settings"].toolTip()
    shell.show_screen("members")
    window.shortcuts["settings"].activated.emit()
    assert shell.stack.currentWidget() is shell.views["settings"]
    window.shortcuts["new_chat"].activated.emit()
    assert shell.stack.currentWidget() is shell.views["chat"]
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)
    shell.lock_button.click()
    window.shortcuts["settings"].activated.emit()
    assert window.pages.currentWidget() is window.login
    assert shell.stack.currentWidget() is shell.views["chat"]


def test_conversation_exports_to_markdown_and_straight_to_pdf(
    qtbot: Any,
    view: ChatView,  # noqa: F811
    workspace: Backend,
    tmp_path: Path,
    fake_chat: FakeChatModel,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    _make_app(workspace, tmp_path, name="tea")
    _open(qtbot, view)
    view.pane.export_button._enable_actions()  # before the first message: nothing to export
    assert not any(a.isEnabled() for a in view.pane.export_button.menu().actions())
    fake_chat.replies = [["Use **80 °C** water.\n\n```\nheat(80)\n```"]]
    qtbot.keyClicks(view.composer, "How hot?")
    qtbot.keyClick(view.composer, Qt.Key.Key_Return)
    _wait_answer(qtbot, view)
    target = tmp_path / "out"
    target.mkdir()
    asked: list[Any] = []

    def save(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(args[5] if len(args) > 5 else kwargs.get("options"))
        return str(target / args[2]), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    button = view.pane.export_button
    assert button.isVisibleTo(view) and len(button.menu().actions()) == 3
    # the conversation's title names the file
    qtbot.waitUntil(lambda: button.title() == "How hot?")
    button.export_markdown()
    markdown = target / "How hot_.md"
    qtbot.waitUntil(markdown.exists)
    text = (target / "How hot_.md").read_text(encoding="utf-8")
    assert text.startswith("# How hot?\n") and "> How hot?" in text and "**80 °C**" in text
    assert "heat(80)" in text
    button.export_pdf()
    qtbot.waitUntil(lambda: (target / "How hot_.pdf").exists() and not view.ctx.runner.busy)
    assert (target / "How hot_.pdf").read_bytes().startswith(b"%PDF")
    names = sorted(p.name for p in target.iterdir())
    assert names == ["How hot_.md", "How hot_.pdf"]  # no temp files
    assert all(o & QFileDialog.Option.DontUseNativeDialog for o in asked)
    # each export is an audited action of its user
    with open_direct(workspace) as ws, ws.store.transaction() as tx:
        exported = [
            (e.actor, (e.payload or {}).get("target"))
            for e in tx.audit.iter_events()
            if e.action == "conversation.exported"
        ]
    assert exported == [("owner", "markdown"), ("owner", "pdf")]
