"""Write signed audit log bundles: a zip an auditor verifies offline, without Kura.

The format is in ``bundle_verify`` (which is also shipped inside every bundle as
``verify_bundle.py``). In short: ``events.jsonl`` (one canonical JSON event a line),
``checkpoint.json`` (range, head hash and RFC 6962 Merkle root of the events, who
exported them and with which key), the signer's ``allowed_signers`` line(s),
``SHA256SUMS`` over those and the verifier and ``VERIFY.txt``, and ``SHA256SUMS.sig``, an
OpenSSH signature (``ssh-keygen -Y sign`` format, namespace ``kura-audit-bundle@v1``).
Stock ``ssh-keygen -Y verify`` and ``sha256sum -c`` check the files; the verifier
re-derives the chain.

The core cannot import ``cryptography``, so signing is a callback (the security
adapter's ``sshsig_sign`` bound to the workspace key). The zip is built in memory and is
reproducible: the same events and metadata give the same bytes (fixed entry times,
deterministic Ed25519). Before returning, the finished zip is run through the verifier;
a bundle that would not verify is never handed out.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
import io
import shlex
import zipfile
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop.core.audit import canonical_json
from desktop.core.errors import AuditChainBroken, InputError
from desktop.core.models import AuditEvent
from desktop.verifier import bundle_verify

NAMESPACE = bundle_verify.NAMESPACE
FORMAT = bundle_verify.FORMAT
#: The seven entries of a bundle, in the order they are written into the zip.
BUNDLE_FILES = bundle_verify.BUNDLE_FILES
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@functools.cache
def verifier_source() -> str:
    """The source of ``bundle_verify.py``, shipped in every bundle as ``verify_bundle.py``."""
    resource = importlib.resources.files("desktop.verifier").joinpath("bundle_verify.py")
    return resource.read_text(encoding="utf-8")


def __getattr__(name: str) -> str:
    # VERIFIER_SOURCE is read on first use, not at import.
    if name == "VERIFIER_SOURCE":
        return verifier_source()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def full_record(event: AuditEvent) -> dict[str, Any]:
    """An event as a full ``events.jsonl`` record (payload None for a tombstone)."""
    return {
        "seq": event.seq,
        "ts": event.ts,
        "actor": event.actor,
        "action": event.action,
        "object": event.object,
        "payload": event.payload,
        "payload_sha256": event.payload_sha256,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def redacted_record(event: AuditEvent) -> dict[str, Any]:
    """An event outside the export filter: only what keeps the chain continuous."""
    return {"seq": event.seq, "prev_hash": event.prev_hash, "hash": event.hash, "redacted": True}


def _record(event: Mapping[str, Any]) -> dict[str, Any]:
    keys = (
        bundle_verify.REDACTED_KEYS
        if event.get("redacted")
        else bundle_verify.PSEUDONYMISED_KEYS
        if "pseudonyms" in event
        else bundle_verify.FULL_KEYS
    )
    missing = sorted(keys - set(event))
    if missing:
        raise InputError("bundle.event_incomplete", seq=event.get("seq"), fields=", ".join(missing))
    return {key: event[key] for key in keys}


def _signer_fingerprint(allowed_signers: str, identity: str, public_key: str | None) -> str:
    """The fingerprint of the key that will sign; it goes into checkpoint.json."""
    if public_key is not None:
        fields = public_key.split()
        try:
            blob = base64.b64decode(fields[1], validate=True)
            bundle_verify.ed25519_public_key(blob, "public_key")
        except (IndexError, ValueError, bundle_verify.BundleError):
            raise InputError("bundle.public_key_not_ed25519") from None
        return bundle_verify.key_fingerprint(blob)
    blobs = {
        s.key_blob
        for s in bundle_verify.parse_allowed_signers(allowed_signers)
        if bundle_verify.match_pattern_list(identity, s.principals)
    }
    if len(blobs) != 1:
        raise InputError("bundle.signers_ambiguous", count=len(blobs), identity=identity)
    return bundle_verify.key_fingerprint(blobs.pop())


def _purges(purges: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"seq": p["seq"], "ranges": [[a, b] for a, b in p["ranges"]]}
        for p in sorted(purges, key=lambda p: p["seq"])
    ]


def verify_text(
    *, identity: str, fingerprint: str, checkpoint: Mapping[str, Any], pseudonymised: int = 0
) -> str:
    """VERIFY.txt: how to check the bundle by hand with stock tools."""
    return _verify_steps(identity, fingerprint, checkpoint) + (
        _PSEUDONYMISED_TEXT.format(count=pseudonymised) if pseudonymised else ""
    )


_PSEUDONYMISED_TEXT = """
Personal data in {count} events is pseudonymised: each value is a placeholder such as
<PERSON:3f9a1c2b> (its type and the first digits of a commitment to it), and the event
keeps the hash of its original payload, so the chain above still verifies. An event
whose actor or object holds a placeholder keeps its original hash, which then only
links, like a redacted line. The workspace Owner can disclose one value's opening
(`kura logs prove`); then check it:

   python3 verify_bundle.py --fingerprint SHA256:... --check-value TYPE VALUE OPENING

