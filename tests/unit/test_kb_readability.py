"""One readability rule for knowledge bases, on every path that returns their text,
names, ids or statistics: the log trace, full-text scores, names and app details.

Real SQLCipher storage, parser, chunker and FTS5; a hash embedder and a fake chat model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.errors import AlreadyExists, InputError, NotFound
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor, TraceFilter
from tests.fakes import FakeChatModel, MemorySource


def txt(name: str, text: str) -> MemorySource:
    return MemorySource(name, text.encode("utf-8"))


def _model(ws: app.Workspace, owner: Actor, tmp_path: Path) -> int:
    model_file = tmp_path / "m.gguf"
    model_file.write_bytes(b"GGUF" + b"\0" * 32)
    return ws.models.register(owner, str(model_file), name="m").id


def test_the_log_trace_leaves_out_passages_an_admin_may_not_read(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    owner, ada = people["owner"], people["ada"]
    private = ws.knowledge.create(owner, "owner-only")  # only_me
    ws.knowledge.ingest(owner, private.id, [txt("salaries.txt", "Bonus pool: PAY-CANARY.")])
    shared = ws.knowledge.create(owner, "handbook", visibility=KbVisibility.ALL)
    ws.knowledge.ingest(owner, shared.id, [txt("hours.txt", "Office hours: PAY-CANARY.")])
    config = AppConfig(
        name="hr", model_id=_model(ws, owner, tmp_path), kb_ids=(private.id, shared.id)
    )
    app_id = ws.apps.create(owner, config).id
    fake.replies = [["See [1] and [2]."]]
    turn = ws.chat.send(owner, app_id, "PAY-CANARY").turn

    mine = ws.logs.trace_passages(owner, turn.id)
    assert {p.document for p in mine} == {"salaries.txt", "hours.txt"}
    seen = ws.logs.trace_passages(ada, turn.id)  # an Admin reviewing the Owner's turn
    assert [(p.kb_name, p.document) for p in seen] == [("handbook", "hours.txt")]
    assert all("Bonus" not in p.text for p in seen)


def test_the_trace_list_hides_what_locates_an_unreadable_knowledge_bases_passages(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> None:
    owner, ada = people["owner"], people["ada"]
    private = ws.knowledge.create(owner, "owner-only")  # only_me
    ws.knowledge.ingest(owner, private.id, [txt("salaries.txt", "Bonus pool: PAY-CANARY.")])
    shared = ws.knowledge.create(owner, "handbook", visibility=KbVisibility.ALL)
    ws.knowledge.ingest(owner, shared.id, [txt("hours.txt", "Office hours: PAY-CANARY.")])
    config = AppConfig(
        name="hr", model_id=_model(ws, owner, tmp_path), kb_ids=(private.id, shared.id)
    )
    app_id = ws.apps.create(owner, config).id
    fake.replies = [["See [1] and [2]."]]
    ws.chat.send(owner, app_id, "PAY-CANARY")

    def retrieved(actor: Actor) -> list[dict[str, object]]:
        (trace,) = ws.logs.traces(actor, TraceFilter())
        return list(trace["trace"]["retrieved"])

    assert {r["document"] for r in retrieved(owner)} == {"salaries.txt", "hours.txt"}
    seen = retrieved(ada)  # the Admin reviewing the Owner's turn
    assert [r.get("document") for r in seen if not r.get("hidden")] == ["hours.txt"]
    hidden = [r for r in seen if r.get("hidden")]
    assert len(hidden) == 1 and set(hidden[0]) == {"marker", "cited", "hidden"}
    assert "salaries" not in repr(seen) and str(private.id) not in repr(
        [r.get("kb_id") for r in seen]
    )


def test_a_members_fulltext_scores_ignore_hidden_knowledge_bases(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    owner, ada, mo = people["owner"], people["ada"], people["mo"]
    team = ws.knowledge.create(ada, "team", visibility=KbVisibility.ALL)
    ws.knowledge.ingest(
        ada,
        team.id,
        [
            txt("a.txt", "The zeppelin manual covers mooring."),
            txt("b.txt", "The quartz clock needs a battery."),
            txt("c.txt", "Lunch is served at noon."),
        ],
    )

    def scores() -> list[tuple[str, float]]:
        hits = ws.knowledge.search(mo, team.id, "zeppelin quartz", mode=RetrievalMode.FULLTEXT)
        return [(h.chunk.document, round(h.score, 9)) for h in hits]

    before = scores()
    assert {d for d, _ in before} == {"a.txt", "b.txt"}
    hidden = ws.knowledge.create(owner, "private")  # only_me: Mo cannot see it
    ws.knowledge.ingest(
        owner,
        hidden.id,
        [txt(f"z{i}.txt", f"zeppelin note {i} about the zeppelin fleet") for i in range(12)],
    )
    assert scores() == before  # nothing about the hidden knowledge base shows


def test_a_name_used_only_by_a_hidden_knowledge_base_is_free(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    owner, ada, mo = people["owner"], people["ada"], people["mo"]
    theirs = ws.knowledge.create(owner, "notes")  # only_me
    mine = ws.knowledge.create(ada, "notes", visibility=KbVisibility.ALL)
    assert mine.id != theirs.id
    with pytest.raises(AlreadyExists):
        ws.knowledge.create(ada, "NOTES")  # her own name is taken
    assert ws.knowledge.get(ada, "notes").id == mine.id
    assert ws.knowledge.get(owner, "notes").id == theirs.id  # one's own comes first
    assert ws.knowledge.get(mo, "notes").id == mine.id
    other = ws.knowledge.create(ada, "drafts")
    ws.knowledge.update(ada, other.id, {"name": "Notes2"})
    ws.knowledge.update(owner, theirs.id, {"visibility": KbVisibility.ALL})
    with pytest.raises(InputError) as err:  # two readable, neither Mo's own
        ws.knowledge.get(mo, "notes")
    assert str(theirs.id) in str(err.value) and str(mine.id) in str(err.value)
    with pytest.raises(NotFound):
        ws.knowledge.get(mo, "drafts")


def test_app_details_list_only_the_knowledge_bases_the_actor_may_read(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path
) -> None:
    owner, eve, mo = people["owner"], people["eve"], people["mo"]
    hidden = ws.knowledge.create(owner, "board")  # only_me
    shared = ws.knowledge.create(owner, "handbook", visibility=KbVisibility.ALL)
    config = AppConfig(
        name="hr", model_id=_model(ws, owner, tmp_path), kb_ids=(hidden.id, shared.id)
    )
    made = ws.apps.create(owner, config)
    assert made.config.kb_ids == (hidden.id, shared.id)
    assert ws.apps.show(mo, "hr").config.kb_ids == (shared.id,)
    assert [a.config.kb_ids for a in ws.apps.list(mo)] == [(shared.id,)]
    assert ws.apps.show(mo, "hr", version=1).config.kb_ids == (shared.id,)
    edited = ws.apps.edit(eve, "hr", {"kb_ids": (shared.id,)})  # what the Editor sees
    assert edited.config.kb_ids == (shared.id,)
    assert ws.apps.show(owner, "hr").config.kb_ids == (shared.id, hidden.id)  # kept
