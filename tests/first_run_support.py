"""Drives the real first-run wizard (offscreen) on a fresh data dir to the first
streamed token of an answer in General chat; shared by the real-model GUI test and the
first-run benchmark. Returns the machine time of each phase (typing is instant here)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from desktop.ui.chat.view import ChatView
from desktop.ui.context import Backend, UiContext
from desktop.ui.main_window import MainWindow
from desktop.ui.recovery import RecoveryKeyDialog
from tests.fakes import MemoryKeyStore

PASSPHRASE = "correct horse battery staple 蔵"
QUESTION = "What is the capital of Japan? Answer in one word."
LONG = 600_000  # ms: a real model on two cores


def first_run_to_first_token(
    qtbot: Any, monkeypatch: Any, data_dir: Path, demo_model: Path
) -> tuple[dict[str, float], ChatView, MainWindow]:
    monkeypatch.setattr(RecoveryKeyDialog, "exec", lambda dialog: 1)
    backend = Backend(
        data_dir=data_dir, key_store_factory=MemoryKeyStore, demo_model=lambda: demo_model
    )
    ctx = UiContext(backend)
    times: dict[str, float] = {}
    started = time.perf_counter()
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.start()
    wizard = win.wizard
    assert wizard is not None
    qtbot.waitUntil(wizard.keyring_next.isEnabled, timeout=LONG)
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(PASSPHRASE)
    wizard.owner_confirm.setText(PASSPHRASE)
    wizard.create_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=LONG)
    times["workspace created"] = time.perf_counter() - started
    wizard.show_key_button.click()
    wizard.demo_button.click()
    qtbot.waitUntil(lambda: win.shell is not None, timeout=LONG)
    times["model registered, General chat ready"] = time.perf_counter() - started
    chat = win.shell.views["chat"]  # type: ignore[union-attr]
    assert isinstance(chat, ChatView)
    qtbot.waitUntil(lambda: chat._app is not None, timeout=LONG)
    chat.composer.setPlainText(QUESTION)
    chat.send_button.click()
    qtbot.waitUntil(
        lambda: (
            bool(chat.transcript.answers)
            and bool(chat.transcript.answers[-1].streamed.strip())  # not the "…" shown first
        ),
        timeout=LONG,
    )
    times["first streamed token"] = time.perf_counter() - started
    qtbot.waitUntil(lambda: not chat.streaming, timeout=LONG)
    times["answer complete"] = time.perf_counter() - started
    return times, chat, win
