"""What the audit log keeps of a conversation and of a search, and when it lets go.

- A question is audited in the transaction that stores it: a crash before the answer
  leaves a stored question with its ``chat.asked`` event, never one no event mentions.
- Deleting a conversation for good empties its content from the audit payloads too,
  with tombstones a ``retention.purged`` event covers (as a retention purge leaves them).
- Retention also purges the query text of knowledge-base searches.

Each case checks the chain, and a signed bundle through the shipped verifier and
``ssh-keygen``, afterwards. Fake chat model and clock; real SQLCipher and signing.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from desktop import app
from desktop.core.bundle import NAMESPACE
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor, AuditEvent
from desktop.verifier import bundle_verify
from tests.fakes import FakeChatModel, FixedClock, MemorySource
from tests.tools import need

DAY = 86_400


def _events(ws: app.Workspace) -> list[AuditEvent]:
    with ws.store.transaction() as tx:
        return list(tx.audit.iter_events())


def _mentions(events: list[AuditEvent], text: str) -> list[AuditEvent]:
    """Events whose decrypted payload still carries ``text``."""
    return [e for e in events if e.payload is not None and text in json.dumps(e.payload)]


def _check_chain_and_bundle(ws: app.Workspace, owner: Actor, tmp_path: Path) -> int:
    """The chain verifies; so does a fresh bundle, with the shipped verifier and with
    ``ssh-keygen``. Returns the bundle's tombstone count."""
    report = ws.workspace.verify_audit(owner)
    assert report.ok, report.error
    path = tmp_path / "bundle.zip"
    path.write_bytes(ws.logs.export(owner).data)
    result = bundle_verify.verify_bundle(str(path))
    assert result.ok, result.reason
    assert result.facts["tombstones"] == report.tombstones
    where = tmp_path / "bundle"
    with zipfile.ZipFile(path) as bundle:
        bundle.extractall(where)
    identity = (where / "allowed_signers").read_text().split()[0]
    keygen = need("ssh-keygen")
    verify = ["-Y", "verify", "-f", "allowed_signers", "-I", identity, "-n", NAMESPACE]
    with (where / "SHA256SUMS").open("rb") as sums:
        run = subprocess.run(
            [keygen, *verify, "-s", "SHA256SUMS.sig"],
            cwd=where,
            stdin=sums,
            capture_output=True,
        )
    assert run.returncode == 0, run.stderr
    return report.tombstones


# ------------------------------------------------------------------ item 8: the question


def test_a_stored_question_has_its_audit_event_before_any_answer(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], fake: FakeChatModel
) -> None:
    mo = people["mo"]
    on_disk: dict[str, list] = {}  # type: ignore[type-arg]

    def crash(_: int) -> None:
        with ws.store.transaction() as tx:  # what a crash at this moment leaves committed
            convs = tx.conversations.list_for_user(mo.user_id)
            on_disk["turns"] = [t for c in convs for t in tx.conversations.turns(c.id)]
            on_disk["events"] = list(tx.audit.iter_events())
        raise RuntimeError("the model process died")

    fake.replies, fake.on_piece = [["never", "answered"]], crash
    with pytest.raises(RuntimeError):
        ws.chat.send(mo, apps["hr"], "Where is the CANARY-ASKED policy?")
    (stored,) = on_disk["turns"]
    assert stored.user_text == "Where is the CANARY-ASKED policy?" and stored.stop_reason is None
    asked = [e for e in on_disk["events"] if e.action == "chat.asked"]
    assert [e.payload for e in asked] == [
        {
            "app_id": apps["hr"],
            "conversation_id": stored.conversation_id,
            "turn_id": stored.id,
            "input": "Where is the CANARY-ASKED policy?",
        }
    ]
    assert asked[0].object == f"conversation:{stored.conversation_id}"
    # The failure, recorded once the turn is dropped, names the turn it completes.
    (failed,) = [e.payload for e in _events(ws) if e.action == "chat.failed"]
    assert failed is not None and failed["turn_id"] == stored.id


def test_an_answered_question_has_its_asked_event_and_its_trace(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], fake: FakeChatModel
) -> None:
    fake.replies = [["fine"]]
    turn = ws.chat.send(people["mo"], apps["hr"], "How are you?").turn
    events = [e for e in _events(ws) if e.action in ("chat.asked", "chat.turn")]
    assert [e.action for e in events] == ["chat.asked", "chat.turn"]
    assert {e.payload["turn_id"] for e in events if e.payload} == {turn.id}


# ------------------------------------------------------------------ item 12: delete for good


def _rich_conversation(
    ws: app.Workspace, people: dict[str, Actor], apps: dict[str, int], fake: FakeChatModel
) -> int:
    """A conversation whose text (question, answers, title, rating, annotation, a
    failure) carries CANARY-DEL everywhere the audit log could copy it."""
    mo, ada = people["mo"], people["ada"]
    fake.replies = [["CANARY-DEL answer"]]
    first = ws.chat.send(mo, apps["hr"], "CANARY-DEL question")
    conv = first.conversation_id
    fake.replies = [["another CANARY-DEL answer"]]
    ws.chat.send(mo, apps["hr"], "CANARY-DEL follow-up", conversation_id=conv)

    def explode(_: int) -> None:
        raise RuntimeError("the model fell over")

    fake.replies, fake.on_piece = [["lost"]], explode
    with pytest.raises(RuntimeError):
        ws.chat.send(mo, apps["hr"], "CANARY-DEL doomed question", conversation_id=conv)
    fake.on_piece = None
    ws.chat.rename(mo, conv, "CANARY-DEL title")
    ws.logs.rate(mo, first.turn.id, "down", "CANARY-DEL comment")
    ws.logs.annotate(ada, first.turn.id, "CANARY-DEL better answer")
    return conv


