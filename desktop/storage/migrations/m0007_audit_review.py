"""m0007: reviewing the log: feedback, annotations, retention per app, signing keys.

- ``feedback``: one rating (up/down, optional comment) per turn, by the turn's user.
- ``annotations``: improved answers Admins and Owners attach to a turn.
- ``app_retention``: how many days an app's conversations and traces are kept (NULL:
  forever) and its legal hold, which suspends purging.
- ``signing_keys``: the public halves of the workspace's Ed25519 bundle-signing keys,
  current and retired (old bundles verify against old keys); private halves live in the
  OS keyring only.
- ``audit_by_action``: traces and purge ranges are looked up by action.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    """
    CREATE TABLE feedback (
        turn_id INTEGER PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
        user_id INTEGER NOT NULL REFERENCES users (id),
        rating  TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT NOT NULL DEFAULT '',
        at      TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE annotations (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        turn_id INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
        author  TEXT NOT NULL,
        answer  TEXT NOT NULL,
        at      TEXT NOT NULL
    ) STRICT
    """,
    "CREATE INDEX annotations_by_turn ON annotations (turn_id)",
    """
    CREATE TABLE app_retention (
        app_id     INTEGER PRIMARY KEY REFERENCES apps (id) ON DELETE CASCADE,
        days       INTEGER CHECK (days IS NULL OR days >= 1),
        legal_hold INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE signing_keys (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        public_key  TEXT NOT NULL UNIQUE,
        fingerprint TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        retired_at  TEXT
    ) STRICT
    """,
    "CREATE INDEX audit_by_action ON audit_events (action, seq)",
)


def m0007_audit_review(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
