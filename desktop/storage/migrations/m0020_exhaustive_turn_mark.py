"""m0020: exhaustive turns stored before their mode was marked get the mark.

A turn answered in exhaustive mode ("read every document") is marked by the number of
batches it read, kept in its ``timings`` under ``batches``; regenerating or editing it
asks in the same mode by default. Turns stored before the mark existed lack it, but
their ``chat.turn`` (or ``chat.failed``) audit event names the turn (``turn_id``) and
carries the reading's trace under ``exhaustive`` (its ``batches``, one entry per batch
read). This migration gives each such turn the mark from that trace. Plain turns carry
no ``exhaustive`` trace and stay unmarked.

Two kinds of turn cannot be told apart and stay unmarked (regenerated in the app's
mode, as before): a turn whose event's payload was purged by retention (a tombstone),
and a turn that failed part-way before failed turns kept their reading's trace (its
``chat.failed`` event has none). Nothing but ``turns.timings`` changes; the audit log
is only read.
"""

from __future__ import annotations

import json
from typing import Any

from desktop.storage.dbapi import Connection

_EVENTS = (
    "SELECT seq, payload FROM audit_events"
    " WHERE seq > ? AND action IN ('chat.turn', 'chat.failed') AND payload IS NOT NULL"
    " AND instr(payload, '\"exhaustive\"') > 0 ORDER BY seq LIMIT 64"
)  # a page at a time: a reading's trace lists every chunk it read
_MARK = (
    "UPDATE turns SET timings = json_set(timings, '$.batches', ?)"
    " WHERE id = ? AND json_type(timings, '$.batches') IS NULL"
)


def _mark(payload: str) -> tuple[int, float] | None:
    """(turn id, batches read) from an exhaustive turn's event payload, else None."""
    try:
        trace: Any = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(trace, dict):
        return None
    reading, turn_id = trace.get("exhaustive"), trace.get("turn_id")
    if not isinstance(reading, dict) or not isinstance(turn_id, int):
        return None
    batches = reading.get("batches")
    return turn_id, float(len(batches) if isinstance(batches, list) else 0)


def m0020_exhaustive_turn_mark(conn: Connection) -> None:
    after = 0
    while page := conn.execute(_EVENTS, (after,)).fetchall():
        after = int(page[-1][0])
        for _, payload in page:
            if (mark := _mark(payload)) is not None:
                turn_id, batches = mark
                conn.execute(_MARK, (batches, turn_id))
