"""The usage dashboard: tokens per day by app and by user, turns per day, ratings.

Owner and Admins only (the permission that lets them view every log). Computed from the
finished turns (their token counters) and their feedback; a day is the UTC date of the
turn's stored time. ``days=N`` covers today (UTC, per the clock) and the N-1 days
before it. Reading it is not audited, like reading traces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desktop.core import rbac
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.core.ports import Store
from desktop.core.services.apps import find_app
from desktop.core.services.base import AuditedService

MAX_USAGE_DAYS = 3650


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Usage over ``first_day``..``last_day`` (inclusive, UTC), all lists oldest first.

    Days with no finished turn are absent from the lists. Token rows are
    ``(day 'YYYY-MM-DD', name, prompt_tokens, completion_tokens)``.
    """

    days: int
    first_day: str
    last_day: str
    app: str | None  # the app's name when the report was limited to one app
    tokens_by_day_app: list[tuple[str, str, int, int]]
    tokens_by_day_user: list[tuple[str, str, int, int]]
    turns_by_day: list[tuple[str, int]]
    ratings: dict[str, int]  # {"up": n, "down": m, "none": k}
    total_turns: int
    total_prompt_tokens: int
    total_completion_tokens: int

    @property
    def total_tokens(self) -> int:
        return self.total_prompt_tokens + self.total_completion_tokens


class UsageService(AuditedService):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(store)
        self._clock = clock

    def usage(
        self, actor: Actor, *, days: int = 30, app_ref: str | int | None = None
    ) -> UsageReport:
        """Usage of the last ``days`` days, of one app or all (Owner and Admins)."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            if (
                isinstance(days, bool)
                or not isinstance(days, int)
                or not 1 <= days <= MAX_USAGE_DAYS
            ):
                raise InputError("chat.usage_period_range", maximum=MAX_USAGE_DAYS)
            today = self._clock.now().astimezone(UTC).date()
            first = today - timedelta(days=days - 1)
            since = iso_utc(datetime(first.year, first.month, first.day, tzinfo=UTC))
            tx = op.tx
            app = find_app(tx, op.actor, app_ref) if app_ref is not None else None
            app_id = app.id if app is not None else None
            by_app = tx.usage.tokens_by_day_app(since, app_id)
            by_user = tx.usage.tokens_by_day_user(since, app_id)
            turns = tx.usage.turns_by_day(since, app_id)
            ratings = tx.usage.ratings(since, app_id)
        return UsageReport(
            days=days,
            first_day=first.isoformat(),
            last_day=today.isoformat(),
            app=app.config.name if app is not None else None,
            tokens_by_day_app=by_app,
            tokens_by_day_user=by_user,
            turns_by_day=turns,
            ratings=ratings,
            total_turns=sum(n for _, n in turns),
            total_prompt_tokens=sum(row[2] for row in by_app),
            total_completion_tokens=sum(row[3] for row in by_app),
        )
