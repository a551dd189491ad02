"""Verify a Kura audit log bundle offline, with the Python standard library only.

This file is shipped, byte for byte, inside every bundle as ``verify_bundle.py``. An
auditor runs it with a stock ``python3`` (3.8 or newer) and needs neither Kura nor any
third-party package, so it imports nothing but the standard library, and nothing from
``desktop`` either. Read it before you run it: it is meant to be short enough to audit.

Usage, in the directory where the bundle was extracted (or naming the .zip)::

    python3 verify_bundle.py [BUNDLE] [--allowed-signers FILE] [--previous-checkpoint FILE]
                             [--check-value TYPE VALUE OPENING]

What it checks, in order; the first failure is reported on one line:

1. the bundle holds exactly the seven expected files and nothing else;
2. ``SHA256SUMS`` is strictly formatted, lists the five other content files and every
   digest matches;
3. ``SHA256SUMS.sig`` is a valid OpenSSH signature (SSHSIG, Ed25519; verified by the
   pure-Python Ed25519 below, RFC 8032 section 5.1.7) over ``SHA256SUMS`` in the
   ``kura-audit-bundle@v1`` namespace, by a key that ``allowed_signers`` lists for the
   checkpoint's identity. Pass ``--allowed-signers`` with a copy obtained out of band;
   without it the bundle's own file is used, which proves integrity but not authorship;
4. every line of ``events.jsonl`` is canonical JSON, sequence numbers are consecutive,
   every ``prev_hash`` links to the event before it, and every full event's payload
   digest and hash re-derive. A tombstone (payload removed by a retention purge) must be
   covered by a recorded purge; a redacted line (outside the export filter) only links;
   a pseudonymised line (personal data replaced by keyed pseudonyms, see below) keeps
   the original ``payload_sha256``, so its hash re-derives but its payload digest cannot
   (unless its payload holds no placeholder); where its actor or object holds one, the
   hash cannot re-derive either and the line only links, like a redacted one, until
   the value is disclosed (``--check-value``), which re-derives it;
5. ``checkpoint.json`` agrees with the events (range, count, hashes, RFC 6962 Merkle
   root over the event hashes);
6. with ``--previous-checkpoint``, this bundle continues that earlier checkpoint without
   rewriting any event it covered.

Pseudonymised bundles (``kura logs export --pseudonymise``): each personal value in a
payload (its texts and its keys) and in an event's actor and object is replaced by a
placeholder such as ``<PERSON:3f9a1c2b>``, the same one wherever it recurs, and the line carries
``"pseudonyms": {placeholder: commitment}``. The commitment is
``SHA-256("kura-pii-v1" 0x00 opening TYPE 0x00 VALUE)`` (UTF-8), the placeholder its type
and first hex digits. The 32-byte opening is secret (a keyed hash known only to the
exporting workspace), so the bundle reveals nothing about the values; when the workspace
Owner later discloses one value's opening (``kura logs prove``), check it with
``--check-value TYPE VALUE OPENING``: it says whether that value is one of the bundle's
pseudonyms, and which; an event whose actor or object held it then has its hash
re-derived with the value put back.
"""

from __future__ import annotations

import argparse
import array
import base64
import binascii
import bisect
import contextlib
import hashlib
import hmac
import io
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from contextlib import AbstractContextManager
    from typing import IO

    Point = tuple[int, int, int, int]

FORMAT = "kura-audit-bundle/1"
NAMESPACE = "kura-audit-bundle@v1"
GENESIS_HASH = "0" * 64
BUNDLE_FILES = (
    "events.jsonl",
    "checkpoint.json",
    "allowed_signers",
    "SHA256SUMS",
    "SHA256SUMS.sig",
    "verify_bundle.py",
    "VERIFY.txt",
)
#: The files SHA256SUMS lists, in the order it lists them.
SUMMED_FILES = tuple(sorted(n for n in BUNDLE_FILES if n not in ("SHA256SUMS", "SHA256SUMS.sig")))
PURGE_ACTION = "retention.purged"
FULL_KEYS = frozenset(
    ("seq", "ts", "actor", "action", "object", "payload", "payload_sha256", "prev_hash", "hash")
)
REDACTED_KEYS = frozenset(("seq", "prev_hash", "hash", "redacted"))
#: A full event whose payload is a pseudonymised view (payload_sha256 is the original's).
PSEUDONYMISED_KEYS = FULL_KEYS | {"pseudonyms"}
PII_SCHEME = b"kura-pii-v1"
#: A placeholder: the type and the first (at least 8) hex digits of its commitment.
_PLACEHOLDER = re.compile(r"<([A-Z][A-Z_]{0,31}):([0-9a-f]{8,64})>\Z")
_OPENING = re.compile(r"[0-9a-f]{64}\Z")
CHECKPOINT_KEYS = frozenset(
    (
        "format",
        "workspace_id",
        "first_seq",
        "last_seq",
        "count",
        "prev_hash",
        "head_hash",
        "merkle_root",
        "exported_at",
        "exporter",
        "app_version",
        "filter",
        "identity",
        "key_fingerprint",
        "purges",
    )
)
#: The most each file of a bundle may hold, checked against the zip's declared sizes
#: and again while reading. Memory stays bounded whatever a bundle holds: events.jsonl
#: is never held whole (one line at a time), the others are small.
LIMITS = {
    "events.jsonl": 1 << 30,
    "checkpoint.json": 4 << 20,
    "allowed_signers": 1 << 20,
    "SHA256SUMS": 4 << 10,
    "SHA256SUMS.sig": 4 << 10,
    "verify_bundle.py": 1 << 20,
    "VERIFY.txt": 1 << 20,
}
MAX_BUNDLE_BYTES = sum(LIMITS.values())
#: One line (event) of events.jsonl.
MAX_LINE_BYTES = 4 << 20
#: Distinct purge ranges kept to check tombstones against (touching ranges are merged).
MAX_PURGE_RANGES = 1 << 19
#: The zip's central directory (seven entries need a few hundred bytes) is read whole
#: by zipfile, so it is refused above these before zipfile sees it; a few extra entries
#: still get named ("unexpected entry ...").
MAX_DIRECTORY_BYTES = 64 << 10
MAX_ENTRIES = 64
CHUNK_BYTES = 1 << 18
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}\Z")


class BundleError(Exception):
    """A check failed; the message is the one-line reason."""


