"""A citation marker in a stored answer opens its passage and document version, only for
the user who asked and only while they may read the knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import NotFound
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Actor
from tests.fakes import FakeChatModel, MemorySource


def _helper_app(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, kb_id: int) -> int:
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    model = ws.models.register(people["owner"], str(model_file), name="m")
    cfg = AppConfig(name="helper", model_id=model.id, kb_ids=(kb_id,))
    return ws.apps.create(people["eve"], cfg).id


def test_a_cited_passage_opens_with_its_document_version(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    ada, mo = people["ada"], people["mo"]
    kb = ws.knowledge.create(ada, "manuals", visibility=KbVisibility.ALL)
    text = "The pump restarts after PRESSURE-CANARY is cleared."
    ws.knowledge.ingest(ada, kb.id, [MemorySource("pump.txt", text.encode())])
    app_id = _helper_app(ws, people, tmp_path, kb.id)
    fake.replies = [["Clear it first [1]."]]
    turn = ws.chat.send(mo, app_id, "How does the pump restart?").turn

    passage = ws.chat.passage(mo, turn.id, 1)
    assert passage.text.endswith(text) and passage.document == "pump.txt"
    assert (passage.version, passage.active, passage.cited) == (1, True, True)
    assert passage.kb_name == "manuals"

    ws.knowledge.ingest(ada, kb.id, [MemorySource("pump.txt", b"A rewritten manual.")])
    old = ws.chat.passage(mo, turn.id, 1)  # the version the answer saw, no longer active
    assert old.version == 1 and not old.active and "PRESSURE-CANARY" in old.text

    with pytest.raises(NotFound):
        ws.chat.passage(mo, turn.id, 2)
    with pytest.raises(NotFound) as err:
        ws.chat.passage(people["mia"], turn.id, 1)  # someone else's answer
    assert "CANARY" not in str(err.value)


def test_a_knowledge_base_made_private_hides_its_passages(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    ada, mo = people["ada"], people["mo"]
    kb = ws.knowledge.create(ada, "team", visibility=KbVisibility.ALL)
    ws.knowledge.ingest(ada, kb.id, [MemorySource("plan.txt", b"The plan is SECRET-CANARY.")])
    app_id = _helper_app(ws, people, tmp_path, kb.id)
    fake.replies = [["See [1]."]]
    turn = ws.chat.send(mo, app_id, "What is the plan?").turn
    assert "SECRET-CANARY" in ws.chat.passage(mo, turn.id, 1).text
    ws.knowledge.update(ada, kb.id, {"visibility": KbVisibility.ONLY_ME})
    with pytest.raises(NotFound) as err:
        ws.chat.passage(mo, turn.id, 1)
    assert "CANARY" not in str(err.value)


def test_log_reviewers_read_every_passage_a_turn_was_given(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    from desktop.core.errors import PermissionDenied

    ada, mo = people["ada"], people["mo"]
    kb = ws.knowledge.create(ada, "manuals", visibility=KbVisibility.ALL)
    ws.knowledge.ingest(
        ada, kb.id, [MemorySource("valve.txt", b"Close VALVE-CANARY before service.")]
    )
    app_id = _helper_app(ws, people, tmp_path, kb.id)
    fake.replies = [["Close it [1]."]]
    turn = ws.chat.send(mo, app_id, "How do I service the valve?").turn

    passages = ws.logs.trace_passages(ada, turn.id)  # an Admin reviewing Mo's turn
    assert [(p.marker, p.document, p.version) for p in passages] == [(1, "valve.txt", 1)]
    assert "VALVE-CANARY" in passages[0].text
    with pytest.raises(PermissionDenied):
        ws.logs.trace_passages(mo, turn.id)
    with pytest.raises(NotFound):
        ws.logs.trace_passages(ada, turn.id + 999)
