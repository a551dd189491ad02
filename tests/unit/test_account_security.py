"""Sign-in hardening through the services: throttling, TOTP, recovery codes, policies,
ownership transfer and role approval (real TOTP and strength adapters, fake clock)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

from desktop import app
from desktop.core.errors import (
    AccountLocked,
    AuthenticationFailed,
    InputError,
    NotFound,
    PermissionDenied,
    SecondFactorRequired,
)
from desktop.core.models import Actor, Role, UserStatus
from desktop.core.services.sign_in import FIRST_DELAY, MAX_DELAY, THROTTLE_AFTER, lock_seconds
from desktop.core.workspace_policy import Policy
from desktop.security.passwords import Argon2PasswordHasher
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER as FAST

WRONG = "not the password at all"


def _open(path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> app.Workspace:
    return app.open_workspace(path, key_store=key_store, hasher=FAST, clock=clock)


@pytest.fixture
def ws(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Iterator[app.Workspace]:
    path = tmp_path / "w"
    app.init_workspace(
        path, "owner", PEOPLE_PASSWORD, key_store=key_store, hasher=FAST, clock=clock
    )
    with _open(path, key_store, clock) as w:
        yield w


def _events(ws: app.Workspace, action: str) -> list[dict[str, object]]:
    with ws.store.transaction() as tx:
        return [dict(e.payload or {}) for e in tx.audit.iter_events() if e.action == action]


def _enroll(ws: app.Workspace, actor: Actor, clock: FixedClock) -> tuple[pyotp.TOTP, list[str]]:
    enrollment = ws.totp.begin(actor)
    totp = pyotp.TOTP(enrollment.secret)
    codes = ws.totp.confirm(actor, totp.at(clock.now()))
    return totp, codes


# ------------------------------------------------------------------ throttling


def test_lock_delays_double_from_the_fifth_failure_up_to_an_hour() -> None:
    assert [lock_seconds(n) for n in range(1, THROTTLE_AFTER)] == [0] * (THROTTLE_AFTER - 1)
    assert [lock_seconds(THROTTLE_AFTER + i) for i in range(4)] == [
        FIRST_DELAY * 2**i for i in range(4)
    ]
    assert lock_seconds(50) == MAX_DELAY == 3600


def test_five_failures_lock_the_name_and_the_lock_survives_a_restart(
    tmp_path: Path, ws: app.Workspace, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    for _ in range(THROTTLE_AFTER - 1):
        with pytest.raises(AuthenticationFailed):
            ws.accounts.authenticate("owner", WRONG)
    with pytest.raises(AccountLocked, match="5 times in a row: locked until"):
        ws.accounts.authenticate("owner", WRONG)
    ws.close()
    with _open(tmp_path / "w", key_store, clock) as again:  # a restart
        with pytest.raises(AccountLocked) as locked:
            again.accounts.authenticate("owner", PEOPLE_PASSWORD)  # even the right one
        assert locked.value.exit_code == 4
        clock.advance(FIRST_DELAY - 1)
        with pytest.raises(AccountLocked):
            again.accounts.authenticate("owner", PEOPLE_PASSWORD)
        clock.advance(1)
        with pytest.raises(AccountLocked, match="6 times"):  # one more failure: 60 s
            again.accounts.authenticate("owner", WRONG)
        clock.advance(2 * FIRST_DELAY)
        owner = again.accounts.authenticate("owner", PEOPLE_PASSWORD)
        assert owner.role is Role.OWNER
        for _ in range(THROTTLE_AFTER - 1):  # a success starts the count again
            with pytest.raises(AuthenticationFailed):
                again.accounts.authenticate("owner", WRONG)
        assert again.accounts.authenticate("owner", PEOPLE_PASSWORD) == owner
        locks = _events(again, "account.locked")
        assert [e["failures"] for e in locks] == [5, 6]
        assert [e["seconds"] for e in locks] == [FIRST_DELAY, 2 * FIRST_DELAY]
        reasons = [e["reason"] for e in _events(again, "login.failed")]
        assert reasons.count("locked") == 2 and reasons.count("bad_credentials") == 10


def test_unknown_names_are_throttled_alike_and_an_admin_can_unlock(
    ws: app.Workspace, clock: FixedClock
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "ann", Role.MEMBER, PEOPLE_PASSWORD)
    for name in ("nobody", "ann"):
        for _ in range(THROTTLE_AFTER - 1):
            with pytest.raises(AuthenticationFailed):
                ws.accounts.authenticate(name, WRONG)
        with pytest.raises(AccountLocked):  # same answer: the lock tells nothing
            ws.accounts.authenticate(name, WRONG)
    with pytest.raises(AccountLocked):
        ws.accounts.authenticate("ANN", PEOPLE_PASSWORD)  # names compare without case
    ws.accounts.unlock(owner, "ann")
    assert ws.accounts.authenticate("ann", PEOPLE_PASSWORD).username == "ann"
    assert _events(ws, "account.unlocked") == [{}]


# ------------------------------------------------------------------ TOTP


def test_totp_sign_in_needs_a_fresh_code_and_wrong_codes_count_as_failures(
    ws: app.Workspace, clock: FixedClock
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    totp, recovery = _enroll(ws, owner, clock)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert ws.totp.status(owner)["enabled"] is True
    with pytest.raises(SecondFactorRequired):
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    with pytest.raises(AuthenticationFailed):  # the code enrollment used is spent
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD, totp.at(clock.now()))
    clock.advance(30)
    code = totp.at(clock.now())
    assert ws.accounts.authenticate("owner", PEOPLE_PASSWORD, code) == owner
    with pytest.raises(AuthenticationFailed):  # a code is accepted once
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD, code)
    clock.advance(30)
    previous = totp.at(clock.now().timestamp() - 30)  # one step old: still spent
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD, previous)
    late = totp.at(clock.now())
    clock.advance(30)  # one step late is accepted
    assert ws.accounts.authenticate("owner", PEOPLE_PASSWORD, late) == owner
    for _ in range(THROTTLE_AFTER - 1):
        with pytest.raises(AuthenticationFailed):
            ws.accounts.authenticate("owner", PEOPLE_PASSWORD, "000000")
    with pytest.raises(AccountLocked):
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD, "000000")
    reasons = [e["reason"] for e in _events(ws, "login.failed")]
    assert reasons.count("code_reused") == 3 and reasons.count("bad_code") == 5


def test_recovery_codes_work_once_each(ws: app.Workspace, clock: FixedClock) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    _, recovery = _enroll(ws, owner, clock)
    typed = recovery[0].upper().replace("-", " ")  # case, spaces and dashes do not matter
    assert ws.accounts.authenticate("owner", PEOPLE_PASSWORD, typed) == owner
    with pytest.raises(AuthenticationFailed):
        ws.accounts.authenticate("owner", PEOPLE_PASSWORD, recovery[0])
    assert ws.totp.status(owner)["recovery_codes_left"] == 9
    assert _events(ws, "login.recovery_code_used") == [{"left": 9}]


def test_enrollment_needs_a_matching_code_and_keeps_the_old_secret_until_then(
    ws: app.Workspace, clock: FixedClock
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    with pytest.raises(NotFound, match="no TOTP enrollment is pending"):
        ws.totp.confirm(owner, "123456")
    totp, _ = _enroll(ws, owner, clock)
    pending = ws.totp.begin(owner)  # a second device, not yet confirmed
    with pytest.raises(InputError, match="does not match"):
        ws.totp.confirm(owner, "000000")
    clock.advance(30)
    assert ws.accounts.authenticate("owner", PEOPLE_PASSWORD, totp.at(clock.now())) == owner
    assert ws.totp.status(owner)["pending"] is True
    assert pending.secret not in repr(pending)
    assert [e for e in _events(ws, "totp.enrolled")] == [{"recovery_codes": 10}]


def test_an_admin_resets_a_members_lost_device_but_not_the_owners(
    ws: app.Workspace, clock: FixedClock
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    for name, role in (("ada", Role.ADMIN), ("mo", Role.MEMBER)):
        ws.accounts.add_user(owner, name, role, PEOPLE_PASSWORD)
    ada = ws.accounts.authenticate("ada", PEOPLE_PASSWORD)
    mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
    _enroll(ws, mo, clock)
    _enroll(ws, owner, clock)
    with pytest.raises(PermissionDenied):
        ws.totp.reset(mo, "owner")
    with pytest.raises(PermissionDenied, match="only the Owner"):
        ws.totp.reset(ada, "owner")
    ws.totp.reset(ada, "mo")
    assert ws.accounts.authenticate("mo", PEOPLE_PASSWORD).username == "mo"
    assert len(_events(ws, "permission.denied")) == 2


def test_policy_requires_totp_for_owner_and_admins_only(
    ws: app.Workspace, clock: FixedClock
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
    with pytest.raises(PermissionDenied):
        ws.policies.set(
            ws.accounts.authenticate("ada", PEOPLE_PASSWORD), Policy.ROLE_APPROVAL, True
        )
    ws.policies.set(owner, Policy.REQUIRE_TOTP_FOR_ADMINS, True)
    ada = ws.accounts.authenticate("ada", PEOPLE_PASSWORD)  # signs in, may only enroll
    with pytest.raises(PermissionDenied, match="requires a one-time code"):
        ws.accounts.list_users(ada)
    mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
    assert ws.apps.list(mo) == []  # Members are not affected
    _enroll(ws, ada, clock)
    assert {u.username for u in ws.accounts.list_users(ada)} == {"owner", "ada", "mo"}
    denied = _events(ws, "permission.denied")
    assert {"permission": "totp_enrollment_required", "role": "admin"} in denied
    assert _events(ws, "policy.changed")[0]["to"] is True


# ------------------------------------------------------------------ roles


def test_ownership_transfer_keeps_exactly_one_owner(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "dis", Role.MEMBER, PEOPLE_PASSWORD)
    ws.accounts.set_status(owner, "dis", UserStatus.DISABLED)
    ada = ws.accounts.authenticate("ada", PEOPLE_PASSWORD)
    with pytest.raises(PermissionDenied):
        ws.accounts.transfer_ownership(ada, "ada")
    for target, problem in (("owner", "already the Owner"), ("dis", "is disabled")):
        with pytest.raises(InputError, match=problem):
            ws.accounts.transfer_ownership(owner, target)
    for change in (
        lambda: ws.accounts.set_role(ada, "owner", Role.MEMBER),
        lambda: ws.accounts.set_status(ada, "owner", UserStatus.DISABLED),
    ):
        with pytest.raises(PermissionDenied, match="ownership transfer"):
            change()
    ws.accounts.transfer_ownership(owner, "ada")
    roles = {u.username: u.role for u in ws.accounts.list_users(ada)}
    assert roles == {"owner": Role.ADMIN, "ada": Role.OWNER, "dis": Role.MEMBER}
    with pytest.raises(PermissionDenied):  # the old Owner lost the right at once
        ws.accounts.transfer_ownership(owner, "owner")
    assert _events(ws, "ownership.transferred") == [{"from": "owner", "to": "ada"}]


def test_role_approval_policy_holds_elevations_by_admins(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    for name, role in (("ada", Role.ADMIN), ("mo", Role.MEMBER), ("ed", Role.EDITOR)):
        ws.accounts.add_user(owner, name, role, PEOPLE_PASSWORD)
    ada = ws.accounts.authenticate("ada", PEOPLE_PASSWORD)
    ws.policies.set(owner, Policy.ROLE_APPROVAL, True)
    ws.accounts.set_role(ada, "mo", Role.ADMIN)  # an elevation: pending
    ws.accounts.set_role(ada, "ed", Role.MEMBER)  # a demotion: at once
    roles = {u.username: u.role for u in ws.accounts.list_users(owner)}
    assert roles["mo"] is Role.MEMBER and roles["ed"] is Role.MEMBER
    assert [r["to"] for r in ws.accounts.role_requests(ada)] == ["admin"]
    with pytest.raises(PermissionDenied):
        ws.accounts.decide_role(ada, "mo", approve=True)
    ws.accounts.decide_role(owner, "mo", approve=True)
    assert ws.accounts.authenticate("mo", PEOPLE_PASSWORD).role is Role.ADMIN
    ws.accounts.set_role(ada, "ed", Role.EDITOR)
    ws.accounts.decide_role(owner, "ed", approve=False)
    assert ws.accounts.authenticate("ed", PEOPLE_PASSWORD).role is Role.MEMBER
    with pytest.raises(NotFound):
        ws.accounts.decide_role(owner, "ed", approve=True)
    ws.accounts.set_role(owner, "ed", Role.ADMIN)  # the Owner's own change needs no approval
    assert ws.accounts.authenticate("ed", PEOPLE_PASSWORD).role is Role.ADMIN
    actions = ["user.role_requested", "user.role_approved", "user.role_rejected"]
    assert [len(_events(ws, a)) for a in actions] == [2, 1, 1]


# ------------------------------------------------------------------ passwords


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password1234", "one of the most common passwords"),
        ("qwertyuiop123", "password refused"),
        ("tanaka-hiroshi1", "built from the user name"),
        ("short", "too short"),
        ("x" * 129, "too long"),
    ],
)
def test_weak_and_common_passwords_are_refused_with_the_reason(
    ws: app.Workspace, password: str, reason: str
) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    with pytest.raises(InputError, match=reason):
        ws.accounts.add_user(owner, "tanaka-hiroshi", Role.MEMBER, password)
    if "user name" not in reason:  # the Owner's name is not in it
        with pytest.raises(InputError, match=reason):
            ws.accounts.reset_password(owner, "owner", password)
    assert {u.username for u in ws.accounts.list_users(owner)} == {"owner"}


def test_a_member_cannot_probe_user_names_through_password_reset(ws: app.Workspace) -> None:
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ws.accounts.add_user(owner, "mo", Role.MEMBER, PEOPLE_PASSWORD)
    mo = ws.accounts.authenticate("mo", PEOPLE_PASSWORD)
    for name in ("owner", "nobody"):  # existing or not: the same denial
        with pytest.raises(PermissionDenied):
            ws.accounts.reset_password(mo, name, "an entirely new passphrase")


def test_raised_argon2_parameters_upgrade_the_hash_at_sign_in(
    tmp_path: Path, ws: app.Workspace, key_store: MemoryKeyStore, clock: FixedClock
) -> None:
    def stored() -> str:
        with ws.store.transaction() as tx:
            user = tx.users.get_by_name("owner")
            assert user is not None
            return user.password_hash

    assert "m=1024,t=1,p=1" in stored()
    ws.close()
    stronger = Argon2PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    with app.open_workspace(
        tmp_path / "w", key_store=key_store, hasher=stronger, clock=clock
    ) as again:
        again.accounts.authenticate("owner", PEOPLE_PASSWORD)
        with again.store.transaction() as tx:
            user = tx.users.get_by_name("owner")
            assert user is not None and "m=2048,t=2,p=1" in user.password_hash
        assert again.accounts.authenticate("owner", PEOPLE_PASSWORD).role is Role.OWNER


_LOCK_IN_TOKYO = """
import tempfile
from pathlib import Path
from desktop import app
from desktop.core.errors import AccountLocked, AuthenticationFailed
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER
keys, clock = MemoryKeyStore(), FixedClock()  # 2026-01-02 03:04:05 UTC
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "w"
    app.init_workspace(path, "owner", PEOPLE_PASSWORD, key_store=keys, hasher=FAST_HASHER,
                       clock=clock)
    with app.open_workspace(path, key_store=keys, hasher=FAST_HASHER, clock=clock) as ws:
        for _ in range(5):
            try:
                ws.accounts.authenticate("owner", "not the password at all")
            except AccountLocked as locked:
                print(locked)
            except AuthenticationFailed:
                pass
"""


def test_the_lockout_message_names_the_local_time_and_zone_not_utc() -> None:
    """An analyst in Tokyo reads 12:04:35 JST, not 03:04:35 UTC (30 s lock)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "TZ": "Asia/Tokyo", "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", _LOCK_IN_TOKYO],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "locked until 2026-01-02 12:04:35 JST" in out.stdout
    assert "UTC" not in out.stdout
