"""The audit hash chain: canonical encoding, event hashes and full verification.

``hash = SHA-256(canonical_json([prev_hash, seq, ts, actor, action, object,
payload_sha256]))`` where ``canonical_json`` is UTF-8 JSON with sorted keys, no
insignificant whitespace and non-ASCII kept as is. Because the chain covers the
payload's hash rather than the payload, a retention purge can drop a payload (a
tombstone) and the chain still verifies. ``verify_bundle.py`` re-implements exactly this
with the standard library only; keep the two in step.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from desktop.core.models import AuditEvent

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def event_hash(
    prev_hash: str, seq: int, ts: str, actor: str, action: str, obj: str, payload_sha256: str
) -> str:
    material = canonical_json([prev_hash, seq, ts, actor, action, obj, payload_sha256])
    return hashlib.sha256(material).hexdigest()


def seal(
    prev_hash: str, seq: int, ts: str, actor: str, action: str, obj: str, payload: dict[str, Any]
) -> AuditEvent:
    """Build the next link of the chain."""
    digest = payload_digest(payload)
    return AuditEvent(
        seq=seq,
        ts=ts,
        actor=actor,
        action=action,
        object=obj,
        payload=payload,
        payload_sha256=digest,
        prev_hash=prev_hash,
        hash=event_hash(prev_hash, seq, ts, actor, action, obj, digest),
    )


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    count: int
    first_seq: int | None
    last_seq: int | None
    head_hash: str
    tombstones: int
    error: str | None = None
    bad_seq: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "count": self.count,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "head_hash": self.head_hash,
            "tombstones": self.tombstones,
            "error": self.error,
            "bad_seq": self.bad_seq,
        }


def verify_chain(
    events: Iterable[AuditEvent],
    *,
    expect_prev: str = GENESIS_HASH,
    expect_first_seq: int = 1,
    purged: Callable[[int], bool] = lambda seq: False,
) -> ChainReport:
    """Re-derive every hash; report the first break (order, gap, edit or deletion).

    A payload may be missing (a tombstone) only where ``purged(seq)`` says a retention
    purge removed it; anywhere else a missing payload is tampering.
    """
    prev, expected_seq = expect_prev, expect_first_seq
    count = tombstones = 0
    first: int | None = None

    def broken(seq: int, reason: str) -> ChainReport:
        return ChainReport(False, count, first, seq, prev, tombstones, reason, seq)

    for ev in events:
        if ev.seq != expected_seq:
            return broken(ev.seq, f"expected event {expected_seq}, found {ev.seq} (gap or reorder)")
        if ev.prev_hash != prev:
            return broken(ev.seq, f"event {ev.seq} does not link to the event before it")
        if ev.payload is None:
            if not purged(ev.seq):
                return broken(ev.seq, f"event {ev.seq} lost its payload outside any purge")
            tombstones += 1
        elif payload_digest(ev.payload) != ev.payload_sha256:
            return broken(ev.seq, f"event {ev.seq} payload does not match its hash")
        derived = event_hash(
            ev.prev_hash, ev.seq, ev.ts, ev.actor, ev.action, ev.object, ev.payload_sha256
        )
        if derived != ev.hash:
            return broken(ev.seq, f"event {ev.seq} hash does not match its contents")
        first = ev.seq if first is None else first
        prev, expected_seq, count = ev.hash, expected_seq + 1, count + 1
    return ChainReport(True, count, first, expected_seq - 1 if count else None, prev, tombstones)
