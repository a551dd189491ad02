"""Workspace settings and each user's own preferences.

- Workspace settings (stored in ``settings``): the idle timeout after which a signed-in
  window locks (:mod:`desktop.core.session`). Every signed-in user may read them; the
  Owner and Admins may change them (the timeout governs every member's session, so it
  goes with managing members). ``idle_timeout()`` needs no actor: the GUI reads it right
  after sign-in to build the :class:`~desktop.core.session.Session`.
- Preferences (stored in ``user_preferences``): an allow-list of keys and values, which
  each user sets for themself only. A key never set is absent; the GUI then follows
  the system (language: the system locale; theme: ``system``).

Every change is an audit event in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError
from desktop.core.models import Actor
from desktop.core.ports import SettingsRepository, Store
from desktop.core.services.base import AuditedService, no_actor
from desktop.core.session import DEFAULT_IDLE_TIMEOUT, MAX_IDLE_TIMEOUT, MIN_IDLE_TIMEOUT

MIN_IDLE_MINUTES = int(MIN_IDLE_TIMEOUT.total_seconds()) // 60  # 1
MAX_IDLE_MINUTES = int(MAX_IDLE_TIMEOUT.total_seconds()) // 60  # 480
DEFAULT_IDLE_MINUTES = int(DEFAULT_IDLE_TIMEOUT.total_seconds()) // 60  # 15

#: The ``settings`` key holding the idle timeout in minutes.
IDLE_TIMEOUT_KEY = "session.idle_timeout_minutes"

#: Preference keys a user may set, each with its allowed values.
PREFERENCES: dict[str, tuple[str, ...]] = {
    "language": ("en", "ja"),
    "theme": ("system", "light", "dark"),
}


def _stored_minutes(settings: SettingsRepository) -> int:
    """The stored timeout, or the default when unset or unusable."""
    raw = settings.get(IDLE_TIMEOUT_KEY)
    if raw is None or not raw.strip().isdigit():
        return DEFAULT_IDLE_MINUTES
    minutes = int(raw)
    return minutes if MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES else DEFAULT_IDLE_MINUTES


class SettingsService(AuditedService):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(store)
        self._clock = clock

    # ------------------------------------------------------------------ workspace

    def workspace_settings(self, actor: Actor) -> dict[str, Any]:
        """The workspace settings (any signed-in user): ``idle_timeout_minutes``."""
        with self._op(actor) as op:
            return {"idle_timeout_minutes": _stored_minutes(op.tx.settings)}

    @no_actor("read at sign-in, before there is an actor")
    def idle_timeout(self) -> timedelta:
        """The idle timeout, for a session being started (no actor needed)."""
        with self._store.transaction() as tx:
            return timedelta(minutes=_stored_minutes(tx.settings))

    def set_idle_timeout(self, actor: Actor, minutes: int) -> None:
        """Lock idle windows after ``minutes`` (1 to 480; Owner and Admins)."""
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS, "settings:idle_timeout") as op:
            if (
                isinstance(minutes, bool)
                or not isinstance(minutes, int)
                or not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES
            ):
                raise InputError(
                    "chat.idle_timeout_range", minimum=MIN_IDLE_MINUTES, maximum=MAX_IDLE_MINUTES
                )
            before = _stored_minutes(op.tx.settings)
            op.tx.settings.set(IDLE_TIMEOUT_KEY, str(minutes))
            op.audit(
                AuditAction.SETTINGS_IDLE_TIMEOUT,
                "settings:idle_timeout_minutes",
                {"from": before, "to": minutes, "at": iso_utc(self._clock.now())},
            )

    # ------------------------------------------------------------------ preferences

    def preferences(self, actor: Actor) -> dict[str, str]:
        """The actor's own preferences that they have set (keys never set are absent)."""
        with self._op(actor) as op:
            stored = op.tx.preferences.all(op.actor.user_id)
        return {k: v for k, v in stored.items() if v in PREFERENCES.get(k, ())}

    def set_preference(self, actor: Actor, key: str, value: str) -> None:
        """Set one of the actor's own preferences (any signed-in user, for themself)."""
        name = key.strip().lower() if isinstance(key, str) else ""
        if name not in PREFERENCES:
            raise InputError("chat.unknown_preference", key=key, choices=", ".join(PREFERENCES))
        allowed = PREFERENCES[name]
        choice = value.strip().lower() if isinstance(value, str) else ""
        if choice not in allowed:
            raise InputError(
                "chat.preference_invalid", name=name, value=value, choices=", ".join(allowed)
            )
        with self._op(actor) as op:
            tx, current = op.tx, op.actor
            before = tx.preferences.all(current.user_id).get(name)
            tx.preferences.set(current.user_id, name, choice, iso_utc(self._clock.now()))
            op.audit(
                AuditAction.PREFERENCE_CHANGED,
                f"user:{current.username}",
                {"key": name, "from": before, "to": choice},
            )
