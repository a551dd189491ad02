"""Pseudonymised audit bundles (``kura logs export --pseudonymise``) through the service:
a deterministic fake detector, real SQLCipher, real Ed25519 signing, the real verifier."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.bundle import checkpoint_digest
from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError, PermissionDenied
from desktop.core.models import Actor
from desktop.core.pii import PiiType
from desktop.storage.repo_review import SqlReviewRepository
from desktop.verifier import bundle_verify
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.tools import fake_workspace
from tests.unit.privacy_support import privacy_workspace

MY_NUMBER = "123456789018"  # canary values: must never reach a pseudonymised bundle
NAME = "山田太郎"
EMAIL = "taro.yamada@example.co.jp"


@pytest.fixture
def ws(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> Iterator[app.Workspace]:
    with privacy_workspace(tmp_path / "w", key_store, clock, fake, FakePiiDetector()) as w:
        yield w


@pytest.fixture
def hr(ws: app.Workspace, people: dict[str, Actor], fake: FakeChatModel, tmp_path: Path) -> int:
    """An app where a Member typed the canaries, twice, and got them back in answers."""
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    model_id = ws.models.register(people["owner"], str(model), name="m").id
    app_id = ws.apps.create(people["eve"], AppConfig(name="hr", model_id=model_id)).id
    for question in (
        f"{NAME}さんのマイナンバーは {MY_NUMBER} です",
        f"Mail {EMAIL} about {NAME}",
    ):
        fake.replies = [[f"Noted: {question}"]]
        ws.chat.send(people["mo"], app_id, question)
    return app_id


def _files(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _events(data: bytes) -> list[dict[str, object]]:
    return [json.loads(line) for line in _files(data)["events.jsonl"].splitlines()]


def _audit(ws: app.Workspace) -> list[tuple[int, str, dict[str, object] | None]]:
    with ws.store.transaction() as tx:
        return [(e.seq, e.action, e.payload) for e in tx.audit.iter_events()]


def _placeholders(data: bytes, kind: str) -> set[str]:
    text = _files(data)["events.jsonl"].decode("utf-8")
    return set(re.findall(rf"<{kind}:[0-9a-f]{{8,64}}>", text))


def test_pseudonymised_bundle_holds_no_canary_and_verifies(
    ws: app.Workspace, people: dict[str, Actor], hr: int
) -> None:
    owner = people["owner"]
    plain = ws.logs.export(owner)
    assert MY_NUMBER in _files(plain.data)["events.jsonl"].decode("utf-8")  # the canary is there
    steps: list[tuple[int, int]] = []
    export = ws.logs.export(owner, pseudonymise=True, progress=lambda d, t: steps.append((d, t)))
    assert steps and steps[-1][0] == steps[-1][1] > 0  # the detector's batches are reported
    for name, content in _files(export.data).items():
        text = content.decode("utf-8")
        for canary in (MY_NUMBER, NAME, EMAIL):
            assert canary not in text, (name, canary)
    assert export.pseudonymised >= 4  # two questions and two turns
    events = _events(export.data)
    masked = [e for e in events if "pseudonyms" in e]
    assert len(masked) == export.pseudonymised
    original = {e["seq"]: e for e in _events(plain.data)}
    # the plain export's own event comes after it; its random hashes may look like a
    # number the detector masks, so only the events both bundles hold are compared
    both = [e for e in masked if e["seq"] in original]
    assert len(both) >= 4
    for event in both:  # the chain is over the original payloads
        assert event["payload_sha256"] == original[event["seq"]]["payload_sha256"]
        assert event["hash"] == original[event["seq"]]["hash"]
    pinned = ws.logs.allowed_signers(owner)
    report = bundle_verify.verify_bundle_bytes(export.data, allowed_signers=pinned)
    assert report.verified, report.reason
    assert report.facts["pseudonymised"] == export.pseudonymised
    assert f"{export.pseudonymised} pseudonymised" in report.summary()
    verify_txt = _files(export.data)["VERIFY.txt"].decode("utf-8")
    assert f"Personal data in {export.pseudonymised} events is pseudonymised" in verify_txt
    assert (
        "--check-value" in verify_txt
        and "--check-value" not in _files(plain.data)["VERIFY.txt"].decode()
    )


def test_same_value_same_pseudonym_within_a_bundle_different_across_bundles(
    ws: app.Workspace, people: dict[str, Actor], hr: int
) -> None:
    first = ws.logs.export(people["ada"], pseudonymise=True)
    second = ws.logs.export(people["ada"], pseudonymise=True)
    names_1, names_2 = _placeholders(first.data, "PERSON"), _placeholders(second.data, "PERSON")
    assert len(names_1) == 1 and len(names_2) == 1  # one name, one pseudonym per bundle
    assert names_1 != names_2  # unlinkable across bundles
    numbers = _placeholders(first.data, "MY_NUMBER")
    assert len(numbers) == 1
    text = _files(first.data)["events.jsonl"].decode("utf-8")
    assert text.count(next(iter(names_1))) >= 4


def test_one_changed_byte_in_a_pseudonymised_payload_fails_verification(
    ws: app.Workspace, people: dict[str, Actor], hr: int
) -> None:
    export = ws.logs.export(people["owner"], pseudonymise=True)
    pinned = ws.logs.allowed_signers(people["owner"])
    files = _files(export.data)
    placeholder = next(iter(_placeholders(export.data, "PERSON")))
    line = next(ln for ln in files["events.jsonl"].splitlines() if placeholder.encode() in ln)
    at = files["events.jsonl"].index(line) + line.index(placeholder.encode()) + 9  # its digits
    changed = bytearray(files["events.jsonl"])
    changed[at] ^= 0x01
    tampered = {**files, "events.jsonl": bytes(changed)}
    with pytest.raises(bundle_verify.BundleError, match=r"events\.jsonl does not match"):
        bundle_verify.verify_files(tampered, allowed_signers=pinned)
    # the checksum list redone without the key: the signature no longer covers it
    tampered["SHA256SUMS"] = bundle_verify.sha256sums(
        {n: tampered[n] for n in bundle_verify.SUMMED_FILES}
    )
    with pytest.raises(bundle_verify.BundleError):
        bundle_verify.verify_files(tampered, allowed_signers=pinned)


def test_check_value_accepts_the_disclosed_value_and_rejects_a_wrong_one(
    ws: app.Workspace, people: dict[str, Actor], hr: int
) -> None:
    owner = people["owner"]
    export = ws.logs.export(owner, pseudonymise=True)
    proof = ws.logs.prove(owner, export.data, PiiType.MY_NUMBER, MY_NUMBER)
    assert proof["placeholder"] in _placeholders(export.data, "MY_NUMBER")
    assert len(proof["commitment"]) == 64 and proof["events"] >= 2
    opening = proof["opening"]
    right = bundle_verify.verify_bundle_bytes(
        export.data, check_value=("MY_NUMBER", MY_NUMBER, opening)
    )
    assert right.ok and right.facts["value_check"]["found"]
    assert right.facts["value_check"]["placeholder"] == proof["placeholder"]
    assert "VALUE MATCHES" in (right.value_summary() or "")
    for wrong in (
        ("MY_NUMBER", "123456789019", opening),  # another value
        ("PERSON", MY_NUMBER, opening),  # another type
        ("MY_NUMBER", MY_NUMBER, "0" * 64),  # a guess without the opening
    ):
        report = bundle_verify.verify_bundle_bytes(export.data, check_value=wrong)
        assert report.ok and not report.value_ok, wrong
        assert "DOES NOT MATCH" in (report.value_summary() or "")
    with pytest.raises(InputError, match="not one of this bundle's pseudonyms"):
        ws.logs.prove(owner, export.data, PiiType.PERSON, "佐藤花子")
    plain = ws.logs.export(owner)
    with pytest.raises(InputError, match="not a pseudonymised bundle"):
        ws.logs.prove(owner, plain.data, PiiType.MY_NUMBER, MY_NUMBER)


def test_members_cannot_export_and_only_the_owner_can_prove(
    ws: app.Workspace, people: dict[str, Actor], hr: int
) -> None:
    with pytest.raises(PermissionDenied):
        ws.logs.export(people["mo"], pseudonymise=True)
    export = ws.logs.export(people["ada"], pseudonymise=True)
    for who in ("mo", "eve", "ada"):
        with pytest.raises(PermissionDenied):
            ws.logs.prove(people[who], export.data, PiiType.PERSON, NAME)
    assert ws.logs.prove(people["owner"], export.data, PiiType.PERSON, NAME)["events"] >= 4


def test_export_and_prove_are_audited_with_their_key_in_one_transaction(
    ws: app.Workspace, people: dict[str, Actor], hr: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = people["owner"]
    export = ws.logs.export(owner, pseudonymise=True)
    seq, action, payload = _audit(ws)[-1]
    assert action == "logs.exported" and payload is not None
    assert payload["pseudonymised"] == export.pseudonymised
    with ws.store.transaction() as tx:
        stored = tx.review.bundle_key(checkpoint_digest(export.data))
    assert stored is not None and stored[0] == seq and len(stored[1]) == 32
    proof = ws.logs.prove(owner, export.data, PiiType.PERSON, NAME)
    seq, action, payload = _audit(ws)[-1]
    assert action == "logs.pseudonym_opened" and payload is not None
    assert payload["commitment"] == proof["commitment"] and payload["type"] == "PERSON"
    ours = [p for _, a, p in _audit(ws) if a in ("logs.exported", "logs.pseudonym_opened")]
    assert NAME not in json.dumps(ours, ensure_ascii=False)
    everything = json.dumps([p for _, _, p in _audit(ws)])
    assert proof["opening"] not in everything and stored[1].hex() not in everything
    # the key and the export's event commit together or not at all
    before = len(_audit(ws))

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SqlReviewRepository, "add_bundle_key", broken)
    with pytest.raises(RuntimeError):
        ws.logs.export(owner, pseudonymise=True)
    assert len(_audit(ws)) == before


def test_pseudonymise_without_a_detector_is_refused_not_exported(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    engines = app.Engines(FakeInspector(), FakeChatModel())
    with fake_workspace(
        tmp_path / "nodetector", key_store, clock, engines, owner_password=PEOPLE_PASSWORD
    ) as bare:
        owner = bare.accounts.authenticate("owner", PEOPLE_PASSWORD)
        before = _audit(bare)
        with pytest.raises(InputError, match="personal-data detection is not available"):
            bare.logs.export(owner, pseudonymise=True)
        assert _audit(bare) == before
        assert bare.logs.export(owner).pseudonymised == 0


def test_two_values_sharing_the_first_digits_get_longer_placeholders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.core import bundle_pseudonyms

    def commitment(pii_type: str, value: str, opening: bytes) -> str:
        return "abcdef01" + bundle_verify.pii_commitment(pii_type, value, opening)[8:]

    monkeypatch.setattr(bundle_pseudonyms, "pii_commitment", commitment)
    masker = bundle_pseudonyms.Pseudonymiser(FakePiiDetector(), b"k" * 32)
    first, second = masker.placeholder("PERSON", NAME), masker.placeholder("PERSON", "佐藤花子")
    assert first == "<PERSON:abcdef01>" and len(second) == len(first) + 4
    assert masker.placeholder("PERSON", "佐藤花子") == second
