"""What the audit log keeps of a conversation, and when.

- A question is audited in the transaction that stores it: a crash before the answer
  leaves a stored question with its ``chat.asked`` event, never one no event mentions.

Fake chat model and clock; real SQLCipher.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from desktop import app
from desktop.core.bundle import NAMESPACE
from desktop.core.models import Actor, AuditEvent
from desktop.verifier import bundle_verify
from tests.fakes import FakeChatModel
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
