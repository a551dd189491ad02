"""``LimitRepository`` on SQLite: the ``usage_limits`` rows and what turns consumed.

Consumption is summed from the turns (their ``usage`` JSON), found through a user's or
an app's conversations touched since the window began (a conversation's ``updated_at``
is at least its newest turn's ``created_at``), then the turns of each since then; both
steps are index range scans (m0019), so a check reads only the window's turns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.core.limits import LimitKind, LimitScope, UsageLimits
from desktop.storage.dbapi import Connection

_KINDS = tuple(LimitKind)  # the columns, in this order
_SUBJECT = {
    LimitScope.USER: "user_id",
    LimitScope.APP: "app_id",
    LimitScope.MODEL: "model_id",
}
_CONVERSATION = {LimitScope.USER: "c.user_id", LimitScope.APP: "c.app_id"}
_SELECT = (
    "SELECT l.user_id, l.app_id, l.model_id, coalesce(u.username, a.name, m.name, ''), "
    + ", ".join(f"l.{k.value}" for k in _KINDS)
    + ", l.updated_at, l.updated_by FROM usage_limits AS l"
    " LEFT JOIN users AS u ON u.id = l.user_id"
    " LEFT JOIN apps AS a ON a.id = l.app_id"
    " LEFT JOIN models AS m ON m.id = l.model_id"
)
_ORDER = (
    " ORDER BY l.user_id IS NULL, l.app_id IS NULL,"
    " coalesce(u.username, a.name, m.name) COLLATE NOCASE, l.id"
)
_TOKENS = (
    "coalesce(sum(coalesce(json_extract(t.usage, '$.prompt_tokens'), 0)"
    " + coalesce(json_extract(t.usage, '$.completion_tokens'), 0)), 0)"
)


def _limits(row: Any) -> UsageLimits:
    user_id, app_id, model_id, name, *rest = row
    values = {k: int(v) for k, v in zip(_KINDS, rest[: len(_KINDS)], strict=True) if v is not None}
    if user_id is not None:
        scope, subject_id = LimitScope.USER, int(user_id)
    elif app_id is not None:
        scope, subject_id = LimitScope.APP, int(app_id)
    else:
        scope, subject_id = LimitScope.MODEL, int(model_id)
    updated_at, updated_by = rest[len(_KINDS) :]
    return UsageLimits(scope, subject_id, str(name), values, str(updated_at), str(updated_by))


def _consumed(scope: LimitScope, what: str) -> str:
    """``what`` over the turns of one user's or app's conversations since a moment."""
    if scope not in _CONVERSATION:
        raise ValueError(f"no consumption is counted per {scope.value}")
    return (
        f"SELECT {what} FROM conversations AS c"
        " JOIN turns AS t ON t.conversation_id = c.id"
        f" WHERE {_CONVERSATION[scope]} = ? AND c.updated_at >= ? AND t.created_at >= ?"
    )


class SqlLimitRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def put(
        self,
        scope: LimitScope,
        subject_id: int,
        values: Mapping[LimitKind, int],
        *,
        now: str,
        by: str,
    ) -> None:
        column = _SUBJECT[scope]  # one of the constant names above, never user input
        self._conn.execute(f"DELETE FROM usage_limits WHERE {column} = ?", (subject_id,))
        if not values:
            return
        names = ", ".join(k.value for k in _KINDS)
        self._conn.execute(
            f"INSERT INTO usage_limits ({column}, {names}, updated_at, updated_by)"
            f" VALUES (?, {', '.join('?' for _ in _KINDS)}, ?, ?)",
            (subject_id, *(values.get(k) for k in _KINDS), now, by),
        )

    def get(self, scope: LimitScope, subject_id: int) -> UsageLimits | None:
        row = self._conn.execute(
            f"{_SELECT} WHERE l.{_SUBJECT[scope]} = ?", (subject_id,)
        ).fetchone()
        return None if row is None else _limits(row)

    def every(self) -> list[UsageLimits]:
        return [_limits(row) for row in self._conn.execute(_SELECT + _ORDER).fetchall()]

    def applicable(self, user_id: int, app_id: int, model_id: int) -> list[UsageLimits]:
        rows = self._conn.execute(
            f"{_SELECT} WHERE l.user_id = ? OR l.app_id = ? OR l.model_id = ?{_ORDER}",
            (user_id, app_id, model_id),
        ).fetchall()
        return [_limits(row) for row in rows]

    def tokens_since(self, scope: LimitScope, subject_id: int, since: str) -> int:
        sql = _consumed(scope, _TOKENS) + " AND t.stop_reason IS NOT NULL"
        return int(self._conn.execute(sql, (subject_id, since, since)).fetchone()[0])

    def requests_since(
        self, scope: LimitScope, subject_id: int, since: str
    ) -> tuple[int, str | None]:
        sql = _consumed(scope, "count(*), min(t.created_at)")
        count, oldest = self._conn.execute(sql, (subject_id, since, since)).fetchone()
        return int(count), None if oldest is None else str(oldest)
