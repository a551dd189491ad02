"""Whether files were dropped on a conversation (the chat window offers "Read every
document" for such a conversation when it is opened again)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import NotFound
from desktop.core.models import Actor
from tests.fakes import FakeChatModel, MemorySource


def test_has_files_says_whether_files_were_dropped_on_your_own_conversation(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 64)
    ws.models.register(people["owner"], str(model), name="tiny")
    mo, files = people["mo"], ws.knowledge.conversation_files
    _, conv = ws.chat.start_quick(mo, "tiny")
    assert files.has_files(mo, conv.id) is False
    ws.chat.attach_files(mo, conv.id, [MemorySource("keys.txt", b"Locker CANARY-77.")])
    assert files.has_files(mo, conv.id) is True
    _, other = ws.chat.start_quick(mo, "tiny")
    assert files.has_files(mo, other.id) is False
    with pytest.raises(NotFound):  # nobody else learns anything about it
        files.has_files(people["mia"], conv.id)
