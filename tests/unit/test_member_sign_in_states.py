"""What the Members screen shows about each account's sign-in: one-time codes on or off,
failures in a row and the lock, for Admins and the Owner only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from desktop import app
from desktop.core.errors import AccountLocked, AuthenticationFailed, PermissionDenied
from desktop.core.models import Actor
from desktop.core.services.sign_in import FIRST_DELAY, THROTTLE_AFTER
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER

WRONG = "not the password at all"


@pytest.fixture
def ws(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Iterator[app.Workspace]:
    path = tmp_path / "w"
    app.init_workspace(
        path, "owner", PEOPLE_PASSWORD, key_store=key_store, hasher=FAST_HASHER, clock=clock
    )
    with app.open_workspace(path, key_store=key_store, hasher=FAST_HASHER, clock=clock) as w:
        yield w


def test_states_show_totp_failures_and_locks(
    ws: app.Workspace, people: dict[str, Actor], clock: FixedClock
) -> None:
    owner, ada, mo = people["owner"], people["ada"], people["mo"]
    enrollment = ws.totp.begin(ada)
    ws.totp.confirm(ada, pyotp.TOTP(enrollment.secret).at(clock.now()))
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("MIA", WRONG)
    for _ in range(THROTTLE_AFTER - 1):
        with pytest.raises(AuthenticationFailed):
            ws.accounts.authenticate("eve", WRONG)
    with pytest.raises(AccountLocked):
        ws.accounts.authenticate("eve", WRONG)

    states = ws.accounts.sign_in_states(ada)
    assert states[ada.user_id]["totp"] is True and states[owner.user_id]["totp"] is False
    assert states[people["mia"].user_id]["failures"] == 1
    assert states[people["mia"].user_id]["locked_until"] is None
    eve = states[people["eve"].user_id]
    assert eve["failures"] == THROTTLE_AFTER and eve["locked_until"] is not None
    assert all("secret" not in str(s) for s in states.values())

    clock.advance(FIRST_DELAY + 1)  # the lock runs out; the count stays
    eve = ws.accounts.sign_in_states(owner)[people["eve"].user_id]
    assert eve["locked_until"] is None and eve["failures"] == THROTTLE_AFTER
    ws.accounts.unlock(owner, "eve")
    assert ws.accounts.sign_in_states(owner)[people["eve"].user_id]["failures"] == 0
    with pytest.raises(PermissionDenied):
        ws.accounts.sign_in_states(mo)
