"""``SqlAuditLog``: the append-only, hash-chained audit log (``audit_events`` and
``audit_head``), and :func:`verify_log`, which checks the chain end to end."""

from __future__ import annotations

import bisect
import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import Any

from desktop.core.audit import ChainReport, canonical_json, seal, verify_chain
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AuditChainBroken, NotFound
from desktop.core.models import AuditEvent, TraceFilter
from desktop.storage.dbapi import Connection, scalar

_EVENT_COLUMNS = "seq, ts, actor, action, object, payload, payload_sha256, prev_hash, hash"

#: Events fetched per query by ``iter_events``: memory stays flat on long logs.
EVENT_PAGE_SIZE = 256


def _payload(seq: int, text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None  # a retention tombstone
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise AuditChainBroken("logs.payload_not_object", seq=seq)
    return value


def _event(row: Any) -> AuditEvent:
    seq, ts, actor, action, obj, payload, digest, prev_hash, hash_ = row
    return AuditEvent(
        seq=int(seq),
        ts=str(ts),
        actor=str(actor),
        action=str(action),
        object=str(obj),
        payload=_payload(int(seq), payload),
        payload_sha256=str(digest),
        prev_hash=str(prev_hash),
        hash=str(hash_),
    )


class SqlAuditLog:
    """``audit_events`` + ``audit_head``: the append-only, hash-chained log."""

    def __init__(self, conn: Connection, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock

    def append(self, *, actor: str, action: str, obj: str, payload: dict[str, Any]) -> AuditEvent:
        """Seal the next event on the current head, insert it and move the head."""
        head_seq, head_hash = self.head()
        event = seal(
            head_hash, head_seq + 1, iso_utc(self._clock.now()), actor, action, obj, payload
        )
        self._conn.execute(
            f"INSERT INTO audit_events ({_EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.seq,
                event.ts,
                event.actor,
                event.action,
                event.object,
                canonical_json(payload).decode("utf-8"),
                event.payload_sha256,
                event.prev_hash,
                event.hash,
            ),
        )
        self._conn.execute(
            "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (event.seq, event.hash)
        )
        return event

    def head(self) -> tuple[int, str]:
        """(last seq, last hash) as recorded in ``audit_head``; (0, GENESIS_HASH) when empty."""
        row = self._conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        if row is None:
            raise NotFound("logs.audit_head_missing")
        return int(row[0]), str(row[1])

    def iter_events(self, since_seq: int = 1) -> Iterator[AuditEvent]:
        """Every event from ``since_seq`` on, in seq order, fetched page by page."""
        next_seq = since_seq
        while True:
            rows = self._conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM audit_events WHERE seq >= ? ORDER BY seq LIMIT ?",
                (next_seq, EVENT_PAGE_SIZE),
            ).fetchall()
            for row in rows:
                yield _event(row)
            if len(rows) < EVENT_PAGE_SIZE:
                return
            next_seq = int(rows[-1][0]) + 1

    def count(self) -> int:
        """How many events the table holds."""
        return int(scalar(self._conn, "SELECT count(*) FROM audit_events"))

    def events_between(self, first_seq: int, last_seq: int) -> Iterator[AuditEvent]:
        """Events ``first_seq``..``last_seq`` in seq order, page by page."""
        for event in self.iter_events(first_seq):
            if event.seq > last_seq:
                return
            yield event

    def seq_range(self, since: str | None, until: str | None) -> tuple[int, int] | None:
        """First and last seq of the events stamped ``since`` <= ts < ``until`` (ISO)."""
        row = self._conn.execute(
            "SELECT min(seq), max(seq) FROM audit_events WHERE ts >= ? AND ts < ?",
            (since or "", until or "\uffff"),
        ).fetchone()
        if row is None or row[0] is None:
            return None
        return int(row[0]), int(row[1])

    def find(self, filters: TraceFilter, actions: Sequence[str], limit: int) -> list[AuditEvent]:
        """Events of ``actions`` matching ``filters``, newest first."""
        where = [f"action IN ({','.join('?' * len(actions))})"]
        params: list[Any] = list(actions)
        if filters.app_id is not None:
            where.append("json_extract(payload, '$.app_id') = ?")
            params.append(filters.app_id)
        if filters.username is not None:
            where.append("actor = ? COLLATE NOCASE")
            params.append(filters.username)
        if filters.since is not None:
            where.append("ts >= ?")
            params.append(filters.since)
        if filters.until is not None:
            where.append("ts < ?")
            params.append(filters.until)
        if filters.text:
            where.append(
                "(instr(lower(json_extract(payload, '$.input')), lower(?)) > 0"
                " OR instr(lower(json_extract(payload, '$.output')), lower(?)) > 0)"
            )
            params += [filters.text, filters.text]
        if filters.rating is not None:
            where.append(
                "json_extract(payload, '$.turn_id') IN (SELECT turn_id FROM feedback"
                " WHERE rating = ?)"
            )
            params.append(filters.rating)
        rows = self._conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM audit_events WHERE {' AND '.join(where)}"
            " ORDER BY seq DESC LIMIT ?",
            (*params, limit),
        ).fetchall()
        return [_event(row) for row in rows]

    def tombstone(self, actions: Sequence[str], app_id: int, before: str) -> list[int]:
        """Drop the payloads of ``actions`` events of the app stamped before ``before``;
        returns their seqs (the chain keeps each payload's hash)."""
        marks = ",".join("?" * len(actions))
        rows = self._conn.execute(
            f"UPDATE audit_events SET payload = NULL WHERE action IN ({marks})"
            " AND payload IS NOT NULL AND ts < ? AND json_extract(payload, '$.app_id') = ?"
            " RETURNING seq",
            (*actions, before, app_id),
        ).fetchall()
        return sorted(int(row[0]) for row in rows)

    def tombstone_unscoped(self, actions: Sequence[str], before: str) -> list[int]:
        """Drop the payloads of ``actions`` events stamped before ``before``, whatever
        app they name (events of no app: knowledge-base searches); returns their seqs."""
        marks = ",".join("?" * len(actions))
        rows = self._conn.execute(
            f"UPDATE audit_events SET payload = NULL WHERE action IN ({marks})"
            " AND payload IS NOT NULL AND ts < ? RETURNING seq",
            (*actions, before),
        ).fetchall()
        return sorted(int(row[0]) for row in rows)

    def tombstone_conversation(self, actions: Sequence[str], conversation_id: int) -> list[int]:
        """Drop the payloads of the conversation's ``actions`` events: those about it
        (object ``conversation:<id>``) and those naming it (payload ``conversation_id``:
        ratings, annotations); returns their seqs."""
        marks = ",".join("?" * len(actions))
        rows = self._conn.execute(
            f"UPDATE audit_events SET payload = NULL WHERE action IN ({marks})"
            " AND payload IS NOT NULL AND (object = ?"
            " OR json_extract(payload, '$.conversation_id') = ?) RETURNING seq",
            (*actions, f"conversation:{conversation_id}", conversation_id),
        ).fetchall()
        return sorted(int(row[0]) for row in rows)

    def purges(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """Each ``retention.purged`` event's seq with the seq ranges it emptied."""
        found = []
        for seq, text in self._conn.execute(
            "SELECT seq, payload FROM audit_events WHERE action = 'retention.purged'"
            " AND payload IS NOT NULL ORDER BY seq"
        ).fetchall():
            ranges = [(int(a), int(b)) for a, b in json.loads(text).get("ranges", [])]
            found.append((int(seq), ranges))
        return found

    def purged_ranges(self) -> list[tuple[int, int]]:
        """Every seq range a ``retention.purged`` event says it emptied, sorted."""
        return sorted(r for _, ranges in self.purges() for r in ranges)


def verify_log(log: SqlAuditLog) -> ChainReport:
    """``verify_chain`` over every event, plus: ``audit_head`` names the chain's last link.

    The head row moves in the same transaction as each append, so deleting the newest
    events (which leaves a valid, shorter chain) is caught here.
    """
    unreadable: list[AuditChainBroken] = []

    def events() -> Iterator[AuditEvent]:
        try:
            yield from log.iter_events()
        except AuditChainBroken as exc:
            unreadable.append(exc)

    ranges = log.purged_ranges()
    starts = [first for first, _ in ranges]

    def purged(seq: int) -> bool:
        at = bisect.bisect_right(starts, seq) - 1
        return at >= 0 and ranges[at][0] <= seq <= ranges[at][1]

    report = verify_chain(events(), purged=purged)
    if not report.ok:
        return report
    if unreadable:
        bad = (report.last_seq or 0) + 1
        return dataclasses.replace(report, ok=False, error=unreadable[0].message, bad_seq=bad)
    head_seq, head_hash = log.head()
    last_seq = report.last_seq or 0
    if (head_seq, head_hash) == (last_seq, report.head_hash):
        return report
    if head_seq > last_seq:
        error = (
            f"the audit head records event {head_seq} but the log ends at event {last_seq}: "
            "events were removed from the end"
        )
    else:
        error = f"the audit head (event {head_seq}) does not match the last event {last_seq}"
    return dataclasses.replace(report, ok=False, error=error, bad_seq=head_seq)
