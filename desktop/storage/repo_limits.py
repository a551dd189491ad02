"""``LimitRepository`` on SQLite: the ``usage_limits`` rows and what turns consumed.

Consumption is summed from the turns (their ``usage`` JSON), found through a user's or
an app's conversations touched since the widest window began (a conversation's
``updated_at`` is at least its newest turn's ``created_at``), then the turns of each
since then; both steps are index range scans (m0018), so a check reads only the
window's turns, once for every limit of that user or app.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop.core.limits import Consumed, LimitKind, LimitScope, UsageLimits, Windows
from desktop.storage.dbapi import Connection
from desktop.storage.migrations.m0018_usage_limits import TURN_TOKENS

_KINDS = tuple(LimitKind)  # the columns, in this order
_SUBJECT = {
    LimitScope.USER: "user_id",
    LimitScope.APP: "app_id",
    LimitScope.MODEL: "model_id",
}
_CONVERSATION = {LimitScope.USER: "c.user_id", LimitScope.APP: "c.app_id"}
_NAME = (
    "coalesce((SELECT username FROM users WHERE id = l.user_id),"
    " (SELECT name FROM apps WHERE id = l.app_id),"
    " (SELECT name FROM models WHERE id = l.model_id), '')"
)  # one rowid lookup each
_SELECT = (
    f"SELECT l.user_id, l.app_id, l.model_id, {_NAME} AS name, "
    + ", ".join(f"l.{k.value}" for k in _KINDS)
    + ", l.updated_at, l.updated_by FROM usage_limits AS l"
)
_ORDER = " ORDER BY l.user_id IS NULL, l.app_id IS NULL, name COLLATE NOCASE, l.id"
#: A turn's tokens: the expression m0018 indexes (``TURN_TOKENS``), which the planner
#: then reads from the index instead of the turn.
_TOKENS = TURN_TOKENS
#: Tokens of finished turns since the day's and the month's start, and the turns (any
#: state) started in the last minute with the oldest one's time: one pass.
_WINDOWED = (
    f"sum(CASE WHEN t.stop_reason IS NOT NULL AND t.created_at >= ? THEN {_TOKENS} END),"
    f" sum(CASE WHEN t.stop_reason IS NOT NULL AND t.created_at >= ? THEN {_TOKENS} END),"
    " sum(t.created_at >= ?), min(CASE WHEN t.created_at >= ? THEN t.created_at END)"
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

    def consumed(self, scope: LimitScope, subject_id: int, windows: Windows) -> Consumed:
        if scope not in _CONVERSATION:
            raise ValueError(f"no consumption is counted per {scope.value}")
        row = self._conn.execute(
            f"SELECT {_WINDOWED} FROM conversations AS c"
            " JOIN turns AS t ON t.conversation_id = c.id"
            f" WHERE {_CONVERSATION[scope]} = ? AND c.updated_at >= ? AND t.created_at >= ?",
            (
                windows.day,
                windows.month,
                windows.minute,
                windows.minute,
                subject_id,
                windows.since,
                windows.since,
            ),
        ).fetchone()
        day, month, requests, oldest = row
        return Consumed(
            int(day or 0),
            int(month or 0),
            int(requests or 0),
            None if oldest is None else str(oldest),
        )