It says whether that value is one of this bundle's pseudonyms, and which, and
re-derives the hash of each event whose actor or object held it.
"""


def _verify_steps(identity: str, fingerprint: str, cp: Mapping[str, Any]) -> str:
    who = shlex.quote(identity)
    return f"""Kura audit log bundle: how to verify it without Kura
====================================================

Workspace:     {cp["workspace_id"]}
Events:        {cp["first_seq"]}..{cp["last_seq"]} ({cp["count"]} lines)
Exported:      {cp["exported_at"]} by {cp["exporter"]} (Kura {cp["app_version"]})
Signed by:     {identity}
Key:           {fingerprint}

Compare that key fingerprint with one you obtained out of band (from the workspace
owner in person, or over a channel you already trust). The allowed_signers file in this
bundle proves only that the files are unchanged since they were signed, not who signed
them. Better still, keep a trusted copy of the signer's allowed_signers line and use it
in place of the bundle's in steps 1 and 3.

In the directory where you extracted the bundle:

1. Check the signature over the checksum list (OpenSSH 8.1 or newer):

   ssh-keygen -Y verify -f allowed_signers -I {who} -n {NAMESPACE} -s SHA256SUMS.sig < SHA256SUMS

2. Check every file against the checksum list (on macOS: shasum -a 256 -c SHA256SUMS):

   sha256sum -c SHA256SUMS

3. Re-derive the hash chain, the checkpoint and its Merkle root (Python 3.8 or newer,
   standard library only; read verify_bundle.py first if you like):

   python3 verify_bundle.py --allowed-signers TRUSTED/allowed_signers

   or, with the key fingerprint you obtained out of band:

   python3 verify_bundle.py --fingerprint SHA256:...

   If you kept the checkpoint.json of an earlier bundle of this workspace, also check
   that this bundle continues it without rewriting history (add to either command):

   --previous-checkpoint OLD/checkpoint.json

   It prints "OK: ..." and exits 0 only when every check passes AND the signing key is
   the one you pinned. Without --allowed-signers or --fingerprint it can only show that
   the files are intact under the bundle's own key, which anyone can make: it prints
   "INTEGRITY ONLY, signer NOT verified: ..." and exits 1. Anything wrong: "FAILED:
   <reason>", exit 1.