@dataclass(frozen=True)
class Report:
    """The outcome. ``ok``: every check passed; ``verified``: ok AND the signer was
    pinned by the caller (without a pin, ok proves integrity against the bundle's own
    key only: anyone can make such a bundle). ``reason`` names what is wrong (empty when
    ok); ``facts`` what was established."""

    ok: bool
    reason: str
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.ok and bool(self.facts.get("pinned"))

    @property
    def status(self) -> str:
        """``verified``, ``integrity-only`` (ok, signer not pinned) or ``failed``."""
        return "verified" if self.verified else "integrity-only" if self.ok else "failed"

    def summary(self) -> str:
        if not self.ok:
            return "FAILED: " + self.reason
        f = self.facts
        what = (
            "{count} events, seq {first_seq}..{last_seq} ({tombstones} tombstoned,"
            " {redacted} redacted{pseudo})"
        ).format(
            **f,
            pseudo=(f", {f.get('pseudonymised')} pseudonymised" if f.get("pseudonymised") else "")
            + (
                f", {f.get('masked_headers')} with a pseudonymised actor or object (linked only)"
                if f.get("masked_headers")
                else ""
            ),
        )
        if self.verified:
            src = "pinned key" if f["key_source"] == "pinned allowed_signers" else f["key_source"]
            return f"OK: {what}, signed by {f['identity']} with {f['key_fingerprint']} ({src})"
        return (
            f"INTEGRITY ONLY, signer NOT verified: {what} are intact and signed by"
            f" {f['key_fingerprint']}, a key the bundle names itself (anyone can make such a"
            " bundle). Pass --allowed-signers FILE or --fingerprint SHA256:... obtained out"
            " of band."
        )

    def value_summary(self) -> str | None:
        """One line on a ``check_value`` (None when none was asked for or the bundle
        failed before the events were read)."""
        check = self.facts.get("value_check") if self.ok else None
        if check is None:
            return None
        if check["found"]:
            rederived = (
                f"; with it put back, {check['rederived']} event hash(es) re-derive"
                if check.get("rederived")
                else ""
            )
            return (
                f"VALUE MATCHES: that {check['type']} value is {check['placeholder']}"
                f" in {check['events']} event(s) of this bundle{rederived}"
            )
        return (
            f"VALUE DOES NOT MATCH: that {check['type']} value and opening are not one of"
            " this bundle's pseudonyms"
        )

    @property
    def value_ok(self) -> bool:
        """No value was to be checked, or it was found."""
        check = self.facts.get("value_check")
        return check is None or bool(check["found"])


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---- the audit chain ----------------------------------------------------------------
# The one definition of the chain's hashes: desktop/core/audit.py imports these three.


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def pii_commitment(pii_type: str, value: str, opening: bytes) -> str:
    """The commitment to one personal value: what a pseudonymised bundle records."""
    material = PII_SCHEME + b"\x00" + opening + pii_type.encode("utf-8") + b"\x00"
    return hashlib.sha256(material + value.encode("utf-8")).hexdigest()


def pii_placeholder(pii_type: str, commitment: str, digits: int = 8) -> str:
    return f"<{pii_type}:{commitment[:digits]}>"


def is_opening(text: str) -> bool:
    """64 hex digits, as ``kura logs prove`` prints an opening."""
    return _OPENING.match(text.strip().lower()) is not None


def parse_opening(text: str) -> bytes:
    """An opening as printed by ``kura logs prove``: 64 hex digits."""
    value = text.strip().lower()
    if _OPENING.match(value) is None:
        raise BundleError(f"{text[:80]!r} is not an opening (64 hex digits)")
    return bytes.fromhex(value)


def event_hash(
    prev_hash: str, seq: int, ts: str, actor: str, action: str, obj: str, payload_sha256: str
) -> str:
    material = canonical_json([prev_hash, seq, ts, actor, action, obj, payload_sha256])
    return hashlib.sha256(material).hexdigest()


# ---- Ed25519 verification (RFC 8032 section 5.1.7) ----------------------------------
# Public data only, so no constant-time concerns. Points in extended coordinates
# (X, Y, Z, T) with x = X/Z, y = Y/Z, x*y = T/Z.

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)
_IDENTITY = (0, 1, 1, 0)


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_BASE = (_GX, _GY, 1, _GX * _GY % _P)


def _add(p1: Point, p2: Point) -> Point:
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % _P
    b = (y1 + x1) * (y2 + x2) % _P
    c = 2 * t1 * t2 * _D % _P
    d = 2 * z1 * z2 % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _double(p1: Point) -> Point:
    x1, y1, z1, _ = p1
    a = x1 * x1 % _P
    b = y1 * y1 % _P
    c = 2 * z1 * z1 % _P
    h = a + b
    e = h - (x1 + y1) * (x1 + y1)
    g = a - b
    f = c + g
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _encode(pt: Point) -> bytes:
    x, y, z, _ = pt
    zi = pow(z, _P - 2, _P)
    x, y = x * zi % _P, y * zi % _P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _decode(data: bytes) -> Point | None:
    """The point a 32-byte encoding names; None if non-canonical or not on the curve."""
    if len(data) != 32:
        return None
    n = int.from_bytes(data, "little")
    y, sign = n & ((1 << 255) - 1), n >> 255
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


def _double_scalar_mult(s: int, p1: Point, h: int, p2: Point) -> Point:
    """[s]p1 + [h]p2 (Shamir's trick: one shared chain of doublings)."""
    table = (_IDENTITY, p1, p2, _add(p1, p2))
    acc: Point = _IDENTITY
    for i in range(max(s.bit_length(), h.bit_length()) - 1, -1, -1):
        acc = _double(acc)
        idx = ((s >> i) & 1) | (((h >> i) & 1) << 1)
        if idx:
            acc = _add(acc, table[idx])
    return acc


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """RFC 8032 Ed25519 verification: [S]B == R + [k]A with S < L and canonical points."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decode(public_key)
    r = _decode(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little")
    neg_a = ((_P - a[0]) % _P, a[1], a[2], (_P - a[3]) % _P)
    # [S]B - [k]A must be R itself; R decoded canonically, so comparing encodings is exact.
    return _encode(_double_scalar_mult(s, _BASE, k % _L, neg_a)) == signature[:32]


# ---- OpenSSH signatures (PROTOCOL.sshsig) -------------------------------------------

SSHSIG_MAGIC = b"SSHSIG"
SSHSIG_BEGIN = "-----BEGIN SSH SIGNATURE-----"
SSHSIG_END = "-----END SSH SIGNATURE-----"
SSHSIG_HASHES = ("sha512", "sha256")
ED25519 = b"ssh-ed25519"


class _Wire:
    """Reads SSH wire encoding (RFC 4251: uint32 and length-prefixed strings)."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data, self.pos, self.what = data, 0, what

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise BundleError(f"{self.what}: truncated SSH wire data")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def uint32(self) -> int:
        return int.from_bytes(self.take(4), "big")

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.pos != len(self.data):
            raise BundleError(f"{self.what}: trailing bytes")


def ssh_string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def ed25519_key_blob(public_key: bytes) -> bytes:
    return ssh_string(ED25519) + ssh_string(public_key)


