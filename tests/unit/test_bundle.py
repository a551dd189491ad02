"""Signed audit log bundles: the writer, the stand-alone verifier and stock-tool interop."""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import io
import json
import os
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core import audit, bundle
from desktop.core.audit import GENESIS_HASH, canonical_json, seal
from desktop.core.bundle import BUNDLE_FILES, NAMESPACE, build_bundle, full_record, redacted_record
from desktop.core.errors import AuditChainBroken, InputError
from desktop.core.models import AuditEvent
from desktop.security.signing import allowed_signers_line, public_openssh, sshsig_sign
from desktop.verifier import bundle_verify as bv
from tests.tools import need

SEED = bytes(range(32))
OTHER_SEED = bytes(range(100, 132))
IDENTITY = "owner@kura.example"
WORKSPACE = "ws-0001"


# ------------------------------------------------------------------ helpers


def chain(
    n: int,
    *,
    edit: Callable[[int], dict[str, Any]] | None = None,
    actions: Mapping[int, tuple[str, dict[str, Any]]] | None = None,
) -> list[AuditEvent]:
    """Events 1..n sealed with audit.seal; ``actions`` overrides (action, payload) by seq."""
    events, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        action, payload = (actions or {}).get(seq, ("test.did", {"i": seq, "note": "監査"}))
        if edit is not None:
            payload = edit(seq) or payload
        ev = seal(prev, seq, f"2025-01-01T00:00:{seq:02d}Z", "alice", action, f"o{seq}", payload)
        events.append(ev)
        prev = ev.hash
    return events


def tombstone(ev: AuditEvent) -> AuditEvent:
    return dataclasses.replace(ev, payload=None)


def signers_for(seed: bytes, identity: str = IDENTITY) -> str:
    return allowed_signers_line(identity, public_openssh(seed), NAMESPACE) + "\n"


def make(
    records: Sequence[Mapping[str, Any]],
    *,
    seed: bytes = SEED,
    workspace_id: str = WORKSPACE,
    purges: Sequence[Mapping[str, Any]] = (),
) -> bytes:
    return build_bundle(
        records,
        workspace_id=workspace_id,
        exporter="alice",
        app_version="0.1.0",
        exported_at="2025-02-01T12:00:00Z",
        filter={"actions": ["test.did"]},
        purges=purges,
        identity=IDENTITY,
        allowed_signers=signers_for(seed),
        sign=lambda data: sshsig_sign(seed, data, NAMESPACE),
    )


def full(events: Sequence[AuditEvent]) -> list[dict[str, Any]]:
    return [full_record(ev) for ev in events]


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rezip(files: Mapping[str, bytes], *, sums: bool = True, resign: bytes | None = None) -> bytes:
    """Re-zip ``files``; recompute SHA256SUMS unless told not to; re-sign with ``resign``."""
    files = dict(files)
    if sums:
        files["SHA256SUMS"] = bv.sha256sums(files)
    if resign is not None:
        files["SHA256SUMS.sig"] = sshsig_sign(resign, files["SHA256SUMS"], NAMESPACE).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def checkpoint(data: bytes) -> dict[str, Any]:
    return json.loads(unzip(data)["checkpoint.json"])


def verify(data: bytes, **kwargs: Any) -> bv.Report:
    return bv.verify_bundle_bytes(data, **kwargs)


def extract(data: bytes, where: Path) -> Path:
    where.mkdir()
    for name, content in unzip(data).items():
        (where / name).write_bytes(content)
    return where


@functools.cache
def rich_bundle() -> bytes:
    """Events 1..8: 2 and 3 purged by event 6, 5 redacted."""
    events = chain(8, actions={6: ("retention.purged", {"ranges": [[2, 3]]})})
    events[1], events[2] = tombstone(events[1]), tombstone(events[2])
    records = full(events)
    records[4] = redacted_record(events[4])
    return make(records)


# ------------------------------------------------------------------ Ed25519 (RFC 8032)

