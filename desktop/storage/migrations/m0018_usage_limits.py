"""m0018: usage limits, and indexes that make checking them cheap.

``usage_limits``: at most one row per user, per app and per model (exactly one of
``user_id``, ``app_id``, ``model_id`` is set); each limit column is NULL when that limit
is not set. Deleting the user, app or model deletes its limits.

Consumption is read from the turns themselves (their ``usage`` counters), never kept
twice. A turn's conversation is touched when the turn is written, so a conversation with
a turn since a moment T has ``updated_at >= T``: the two indexes below find the turns of
one user or one app since T without reading older conversations or turns, and the
second holds each turn's tokens, so the turns themselves are never read.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

#: A turn's prompt + completion tokens; ``repo_limits`` sums this very expression, so the
#: index below answers it without reading the turn (and its text).
TURN_TOKENS = (
    "(coalesce(json_extract(usage, '$.prompt_tokens'), 0)"
    " + coalesce(json_extract(usage, '$.completion_tokens'), 0))"
)

_STATEMENTS = (
    """
    CREATE TABLE usage_limits (
        id                  INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id             INTEGER REFERENCES users (id) ON DELETE CASCADE,
        app_id              INTEGER REFERENCES apps (id) ON DELETE CASCADE,
        model_id            INTEGER REFERENCES models (id) ON DELETE CASCADE,
        tokens_per_day      INTEGER CHECK (tokens_per_day >= 0),
        tokens_per_month    INTEGER CHECK (tokens_per_month >= 0),
        requests_per_minute INTEGER CHECK (requests_per_minute >= 0),
        concurrent          INTEGER CHECK (concurrent >= 0),
        updated_at          TEXT NOT NULL,
        updated_by          TEXT NOT NULL,
        CHECK ((user_id IS NOT NULL) + (app_id IS NOT NULL) + (model_id IS NOT NULL) = 1)
    ) STRICT
    """,
    "CREATE UNIQUE INDEX usage_limits_by_user ON usage_limits (user_id) WHERE user_id IS NOT NULL",
    "CREATE UNIQUE INDEX usage_limits_by_app ON usage_limits (app_id) WHERE app_id IS NOT NULL",
    "CREATE UNIQUE INDEX usage_limits_by_model ON usage_limits (model_id)"
    " WHERE model_id IS NOT NULL",
    "CREATE INDEX conversations_by_app_updated ON conversations (app_id, updated_at)",
    # covering: a check reads its window's turns from the index alone (their tokens too)
    "CREATE INDEX turns_by_conversation_created ON turns (conversation_id, created_at,"
    f" stop_reason, {TURN_TOKENS})",
)


def m0018_usage_limits(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