"""


def _zip(files: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in BUNDLE_FILES:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the mode below applies on extraction
            info.external_attr = 0o100644 << 16
            zf.writestr(info, files[name])
    return buf.getvalue()


def build_bundle(
    events: Sequence[Mapping[str, Any]],
    *,
    workspace_id: str,
    exporter: str,
    app_version: str,
    exported_at: str,
    filter: Mapping[str, Any],
    purges: Sequence[Mapping[str, Any]],
    identity: str,
    allowed_signers: str,
    sign: Callable[[bytes], str],
    public_key: str | None = None,
) -> bytes:
    """The bundle zip's bytes.

    ``events``: consecutive events in seq order, each a full record (``full_record``;
    payload None for a tombstone) or a redacted one (``redacted_record``).
    ``purges``: ``[{"seq": purge event seq, "ranges": [[a, b], ...]}]`` for every purge
    whose tombstones are in range but whose purge event is not (or is redacted).
    ``allowed_signers``: the signer's allowed_signers line(s); one of them must list
    ``identity`` with namespace ``kura-audit-bundle@v1``. ``sign``: returns the armored
    SSHSIG of the given bytes. ``public_key`` (``ssh-ed25519 AAAA...``) names the signing
    key when allowed_signers lists more than one key for ``identity``.

    Raises InputError for unusable arguments and AuditChainBroken when the result would
    not verify (broken chain, uncovered tombstone, signature by the wrong key...).
    """
    records = [_record(ev) for ev in events]
    if not records:
        raise InputError("bundle.no_events")
    hashes = [r["hash"] for r in records]
    checkpoint = {
        "format": FORMAT,
        "workspace_id": workspace_id,
        "first_seq": records[0]["seq"],
        "last_seq": records[-1]["seq"],
        "count": len(records),
        "prev_hash": records[0]["prev_hash"],
        "head_hash": hashes[-1],
        "merkle_root": bundle_verify.merkle_root(hashes),
        "exported_at": exported_at,
        "exporter": exporter,
        "app_version": app_version,
        "filter": dict(filter),
        "identity": identity,
        "key_fingerprint": _signer_fingerprint(allowed_signers, identity, public_key),
        "purges": _purges(purges),
    }
    signers = allowed_signers if allowed_signers.endswith("\n") else allowed_signers + "\n"
    files = {
        "events.jsonl": b"".join(canonical_json(r) + b"\n" for r in records),
        "checkpoint.json": canonical_json(checkpoint) + b"\n",
        "allowed_signers": signers.encode("utf-8"),
        "verify_bundle.py": verifier_source().encode("utf-8"),
        "VERIFY.txt": verify_text(
            identity=identity,
            fingerprint=checkpoint["key_fingerprint"],
            checkpoint=checkpoint,
            pseudonymised=sum("pseudonyms" in r for r in records),
        ).encode("utf-8"),
    }
    _within_verifier_limits(files)
    files["SHA256SUMS"] = bundle_verify.sha256sums(files)
    files["SHA256SUMS.sig"] = sign(files["SHA256SUMS"]).encode("utf-8")
    data = _zip(files)
    report = bundle_verify.verify_bundle_bytes(data)
    if not report.ok:
        raise AuditChainBroken(
            "bundle.would_not_verify", reason=report.reason, details=repr(report.facts)
        )
    return data


def checkpoint_digest(data: bytes) -> str:
    """SHA-256 of a bundle's checkpoint.json: what names the bundle (its range, head,
    Merkle root, export time and exporter) when its pseudonym key is looked up."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if zf.getinfo("checkpoint.json").file_size > bundle_verify.LIMITS["checkpoint.json"]:
                raise InputError("bundle.not_a_bundle")
            return hashlib.sha256(zf.read("checkpoint.json")).hexdigest()
    except (zipfile.BadZipFile, KeyError, OSError):
        raise InputError("bundle.not_a_bundle") from None


def _within_verifier_limits(files: Mapping[str, bytes]) -> None:
    """Refuse, before signing, a bundle the shipped verifier would refuse for its size:
    the verifier bounds what it reads, so an auditor's machine is never exhausted."""
    events = files["events.jsonl"]
    longest = max((len(line) + 1 for line in events.split(b"\n")), default=0)
    for name, data in files.items():
        if len(data) > bundle_verify.LIMITS[name] or longest > bundle_verify.MAX_LINE_BYTES:
            raise InputError(
                "bundle.too_large",
                size=len(events) >> 20,
                limit=bundle_verify.LIMITS["events.jsonl"] >> 20,
            )