RFC8032 = [  # (public key, message, signature): section 7.1, TEST 1, 2 and 3
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555f"
        "b8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da08"
        "5ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18"
        "ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.mark.parametrize(("public", "message", "signature"), RFC8032)
def test_rfc8032_vectors_verify(public: str, message: str, signature: str) -> None:
    pk, msg, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert bv.ed25519_verify(pk, msg, sig)
    assert not bv.ed25519_verify(pk, msg + b"x", sig)
    for bit in (0, 100, 255, 256, 300, 511):
        flipped = bytearray(sig)
        flipped[bit // 8] ^= 1 << (bit % 8)
        assert not bv.ed25519_verify(pk, msg, bytes(flipped))


def test_signatures_made_by_cryptography_verify() -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    for i in range(4):
        key = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(bytes([i])).digest())
        pk, msg = key.public_key().public_bytes_raw(), os.urandom(i * 50)
        sig = key.sign(msg)
        assert bv.ed25519_verify(pk, msg, sig)
        bad = bytearray(pk)
        bad[3] ^= 0x10
        assert not bv.ed25519_verify(bytes(bad), msg, sig)


def test_malleable_and_non_canonical_signatures_are_rejected() -> None:
    pk, _, signature = RFC8032[0]
    pk_b, sig = bytes.fromhex(pk), bytes.fromhex(signature)
    s = int.from_bytes(sig[32:], "little")
    assert not bv.ed25519_verify(pk_b, b"", sig[:32] + (s + bv._L).to_bytes(32, "little"))
    # y = p is a non-canonical encoding of y = 0; a y that is not on the curve fails too.
    non_canonical = (2**255 - 19).to_bytes(32, "little")
    assert not bv.ed25519_verify(non_canonical, b"", sig)
    not_on_curve = (2).to_bytes(32, "little")
    assert bv._decode(not_on_curve) is None
    assert not bv.ed25519_verify(not_on_curve, b"", sig)
    assert not bv.ed25519_verify(pk_b[:31], b"", sig)


# ------------------------------------------------------------------ merkle root (RFC 6962)


def _leaf(h: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + h).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def test_merkle_root_small_cases_by_hand() -> None:
    d = [hashlib.sha256(bytes([i])).digest() for i in range(5)]
    h = [x.hex() for x in d]
    lf = [_leaf(x) for x in d]
    assert bv.merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert bv.merkle_root(h[:1]) == lf[0].hex()
    assert bv.merkle_root(h[:2]) == _node(lf[0], lf[1]).hex()
    assert bv.merkle_root(h[:3]) == _node(_node(lf[0], lf[1]), lf[2]).hex()
    four = _node(_node(lf[0], lf[1]), _node(lf[2], lf[3]))
    assert bv.merkle_root(h[:5]) == _node(four, lf[4]).hex()


# ------------------------------------------------------------------ the chain, one owner


def test_the_chain_hashes_have_one_owner_the_shipped_verifier() -> None:
    """Kura hashes its chain with the very functions it ships to auditors."""
    assert audit.canonical_json is bv.canonical_json
    assert audit.payload_digest is bv.payload_digest
    assert audit.event_hash is bv.event_hash
    assert audit.GENESIS_HASH == bv.GENESIS_HASH


def test_verifier_imports_only_the_standard_library() -> None:
    tree = ast.parse(bundle.verifier_source())
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0
            roots.add((node.module or "").split(".")[0])
    assert roots - {"__future__"} <= sys.stdlib_module_names


# ------------------------------------------------------------------ a fresh bundle


def test_fresh_bundle_has_the_seven_files_and_verifies(tmp_path: Path) -> None:
    data = rich_bundle()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == list(BUNDLE_FILES)
        assert not any(info.is_dir() for info in zf.infolist())
    files = unzip(data)
    assert files["verify_bundle.py"] == bundle.VERIFIER_SOURCE.encode()
    assert files["verify_bundle.py"] == Path(bv.__file__).read_bytes()
    cp = checkpoint(data)
    assert (cp["first_seq"], cp["last_seq"], cp["count"]) == (1, 8, 8)
    assert cp["prev_hash"] == GENESIS_HASH and cp["identity"] == IDENTITY
    text = files["VERIFY.txt"].decode()
    assert f"-I {IDENTITY} -n {NAMESPACE} -s SHA256SUMS.sig < SHA256SUMS" in text
    assert cp["key_fingerprint"] in text and "out of band" in text

    path = tmp_path / "b.zip"
    path.write_bytes(data)
    for target in (path, extract(data, tmp_path / "x")):
        report = bv.verify_bundle(target)
        assert report.ok, report.reason
        facts = report.facts
        assert (facts["count"], facts["first_seq"], facts["last_seq"]) == (8, 1, 8)
        assert (facts["tombstones"], facts["redacted"]) == (2, 1)
        assert facts["identity"] == IDENTITY and facts["pinned"] is False
        assert facts["key_source"] == "bundle itself"
        assert facts["key_fingerprint"] == cp["key_fingerprint"]
    pinned = bv.verify_bundle(path, allowed_signers=signers_for(SEED))
    assert pinned.ok and pinned.facts["pinned"] is True


def test_bundles_are_reproducible() -> None:
    records = full(chain(3))
    assert make(records) == make(records)


def test_writer_refuses_what_would_not_verify() -> None:
    events = chain(4)
    with pytest.raises(InputError):
        make([])
    with pytest.raises(AuditChainBroken, match="outside any recorded purge"):
        make(full([events[0], tombstone(events[1]), events[2]]))
    with pytest.raises(AuditChainBroken, match="gap"):
        make(full([events[0], events[2]]))
    with pytest.raises(AuditChainBroken, match="does not link"):
        make([*full(events[:2]), {**full_record(events[2]), "prev_hash": "1" * 64}])
    with pytest.raises(AuditChainBroken, match="not listed"):
        build_bundle(
            full(events),
            workspace_id=WORKSPACE,
            exporter="alice",
            app_version="0.1.0",
            exported_at="2025-02-01T12:00:00Z",
            filter={},
            purges=[],
            identity=IDENTITY,
            allowed_signers=signers_for(SEED),
            sign=lambda data: sshsig_sign(OTHER_SEED, data, NAMESPACE),
        )


# ------------------------------------------------------------------ stock tools


def test_stock_tools_and_isolated_python_verify_a_fresh_bundle(tmp_path: Path) -> None:
    keygen, sha256sum = need("ssh-keygen"), need("sha256sum")
    where = extract(rich_bundle(), tmp_path / "bundle")
    env = {k: v for k, v in os.environ.items() if k != "SSH_AUTH_SOCK"}

    def keygen_verify(mode: str) -> int:
        cmd = (
            [keygen, "-Y", mode, "-f", "allowed_signers", "-I", IDENTITY]
            if mode == "verify"
            else [keygen, "-Y", mode]
        )
        cmd += ["-n", NAMESPACE, "-s", "SHA256SUMS.sig"]
        with (where / "SHA256SUMS").open("rb") as stdin:
            return subprocess.run(
                cmd, cwd=where, stdin=stdin, capture_output=True, env=env
            ).returncode

    assert keygen_verify("verify") == 0
    assert keygen_verify("check-novalidate") == 0
    subprocess.run([sha256sum, "-c", "SHA256SUMS"], cwd=where, capture_output=True, check=True)

    # -I (isolated) and -S (no site-packages): nothing of Kura can be imported.
    def standalone(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-I", "-S", "verify_bundle.py", *args],
            cwd=where,
            capture_output=True,
            text=True,
        )

    run = standalone()  # nothing pinned: integrity only, never a bare OK, exit 1
    assert run.returncode == 1 and run.stdout.startswith("INTEGRITY ONLY, signer NOT verified")
    fingerprint = json.loads((where / "checkpoint.json").read_text())["key_fingerprint"]
    run = standalone("--fingerprint", fingerprint)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("OK: 8 events")
    (where.parent / "pin").write_text(signers_for(SEED))
    assert standalone("--allowed-signers", str(where.parent / "pin")).returncode == 0

    sums = (where / "SHA256SUMS").read_bytes()
    (where / "SHA256SUMS").write_bytes(
        sums.replace(sums[:1], b"f" if sums[:1] != b"f" else b"e", 1)
    )
    assert keygen_verify("verify") != 0
    assert keygen_verify("check-novalidate") != 0
    run = standalone("--fingerprint", fingerprint)
    assert run.returncode == 1 and run.stdout.startswith("FAILED: ")


def test_cli_pins_keys_and_checks_the_previous_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = chain(6)
    old, new = make(full(events[:3])), make(full(events))
    (tmp_path / "new.zip").write_bytes(new)
    (tmp_path / "old.json").write_bytes(unzip(old)["checkpoint.json"])
    (tmp_path / "pin").write_text(signers_for(SEED))
    (tmp_path / "other").write_text(signers_for(OTHER_SEED))
    base = [str(tmp_path / "new.zip"), "--previous-checkpoint", str(tmp_path / "old.json")]
    assert bv.main([*base, "--allowed-signers", str(tmp_path / "pin")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 6 events, seq 1..6") and "(pinned key)" in out
    assert "Previous checkpoint: this bundle covers" in out
    assert bv.main([*base, "--allowed-signers", str(tmp_path / "other")]) == 1
    assert "not listed in the pinned allowed_signers" in capsys.readouterr().out
    assert bv.main([*base, "--allowed-signers", str(tmp_path / "missing")]) == 1
    assert capsys.readouterr().out.startswith("FAILED: cannot read")
    assert bv.main([str(tmp_path / "new.zip")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("INTEGRITY ONLY, signer NOT verified") and "OK" not in out


# ------------------------------------------------------------------ tampering


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    name=st.sampled_from(BUNDLE_FILES),
    where=st.integers(min_value=0, max_value=2**32),
    xor=st.integers(min_value=1, max_value=255),
)
def test_any_flipped_byte_fails(name: str, where: int, xor: int) -> None:
    files = unzip(rich_bundle())
    data = bytearray(files[name])
    data[where % len(data)] ^= xor
    report = verify(rezip({**files, name: bytes(data)}, sums=False))
    assert not report.ok and report.reason and "\n" not in report.reason


def _lines(data: bytes) -> list[bytes]:
    return unzip(data)["events.jsonl"].splitlines(keepends=True)


def _append_next(lines: list[bytes]) -> list[bytes]:
    last = json.loads(lines[-1])
    ev = seal(last["hash"], last["seq"] + 1, "2025-01-02T00:00:00Z", "mallory", "x.y", "o", {})
    return [*lines, canonical_json(full_record(ev)) + b"\n"]


def _edit(lines: list[bytes]) -> list[bytes]:
    ev = json.loads(lines[2])
    ev["payload"]["i"] = 999
    return [*lines[:2], canonical_json(ev) + b"\n", *lines[3:]]


def _edit_and_rechain(lines: list[bytes]) -> list[bytes]:
    """Edit event 3 and re-derive every hash after it: only the checkpoint can tell."""
    events = chain(len(lines), edit=lambda seq: {"i": 999} if seq == 3 else {})
    return [canonical_json(full_record(ev)) + b"\n" for ev in events]


MUTATIONS: dict[str, Callable[[list[bytes]], list[bytes]]] = {
    "delete middle": lambda ls: ls[:2] + ls[3:],
    "delete first": lambda ls: ls[1:],
    "delete last": lambda ls: ls[:-1],
    "add a well-formed event": _append_next,
    "reorder": lambda ls: [ls[0], ls[2], ls[1], *ls[3:]],
    "edit a payload": _edit,
    "edit and re-chain": _edit_and_rechain,
}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_event_tampering_fails(mutation: str) -> None:
    original = make(full(chain(6)))
    files = unzip(original)
    files["events.jsonl"] = b"".join(MUTATIONS[mutation](_lines(original)))
    # Without the key: SHA256SUMS can be recomputed, the signature cannot.
    report = verify(rezip(files))
    assert not report.ok and "signature" in report.reason
    # With the key (or a test-only one the attacker pinned): the chain or checkpoint fails.
    for seed in (SEED, OTHER_SEED):
        files["allowed_signers"] = signers_for(seed).encode()
        report = verify(rezip(files, resign=seed))
        assert not report.ok, mutation
        assert "signature" not in report.reason
        assert any(w in report.reason for w in ("event", "checkpoint", "genesis")), report.reason


def test_checkpoint_edited_to_match_still_needs_the_key() -> None:
    original = make(full(chain(6)))
    files = unzip(original)
    files["events.jsonl"] = b"".join(_lines(original)[:-1])
    cp = json.loads(files["checkpoint.json"])
    cp.update(last_seq=5, count=5, head_hash=json.loads(_lines(original)[4])["hash"])
    cp["merkle_root"] = bv.merkle_root([json.loads(x)["hash"] for x in _lines(original)[:5]])
    files["checkpoint.json"] = canonical_json(cp) + b"\n"
    assert "signature" in verify(rezip(files)).reason
    # Re-signed by someone else's key: fails when the auditor pins the real key.
    files["allowed_signers"] = signers_for(OTHER_SEED).encode()
    forged = rezip(files, resign=OTHER_SEED)
    assert "key_fingerprint" in verify(forged).reason
    report = verify(forged, allowed_signers=signers_for(SEED))
    assert not report.ok and "not listed in the pinned allowed_signers" in report.reason


def test_unpinned_key_fails_when_another_is_pinned() -> None:
    data = make(full(chain(3)), seed=OTHER_SEED)
    assert verify(data).ok and verify(data).facts["pinned"] is False
    report = verify(data, allowed_signers=signers_for(SEED))
    assert not report.ok and "not listed in the pinned allowed_signers" in report.reason
    assert verify(data, allowed_signers=signers_for(OTHER_SEED)).ok
    wrong_identity = signers_for(OTHER_SEED, identity="someone@else")
    assert "for identity" in verify(data, allowed_signers=wrong_identity).reason
    line = signers_for(OTHER_SEED).replace(NAMESPACE, "file")
    assert "namespaces=" in verify(data, allowed_signers=line).reason


def test_extra_missing_and_odd_entries_fail(tmp_path: Path) -> None:
    files = unzip(rich_bundle())
    extra = verify(rezip({**files, "notes.txt": b"hi"}, sums=False))
    assert not extra.ok and "unexpected entry 'notes.txt'" in extra.reason
    missing = {k: v for k, v in files.items() if k != "VERIFY.txt"}
    assert "missing VERIFY.txt" in verify(rezip(missing, sums=False)).reason
    for odd in ("../events.jsonl", "/abs", "dir/"):
        assert not verify(rezip({**files, odd: b""}, sums=False)).ok
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, data in [*files.items(), ("VERIFY.txt", b"other")]:
            zf.writestr(name, data)
    assert "twice" in verify(buf.getvalue()).reason
    assert "cannot read the bundle zip" in verify(b"not a zip").reason
    where = extract(rich_bundle(), tmp_path / "x")
    (where / "extra").write_text("x")
    assert "unexpected entry 'extra'" in bv.verify_bundle(where).reason


# ------------------------------------------------------------------ previous checkpoint


def test_a_later_bundle_that_extends_an_earlier_one_passes() -> None:
    events = chain(10)
    old = unzip(make(full(events[:5])))["checkpoint.json"].decode()
    for part, how in ((events, "covers"), (events[5:], "links"), (events[2:], "head")):
        report = verify(make(full(part)), previous_checkpoint=old)
        assert report.ok, report.reason
        assert how in report.facts["previous_checkpoint"]
    same = verify(make(full(events[:5])), previous_checkpoint=old)
    assert same.ok


def test_rewritten_history_gaps_rollbacks_and_other_workspaces_fail() -> None:
    events = chain(10)
    old = unzip(make(full(events[:5])))["checkpoint.json"].decode()
    rewritten = chain(10, edit=lambda seq: {"i": -1} if seq == 3 else {})
    report = verify(make(full(rewritten)), previous_checkpoint=old)
    assert not report.ok and "history rewritten" in report.reason
    # The head survives, an earlier event was rewritten: the Merkle root catches it.
    cp = json.loads(old)
    cp["merkle_root"] = bv.merkle_root([e.hash for e in rewritten[:5]])
    report = verify(make(full(events)), previous_checkpoint=json.dumps(cp))
    assert not report.ok and "merkle_root" in report.reason
    gap = verify(make(full(events[6:])), previous_checkpoint=old)
    assert not gap.ok
    assert gap.reason == "does not continue the previous checkpoint: events 6..6 are missing"
    later = unzip(make(full(events)))["checkpoint.json"].decode()
    assert "beyond" in verify(make(full(events[:5])), previous_checkpoint=later).reason
    other = verify(make(full(events), workspace_id="ws-9999"), previous_checkpoint=old)
    assert not other.ok and "workspace" in other.reason
    assert "not valid JSON" in verify(make(full(events)), previous_checkpoint="{").reason


# ------------------------------------------------------------------ tombstones


def test_tombstones_covered_by_a_purge_pass() -> None:
    events = chain(7, actions={6: ("retention.purged", {"ranges": [[2, 3]]})})
    events[1], events[2] = tombstone(events[1]), tombstone(events[2])
    report = verify(make(full(events)))
    assert report.ok and report.facts["tombstones"] == 2
    # The purge event itself is not in the bundle: the checkpoint records it.
    purges = [{"seq": 6, "ranges": [[2, 3]]}]
    report = verify(make(full(events[:5]), purges=purges))
    assert report.ok and report.facts["tombstones"] == 2
    # Both: they must agree.
    with pytest.raises(AuditChainBroken, match="does not match the ranges"):
        make(full(events), purges=[{"seq": 6, "ranges": [[2, 4]]}])


def test_an_uncovered_tombstone_fails() -> None:
    events = chain(5)
    events[3] = tombstone(events[3])
    purges = [{"seq": 6, "ranges": [[4, 4]]}]
    files = unzip(make(full(events), purges=purges))
    cp = json.loads(files["checkpoint.json"])
    cp["purges"] = []
    files["checkpoint.json"] = canonical_json(cp) + b"\n"
    report = verify(rezip(files, resign=SEED))
    assert not report.ok
    assert report.reason == "event 4 lost its payload outside any recorded purge"
    purge_after = chain(5, actions={3: ("retention.purged", {"ranges": [[4, 4]]})})
    purge_after[3] = tombstone(purge_after[3])
    with pytest.raises(AuditChainBroken, match="not before the purge"):
        make(full(purge_after))


def test_an_export_the_verifier_would_refuse_for_its_size_is_refused_before_signing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = full(chain(40))
    make(events)  # within the limits
    monkeypatch.setitem(bv.LIMITS, "events.jsonl", 2048)
    signed: list[bytes] = []
    with pytest.raises(InputError, match="too large for one audit bundle") as caught:
        build_bundle(
            events,
            workspace_id=WORKSPACE,
            exporter="alice",
            app_version="0.1.0",
            exported_at="2025-02-01T12:00:00Z",
            filter={"actions": ["test.did"]},
            purges=(),
            identity=IDENTITY,
            allowed_signers=signers_for(SEED),
            sign=lambda data: signed.append(data) or sshsig_sign(SEED, data, NAMESPACE),
        )
    assert caught.value.code == "bundle.too_large" and not signed
