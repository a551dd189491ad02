"""Usage limits: what can be limited, for whom, and the windows they are counted in.

A limit belongs to one user, one app or one model (its *scope*). Tokens are a finished
turn's prompt plus completion tokens; a day and a month are UTC calendar ones (the
Usage screen's days), so a daily limit resets at 00:00 UTC and a monthly one on the
first of the month. Requests per minute count the turns started in the last 60 seconds
(a rolling window: it resets 60 seconds after the oldest of them). Concurrent counts the
answers being generated right now in this process.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

#: The rolling window of ``requests_per_minute``.
MINUTE = timedelta(seconds=60)
#: The largest value a limit takes (SQLite's INTEGER holds it; nobody needs more).
MAX_LIMIT = 10**12


class LimitScope(enum.StrEnum):
    USER = "user"
    APP = "app"
    MODEL = "model"


class LimitKind(enum.StrEnum):
    TOKENS_PER_DAY = "tokens_per_day"
    TOKENS_PER_MONTH = "tokens_per_month"
    REQUESTS_PER_MINUTE = "requests_per_minute"
    CONCURRENT = "concurrent"


#: The limits each scope takes. A model's are its server's capacity (answers at once);
#: token and request budgets belong to people and apps.
ALLOWED: Mapping[LimitScope, frozenset[LimitKind]] = {
    LimitScope.USER: frozenset(LimitKind),
    LimitScope.APP: frozenset(LimitKind),
    LimitScope.MODEL: frozenset({LimitKind.CONCURRENT}),
}

TOKEN_KINDS = (LimitKind.TOKENS_PER_DAY, LimitKind.TOKENS_PER_MONTH)


@dataclass(frozen=True, slots=True)
class UsageLimits:
    """The limits set for one user, app or model (``values``: only those set)."""

    scope: LimitScope
    subject_id: int
    subject: str  # the user's, app's or model's name
    values: Mapping[LimitKind, int]
    updated_at: str
    updated_by: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope.value,
            "name": self.subject,
            "limits": {k.value: self.values[k] for k in LimitKind if k in self.values},
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        }


@dataclass(frozen=True, slots=True)
class LimitUse:
    """One limit and what has been used against it now; ``resets_at`` is an ISO UTC
    time (None: a concurrency limit, which frees as answers finish)."""

    scope: LimitScope
    subject: str
    kind: LimitKind
    limit: int
    used: int
    resets_at: str | None

    @property
    def reached(self) -> bool:
        return self.used >= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope.value,
            "name": self.subject,
            "limit": self.kind.value,
            "allowed": self.limit,
            "used": self.used,
            "resets_at": self.resets_at,
        }


@dataclass(frozen=True, slots=True)
class Windows:
    """Where each window of the limits checked begins (ISO UTC): ``since`` is the
    earliest of them, the one the turns are read from."""

    since: str
    day: str
    month: str
    minute: str


@dataclass(frozen=True, slots=True)
class Consumed:
    """What a user or an app used in each window (tokens of finished turns; turns
    started in the last minute, and when the oldest of those started)."""

    day_tokens: int
    month_tokens: int
    requests: int
    oldest_request: str | None


def day_start(now: datetime) -> datetime:
    """00:00 UTC of ``now``'s UTC day."""
    moment = now.astimezone(UTC)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


def month_start(now: datetime) -> datetime:
    """00:00 UTC on the first of ``now``'s UTC month."""
    moment = now.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    """The first of the month after ``start`` (itself a first of a month)."""
    return datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)


def token_window(kind: LimitKind, now: datetime) -> tuple[datetime, datetime]:
    """Where the window of a token limit begins, and when it resets."""
    if kind is LimitKind.TOKENS_PER_DAY:
        start = day_start(now)
        return start, start + timedelta(days=1)
    start = month_start(now)
    return start, next_month(start)


def shown_time(iso: str) -> str:
    """An ISO UTC time as messages show it: ``2026-12-07 00:00:00 UTC``."""
    return f"{iso[:10]} {iso[11:19]} UTC"
