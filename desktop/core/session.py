"""A signed-in session that locks itself after a while without activity.

The GUI holds one :class:`Session` per window: every user action calls ``touch()``, a
timer asks ``expired()`` and, when it is, calls ``lock()`` and shows the sign-in screen
again (the services keep re-reading the account, so a lock loses nothing but the
actor). The timeout comes from the workspace (default 15 minutes); ``remaining()`` lets
the GUI warn before it happens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from desktop.core.clock import Clock
from desktop.core.errors import AuthenticationFailed, InputError
from desktop.core.models import Actor

DEFAULT_IDLE_TIMEOUT = timedelta(minutes=15)
MIN_IDLE_TIMEOUT = timedelta(minutes=1)
MAX_IDLE_TIMEOUT = timedelta(hours=8)


class Session:
    def __init__(
        self, actor: Actor, clock: Clock, idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT
    ) -> None:
        if not MIN_IDLE_TIMEOUT <= idle_timeout <= MAX_IDLE_TIMEOUT:
            raise InputError("workspace.idle_timeout_out_of_range")
        self._actor: Actor | None = actor
        self._clock = clock
        self.idle_timeout = idle_timeout
        self._last_activity: datetime = clock.now()

    @property
    def locked(self) -> bool:
        return self._actor is None

    def touch(self) -> None:
        """Record activity now (no-op once locked)."""
        if self._actor is not None:
            self._last_activity = self._clock.now()

    def remaining(self) -> timedelta:
        """Time left before the session locks (zero when locked or expired)."""
        if self._actor is None:
            return timedelta(0)
        left = self._last_activity + self.idle_timeout - self._clock.now()
        return max(left, timedelta(0))

    def expired(self) -> bool:
        return self.remaining() == timedelta(0)

    def lock(self) -> None:
        """Forget the actor: signing in again is the only way back."""
        self._actor = None

    def actor(self) -> Actor:
        """The signed-in actor, after touching the session; AuthenticationFailed once
        it is locked or idle past its timeout (which locks it)."""
        if self._actor is not None and self.expired():
            self.lock()
        if self._actor is None:
            raise AuthenticationFailed("workspace.session_locked")
        self.touch()
        return self._actor
