"""``UsageRepository`` on SQLite: token, turn and rating counts per UTC day.

Only finished turns count (``stop_reason`` set; a turn still being answered has no
counters yet). A turn's day is the date part of its stored ISO UTC ``created_at``;
token counts come from its ``usage`` JSON, ratings from ``feedback``.
"""

from __future__ import annotations

from typing import Any

from desktop.storage.dbapi import Connection

_DAY = "substr(t.created_at, 1, 10)"
_PROMPT = "coalesce(sum(json_extract(t.usage, '$.prompt_tokens')), 0)"
_COMPLETION = "coalesce(sum(json_extract(t.usage, '$.completion_tokens')), 0)"


def _from(join: str = "") -> str:
    """Finished turns since ``?``, of the app ``?`` (NULL: every app), with ``join``."""
    return (
        " FROM turns AS t JOIN conversations AS c ON c.id = t.conversation_id"
        f"{join} WHERE t.stop_reason IS NOT NULL AND t.created_at >= ?"
        " AND (? IS NULL OR c.app_id = ?)"
    )


class SqlUsageRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def _rows(self, sql: str, since: str, app_id: int | None) -> list[Any]:
        return self._conn.execute(sql, (since, app_id, app_id)).fetchall()

    def tokens_by_day_app(self, since: str, app_id: int | None) -> list[tuple[str, str, int, int]]:
        """(day, app name, prompt tokens, completion tokens) by day, then app name."""
        rows = self._rows(
            f"SELECT {_DAY} AS day, a.name, {_PROMPT}, {_COMPLETION}"
            f"{_from(' JOIN apps AS a ON a.id = c.app_id')}"
            " GROUP BY day, a.id ORDER BY day, a.name COLLATE NOCASE, a.id",
            since,
            app_id,
        )
        return [(str(d), str(n), int(p), int(c)) for d, n, p, c in rows]

    def tokens_by_day_user(self, since: str, app_id: int | None) -> list[tuple[str, str, int, int]]:
        """(day, user name, prompt tokens, completion tokens) by day, then user name."""
        rows = self._rows(
            f"SELECT {_DAY} AS day, u.username, {_PROMPT}, {_COMPLETION}"
            f"{_from(' JOIN users AS u ON u.id = c.user_id')}"
            " GROUP BY day, u.id ORDER BY day, u.username COLLATE NOCASE, u.id",
            since,
            app_id,
        )
        return [(str(d), str(n), int(p), int(c)) for d, n, p, c in rows]

    def turns_by_day(self, since: str, app_id: int | None) -> list[tuple[str, int]]:
        """(day, finished turns) for each day that has any, oldest first."""
        rows = self._rows(
            f"SELECT {_DAY} AS day, count(*){_from()} GROUP BY day ORDER BY day", since, app_id
        )
        return [(str(d), int(n)) for d, n in rows]

    def ratings(self, since: str, app_id: int | None) -> dict[str, int]:
        """Finished turns by rating: ``up``, ``down`` and ``none`` (not rated)."""
        counts = {"up": 0, "down": 0, "none": 0}
        rows = self._rows(
            "SELECT coalesce(f.rating, 'none') AS rating, count(*)"
            f"{_from(' LEFT JOIN feedback AS f ON f.turn_id = t.id')}"
            " GROUP BY rating",
            since,
            app_id,
        )
        for rating, n in rows:
            counts[str(rating)] = int(n)
        return counts
