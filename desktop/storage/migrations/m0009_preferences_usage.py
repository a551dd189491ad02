"""m0009: per-user preferences, and turns found by time for the usage report.

- ``user_preferences``: each user's own choices (language, theme) as key/value rows;
  which keys and values are allowed is the settings service's business.
- ``turns_by_created``: the usage report reads the turns of the last N days.

Workspace settings (the idle timeout) live in the existing ``settings`` table.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

_STATEMENTS = (
    """
    CREATE TABLE user_preferences (
        user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
    ) STRICT
    """,
    "CREATE INDEX turns_by_created ON turns (created_at)",
)


def m0009_preferences_usage(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