def test_deleting_a_conversation_for_good_empties_it_from_the_audit_payloads(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    tmp_path: Path,
) -> None:
    owner, mo = people["owner"], people["mo"]
    conv = _rich_conversation(ws, people, apps, fake)
    fake.replies = [["KEEP-ME answer"]]
    kept = ws.chat.send(mo, apps["hr"], "KEEP-ME question").conversation_id
    assert len(_mentions(_events(ws), "CANARY-DEL")) >= 6
    ws.chat.delete(mo, conv)
    events = _events(ws)
    assert _mentions(events, "CANARY-DEL") == []
    assert len(_mentions(events, "KEEP-ME")) >= 2  # another conversation keeps its record
    (purge,) = [e for e in events if e.action == "retention.purged"]
    assert purge.payload is not None and purge.payload["conversation_id"] == conv
    emptied = {e.seq for e in events if e.payload is None}
    covered = {s for a, b in purge.payload["ranges"] for s in range(a, b + 1)}
    assert emptied == covered and len(emptied) == purge.payload["events"]
    (deleted,) = [e for e in events if e.action == "conversation.deleted"]
    assert deleted.payload == {"app_id": apps["hr"], "legal_hold": False}
    assert [c.id for c in ws.chat.conversations(mo)] == [kept]
    assert _check_chain_and_bundle(ws, owner, tmp_path) == len(emptied)


def test_a_legal_hold_keeps_a_deleted_conversations_audit_payloads(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    tmp_path: Path,
) -> None:
    owner, mo = people["owner"], people["mo"]
    conv = _rich_conversation(ws, people, apps, fake)
    ws.logs.set_retention(owner, apps["hr"], days=None, legal_hold=True)
    before = len(_mentions(_events(ws), "CANARY-DEL"))
    ws.chat.delete(mo, conv)
    events = _events(ws)
    assert ws.chat.conversations(mo) == []  # the conversation itself is gone
    assert len(_mentions(events, "CANARY-DEL")) == before  # the hold kept the record
    assert not any(e.action == "retention.purged" for e in events)
    assert events[-1].payload == {"app_id": apps["hr"], "legal_hold": True}
    assert _check_chain_and_bundle(ws, owner, tmp_path) == 0


# ------------------------------------------------------------------ item 12: search queries


def _search_kb(ws: app.Workspace, people: dict[str, Actor]) -> int:
    kb = ws.knowledge.create(people["ada"], "docs", visibility=KbVisibility.ALL)
    text = "Green tea is widely drunk. Matcha is used in the tea ceremony."
    ws.knowledge.ingest(people["ada"], kb.id, [MemorySource("tea.txt", text.encode())])
    return kb.id


def test_retention_purges_search_queries_past_the_window(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    owner, mo = people["owner"], people["mo"]
    kb = _search_kb(ws, people)
    ws.knowledge.search(mo, kb, "CANARY-SEARCH matcha", mode=RetrievalMode.FULLTEXT)
    clock.advance(40 * DAY)
    ws.knowledge.search(mo, kb, "FRESH-SEARCH tea", mode=RetrievalMode.FULLTEXT)
    ws.logs.set_retention(owner, apps["hr"], days=30, legal_hold=False)
    ws.logs.set_retention(owner, apps["legal"], days=365, legal_hold=False)
    summary = ws.logs.purge(owner)
    events = _events(ws)
    assert _mentions(events, "CANARY-SEARCH") == []
    assert summary["searches"] == 1
    assert len(_mentions(events, "FRESH-SEARCH")) == 1  # inside the window: kept
    searched = [e for e in events if e.action == "kb.searched"]
    assert [e.payload is None for e in searched] == [True, False]
    (purge,) = [e for e in events if e.action == "retention.purged"]
    assert purge.payload is not None and purge.payload["ranges"] == [[searched[0].seq] * 2]
    assert purge.payload["days"] == 30  # the shortest window any app sets
    assert ws.logs.purge(owner)["searches"] == 0  # nothing left to purge
    assert _check_chain_and_bundle(ws, owner, tmp_path) == 1


def test_search_queries_stay_while_no_app_sets_a_window(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    clock: FixedClock,
) -> None:
    owner, mo = people["owner"], people["mo"]
    kb = _search_kb(ws, people)
    ws.knowledge.search(mo, kb, "CANARY-SEARCH matcha", mode=RetrievalMode.FULLTEXT)
    clock.advance(400 * DAY)
    ws.logs.set_retention(owner, apps["hr"], days=30, legal_hold=True)  # held: not a window
    assert ws.logs.purge(owner)["searches"] == 0
    assert len(_mentions(_events(ws), "CANARY-SEARCH")) == 1
