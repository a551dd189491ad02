"""Pseudonymised bundles mask an event's actor and object and a payload's keys too, with
the same keyed pseudonym as the value gets anywhere else in the bundle; the bundle still
verifies (such an event's hash links, and re-derives once the value is disclosed)."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.bundle_pseudonyms import Pseudonymiser
from desktop.core.chat_models import AppConfig
from desktop.core.models import Actor, Role
from desktop.core.pii import PiiType
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.unit.privacy_support import privacy_workspace

NAME = "山田太郎"  # a user of that name: an actor, an object, and a payload's value
EMAIL = "taro.yamada@example.co.jp"


@pytest.fixture
def ws(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> Iterator[app.Workspace]:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, FakePiiDetector()) as w:
        yield w


@pytest.fixture
def named(
    ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path
) -> Actor:
    """A Member called 山田太郎 who chatted once (and whose answer named them)."""
    ws.accounts.add_user(people["owner"], NAME, Role.MEMBER, PEOPLE_PASSWORD)
    user = ws.accounts.authenticate(NAME, PEOPLE_PASSWORD)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    model_id = ws.models.register(people["owner"], str(model), name="m").id
    ws.apps.create(people["eve"], AppConfig(name="hr", model_id=model_id))
    fake.replies = [[f"{NAME}さん、{EMAIL} に送ります"]]
    ws.chat.send(user, "hr", "送り先は？")
    return user


def _events(data: bytes) -> list[dict[str, Any]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [json.loads(line) for line in z.read("events.jsonl").splitlines()]


def test_actor_and_object_get_the_values_pseudonym_and_the_bundle_verifies(
    ws: app.Workspace, people: dict[str, Actor], named: Actor
) -> None:
    owner = people["owner"]
    plain = {e["seq"]: e for e in _events(ws.logs.export(owner).data)}
    export = ws.logs.export(owner, pseudonymise=True)
    assert NAME.encode() not in export.data
    events = _events(export.data)
    original = {e["seq"]: e["actor"] + e["object"] for e in plain.values()}
    headers = [e for e in events if NAME in original.get(e["seq"], "")]
    assert len(headers) >= 4  # users.added (object), chat.asked, chat.turn... (actor)
    placeholders = {
        p for e in headers for p in re.findall(r"<PERSON:[0-9a-f]{8,}>", e["actor"] + e["object"])
    }
    (person,) = placeholders  # one value, one pseudonym, in actors, objects and payloads
    assert any(e["object"] == f"user:{person}" for e in headers)
    assert any(e["actor"] == person for e in headers)
    assert any(person in json.dumps(e["payload"], ensure_ascii=False) for e in headers)
    for e in headers:  # the chain is the original's
        assert e["hash"] == plain[e["seq"]]["hash"] and "pseudonyms" in e

    pinned = ws.logs.allowed_signers(owner)
    report = bundle_verify.verify_bundle_bytes(export.data, allowed_signers=pinned)
    assert report.verified, report.reason
    assert report.facts["masked_headers"] == len(headers)
    assert "with a pseudonymised actor or object (linked only)" in report.summary()

    # disclosed, the value re-derives every such event's hash
    proof = ws.logs.prove(owner, export.data, PiiType.PERSON, NAME)
    assert proof["placeholder"] == person
    checked = bundle_verify.verify_bundle_bytes(
        export.data, allowed_signers=pinned, check_value=("PERSON", NAME, proof["opening"])
    )
    assert checked.verified and checked.value_ok
    assert checked.facts["value_check"]["rederived"] == len(headers)
    assert f"{len(headers)} event hash(es) re-derive" in (checked.value_summary() or "")


def test_a_header_placeholder_that_hides_another_value_fails_when_disclosed() -> None:
    """An exporter that put the wrong value's pseudonym in an actor is caught once the
    value is disclosed: the hash does not re-derive with it."""
    key = b"k" * 32
    masker = Pseudonymiser(FakePiiDetector(), key)
    wrong = masker.placeholder("PERSON", "佐藤花子")
    payload: dict[str, Any] = {"note": "x"}
    digest = bundle_verify.payload_digest(payload)
    genesis = bundle_verify.GENESIS_HASH
    ts = "2026-12-06T00:00:00Z"
    real = bundle_verify.event_hash(genesis, 1, ts, NAME, "chat.asked", "conversation:1", digest)
    record = {
        "seq": 1, "ts": ts, "actor": wrong, "action": "chat.asked",
        "object": "conversation:1", "payload": payload, "payload_sha256": digest,
        "prev_hash": genesis, "hash": real,
        "pseudonyms": {wrong: masker._by_value[("PERSON", "佐藤花子")][1]},
    }  # fmt: skip
    cp: dict[str, Any] = {"purges": []}
    bundle_verify.EventCheck(cp, None).add(bundle_verify.canonical_json(record))  # links only
    from desktop.core.bundle_pseudonyms import pii_opening

    opening = pii_opening(key, "PERSON", "佐藤花子")
    target = ("PERSON", bundle_verify.pii_commitment("PERSON", "佐藤花子", opening))
    check = bundle_verify.EventCheck(cp, None, target, "佐藤花子")
    with pytest.raises(bundle_verify.BundleError, match="hash does not match"):
        check.add(bundle_verify.canonical_json(record))


def test_payload_keys_are_masked_consistently_with_values() -> None:
    masker = Pseudonymiser(FakePiiDetector(), b"k" * 32)
    record = {
        "seq": 3, "ts": "t", "actor": "mo", "action": "logs.annotated", "object": "turn:1",
        "payload": {"by_person": {NAME: 2, "others": 1}, "note": f"{NAME} asked"},
        "payload_sha256": "0" * 64, "prev_hash": "0" * 64, "hash": "1" * 64,
    }  # fmt: skip
    (out,) = masker.records([record])
    person = masker.placeholder("PERSON", NAME)
    assert out["payload"] == {"by_person": {person: 2, "others": 1}, "note": f"{person} asked"}
    assert out["actor"] == "mo" and out["pseudonyms"] == {
        person: masker._by_value[("PERSON", NAME)][1]
    }
    bundle_verify._check_pseudonyms(out, "line 1")  # the verifier accepts its shape
    assert NAME not in json.dumps(out, ensure_ascii=False)
