"""The audit hash chain: canonical encoding, event hashes and full verification.

``hash = SHA-256(canonical_json([prev_hash, seq, ts, actor, action, object,
payload_sha256]))`` where ``canonical_json`` is UTF-8 JSON with sorted keys, no
insignificant whitespace and non-ASCII kept as is. Because the chain covers the
payload's hash rather than the payload, a retention purge can drop a payload (a
tombstone) and the chain still verifies. The hash functions live in the verifier shipped
to auditors (:mod:`desktop.verifier.bundle_verify`), so Kura and the auditor's copy
cannot drift apart; they are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from desktop.core.models import AuditEvent
from desktop.verifier.bundle_verify import GENESIS_HASH, canonical_json, event_hash, payload_digest

__all__ = [
    "GENESIS_HASH",
    "ChainReport",
    "canonical_json",
    "event_hash",
    "payload_digest",
    "seal",
    "seq_ranges",
    "verify_chain",
]


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


def seq_ranges(seqs: list[int]) -> list[list[int]]:
    """Sorted seqs as [first, last] runs: the ``ranges`` a ``retention.purged`` event
    records for the tombstones it leaves."""
    runs: list[list[int]] = []
    for seq in seqs:
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return runs


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
