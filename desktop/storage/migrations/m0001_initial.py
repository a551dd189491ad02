"""Settings, users and the append-only, hash-chained audit log.

Shipped: never edit this migration; add a new one instead.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

GENESIS_HASH = "0" * 64

_STATEMENTS = (
    """
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name  TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'editor', 'member')),
        status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        last_login_at TEXT
    ) STRICT
    """,
    """
    CREATE TABLE audit_events (
        seq            INTEGER PRIMARY KEY CHECK (seq >= 1),
        ts             TEXT NOT NULL,
        actor          TEXT NOT NULL,
        action         TEXT NOT NULL,
        object         TEXT NOT NULL,
        payload        TEXT,
        payload_sha256 TEXT NOT NULL CHECK (length(payload_sha256) = 64),
        prev_hash      TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash           TEXT NOT NULL CHECK (length(hash) = 64)
    ) STRICT
    """,
    """
    CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL CHECK (seq >= 0),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
    ) STRICT
    """,
    f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS_HASH}')",
    # An event must extend the chain recorded in the head.
    """
    CREATE TRIGGER audit_events_extend_only BEFORE INSERT ON audit_events
    WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
      OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
    BEGIN
        SELECT RAISE(ABORT, 'audit_events: an event must extend the chain head');
    END
    """,
    # The only update allowed is a retention tombstone: payload set to NULL, nothing else.
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    WHEN NOT (
        NEW.payload IS NULL
        AND NEW.seq IS OLD.seq AND NEW.ts IS OLD.ts AND NEW.actor IS OLD.actor
        AND NEW.action IS OLD.action AND NEW.object IS OLD.object
        AND NEW.payload_sha256 IS OLD.payload_sha256
        AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
    )
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only (only a payload tombstone is allowed)');
    END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN
        SELECT RAISE(ABORT, 'audit_events is append-only');
    END
    """,
    # The head only moves forward by one, onto the event just appended.
    """
    CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
    WHEN NEW.id IS NOT OLD.id
      OR NEW.seq IS NOT OLD.seq + 1
      OR NEW.hash IS NOT (SELECT hash FROM audit_events WHERE seq = NEW.seq)
    BEGIN
        SELECT RAISE(ABORT, 'audit_head moves only onto the newest event');
    END
    """,
    """
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN
        SELECT RAISE(ABORT, 'audit_head cannot be deleted');
    END
    """,
)


def m0001_initial(conn: Connection) -> None:
    """Create settings, users, audit_events, audit_head and the append-only triggers."""
    for statement in _STATEMENTS:
        conn.execute(statement)
