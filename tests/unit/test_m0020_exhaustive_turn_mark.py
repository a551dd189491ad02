"""m0020: exhaustive turns stored before their mode was marked are recognised from their
``chat.turn`` audit trace and marked, so regenerating them reads every document again.

The turns are made by the service (real traces), then made to look as turns stored
before the mark did (``batches`` taken out of their timings and the ledger row of m0020
removed), and the workspace's database is migrated again."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from desktop import app
from desktop.core.audit_actions import AuditAction
from desktop.core.models import Actor
from desktop.core.services.exhaustive import BATCHES, asked_exhaustively
from desktop.storage import migrate
from desktop.storage.migrations import MIGRATIONS, applied_migrations
from desktop.storage.repo_audit import SqlAuditLog
from desktop.storage.repo_conversations import SqlConversationRepository
from tests.fakes import ExtractingChatModel, FixedClock
from tests.unit.test_exhaustive import ITEM, _app, _seed

M0020 = "m0020_exhaustive_turn_mark"
EVERY = "List EVERY item"


@pytest.fixture
def fake() -> ExtractingChatModel:
    return ExtractingChatModel(ITEM, n_ctx=900)


def _unmark_as_before_m0020(ws: app.Workspace) -> None:
    conn = ws.store._live()  # type: ignore[attr-defined]  # the test's own workspace
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE turns SET timings = json_remove(timings, '$.batches')")
    conn.execute("DELETE FROM schema_migrations WHERE name = ?", (M0020,))
    conn.execute("COMMIT")


def _tombstone_turn_event(ws: app.Workspace, turn_id: int) -> None:
    """One turn's ``chat.turn`` payload emptied, as a retention purge leaves it."""
    with ws.store.transaction() as tx:
        seq = next(
            e.seq
            for e in tx.audit.iter_events()
            if e.action == AuditAction.CHAT_TURN and (e.payload or {}).get("turn_id") == turn_id
        )
    conn = ws.store._live()  # type: ignore[attr-defined]
    conn.execute("UPDATE audit_events SET payload = NULL WHERE seq = ?", (seq,))


def test_m0020_marks_old_exhaustive_turns_from_their_trace_and_regenerate_reads_all_again(
    ws: app.Workspace,
    people: dict[str, Actor],
    fake: ExtractingChatModel,
    tmp_path: Path,
    clock: FixedClock,
) -> None:
    kb_id, seeded = _seed(ws, people["ada"], docs=4)
    app_id = _app(ws, people, tmp_path, kb_id)
    mo = people["mo"]
    exhaustive = ws.chat.send(mo, app_id, "List every part.", exhaustive=True)
    plain = ws.chat.send(mo, app_id, "What is a seal?")
    purged = ws.chat.send(mo, app_id, "List every part again.", exhaustive=True)
    read = exhaustive.turn.timings[BATCHES]
    assert read > 1 and BATCHES not in plain.turn.timings
    _tombstone_turn_event(ws, purged.turn.id)
    _unmark_as_before_m0020(ws)
    assert not asked_exhaustively(ws.chat.turns(mo, exhaustive.conversation_id)[-1])

    conn = ws.store._live()  # type: ignore[attr-defined]
    log = conn.execute("SELECT * FROM audit_events ORDER BY seq").fetchall()
    assert migrate(conn, clock) == [M0020]

    marked = ws.chat.turns(mo, exhaustive.conversation_id)[-1]
    assert asked_exhaustively(marked) and marked.timings[BATCHES] == read
    assert not asked_exhaustively(ws.chat.turns(mo, plain.conversation_id)[-1])
    assert not asked_exhaustively(ws.chat.turns(mo, purged.conversation_id)[-1])  # no trace
    assert conn.execute("SELECT * FROM audit_events ORDER BY seq").fetchall() == log  # read only
    fake.prompts.clear()

    again = ws.chat.regenerate(mo, exhaustive.conversation_id)  # the mode it was asked in

    assert len(fake.prompts) == read and all(EVERY in p for p in fake.prompts)
    assert sorted(re.findall(ITEM, again.turn.answer)) == sorted(seeded)
    assert migrate(conn, clock) == []  # once only


def test_m0020_on_a_database_without_turns_changes_nothing() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        clock = FixedClock()
        migrate(conn, clock, migrations=MIGRATIONS[:19])
        SqlAuditLog(conn, clock).append(
            actor="system", action="chat.turn", obj="conversation:1", payload={"turn_id": 1}
        )
        assert migrate(conn, clock) == [M0020]
        assert applied_migrations(conn)[-1] == M0020
        assert SqlConversationRepository(conn).turns(1) == []
    finally:
        conn.close()
