"""Sign-in: passwords, one-time codes and the throttle on failed attempts.

Sign-in is throttled per user name (known or not, so the lock does not tell which names
exist): after ``THROTTLE_AFTER`` failures in a row each further failure locks the name
for ``FIRST_DELAY`` seconds, doubling up to ``MAX_DELAY``; the count lives in the
database, so a restart does not reset it. An account with TOTP needs a code (or one of
its recovery codes) after the password; a wrong or replayed code is a failure like a
wrong password. :class:`~desktop.core.services.accounts.AccountService` hands its
sign-in methods to the :class:`SignInService` here.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AccountLocked, AuthenticationFailed, SecondFactorRequired
from desktop.core.models import SYSTEM_ACTOR_NAME, Actor, User, UserStatus
from desktop.core.policy import normalise_username
from desktop.core.ports import PasswordHasher, Store, TotpEngine, Transaction
from desktop.core.services.base import AuditedService, no_actor, system_audit

#: Failures in a row before a user name is locked, the first lock, the longest lock.
THROTTLE_AFTER = 5
FIRST_DELAY = 30
MAX_DELAY = 3600


def lock_seconds(failures: int) -> int:
    """How long a name is locked after ``failures`` failures in a row (0: not locked)."""
    if failures < THROTTLE_AFTER:
        return 0
    return int(min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - THROTTLE_AFTER)))


def _shown(iso: str) -> str:
    """An ISO UTC time as a message shows it, in the computer's own time zone with the
    zone's name (stored UTC, read by a person): ``2026-11-24 18:00:00 JST``."""
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone()
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".rstrip()


def recovery_code_hash(code: str) -> str:
    """SHA-256 of a recovery code, ignoring case, spaces and dashes."""
    canonical = "".join(ch for ch in code.casefold() if ch.isalnum())
    return hashlib.sha256(canonical.encode()).hexdigest()


