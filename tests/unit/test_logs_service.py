"""Reviewing the log through the services: traces, feedback, annotations, retention with
tombstones, the signing key and bundle export (fake chat model and clock; real SQLCipher,
real Ed25519 signing, real verifier)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import InputError, KeyItemMissing, NotFound, PermissionDenied
from desktop.core.models import Actor, TraceFilter
from desktop.verifier import bundle_verify
from tests.fakes import FakeChatModel, FixedClock, MemoryKeyStore

DAY = 86_400


def _ask(ws: app.Workspace, fake: FakeChatModel, who: Actor, app_id: int, q: str) -> int:
    fake.replies = [[f"answer to {q}"]]
    return ws.chat.send(who, app_id, q).turn.id


def _actions(ws: app.Workspace) -> list[str]:
    with ws.store.transaction() as tx:
        return [e.action for e in tx.audit.iter_events()]


def test_traces_filter_and_carry_feedback_and_annotations(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    clock: FixedClock,
) -> None:
    mo, mia, ada = people["mo"], people["mia"], people["ada"]
    first = _ask(ws, fake, mo, apps["hr"], "How many vacation days?")
    clock.advance(DAY)
    second = _ask(ws, fake, mia, apps["legal"], "Who signs contracts?")
    ws.logs.rate(mo, first, "down", "too vague")
    with pytest.raises(NotFound):  # someone else's turn is not found, not forbidden
        ws.logs.rate(mo, second, "up")
    with pytest.raises(PermissionDenied):
        ws.logs.annotate(mo, first, "Twenty days.")
    ws.logs.annotate(ada, first, "Twenty days a year.")
    with pytest.raises(PermissionDenied):
        ws.logs.traces(mo, TraceFilter())

    def turns(**filters: object) -> list[int]:
        found = ws.logs.traces(ada, TraceFilter(**filters))  # type: ignore[arg-type]
        return [t["trace"]["turn_id"] for t in found]

    assert turns() == [second, first]  # newest first
    assert turns(app_id=apps["hr"]) == [first]
    assert turns(username="MIA") == [second]
    assert turns(rating="down") == [first] and turns(rating="up") == []
    assert turns(text="CONTRACTS") == [second]
    day2 = clock.now().strftime("%Y-%m-%dT00:00:00.000000Z")
    assert turns(since=day2) == [second] and turns(until=day2) == [first]
    (trace,) = ws.logs.traces(ada, TraceFilter(app_id=apps["hr"]))
    assert trace["feedback"]["rating"] == "down" and trace["feedback"]["comment"] == "too vague"
    assert trace["annotations"][0]["answer"] == "Twenty days a year."
    assert trace["trace"]["input"] == "How many vacation days?"
    assert {"model", "params", "prompt_sha256", "usage", "timings", "stop_reason"} <= set(
        trace["trace"]
    )
    with ws.store.transaction() as tx:
        rated = [e.payload for e in tx.audit.iter_events() if e.action == "turn.rated"]
    assert rated == [
        {"turn_id": first, "conversation_id": 1, "app_id": apps["hr"], "rating": "down",
         "comment": "too vague"}
    ]  # fmt: skip


def test_retention_purges_leave_tombstones_and_a_verifying_chain(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    clock: FixedClock,
    tmp_path: Path,
) -> None:
    owner, mo = people["owner"], people["mo"]
    old_hr = _ask(ws, fake, mo, apps["hr"], "old hr question CANARY-HR")
    _ask(ws, fake, mo, apps["legal"], "old legal question")
    ws.logs.rate(mo, old_hr, "up")
    clock.advance(40 * DAY)
    _ask(ws, fake, mo, apps["hr"], "new hr question")
    with pytest.raises(PermissionDenied):
        ws.logs.set_retention(people["ada"], apps["hr"], days=30, legal_hold=False)
    ws.logs.set_retention(owner, apps["hr"], days=30, legal_hold=False)
    ws.logs.set_retention(owner, apps["legal"], days=30, legal_hold=True)
    summary = ws.logs.purge(owner)
    assert summary["apps"] == ["hr"] and summary["turns"] == 1 and summary["conversations"] == 1
    assert summary["events"] == 4  # conversation.created, chat.asked, chat.turn, turn.rated
    report = ws.workspace.verify_audit(owner)
    assert report.ok and report.tombstones == 4
    with ws.store.transaction() as tx:
        events = list(tx.audit.iter_events())
    assert not any("CANARY-HR" in json.dumps(e.payload) for e in events if e.payload)
    (purge,) = [e for e in events if e.action == "retention.purged"]
    assert purge.payload is not None and purge.payload["ranges"]
    legal = ws.logs.traces(owner, TraceFilter(app_id=apps["legal"]))
    assert legal and not legal[0]["purged"]  # the legal hold kept it
    assert ws.logs.purge(owner)["events"] == 0  # nothing left to purge
    path = tmp_path / "purged.zip"
    path.write_bytes(ws.logs.export(owner).data)
    result = bundle_verify.verify_bundle(str(path))
    assert result.ok, result.reason
    assert result.facts["tombstones"] == 4


def test_a_tombstone_outside_any_purge_breaks_verification(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    with ws.store.transaction() as tx:  # what an attacker with the database key could do
        tx.audit.append(actor="x", action="note", obj="x", payload={"app_id": 99})
    with ws.store.transaction() as tx:
        assert tx.audit.tombstone(["note"], 99, "9999") != []
    assert not ws.workspace.verify_audit(people["owner"]).ok


def test_export_is_signed_audited_and_for_admins_only(
    ws: app.Workspace,
    people: dict[str, Actor],
    apps: dict[str, int],
    fake: FakeChatModel,
    tmp_path: Path,
    key_store: MemoryKeyStore,
) -> None:
    _ask(ws, fake, people["mo"], apps["hr"], "hr question")
    _ask(ws, fake, people["mo"], apps["legal"], "legal question")
    for who in ("mo", "eve"):
        with pytest.raises(PermissionDenied):
            ws.logs.export(people[who])
    export = ws.logs.export(people["ada"], app_ref="hr")
    with zipfile.ZipFile(io.BytesIO(export.data)) as bundle:
        names = set(bundle.namelist())
        events = [json.loads(line) for line in bundle.read("events.jsonl").splitlines()]
    assert names == {
        "events.jsonl", "checkpoint.json", "allowed_signers", "SHA256SUMS", "SHA256SUMS.sig",
        "verify_bundle.py", "VERIFY.txt",
    }  # fmt: skip
    assert export.redacted > 0 and all(
        e.get("redacted") or e["payload"].get("app_id") == apps["hr"] for e in events
    )
    assert not any("legal question" in json.dumps(e) for e in events)
    pinned = ws.logs.allowed_signers(people["ada"])
    path = tmp_path / "b.zip"
    path.write_bytes(export.data)
    assert bundle_verify.verify_bundle(str(path), allowed_signers=pinned).ok
    assert _actions(ws)[-1] == "logs.exported"
    with pytest.raises(InputError, match="no audit events"):
        ws.logs.export(people["ada"], since="2999-01-01")
    with pytest.raises(InputError, match="not a date"):
        ws.logs.export(people["ada"], since="yesterday")


def test_rotation_keeps_old_bundles_verifiable(
    ws: app.Workspace, people: dict[str, Actor], tmp_path: Path, key_store: MemoryKeyStore
) -> None:
    owner = people["owner"]
    old = tmp_path / "old.zip"
    old.write_bytes(ws.logs.export(owner).data)
    old_signers = ws.logs.allowed_signers(owner)
    with pytest.raises(PermissionDenied):
        ws.logs.rotate_signing_key(people["ada"])
    key = ws.logs.rotate_signing_key(owner)
    signers = ws.logs.allowed_signers(owner)
    assert signers.splitlines()[0].endswith(key["public_key"].split()[1])
    assert old_signers.splitlines()[0] in signers.splitlines()  # the old key is still listed
    new = tmp_path / "new.zip"
    new.write_bytes(ws.logs.export(owner).data)
    for bundle in (old, new):
        assert bundle_verify.verify_bundle(str(bundle), allowed_signers=signers).ok
    assert not bundle_verify.verify_bundle(str(old), allowed_signers=signers.splitlines()[0]).ok
    assert "signing_key.rotated" in _actions(ws)
    for item in list(key_store.items):  # the keyring lost the key: a clear error
        if ":signing:" in item:
            key_store.delete_secret(item)
    with pytest.raises(KeyItemMissing, match="rotate-signing"):
        ws.logs.export(owner)
