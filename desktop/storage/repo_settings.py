"""``PreferenceRepository`` on SQLite: each user's own preferences (migration m0009).

Workspace-wide settings stay in the ``settings`` key/value table
(:class:`desktop.storage.repositories.SqlSettingsRepository`).
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection


class SqlPreferenceRepository:
    """``user_preferences``: one row per user and key."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def all(self, user_id: int) -> dict[str, str]:
        """Every preference the user has set, by key."""
        rows = self._conn.execute(
            "SELECT key, value FROM user_preferences WHERE user_id = ? ORDER BY key",
            (user_id,),
        ).fetchall()
        return {str(key): str(value) for key, value in rows}

    def set(self, user_id: int, key: str, value: str, at: str) -> None:
        """Insert or replace the user's value for ``key``."""
        self._conn.execute(
            "INSERT INTO user_preferences (user_id, key, value, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (user_id, key, value, at),
        )
