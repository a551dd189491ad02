"""Registered models, chat apps with append-only versions, conversations and turns.

Ids are ``AUTOINCREMENT``: a deleted app, conversation or turn never lends its id to a
new one, so audit events and stale references keep naming what they named.

Shipped: never edit this migration; add a new one instead.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    """
    CREATE TABLE models (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
        path       TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        size       INTEGER NOT NULL CHECK (size >= 0),
        mtime_ns   INTEGER NOT NULL,
        info       TEXT NOT NULL CHECK (json_type(info) = 'object'),
        settings   TEXT NOT NULL CHECK (json_type(settings) = 'object'),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE apps (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        current_version INTEGER NOT NULL CHECK (current_version >= 1),
        created_by      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE app_versions (
        app_id     INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        version    INTEGER NOT NULL CHECK (version >= 1),
        config     TEXT NOT NULL CHECK (json_type(config) = 'object'),
        created_at TEXT NOT NULL,
        PRIMARY KEY (app_id, version)
    ) STRICT
    """,
    # Every edit is a new version; a version, once written, never changes.
    """
    CREATE TRIGGER app_versions_no_update BEFORE UPDATE ON app_versions
    BEGIN
        SELECT RAISE(ABORT, 'app_versions is append-only: add a new version instead');
    END
    """,
    """
    CREATE TABLE conversations (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        app_id      INTEGER NOT NULL REFERENCES apps (id) ON DELETE CASCADE,
        app_version INTEGER NOT NULL CHECK (app_version >= 1),
        user_id     INTEGER NOT NULL REFERENCES users (id),
        title       TEXT NOT NULL,
        variables   TEXT NOT NULL CHECK (json_type(variables) = 'object'),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    ) STRICT
    """,
    "CREATE INDEX conversations_by_user ON conversations (user_id, updated_at)",
    # Lets deleting an app find its conversations without a full scan.
    "CREATE INDEX conversations_by_app ON conversations (app_id)",
    """
    CREATE TABLE turns (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq             INTEGER NOT NULL CHECK (seq >= 1),
        user_text       TEXT NOT NULL,
        answer          TEXT NOT NULL DEFAULT '',
        stop_reason     TEXT CHECK (
            stop_reason IS NULL OR stop_reason IN ('stop', 'length', 'cancelled')
        ),
        app_version     INTEGER NOT NULL CHECK (app_version >= 1),
        model_sha256    TEXT NOT NULL,
        usage           TEXT NOT NULL DEFAULT '{}' CHECK (json_type(usage) = 'object'),
        timings         TEXT NOT NULL DEFAULT '{}' CHECK (json_type(timings) = 'object'),
        dropped_turns   INTEGER NOT NULL DEFAULT 0 CHECK (dropped_turns >= 0),
        created_at      TEXT NOT NULL,
        UNIQUE (conversation_id, seq)
    ) STRICT
    """,
)


def m0002_models_apps_conversations(conn: Connection) -> None:
    """Create models, apps, app_versions, conversations and turns with their indexes."""
    for statement in _STATEMENTS:
        conn.execute(statement)
