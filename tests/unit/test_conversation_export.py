"""Exporting a conversation (Markdown, PDF, print) reads it through the service, which
audits the export in the same transaction; only the conversation's own user may."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import InputError, NotFound
from desktop.core.models import Actor
from tests.fakes import FakeChatModel


def _exports(ws: app.Workspace) -> list[tuple[str, str, dict | None]]:
    with ws.store.transaction() as tx:
        return [
            (e.actor, e.object, e.payload)
            for e in tx.audit.iter_events()
            if e.action == "conversation.exported"
        ]


def test_exporting_a_conversation_is_audited_and_only_its_user_may(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF" + b"\0" * 64)
    ws.models.register(people["owner"], str(path), name="tiny")
    mo = people["mo"]
    _quick, conv = ws.chat.start_quick(mo, "tiny")
    fake.replies = [["Green tea."]]
    ws.chat.send(mo, None, "What is matcha?", conversation_id=conv.id)
    title, turns = ws.chat.export(mo, conv.id, "markdown")
    assert title == "What is matcha?" and [t.answer for t in turns] == ["Green tea."]
    assert _exports(ws) == [
        ("mo", f"conversation:{conv.id}", {"app_id": conv.app_id, "target": "markdown", "turns": 1})
    ]
    with pytest.raises(NotFound):  # someone else's conversation, even the Owner's try
        ws.chat.export(people["owner"], conv.id, "pdf")
    with pytest.raises(InputError) as refused:
        ws.chat.export(mo, conv.id, "docx")
    assert refused.value.code == "conversations.export_target"
    assert len(_exports(ws)) == 1
