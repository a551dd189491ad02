"""The idle-timeout session the GUI locks itself with."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desktop.core.errors import AuthenticationFailed, InputError
from desktop.core.models import Actor, Role
from desktop.core.session import DEFAULT_IDLE_TIMEOUT, Session
from tests.fakes import FixedClock

ADA = Actor(1, "ada", Role.ADMIN)


def test_default_timeout_is_15_minutes_and_activity_extends_it() -> None:
    clock = FixedClock()
    session = Session(ADA, clock)
    assert session.idle_timeout == DEFAULT_IDLE_TIMEOUT == timedelta(minutes=15)
    clock.advance(14 * 60)
    assert session.actor() == ADA  # using it counts as activity
    clock.advance(14 * 60)
    assert not session.expired() and session.remaining() == timedelta(minutes=1)
    clock.advance(60)
    assert session.expired()
    with pytest.raises(AuthenticationFailed, match="sign in again"):
        session.actor()
    assert session.locked
    clock.advance(-3600)  # a clock set back does not unlock it
    with pytest.raises(AuthenticationFailed):
        session.actor()


def test_lock_is_immediate_and_touch_after_lock_does_nothing() -> None:
    session = Session(ADA, FixedClock(), timedelta(minutes=5))
    session.lock()
    session.touch()
    assert session.locked and session.remaining() == timedelta(0)
    with pytest.raises(AuthenticationFailed):
        session.actor()


@pytest.mark.parametrize("minutes", [0, 0.5, 8 * 60 + 1])
def test_timeouts_out_of_range_are_refused(minutes: float) -> None:
    with pytest.raises(InputError, match="between 1 minute and 8 hours"):
        Session(ADA, FixedClock(), timedelta(minutes=minutes))
