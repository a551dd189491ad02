"""The audit log on disk: append-only triggers, the head row, and tamper detection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.audit import GENESIS_HASH, verify_chain
from desktop.storage import (
    SqlCipherStore,
    create_database,
    migrate,
    open_database,
    repo_audit,
    transaction,
)
from desktop.storage.repo_audit import SqlAuditLog, verify_log
from tests.fakes import FixedClock

sqlcipher = pytest.importorskip("sqlcipher3.dbapi2")

KEY = bytes(range(32))
EVENTS = 6


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A closed database holding a chain of EVENTS events."""
    clock = FixedClock()
    path = tmp_path / "kura.db"
    with create_database(path, KEY, clock=clock) as store:
        for i in range(1, EVENTS + 1):
            clock.advance(1)
            with store.transaction() as tx:
                tx.audit.append(actor="alice", action="test.did", obj=f"o{i}", payload={"i": i})
    return path


@pytest.fixture
def raw(db: Path) -> Iterator[Any]:
    conn = sqlcipher.connect(str(db), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{KEY.hex()}'\"")
    yield conn
    conn.close()


def reopen(db: Path) -> SqlCipherStore:
    return open_database(db, KEY, clock=FixedClock())


def drop_triggers(conn: Any) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")


# ------------------------------------------------------------------ the intact chain


def test_chain_and_head_verify(db: Path) -> None:
    with reopen(db) as store:
        report = store.verify_audit()
        with store.transaction() as tx:
            head = tx.audit.head()
    assert report.ok and report.count == EVENTS and report.first_seq == 1
    assert head == (EVENTS, report.head_hash)


def test_empty_log_verifies(tmp_path: Path) -> None:
    with create_database(tmp_path / "kura.db", KEY, clock=FixedClock()) as store:
        report = store.verify_audit()
        with store.transaction() as tx:
            assert tx.audit.head() == (0, GENESIS_HASH)
    assert report.ok and report.count == 0


def test_iter_events_pages_through_the_log(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repo_audit, "EVENT_PAGE_SIZE", 4)
    with reopen(db) as store, store.transaction() as tx:
        assert [e.seq for e in tx.audit.iter_events()] == list(range(1, EVENTS + 1))
        assert [e.seq for e in tx.audit.iter_events(since_seq=5)] == [5, 6]
        assert list(tx.audit.iter_events(since_seq=EVENTS + 1)) == []
    monkeypatch.setattr(repo_audit, "EVENT_PAGE_SIZE", 3)  # a page boundary at the very end
    with reopen(db) as store:
        assert store.verify_audit().count == EVENTS


# ------------------------------------------------------------------ triggers


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2",
        "UPDATE audit_events SET payload = '{\"i\":99}' WHERE seq = 2",
        "UPDATE audit_events SET payload = NULL, actor = 'mallory' WHERE seq = 2",
        "UPDATE audit_events SET seq = 99 WHERE seq = 6",
        "DELETE FROM audit_events WHERE seq = 6",
        "DELETE FROM audit_events",
        "INSERT INTO audit_events VALUES (9, 't', 'a', 'b', 'c', '{}', "
        "printf('%064d', 0), printf('%064d', 0), printf('%064d', 0))",
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_events WHERE seq = 2)",
        "DELETE FROM audit_head",
    ],
)
def test_triggers_keep_the_log_append_only(raw: Any, sql: str) -> None:
    with pytest.raises(sqlcipher.IntegrityError):
        raw.execute(sql)


def test_a_tombstone_is_the_one_allowed_update(db: Path, raw: Any) -> None:
    raw.execute("UPDATE audit_events SET payload = NULL WHERE seq = 3")
    with pytest.raises(sqlcipher.IntegrityError):
        raw.execute("UPDATE audit_events SET payload = '{\"i\":3}' WHERE seq = 3")
    raw.close()
    with reopen(db) as store:
        report = store.verify_audit()
        with store.transaction() as tx:
            events = list(tx.audit.iter_events())
            assert events[2].payload is None
    # No retention purge covers seq 3, so the erased payload is tampering...
    assert not report.ok and report.bad_seq == 3 and "outside any purge" in str(report.error)
    # ...while a purge that names it makes it a tombstone the chain still verifies.
    purged = verify_chain(events, purged=lambda seq: seq == 3)
    assert purged.ok and purged.tombstones == 1


# ------------------------------------------------------------------ tampering


def _edit_payload(conn: Any) -> None:
    conn.execute("UPDATE audit_events SET payload = '{\"i\":99}' WHERE seq = 3")


def _edit_actor(conn: Any) -> None:
    conn.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")


def _swap_order(conn: Any) -> None:
    cols = "ts, actor, action, object, payload, payload_sha256, prev_hash, hash"
    two = conn.execute(f"SELECT {cols} FROM audit_events WHERE seq = 2").fetchone()
    three = conn.execute(f"SELECT {cols} FROM audit_events WHERE seq = 3").fetchone()
    sets = ", ".join(f"{c.strip()} = ?" for c in cols.split(","))
    conn.execute(f"UPDATE audit_events SET {sets} WHERE seq = 2", three)
    conn.execute(f"UPDATE audit_events SET {sets} WHERE seq = 3", two)


def _garble_payload(conn: Any) -> None:
    conn.execute("UPDATE audit_events SET payload = '{not json' WHERE seq = 4")


def _delete_middle(conn: Any) -> None:
    conn.execute("DELETE FROM audit_events WHERE seq = 3")


def _delete_last(conn: Any) -> None:
    conn.execute("DELETE FROM audit_events WHERE seq = 6")


def _delete_everything(conn: Any) -> None:
    conn.execute("DELETE FROM audit_events")


@pytest.mark.parametrize(
    ("tamper", "bad_seq"),
    [
        (_edit_payload, 3),
        (_edit_actor, 3),
        (_swap_order, 2),
        (_garble_payload, 4),
        (_delete_middle, 4),
        (_delete_last, 6),
        (_delete_everything, 6),
    ],
)
def test_tampering_is_detected(
    db: Path, raw: Any, tamper: Callable[[Any], None], bad_seq: int
) -> None:
    drop_triggers(raw)
    tamper(raw)
    raw.close()
    with reopen(db) as store:
        report = store.verify_audit()
    assert not report.ok
    assert report.bad_seq == bad_seq
    assert report.error


def test_deleting_the_last_event_is_explained(db: Path, raw: Any) -> None:
    drop_triggers(raw)
    _delete_last(raw)
    raw.close()
    with reopen(db) as store:
        report = store.verify_audit()
    assert report.error is not None and "removed from the end" in report.error


# ------------------------------------------------------------------ payload round trip


@pytest.fixture(scope="module")
def plain_log() -> Iterator[tuple[sqlite3.Connection, FixedClock]]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    clock = FixedClock()
    migrate(conn, clock)
    yield conn, clock
    conn.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(payload=st.dictionaries(st.text(), json_values, max_size=5))
def test_any_json_payload_round_trips_and_verifies(
    plain_log: tuple[sqlite3.Connection, FixedClock], payload: dict[str, Any]
) -> None:
    conn, clock = plain_log
    with transaction(conn, clock) as tx:
        event = tx.audit.append(actor="犬", action="a", obj="o", payload=payload)
    with transaction(conn, clock) as tx:
        (stored,) = tx.audit.iter_events(since_seq=event.seq)
        assert stored == event
        assert verify_log(SqlAuditLog(conn, clock)).ok
