"""What every service shares: the permission check that leaves a trace when it fails."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from desktop.core import rbac
from desktop.core.errors import AppError, AuthenticationFailed, PermissionDenied
from desktop.core.models import Actor, Role, UserStatus
from desktop.core.ports import Store, Transaction
from desktop.core.workspace_policy import Policy, policy_on


class Refusal(Exception):
    """Raised inside ``_transaction`` when a rule refuses the actor; becomes PermissionDenied."""

    def __init__(self, what: str, obj: str, message: str) -> None:
        super().__init__(message)
        self.what, self.obj, self.message = what, obj, message


class AuditedService:
    """Base for services: ``_require`` audits every denial before raising it."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _require(self, actor: Actor, permission: rbac.Permission, obj: str = "") -> None:
        """Raise PermissionDenied unless the actor's role grants ``permission``.

        A denial is itself an audit event (``permission.denied``), committed on its own:
        the refused change never happens, the attempt stays on the record.
        """
        current = self._current(actor)
        try:
            rbac.require(current, permission)
        except PermissionDenied as exc:
            self._record_denial(current, permission.value, obj)
            raise exc from None

    def _current(self, actor: Actor) -> Actor:
        """The actor as the database knows them now: a role changed or an account
        disabled since sign-in takes effect at once. Under the policy that Owners and
        Admins use TOTP, one without it may do nothing but enroll (audited denial)."""
        current, needs_totp = self._current_user(actor)
        if needs_totp:
            self._record_denial(current, "totp_enrollment_required", f"user:{current.username}")
            raise PermissionDenied(
                "this workspace requires a one-time code for Owners and Admins: enroll one "
                "with `kura users totp enroll` (or in Settings > Security), then try again"
            )
        return current

    def _current_user(self, actor: Actor) -> tuple[Actor, bool]:
        """(the actor as stored now, whether policy requires a TOTP they lack)."""
        with self._store.transaction() as tx:
            user = tx.users.get(actor.user_id)
            if user is None or user.status is not UserStatus.ACTIVE:
                raise AuthenticationFailed("your account is disabled or gone: sign in again")
            needs_totp = False
            if user.role in (Role.OWNER, Role.ADMIN) and policy_on(
                tx.settings, Policy.REQUIRE_TOTP_FOR_ADMINS
            ):
                state = tx.security.totp(user.id)
                needs_totp = state is None or not state.enabled
        return user.as_actor(), needs_totp

    @contextmanager
    def _transaction(self, actor: Actor) -> Iterator[Transaction]:
        """A store transaction in which a ``Refusal`` rolls the change back, is audited
        in a transaction of its own, and surfaces as PermissionDenied."""
        try:
            with self._store.transaction() as tx:
                yield tx
        except Refusal as refusal:
            self._record_denial(actor, refusal.what, refusal.obj)
            raise PermissionDenied(refusal.message) from None

    def _record_denial(self, actor: Actor, what: str, obj: str) -> None:
        with self._store.transaction() as tx:
            tx.audit.append(
                actor=actor.username,
                action="permission.denied",
                obj=obj or what,
                payload={"permission": what, "role": actor.role.value},
            )


def best_effort_checkpoint(store: Store) -> None:
    """Fold deleted pages out of the WAL now; if another reader blocks it, closing the
    store does it later. The deletion itself is already committed either way."""
    with contextlib.suppress(AppError):
        store.checkpoint()