def key_fingerprint(key_blob: bytes) -> str:
    """``SHA256:`` + unpadded base64 of SHA-256 of the key blob, as ``ssh-keygen -l``."""
    digest = base64.b64encode(hashlib.sha256(key_blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def ed25519_public_key(key_blob: bytes, what: str) -> bytes:
    """The 32 raw bytes of an ``ssh-ed25519`` key blob; BundleError for anything else."""
    wire = _Wire(key_blob, what)
    key_type = wire.string()
    if key_type != ED25519:
        raise BundleError(f"{what}: key type {key_type[:40]!r} is not ssh-ed25519")
    public = wire.string()
    wire.end()
    if len(public) != 32:
        raise BundleError(f"{what}: Ed25519 key is not 32 bytes")
    return public


def armor(blob: bytes) -> str:
    """The armored form ``ssh-keygen -Y sign`` writes (base64 wrapped at 70 columns)."""
    b64 = base64.b64encode(blob).decode("ascii")
    lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
    return "\n".join([SSHSIG_BEGIN, *lines, SSHSIG_END]) + "\n"


def dearmor(text: bytes) -> bytes:
    """The signature blob; only the exact form ``armor`` writes is accepted."""
    try:
        decoded = text.decode("ascii")
    except UnicodeDecodeError:
        raise BundleError("SHA256SUMS.sig is not ASCII") from None
    lines = decoded.split("\n")
    if len(lines) < 4 or lines[0] != SSHSIG_BEGIN or lines[-2:] != [SSHSIG_END, ""]:
        raise BundleError("SHA256SUMS.sig is not an armored SSH signature")
    try:
        blob = base64.b64decode("".join(lines[1:-2]), validate=True)
    except (binascii.Error, ValueError):
        raise BundleError("SHA256SUMS.sig: invalid base64") from None
    if armor(blob) != decoded:
        raise BundleError("SHA256SUMS.sig: armor is not in canonical form")
    return blob


@dataclass(frozen=True)
class SshSig:
    public_key_blob: bytes
    namespace: bytes
    reserved: bytes
    hash_algorithm: bytes
    signature: bytes  # the raw 64-byte Ed25519 signature


def parse_sshsig(blob: bytes) -> SshSig:
    wire = _Wire(blob, "SHA256SUMS.sig")
    if wire.take(6) != SSHSIG_MAGIC:
        raise BundleError("SHA256SUMS.sig: not an SSHSIG blob")
    version = wire.uint32()
    if version != 1:
        raise BundleError(f"SHA256SUMS.sig: unsupported SSHSIG version {version}")
    key_blob, namespace, reserved, hash_alg, sig_blob = (wire.string() for _ in range(5))
    wire.end()
    inner = _Wire(sig_blob, "SHA256SUMS.sig signature")
    sig_type, raw = inner.string(), inner.string()
    inner.end()
    if sig_type != ED25519 or len(raw) != 64:
        raise BundleError("SHA256SUMS.sig: only ssh-ed25519 signatures are accepted")
    return SshSig(key_blob, namespace, reserved, hash_alg, raw)


def sshsig_signed_data(namespace: bytes, reserved: bytes, hash_alg: bytes, message: bytes) -> bytes:
    digest = hashlib.new(hash_alg.decode("ascii"), message).digest()
    return (
        SSHSIG_MAGIC
        + ssh_string(namespace)
        + ssh_string(reserved)
        + ssh_string(hash_alg)
        + ssh_string(digest)
    )


def verify_sshsig(armored: bytes, message: bytes, namespace: str) -> SshSig:
    """Check an armored SSHSIG over ``message``; return it parsed, or raise BundleError."""
    sig = parse_sshsig(dearmor(armored))
    if sig.namespace != namespace.encode("utf-8"):
        raise BundleError(
            f"SHA256SUMS.sig is for namespace {sig.namespace[:60]!r}, not {namespace}"
        )
    if sig.reserved:
        raise BundleError("SHA256SUMS.sig: reserved field is not empty")
    if sig.hash_algorithm.decode("ascii", "replace") not in SSHSIG_HASHES:
        raise BundleError(f"SHA256SUMS.sig: unsupported hash {sig.hash_algorithm[:20]!r}")
    public = ed25519_public_key(sig.public_key_blob, "SHA256SUMS.sig")
    signed = sshsig_signed_data(sig.namespace, sig.reserved, sig.hash_algorithm, message)
    if not ed25519_verify(public, signed, sig.signature):
        raise BundleError("SHA256SUMS.sig is not a valid signature of SHA256SUMS")
    return sig


# ---- allowed_signers (ssh-keygen(1), ALLOWED SIGNERS) -------------------------------


@dataclass(frozen=True)
class Signer:
    line: int
    principals: str  # comma-separated patterns
    namespaces: str | None  # comma-separated patterns, None when the option is absent
    key_blob: bytes
    unsupported: str | None  # an option this verifier does not handle: the line is unusable


def _tokens(line: str) -> list[str]:
    """Split on whitespace outside double quotes (quotes kept)."""
    out, cur, quoted = [], "", False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch.isspace() and not quoted:
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
    if quoted:
        raise ValueError("unbalanced quote")
    if cur:
        out.append(cur)
    return out


def _split_options(text: str) -> list[str]:
    out, cur, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _looks_like_key_type(token: str) -> bool:
    return token.startswith(("ssh-", "ecdsa-", "sk-", "rsa-"))


def _parse_signer_line(number: int, line: str) -> Signer:
    tokens = _tokens(line)
    if len(tokens) < 3:
        raise ValueError("too few fields")
    principals = tokens[0].strip('"')
    rest = tokens[1:]
    namespaces: str | None = None
    unsupported: str | None = None
    if not _looks_like_key_type(rest[0]):
        for option in _split_options(rest.pop(0)):
            name, _, value = option.partition("=")
            if name.lower() == "namespaces" and value.startswith('"') and value.endswith('"'):
                namespaces = value[1:-1]
            else:
                unsupported = unsupported or name
    if len(rest) < 2:
        raise ValueError("no key")
    key_type, key_b64 = rest[0], rest[1]
    try:
        blob = base64.b64decode(key_b64, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("key is not base64") from None
    if key_type == "ssh-ed25519":
        ed25519_public_key(blob, f"allowed_signers line {number}")
    return Signer(number, principals, namespaces, blob, unsupported)


def parse_allowed_signers(text: str) -> list[Signer]:
    """The usable lines of an allowed_signers file; BundleError if one is malformed."""
    signers = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            signers.append(_parse_signer_line(number, line))
        except ValueError as exc:
            raise BundleError(f"allowed_signers line {number} is malformed: {exc}") from None
    return signers


def _segment_pieces(segment: str) -> list[tuple[int, str]]:
    """The literal runs of a ``*``-free segment, with their offsets (``?`` between)."""
    pieces, start = [], 0
    for part in segment.split("?"):
        if part:
            pieces.append((start, part))
        start += len(part) + 1
    return pieces


def _fits(value: str, at: int, pieces: Sequence[tuple[int, str]]) -> bool:
    return all(value.startswith(part, at + off) for off, part in pieces)


def _find_segment(value: str, start: int, end: int, segment: str) -> int:
    """The leftmost index >= ``start`` where ``segment`` (literals and ``?``) fits
    before ``end``; -1 if none. Candidates come from ``str.find`` of the segment's
    longest literal run, so each stretch of ``value`` is scanned once."""
    size = len(segment)
    pieces = _segment_pieces(segment)
    if not pieces:
        return start if start + size <= end else -1
    anchor_off, anchor = max(pieces, key=lambda p: len(p[1]))
    while True:
        hit = value.find(anchor, start + anchor_off, end)
        if hit < 0 or hit - anchor_off + size > end:
            return -1
        at = hit - anchor_off
        if _fits(value, at, pieces):
            return at
        start = at + 1


def match_pattern(value: str, pattern: str) -> bool:
    """OpenSSH ``match_pattern``: ``*`` matches any run of characters (empty too), ``?``
    exactly one, everything else itself. No backtracking over stars: the pattern is cut
    at its stars; the first segment must start the value, the last end it, and every
    segment between is placed at its leftmost fit after the one before (leftmost is
    always safe, since a star can absorb whatever lies between). Nothing is ever
    retried, so the time is linear in the value for segments of plain characters
    (``str.find``) and at worst value length x segment length where a segment mixes in
    ``?``; it never grows with the number of stars."""
    segments = pattern.split("*")
    if len(segments) == 1:
        return len(value) == len(pattern) and _fits(value, 0, _segment_pieces(pattern))
    head, *middle, tail = segments
    if len(head) + len(tail) > len(value):
        return False
    if not _fits(value, 0, _segment_pieces(head)):
        return False
    end = len(value) - len(tail)
    if not _fits(value, end, _segment_pieces(tail)):
        return False
    pos = len(head)
    for segment in middle:
        if not segment:
            continue
        at = _find_segment(value, pos, end, segment)
        if at < 0:
            return False
        pos = at + len(segment)
    return True


def match_pattern_list(value: str, patterns: str) -> bool:
    """OpenSSH pattern lists: comma-separated, ``*`` and ``?`` wildcards, ``!`` negates."""
    matched = False
    for pattern in patterns.split(","):
        if pattern.startswith("!"):
            if match_pattern(value, pattern[1:]):
                return False
        elif match_pattern(value, pattern):
            matched = True
    return matched


def authorize(signers: Sequence[Signer], key_blob: bytes, identity: str, where: str) -> Signer:
    """The allowed_signers line that lets ``key_blob`` sign as ``identity``."""
    fp = key_fingerprint(key_blob)
    with_key = [s for s in signers if s.key_blob == key_blob]
    if not with_key:
        raise BundleError(f"signing key {fp} is not listed in {where}")
    for_identity = [s for s in with_key if match_pattern_list(identity, s.principals)]
    if not for_identity:
        raise BundleError(f"{where} does not list key {fp} for identity {identity!r}")
    for s in for_identity:
        if s.unsupported is None and (
            s.namespaces is None or match_pattern_list(NAMESPACE, s.namespaces)
        ):
            return s
    bad = for_identity[0]
    if bad.unsupported is not None:
        raise BundleError(
            f"{where} line {bad.line}: option {bad.unsupported!r} is not supported here"
        )
    raise BundleError(f"{where} line {bad.line}: namespaces= does not include {NAMESPACE}")


# ---- reading the bundle -------------------------------------------------------------
# Bounded: a hostile bundle must not exhaust the auditor's machine. The zip's directory
# is size-checked before zipfile parses it; each member's declared size is checked
# against its limit, and the bytes are counted again while they stream (declared sizes
# can lie); only stored and deflated members are read; events.jsonl is never held whole.


class _Members:
    """The bundle's seven files, each opened on demand and read within its limit."""

    def __init__(self, opener: Callable[[str], IO[bytes]]) -> None:
        self._open = opener
        self._total = 0

    def chunks(self, name: str) -> Iterator[bytes]:
        limit, read = LIMITS[name], 0
        try:
            with self._open(name) as fh:
                while True:
                    chunk = fh.read(CHUNK_BYTES)
                    if not chunk:
                        return
                    read += len(chunk)
                    self._total += len(chunk)
                    if read > limit:
                        raise BundleError(f"{name} is larger than its limit of {limit} bytes")
                    if self._total > MAX_BUNDLE_BYTES:
                        raise BundleError(f"bundle is larger than {MAX_BUNDLE_BYTES} bytes")
                    yield chunk
        except BundleError:
            raise
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error, ValueError) as exc:
            raise BundleError(f"cannot read {name}: {type(exc).__name__}: {exc}") from None

    def read(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


def _check_names(names: Sequence[str]) -> None:
    seen: set[str] = set()
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if name.endswith("/"):
            raise BundleError(f"bundle holds a directory entry {name!r}")
        if name.startswith(("/", "\\")) or ":" in name or ".." in parts:
            raise BundleError(f"bundle holds an unsafe entry name {name!r}")
        if name in seen:
            raise BundleError(f"bundle holds {name!r} twice")
        if name not in BUNDLE_FILES:
            raise BundleError(f"bundle holds an unexpected entry {name!r}")
        seen.add(name)
    missing = [n for n in BUNDLE_FILES if n not in seen]
    if missing:
        raise BundleError("bundle is missing " + ", ".join(missing))


def _check_declared(name: str, size: int) -> None:
    if size > LIMITS[name]:
        raise BundleError(f"{name} is larger than its limit of {LIMITS[name]} bytes")


_EOCD = struct.Struct("<4s4H2LH")


def _check_zip_directory(fh: IO[bytes]) -> None:
    """Refuse a central directory far bigger than seven entries need (zipfile would read
    a million-entry one whole into memory) and ZIP64 records (a bundle never needs them)."""
    size = fh.seek(0, os.SEEK_END)
    if size < _EOCD.size:
        raise BundleError("cannot read the bundle zip: too short to be a zip")
    fh.seek(max(0, size - (_EOCD.size + 0xFFFF + 20)))
    tail = fh.read()
    at = len(tail) - _EOCD.size
    if tail[at : at + 4] != b"PK\x05\x06":
        at = tail.rfind(b"PK\x05\x06", 0, at)
    if at < 0:
        raise BundleError("cannot read the bundle zip: no end of central directory")
    _, _, _, on_disk, entries, cd_size, _, _ = _EOCD.unpack(tail[at : at + _EOCD.size])
    if at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        raise BundleError("bundle zip uses ZIP64 records; a bundle never needs them")
    if max(on_disk, entries) > MAX_ENTRIES or cd_size > MAX_DIRECTORY_BYTES:
        raise BundleError(
            f"bundle zip lists {entries} entries in a {cd_size}-byte directory;"
            f" a bundle holds {len(BUNDLE_FILES)} files"
        )


def _zip_members(zf: zipfile.ZipFile) -> _Members:
    infos = zf.infolist()
    _check_names([i.filename for i in infos])
    for info in infos:
        if info.flag_bits & 0x1:
            raise BundleError(f"{info.filename} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BundleError(
                f"{info.filename} uses compression method {info.compress_type};"
                " only stored and deflated are accepted"
            )
        _check_declared(info.filename, info.file_size)
    return _Members(zf.open)


@contextlib.contextmanager
def _open_zip(source: IO[bytes]) -> Iterator[_Members]:
    try:
        _check_zip_directory(source)
        zf = zipfile.ZipFile(source)
    except BundleError:
        raise
    except Exception as exc:  # a damaged zip can fail in many ways; all mean "unreadable"
        raise BundleError(f"cannot read the bundle zip: {type(exc).__name__}: {exc}") from None
    with zf:
        yield _zip_members(zf)


@contextlib.contextmanager
def _open_path(path: str) -> Iterator[_Members]:
    if os.path.isdir(path):
        yield _dir_members(path)
        return
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the members are read
    except OSError as exc:
        raise BundleError(f"cannot read the bundle zip: {exc}") from None
    with fh, _open_zip(fh) as members:
        yield members


def _dir_members(path: str) -> _Members:
    names: list[str] = []
    with os.scandir(path) as entries:
        for entry in entries:
            names.append(entry.name)
            if len(names) > len(BUNDLE_FILES):
                break  # enough to name an unexpected entry; never list a huge folder
    _check_names(sorted(names))
    for name in names:
        st = os.lstat(os.path.join(path, name))
        if not stat.S_ISREG(st.st_mode):
            raise BundleError(f"{name} is not a regular file")
        _check_declared(name, st.st_size)
    return _Members(lambda name: open(os.path.join(path, name), "rb"))


def _memory_members(files: dict[str, bytes]) -> _Members:
    _check_names(sorted(files))
    return _Members(lambda name: io.BytesIO(files[name]))


# ---- strict JSON --------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def strict_json(data: bytes, what: str, *, canonical: bool = True) -> Any:
    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(f"{what} is not valid JSON: {exc}") from None
    if canonical:
        try:
            same = canonical_json(value) == data
        except (ValueError, UnicodeEncodeError):
            same = False
        if not same:
            raise BundleError(f"{what} is not canonical JSON")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_hex64(value: Any) -> bool:
    return isinstance(value, str) and _HEX64.match(value) is not None


# ---- SHA256SUMS ---------------------------------------------------------------------


def sha256sums(files: dict[str, bytes]) -> bytes:
    """The exact SHA256SUMS text for ``files`` (the writer uses this too)."""
    return "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in SUMMED_FILES
    ).encode("ascii")


def parse_sums(sums: bytes) -> dict[str, str]:
    """The digests SHA256SUMS lists, by file; BundleError unless strictly formatted."""
    lines = sums.split(b"\n")
    if lines[-1] != b"" or len(lines) != len(SUMMED_FILES) + 1:
        raise BundleError(f"SHA256SUMS must list exactly {len(SUMMED_FILES)} files")
    digests = {}
    for line, name in zip(lines, SUMMED_FILES):  # noqa: B905 (3.8: no strict=)
        m = re.fullmatch(rb"([0-9a-f]{64})  ([A-Za-z0-9_.]+)", line)
        if m is None:
            raise BundleError("SHA256SUMS has a malformed line")
        if m.group(2).decode("ascii") != name:
            raise BundleError(f"SHA256SUMS must list {', '.join(SUMMED_FILES)} in that order")
        digests[name] = m.group(1).decode("ascii")
    return digests


# ---- checkpoint ---------------------------------------------------------------------


def check_checkpoint_shape(cp: Any, what: str) -> dict[str, Any]:
    if not isinstance(cp, dict) or set(cp) != CHECKPOINT_KEYS:
        raise BundleError(f"{what} does not have the checkpoint fields")
    if cp["format"] != FORMAT:
        raise BundleError(f"{what}: unknown format {str(cp['format'])[:40]!r}")
    for key in ("first_seq", "last_seq", "count"):
        if not _is_int(cp[key]):
            raise BundleError(f"{what}: {key} is not an integer")
    for key in ("prev_hash", "head_hash", "merkle_root"):
        if not _is_hex64(cp[key]):
            raise BundleError(f"{what}: {key} is not a SHA-256 hex digest")
    for key in ("workspace_id", "exported_at", "exporter", "app_version", "identity"):
        if not isinstance(cp[key], str):
            raise BundleError(f"{what}: {key} is not a string")
    if not isinstance(cp["key_fingerprint"], str) or not isinstance(cp["filter"], dict):
        raise BundleError(f"{what}: key_fingerprint or filter has the wrong type")
    if not isinstance(cp["purges"], list):
        raise BundleError(f"{what}: purges is not a list")
    return cp


def _ranges(value: Any, purge_seq: int, what: str) -> list[tuple[int, int]]:
    """Validated purge ranges: [[a, b], ...] with 1 <= a <= b < purge_seq."""
    if not isinstance(value, list):
        raise BundleError(f"{what}: ranges is not a list")
    out = []
    for r in value:
        if not (isinstance(r, list) and len(r) == 2 and all(_is_int(x) for x in r)):
            raise BundleError(f"{what}: a range is not [first, last]")
        if not 1 <= r[0] <= r[1] < purge_seq:
            raise BundleError(f"{what}: range {r} is not before the purge")
        out.append((r[0], r[1]))
    return out


# ---- events -------------------------------------------------------------------------
# events.jsonl is checked as it streams, one line at a time: what is kept is a Merkle
# stack (one hash per level), the runs of tombstoned events and the purge ranges.


def _check_event_shape(ev: Any, number: int) -> None:
    where = f"events.jsonl line {number}"
    if not isinstance(ev, dict):
        raise BundleError(f"{where} is not an object")
    if set(ev) == REDACTED_KEYS:
        if ev["redacted"] is not True:
            raise BundleError(f"{where}: redacted must be true")
    elif set(ev) in (FULL_KEYS, PSEUDONYMISED_KEYS):
        if "pseudonyms" in ev:
            _check_pseudonyms(ev, where)
        for key in ("ts", "actor", "action", "object"):
            if not isinstance(ev[key], str):
                raise BundleError(f"{where}: {key} is not a string")
        if ev["payload"] is not None and not isinstance(ev["payload"], dict):
            raise BundleError(f"{where}: payload is neither an object nor null")
        if not _is_hex64(ev["payload_sha256"]):
            raise BundleError(f"{where}: payload_sha256 is not a SHA-256 hex digest")
    else:
        raise BundleError(f"{where} does not have the fields of an event")
    if not _is_int(ev["seq"]) or ev["seq"] < 1:
        raise BundleError(f"{where}: seq is not a positive integer")
    if not (_is_hex64(ev["prev_hash"]) and _is_hex64(ev["hash"])):
        raise BundleError(f"{where}: prev_hash or hash is not a SHA-256 hex digest")


def _check_pseudonyms(ev: dict[str, Any], where: str) -> None:
    """A pseudonymised view: a payload object (or a tombstone's null), and placeholders
    that each name a commitment they abbreviate and that each occur in the payload, the
    actor or the object."""
    pseudonyms, payload = ev["pseudonyms"], ev["payload"]
    if (
        not (payload is None or isinstance(payload, dict))
        or not isinstance(pseudonyms, dict)
        or not pseudonyms
        or not all(isinstance(ev[k], str) for k in ("actor", "object"))
    ):
        raise BundleError(f"{where}: a pseudonymised payload needs an object and its pseudonyms")
    text = "\n".join((_payload_text(payload), ev["actor"], ev["object"]))
    for placeholder, commitment in pseudonyms.items():
        match = _PLACEHOLDER.match(placeholder)
        if match is None or not _is_hex64(commitment):
            raise BundleError(f"{where}: {placeholder[:80]!r} is not a placeholder and commitment")
        if not commitment.startswith(match.group(2)) or placeholder not in text:
            raise BundleError(f"{where}: pseudonym {placeholder} does not match its payload")


def _payload_text(payload: dict[str, Any] | None) -> str:
    return "" if payload is None else canonical_json(payload).decode("utf-8")


class MerkleStack:
    """RFC 6962 Merkle Tree Hash computed leaf by leaf: the stack holds the roots of the
    perfect subtrees so far, largest first; folding it from the right gives the root."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []

    def add(self, leaf: bytes) -> None:
        size, node = 1, hashlib.sha256(b"\x00" + leaf).digest()
        while self._stack and self._stack[-1][0] == size:
            _, left = self._stack.pop()
            size, node = size * 2, hashlib.sha256(b"\x01" + left + node).digest()
        self._stack.append((size, node))

    def root(self) -> str:
        if not self._stack:
            return hashlib.sha256(b"").hexdigest()
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = hashlib.sha256(b"\x01" + left + node).digest()
        return node.hex()


def merkle_root(hashes: Iterable[str]) -> str:
    """RFC 6962 Merkle Tree Hash over the event hashes (each leaf is the 32 hash bytes)."""
    stack = MerkleStack()
    for h in hashes:
        stack.add(bytes.fromhex(h))
    return stack.root()


class _Ranges:
    """Inclusive seq ranges in a flat array; a range that continues the last one extends
    it, so the usual sorted input stays one range."""

    def __init__(self, what: str, limit: int) -> None:
        self.flat = array.array("q")
        self.what, self.limit = what, limit

    def add(self, first: int, last: int) -> None:
        flat = self.flat
        if flat and flat[-2] <= first <= flat[-1] + 1:
            flat[-1] = max(flat[-1], last)
            return
        if len(flat) >= 2 * self.limit:
            raise BundleError(f"bundle records more than {self.limit} {self.what}")
        flat.extend((first, last))

    def merged(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the union, sorted and disjoint (touching ranges joined)."""
        flat = self.flat
        order = sorted(range(len(flat) // 2), key=lambda i: flat[2 * i])
        starts: list[int] = []
        ends: list[int] = []
        for i in order:
            a, b = flat[2 * i], flat[2 * i + 1]
            if ends and a <= ends[-1] + 1:
                ends[-1] = max(ends[-1], b)
            else:
                starts.append(a)
                ends.append(b)
        return starts, ends


class EventCheck:
    """Rules 4-6 over events.jsonl, fed one line at a time (``add``), then ``finish``."""

    def __init__(
        self,
        cp: dict[str, Any],
        prev: dict[str, Any] | None,
        value: tuple[str, str] | None = None,
        disclosed: str | None = None,
    ) -> None:
        self.cp, self.prev = cp, prev
        self.count = self.redacted = self.tombstones = self.pseudonymised = 0
        #: events whose actor or object holds a placeholder (their hash only links)
        self.masked_headers = 0
        #: (type, commitment) of a disclosed value to look for; where it was found.
        self.value, self.value_placeholder, self.value_events = value, "", 0
        #: the disclosed value itself; how many masked headers it re-derived
        self.disclosed, self.value_rederived = disclosed, 0
        self.first_seq, self.first_prev, self.last_hash = 0, "", ""
        self.merkle = MerkleStack()
        self.runs = _Ranges("tombstone runs", 1 << 62)  # bounded by the file's size
        self.purged = _Ranges("purge ranges", MAX_PURGE_RANGES)
        self.cp_purges: dict[int, Any] = {}
        for number, purge in enumerate(cp["purges"], start=1):
            what = f"checkpoint purge {number}"
            if not isinstance(purge, dict) or set(purge) != {"seq", "ranges"}:
                raise BundleError(f"{what} is not {{seq, ranges}}")
            if not _is_int(purge["seq"]):
                raise BundleError(f"{what}: seq is not an integer")
            for a, b in _ranges(purge["ranges"], purge["seq"], what):
                self.purged.add(a, b)
            self.cp_purges.setdefault(purge["seq"], []).append((number, purge["ranges"]))
        self.prev_head: str | None = None
        self.prev_merkle = MerkleStack()

    def add(self, line: bytes) -> None:
        number = self.count + 1
        ev = strict_json(line, f"events.jsonl line {number}")
        _check_event_shape(ev, number)
        self._link(ev, number)
        self._note(ev)
        if "redacted" in ev:
            self.redacted += 1
        else:
            self._check_full(ev)

    def _link(self, ev: dict[str, Any], number: int) -> None:
        seq = ev["seq"]
        if self.count == 0:
            self.first_seq, self.first_prev = seq, ev["prev_hash"]
            if seq == 1 and ev["prev_hash"] != GENESIS_HASH:
                raise BundleError("event 1 does not start from the genesis hash")
        elif seq != self.first_seq + self.count:
            raise BundleError(
                f"events.jsonl line {number} holds event {seq}, expected"
                f" {self.first_seq + self.count} (gap, deletion or reorder)"
            )
        elif ev["prev_hash"] != self.last_hash:
            raise BundleError(f"event {seq} does not link to event {seq - 1}")
        self.count, self.last_hash = number, ev["hash"]

    def _note(self, ev: dict[str, Any]) -> None:
        """Feed the Merkle stacks; check an event a checkpoint purge names."""
        seq = ev["seq"]
        self.merkle.add(bytes.fromhex(ev["hash"]))
        if self.prev is not None:
            if seq == self.prev["last_seq"]:
                self.prev_head = ev["hash"]
            if self.prev["first_seq"] <= seq <= self.prev["last_seq"]:
                self.prev_merkle.add(bytes.fromhex(ev["hash"]))
        for where, ranges in self.cp_purges.get(seq, ()):
            if "action" in ev and ev["action"] != PURGE_ACTION:
                raise BundleError(f"checkpoint purge {where}: event {seq} is not a purge")
            payload = ev.get("payload")
            if payload is not None and payload.get("ranges") != ranges:
                raise BundleError(
                    f"checkpoint purge {where} does not match the ranges of event {seq}"
                )

    def _check_full(self, ev: dict[str, Any]) -> None:
        seq = ev["seq"]
        pseudonyms: dict[str, str] = ev.get("pseudonyms") or {}
        masked = pseudonyms and any(p in _payload_text(ev["payload"]) for p in pseudonyms)
        if pseudonyms:
            self._note_pseudonyms(pseudonyms)
        if ev["payload"] is None:
            self.tombstones += 1
            self.runs.add(seq, seq)
        elif not masked and payload_digest(ev["payload"]) != ev["payload_sha256"]:
            raise BundleError(f"event {seq} payload does not match its payload_sha256")
        header = self._header(ev, pseudonyms)
        if header is not None:
            derived = event_hash(
                ev["prev_hash"], seq, ev["ts"], header[0], ev["action"], header[1],
                ev["payload_sha256"],
            )  # fmt: skip
            if derived != ev["hash"]:
                raise BundleError(f"event {seq} hash does not match its contents")
        if ev["action"] == PURGE_ACTION and isinstance(ev["payload"], dict):
            for a, b in _ranges(ev["payload"].get("ranges"), seq, f"purge event {seq}"):
                self.purged.add(a, b)

    def _header(self, ev: dict[str, Any], pseudonyms: dict[str, str]) -> tuple[str, str] | None:
        """(actor, object) to re-derive the hash with: as written, or with a disclosed
        value put back; None while a placeholder in them stays undisclosed."""
        actor, obj = ev["actor"], ev["object"]
        held = [p for p in pseudonyms if p in actor or p in obj]
        if not held:
            return actor, obj
        self.masked_headers += 1
        if self.value is None or self.disclosed is None:
            return None
        mine = [p for p in held if hmac.compare_digest(pseudonyms[p], self.value[1])]
        if len(mine) != len(held):
            return None
        self.value_rederived += 1
        return actor.replace(mine[0], self.disclosed), obj.replace(mine[0], self.disclosed)

    def _note_pseudonyms(self, pseudonyms: dict[str, str]) -> None:
        self.pseudonymised += 1
        if self.value is None:
            return
        pii_type, commitment = self.value
        for placeholder, c in pseudonyms.items():
            if hmac.compare_digest(c, commitment) and placeholder.startswith(f"<{pii_type}:"):
                self.value_placeholder = placeholder
                self.value_events += 1

    def finish(self) -> str | None:
        """The checks that need every event; returns how the bundle continues the
        previous checkpoint (None without one)."""
        if self.count == 0:
            raise BundleError("events.jsonl holds no events")
        self._check_tombstones()
        expect = {
            "first_seq": self.first_seq,
            "last_seq": self.first_seq + self.count - 1,
            "count": self.count,
            "prev_hash": self.first_prev,
            "head_hash": self.last_hash,
            "merkle_root": self.merkle.root(),
        }
        for key, value in expect.items():
            if self.cp[key] != value:
                raise BundleError(f"checkpoint.json {key} does not match events.jsonl")
        return None if self.prev is None else self._check_previous(self.prev)

    def _check_tombstones(self) -> None:
        starts, ends = self.purged.merged()
        runs = self.runs.flat
        for i in range(0, len(runs), 2):
            a, b = runs[i], runs[i + 1]
            k = bisect.bisect_right(starts, a) - 1
            if k < 0 or ends[k] < a:
                raise BundleError(f"event {a} lost its payload outside any recorded purge")
            if ends[k] < b:
                raise BundleError(
                    f"event {ends[k] + 1} lost its payload outside any recorded purge"
                )

    def _check_previous(self, prev: dict[str, Any]) -> str:
        """Rule 6: this bundle continues ``prev`` without rewriting it. Returns how."""
        cp = self.cp
        first, last = prev["first_seq"], prev["last_seq"]
        if not 1 <= first <= last or prev["count"] != last - first + 1:
            raise BundleError("previous checkpoint: first_seq, last_seq and count do not agree")
        if prev["workspace_id"] != cp["workspace_id"]:
            raise BundleError(
                f"previous checkpoint is for workspace {prev['workspace_id']!r},"
                f" this bundle for {cp['workspace_id']!r}"
            )
        first, p_first, p_last = cp["first_seq"], prev["first_seq"], prev["last_seq"]
        if p_last > cp["last_seq"]:
            raise BundleError(
                f"previous checkpoint reaches event {p_last}, beyond this bundle's last event"
                f" {cp['last_seq']}"
            )
        if p_last >= first:
            if self.prev_head != prev["head_hash"]:
                raise BundleError(
                    f"event {p_last} differs from the previous checkpoint's head"
                    " (history rewritten)"
                )
            if p_first >= first:
                if self.prev_merkle.root() != prev["merkle_root"]:
                    raise BundleError(
                        f"events {p_first}..{p_last} do not match the previous checkpoint's"
                        " merkle_root (history rewritten)"
                    )
                return f"covers the previous checkpoint's events {p_first}..{p_last}"
            return f"contains the previous checkpoint's head event {p_last}"
        if p_last + 1 == first:
            if cp["prev_hash"] != prev["head_hash"]:
                raise BundleError("first event does not link to the previous checkpoint's head")
            return f"links to the previous checkpoint's head event {p_last}"
        raise BundleError(
            f"does not continue the previous checkpoint: events {p_last + 1}..{first - 1}"
            " are missing"
        )


def check_events(members: _Members, digest: str, check: EventCheck) -> None:
    """Stream events.jsonl through ``check`` line by line while hashing it. A digest
    mismatch is reported before whatever the content check found (a tampered file is
    named as such); after a content failure the rest is only hashed."""
    sha = hashlib.sha256()
    failure: BundleError | None = None
    parts: list[bytes] = []
    pending = 0
    for chunk in members.chunks("events.jsonl"):
        sha.update(chunk)
        if failure is not None:
            continue
        try:
            start = 0
            while True:
                end = chunk.find(b"\n", start)
                if end < 0:
                    break
                parts.append(chunk[start:end])
                line, parts, pending = b"".join(parts), [], 0
                check.add(line)
                start = end + 1
            if start < len(chunk):
                parts.append(chunk[start:])
                pending += len(chunk) - start
                if pending > MAX_LINE_BYTES:
                    raise BundleError(
                        f"events.jsonl line {check.count + 1} is longer than {MAX_LINE_BYTES} bytes"
                    )
        except BundleError as exc:
            failure, parts = exc, []
    if sha.hexdigest() != digest:
        raise BundleError("events.jsonl does not match its SHA256SUMS digest")
    if failure is not None:
        raise failure
    if parts:
        raise BundleError("events.jsonl does not end with a newline")


# ---- the whole bundle ---------------------------------------------------------------


def is_fingerprint(value: str) -> bool:
    """``SHA256:`` and 43 base64 characters, as ``ssh-keygen -l`` prints a key's."""
    return _FINGERPRINT.match(value.strip()) is not None


def _check_fingerprint(value: str) -> str:
    value = value.strip()
    if _FINGERPRINT.match(value) is None:
        raise BundleError(f"{value[:60]!r} is not a key fingerprint (SHA256: and 43 characters)")
    return value


def check_bundle(
    members: _Members,
    allowed_signers: str | None = None,
    previous_checkpoint: str | None = None,
    into: dict[str, Any] | None = None,
    fingerprint: str | None = None,
    check_value: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Rules 2-6; returns the facts (also gathered ``into`` a given dict as they are
    established, so a caller keeps them on failure) or raises BundleError. The small
    files and the signature are checked before events.jsonl is read at all.
    ``check_value``: (TYPE, VALUE, OPENING hex) of a disclosed value; the facts then say
    under ``value_check`` whether it is one of the bundle's pseudonyms."""
    facts: dict[str, Any] = {} if into is None else into
    pinned_fp = None if fingerprint is None else _check_fingerprint(fingerprint)
    value = _value_target(check_value)
    sums = members.read("SHA256SUMS")
    digests = parse_sums(sums)
    kept = {}
    for name in SUMMED_FILES:
        if name != "events.jsonl":
            data = members.read(name)
            if hashlib.sha256(data).hexdigest() != digests[name]:
                raise BundleError(f"{name} does not match its SHA256SUMS digest")
            kept[name] = data
    cp_bytes = kept["checkpoint.json"]
    if not cp_bytes.endswith(b"\n"):
        raise BundleError("checkpoint.json does not end with a newline")
    cp = check_checkpoint_shape(strict_json(cp_bytes[:-1], "checkpoint.json"), "checkpoint.json")
    facts.update(workspace_id=cp["workspace_id"], identity=cp["identity"])

    sig = verify_sshsig(members.read("SHA256SUMS.sig"), sums, NAMESPACE)
    fp = key_fingerprint(sig.public_key_blob)
    facts.update(key_fingerprint=fp, hash_algorithm=sig.hash_algorithm.decode("ascii"))
    if pinned_fp is not None and fp != pinned_fp:
        raise BundleError(f"signing key {fp} is not the pinned fingerprint {pinned_fp}")
    if allowed_signers is not None:
        signers, where = parse_allowed_signers(allowed_signers), "the pinned allowed_signers"
    else:
        try:
            own = kept["allowed_signers"].decode("utf-8")
        except UnicodeDecodeError:
            raise BundleError("allowed_signers is not UTF-8") from None
        signers, where = parse_allowed_signers(own), "the bundle's allowed_signers"
    authorize(signers, sig.public_key_blob, cp["identity"], where)
    facts.update(
        pinned=allowed_signers is not None or pinned_fp is not None,
        key_source=(
            "pinned allowed_signers"
            if allowed_signers is not None
            else "pinned fingerprint"
            if pinned_fp is not None
            else "bundle itself"
        ),
    )
    if cp["key_fingerprint"] != fp:
        raise BundleError(
            f"checkpoint.json key_fingerprint {cp['key_fingerprint']} is not the signing key {fp}"
        )
    prev = None
    if previous_checkpoint is not None:
        prev = check_checkpoint_shape(
            strict_json(
                previous_checkpoint.strip().encode("utf-8"), "previous checkpoint", canonical=False
            ),
            "previous checkpoint",
        )
    check = EventCheck(cp, prev, value, check_value[1] if check_value is not None else None)
    check_events(members, digests["events.jsonl"], check)
    how = check.finish()
    facts.update(
        count=check.count,
        first_seq=cp["first_seq"],
        last_seq=cp["last_seq"],
        tombstones=check.tombstones,
        redacted=check.redacted,
        pseudonymised=check.pseudonymised,
        masked_headers=check.masked_headers,
        head_hash=cp["head_hash"],
        merkle_root=cp["merkle_root"],
    )
    if how is not None:
        facts["previous_checkpoint"] = how
    if value is not None:
        facts["value_check"] = {
            "type": value[0],
            "commitment": value[1],
            "found": check.value_events > 0,
            "placeholder": check.value_placeholder or None,
            "events": check.value_events,
            "rederived": check.value_rederived,
        }
    return facts


def _value_target(check_value: Sequence[str] | None) -> tuple[str, str] | None:
    """(TYPE, commitment) of a disclosed (TYPE, VALUE, OPENING), or None."""
    if check_value is None:
        return None
    pii_type, text, opening = check_value
    return pii_type, pii_commitment(pii_type, text, parse_opening(opening))


def verify_files(
    files: dict[str, bytes],
    allowed_signers: str | None = None,
    previous_checkpoint: str | None = None,
    into: dict[str, Any] | None = None,
    fingerprint: str | None = None,
    check_value: Sequence[str] | None = None,
) -> dict[str, Any]:
    """``check_bundle`` over the seven files held in memory."""
    members = _memory_members(files)
    for name, data in files.items():
        _check_declared(name, len(data))
    return check_bundle(
        members, allowed_signers, previous_checkpoint, into, fingerprint, check_value
    )


def _verify(
    opener: Callable[[], AbstractContextManager[_Members]],
    allowed_signers: str | None,
    previous_checkpoint: str | None,
    fingerprint: str | None,
    check_value: Sequence[str] | None = None,
) -> Report:
    facts: dict[str, Any] = {}
    try:
        with opener() as members:
            check_bundle(
                members, allowed_signers, previous_checkpoint, facts, fingerprint, check_value
            )
    except BundleError as exc:
        return Report(False, _one_line(str(exc)) or "verification failed", facts)
    except Exception as exc:  # fail closed on anything unforeseen
        return Report(False, _one_line(f"unexpected {type(exc).__name__}: {exc}"), facts)
    return Report(True, "", facts)


def verify_bundle(
    path: str | os.PathLike[str],
    allowed_signers: str | None = None,
    previous_checkpoint: str | None = None,
    fingerprint: str | None = None,
    check_value: Sequence[str] | None = None,
) -> Report:
    """Verify a bundle (.zip or extracted directory). ``allowed_signers`` is the text of
    a pinned allowed_signers file, ``fingerprint`` a pinned key fingerprint
    (``SHA256:...``); without either the report can be ok but not ``verified``.
    ``previous_checkpoint`` is the text of an earlier bundle's checkpoint.json;
    ``check_value`` (TYPE, VALUE, OPENING) a disclosed value to look for."""
    target = os.fspath(path)
    return _verify(
        lambda: _open_path(target), allowed_signers, previous_checkpoint, fingerprint, check_value
    )


def verify_bundle_bytes(
    data: bytes,
    allowed_signers: str | None = None,
    previous_checkpoint: str | None = None,
    fingerprint: str | None = None,
    check_value: Sequence[str] | None = None,
) -> Report:
    """``verify_bundle`` for a bundle zip held in memory."""
    return _verify(
        lambda: _open_zip(io.BytesIO(data)),
        allowed_signers,
        previous_checkpoint,
        fingerprint,
        check_value,
    )


def _read_option_file(name: str, limit: int) -> str:
    with open(name, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data.decode("utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_bundle.py",
        description="Verify a Kura audit log bundle offline. Exit 0 only when the bundle"
        " is intact AND its signer is pinned (--allowed-signers or --fingerprint).",
    )
    parser.add_argument("bundle", nargs="?", default=".", help="the .zip or its directory")
    parser.add_argument(
        "--allowed-signers", metavar="FILE", help="a trusted copy of the signer's allowed_signers"
    )
    parser.add_argument(
        "--fingerprint",
        metavar="SHA256:...",
        help="the signing key's fingerprint, from a channel you trust",
    )
    parser.add_argument(
        "--previous-checkpoint", metavar="FILE", help="checkpoint.json of an earlier bundle"
    )
    parser.add_argument(
        "--check-value",
        nargs=3,
        metavar=("TYPE", "VALUE", "OPENING"),
        help="is this disclosed value (with the opening the workspace Owner gave you) one of"
        " the bundle's pseudonyms, and which?",
    )
    args = parser.parse_args(argv)
    texts: list[str | None] = []
    for name, limit in (
        (args.allowed_signers, LIMITS["allowed_signers"]),
        (args.previous_checkpoint, LIMITS["checkpoint.json"]),
    ):
        if name is None:
            texts.append(None)
            continue
        try:
            texts.append(_read_option_file(name, limit))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            print(f"FAILED: cannot read {name}: {exc}")
            return 1
    report = verify_bundle(args.bundle, texts[0], texts[1], args.fingerprint, args.check_value)
    print(report.summary())
    if report.ok and "previous_checkpoint" in report.facts:
        print("Previous checkpoint: this bundle " + report.facts["previous_checkpoint"])
    value = report.value_summary()
    if value is not None:
        print(value)
    return 0 if report.verified and report.value_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
