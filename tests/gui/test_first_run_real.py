"""The first run with the real components but an in-memory keyring: llama-cpp-python on
the demo GGUF, real Argon2 and SQLCipher, to a streamed answer in General chat without
opening Studio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.first_run_support import first_run_to_first_token

pytestmark = pytest.mark.slow


def test_first_run_with_the_demo_model_streams_an_answer_in_general_chat(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_model_path: Path
) -> None:
    _times, chat, win = first_run_to_first_token(
        qtbot, monkeypatch, tmp_path / "workspace", demo_model_path
    )
    try:
        assert chat._app is not None and chat._app.config.name == "General chat"
        assert chat.transcript.answers[-1].body.toPlainText().strip()
        assert "studio" not in win.shell.views  # type: ignore[union-attr]
    finally:
        win.close()  # waits for running work and stops the model hosts