class SignInService(AuditedService):
    def __init__(
        self, store: Store, hasher: PasswordHasher, clock: Clock, totp: TotpEngine | None
    ) -> None:
        super().__init__(store)
        self._hasher = hasher
        self._dummy: str | None = None
        self._clock = clock
        self._totp = totp

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    @no_actor("sign-in: who the actor is is being established")
    def authenticate(self, username: str, password: str, code: str | None = None) -> Actor:
        """Check the password (and the TOTP or recovery ``code`` when the account has
        TOTP) and return the Actor. Every attempt is audited; failures are throttled
        (module docstring). SecondFactorRequired: the password was right and a code is
        needed; AccountLocked: too many failures, wait."""
        name = normalise_username(username)
        key = name.casefold()
        with self._store.transaction() as tx:
            now = self._clock.now()
            guard = tx.security.guard(key)
            if guard.locked_until is not None and iso_utc(now) < guard.locked_until:
                system_audit(
                    tx,
                    actor=name,
                    action=AuditAction.LOGIN_FAILED,
                    obj=f"user:{name}",
                    payload={"reason": "locked"},
                )
                locked = AccountLocked(
                    "accounts.locked_out",
                    failures=guard.failures,
                    until=_shown(guard.locked_until),
                )
            else:
                locked = None
                user = tx.users.get_by_name(name)
                reason = self._check(tx, user, password, code)
                if reason is None and user is not None:
                    tx.security.clear_guard(key)
                    tx.users.set_last_login(user.id, iso_utc(now))
                    if self._hasher.needs_rehash(user.password_hash):
                        tx.users.set_password_hash(user.id, self._hasher.hash(password))
                    system_audit(
                        tx,
                        actor=user.username,
                        action=AuditAction.LOGIN_SUCCEEDED,
                        obj=f"user:{user.username}",
                        payload={"second_factor": code is not None},
                    )
                    return user.as_actor()
                if reason == "code_required":
                    system_audit(
                        tx,
                        actor=name,
                        action=AuditAction.LOGIN_CODE_REQUIRED,
                        obj=f"user:{name}",
                        payload={},
                    )
                else:
                    until = self._fail(tx, key, name, guard.failures + 1, str(reason))
                    if until is not None:
                        locked = AccountLocked(
                            "accounts.locked_out", failures=guard.failures + 1, until=_shown(until)
                        )
        if locked is not None:
            raise locked
        if reason == "code_required":
            raise SecondFactorRequired("accounts.second_factor_required")
        raise AuthenticationFailed("accounts.sign_in_failed")

    def _check(
        self, tx: Transaction, user: User | None, password: str, code: str | None
    ) -> str | None:
        """None when the credentials are good; else why not (for the audit event)."""
        # Unknown names verify against a throwaway hash: timing does not tell them apart.
        encoded = user.password_hash if user is not None else self._dummy_hash()
        if not self._hasher.verify(encoded, password) or user is None:
            return "bad_credentials"
        if user.status is not UserStatus.ACTIVE:
            return "disabled"
        state = tx.security.totp(user.id)
        if state is None or state.secret is None:
            return None
        if code is None:
            return "code_required"
        return self._second_factor(tx, user, state.secret, state.last_step, code)

    def _second_factor(
        self, tx: Transaction, user: User, secret: str, last_step: int, code: str
    ) -> str | None:
        """A TOTP code newer than the last one accepted, or an unused recovery code."""
        if self._totp is not None:
            step = self._totp.matching_step(secret, code, self._clock.now().timestamp())
            if step is not None:
                if step <= last_step:
                    return "code_reused"
                tx.security.set_totp_step(user.id, step)
                return None
        if not tx.security.use_recovery_code(user.id, recovery_code_hash(code), self._now()):
            return "bad_code"
        system_audit(
            tx,
            actor=user.username,
            action=AuditAction.LOGIN_RECOVERY_CODE_USED,
            obj=f"user:{user.username}",
            payload={"left": tx.security.unused_recovery_codes(user.id)},
        )
        return None

    def _fail(self, tx: Transaction, key: str, name: str, failures: int, reason: str) -> str | None:
        """Count a failure; lock the name once there are THROTTLE_AFTER in a row.
        Returns until when it is locked, or None."""
        now = self._clock.now()
        seconds = lock_seconds(failures)
        until = iso_utc(now + timedelta(seconds=seconds)) if seconds else None
        tx.security.set_guard(key, failures, until, iso_utc(now))
        system_audit(
            tx,
            actor=name,
            action=AuditAction.LOGIN_FAILED,
            obj=f"user:{name}",
            payload={"reason": reason, "failures": failures},
        )
        if seconds:
            system_audit(
                tx,
                actor=SYSTEM_ACTOR_NAME,
                action=AuditAction.ACCOUNT_LOCKED,
                obj=f"user:{name}",
                payload={"failures": failures, "seconds": seconds, "until": until},
            )
        return until

    def unlock(self, actor: Actor, username: str) -> None:
        """Clear a user name's failure count and lock (Admin and Owner)."""
        name = normalise_username(username)
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            op.tx.security.clear_guard(name.casefold())
            op.audit(action=AuditAction.ACCOUNT_UNLOCKED, obj=f"user:{name}", payload={})

    def sign_in_states(self, actor: Actor) -> dict[int, dict[str, object]]:
        """Per user id: whether one-time codes (TOTP) are on, failed sign-ins in a row,
        and until when the name is locked (None: not locked). Admin and Owner; no secret
        is ever returned."""
        now = self._now()
        states: dict[int, dict[str, object]] = {}
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx = op.tx
            for user in tx.users.list():
                totp = tx.security.totp(user.id)
                guard = tx.security.guard(user.username.casefold())
                locked = guard.locked_until is not None and now < guard.locked_until
                states[user.id] = {
                    "totp": bool(totp and totp.enabled),
                    "failures": guard.failures,
                    "locked_until": guard.locked_until if locked else None,
                }
        return states

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self._hasher.hash("kura: no such user")
        return self._dummy
