"""The whole product through its window, with the real components: a real Secret
Service (gnome-keyring), real SQLCipher, llama-cpp-python on the demo GGUF and the
packaged sentence-transformers model.

First run → register the demo model → a knowledge base from a dropped folder → an app
linked to it in Studio → a chat answer whose citation opens its passage → a signed
bundle exported from Logs that verifies offline.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QPlainTextEdit, QPushButton

from desktop import app
from desktop.core.chat_models import StopReason
from desktop.core.knowledge_models import KbVisibility
from desktop.ui.context import Backend, UiContext
from desktop.ui.main_window import MainWindow
from desktop.ui.recovery import RecoveryKeyDialog
from desktop.verifier import bundle_verify
from tests.integration.cli_support import require_secret_service
from tests.integration.test_model_host import mapped_runtimes

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

PASSPHRASE = "correct horse battery staple 蔵"
FACT = "The night shift badge colour at the Sendai plant is orange."
LONG = 600_000  # ms: a real model on two cores


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, demo_model_path: Path) -> Iterator[MainWindow]:
    require_secret_service()
    backend = Backend(
        data_dir=tmp_path / "workspace",
        key_store_factory=app.default_key_store,
        demo_model=lambda: demo_model_path,
    )
    ctx = UiContext(backend)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    win.close()
    key_store = app.default_key_store()
    if (backend.data_dir / app.SLOTS_NAME).exists():  # leave no keyring item behind
        from desktop.security.keyslots import WorkspaceKeys

        WorkspaceKeys(backend.data_dir / app.SLOTS_NAME, key_store, backend.clock).forget()


def _idle(qtbot: Any, ctx: UiContext, timeout: int = LONG) -> None:
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=timeout)


def _first_run(qtbot: Any, win: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    def store_key(dialog: RecoveryKeyDialog) -> int:
        assert len(dialog.findChild(QPlainTextEdit).toPlainText()) > 20
        dialog._stored.setChecked(True)
        dialog.accept()
        return 1

    monkeypatch.setattr(RecoveryKeyDialog, "exec", store_key)
    win.start()
    wizard = win.wizard
    assert wizard is not None
    qtbot.waitUntil(wizard.keyring_next.isEnabled, timeout=60_000)
    # the real keyring, named as people know it (not its class path)
    assert "GNOME Keyring (Secret Service)" in wizard.keyring_status.text()
    assert "keyring.backends" not in wizard.keyring_status.text()
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(PASSPHRASE)
    wizard.owner_confirm.setText(PASSPHRASE)
    wizard.create_button.click()
    qtbot.waitUntil(lambda: wizard.pages.currentIndex() == 2, timeout=60_000)
    wizard.show_key_button.click()
    wizard.demo_button.click()  # hashes the 253 MB GGUF on the db lane
    qtbot.waitUntil(lambda: win.shell is not None, timeout=LONG)
    _idle(qtbot, win.ctx)


def _knowledge(qtbot: Any, win: MainWindow, docs: Path) -> None:
    view = win.shell.show_screen("knowledge")  # type: ignore[union-attr]
    _idle(qtbot, win.ctx)
    view.new_button.click()
    view.settings.name.setText("Plant handbook")
    view.settings.visibility.setCurrentIndex(
        view.settings.visibility.findData(KbVisibility.ALL.value)
    )
    view.settings.save_button.click()
    qtbot.waitUntil(lambda: view.kb_list.count() == 1, timeout=60_000)
    _idle(qtbot, win.ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(docs))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.ingest.drop_zone.dropEvent(event)
    qtbot.waitUntil(
        lambda: bool(view.ingest.row_states()) and not view.ingest.running, timeout=LONG
    )
    assert {state for _, state in view.ingest.row_states()} == {"stored"}
    _idle(qtbot, win.ctx)


def _studio(qtbot: Any, win: MainWindow) -> None:
    view = win.shell.show_screen("studio")  # type: ignore[union-attr]
    _idle(qtbot, win.ctx)
    view.new_button.click()
    editor = view.editor
    editor.name.setText("Plant helper")
    editor.model.setCurrentIndex(editor.model.findText("demo"))
    editor.instructions.setPlainText("Answer from the handbook passages. Cite them like [1].")
    editor.temperature.setValue(0.0)
    editor.max_tokens.setValue(64)
    editor.opening.setPlainText("Ask me about the plant.")
    assert len(editor.kbs.ids()) == 1
    editor.kbs.set_checked(editor.kbs.ids())
    view.save_button.click()
    qtbot.waitUntil(lambda: view.app_list.count() == 1, timeout=60_000)
    _idle(qtbot, win.ctx)


def _chat(qtbot: Any, win: MainWindow) -> None:
    view = win.shell.show_screen("chat")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: view._app is not None and not win.ctx.runner.busy, timeout=60_000)
    # the wizard made General chat; the handbook app is picked like a user picks it
    picker = view.sidebar.app_picker
    assert picker.itemText(0) == "General chat"
    picker.setCurrentIndex(picker.findText("Plant helper"))
    qtbot.waitUntil(
        lambda: (
            view._app is not None
            and view._app.config.name == "Plant helper"
            and not win.ctx.runner.busy
        ),
        timeout=60_000,
    )
    assert view.send_text("What colour is the night shift badge at the Sendai plant?")
    qtbot.waitUntil(
        lambda: (
            not view.streaming
            and bool(view.transcript.answers)
            and view.transcript.answers[-1].turn is not None
        ),
        timeout=LONG,
    )
    answer = view.transcript.answers[-1]
    assert answer.turn.answer.strip()
    chips = answer.findChildren(QPushButton, "citationChip")
    assert chips and "badges.md" in chips[0].text()
    qtbot.mouseClick(chips[0], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.answer_actions.citation_dialog is not None, timeout=60_000)
    dialog = view.answer_actions.citation_dialog
    assert FACT in dialog.text.toPlainText()
    assert "version 1" in dialog.version_label.text()
    dialog.reject()
    _idle(qtbot, win.ctx)


def _chat_through_a_crash(qtbot: Any, win: MainWindow) -> None:
    """The model process dies (SIGSEGV) mid-answer: the window stays, the partial answer
    is kept as a failed turn, an error is shown, and the next question is answered."""
    view = win.shell.show_screen("chat")  # type: ignore[union-attr]
    host = win.ctx.engines().chat_model.host  # type: ignore[attr-defined]
    for _attempt in range(3):  # a reply that ends within the first batch leaves no time
        assert view.send_text("Count from one to sixty in words, one per line.")
        qtbot.waitUntil(lambda: bool(view.transcript.answers[-1].streamed), timeout=LONG)
        if view.streaming and host.pid is not None:
            os.kill(host.pid, signal.SIGSEGV)
        qtbot.waitUntil(lambda: not view.streaming and not win.ctx.runner.busy, timeout=LONG)
        _idle(qtbot, win.ctx)
        turn = view.transcript.answers[-1].turn
        if turn is not None and turn.stop_reason == StopReason.FAILED:
            break
    else:
        pytest.fail("every answer ended before the model process could be stopped")
    assert win.isVisible() and turn.answer  # the partial answer, as stored
    assert "SIGSEGV" in view.message.text() and view.message.isVisible()
    assert view.send_text("What colour is the night shift badge?")
    qtbot.waitUntil(
        lambda: not view.streaming and view.transcript.answers[-1].turn is not None,
        timeout=LONG,
    )
    assert view.transcript.answers[-1].turn.stop_reason != StopReason.FAILED
    _idle(qtbot, win.ctx)


def _export(qtbot: Any, win: MainWindow, out: Path) -> Path:
    view = win.shell.show_screen("logs")  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: view.model.rowCount() >= 1, timeout=60_000)
    dialog = view.open_export()
    try:
        qtbot.waitUntil(dialog.export_button.isEnabled, timeout=60_000)
        dialog.folder.setText(str(out))
        dialog.file_name.setText("audit.zip")
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=LONG)
        assert dialog.fingerprint.text().startswith("SHA256:")
    finally:
        dialog.close()
    _idle(qtbot, win.ctx)
    return out / "audit.zip"


def test_first_run_to_a_verified_bundle(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = tmp_path / "handbook"
    docs.mkdir()
    (docs / "badges.md").write_text(f"# Badges\n\n{FACT}\nDay shift badges are blue.\n")
    (docs / "canteen.md").write_text("# Canteen\n\nThe canteen opens at 11:30 on weekdays.\n")
    out = tmp_path / "out"
    out.mkdir()
    runtimes_before = mapped_runtimes()
    _first_run(qtbot, window, monkeypatch)
    _knowledge(qtbot, window, docs)
    _studio(qtbot, window)
    _chat(qtbot, window)
    # the models ran in the model host: Kura's own process mapped no runtime library
    assert mapped_runtimes() <= runtimes_before
    _chat_through_a_crash(qtbot, window)
    bundle = _export(qtbot, window, out)
    report = bundle_verify.verify_bundle(str(bundle))
    assert report.ok, report

    # nothing readable was left behind: remove the user's own files (the sources and
    # the bundle they exported), then no file under the test's folder holds the text
    for path in [*docs.iterdir(), bundle]:
        path.unlink()
    needles = {
        text.encode(codec)
        for text in ("night shift badge", "Sendai plant", PASSPHRASE)
        for codec in ("utf-8", "utf-16-le", "utf-16-be")
    }
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path.name
