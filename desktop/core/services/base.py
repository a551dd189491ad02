"""The one operation primitive every service method goes through.

``with self._op(actor, permission) as op:`` opens ONE write transaction in which it
re-reads the acting user (a role changed or an account disabled on another connection a
moment ago takes effect here: the transaction holds the write lock, so nothing can
change them between this check and the change), checks the permission and the
workspace's TOTP policy, and yields the transaction with the audit recorder. The change
and its audit event commit together or not at all.

A refusal — the permission table, the TOTP policy, or a rule the method itself applies
with ``op.refuse`` — rolls the whole transaction back, records a ``permission.denied``
event in a transaction of its own (the attempt stays on the record) and raises
PermissionDenied. Audit events are written only through ``op.audit`` (or, for the few
events with no signed-in user, ``system_audit``), with an ``AuditAction`` name.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.errors import AppError, AuthenticationFailed, PermissionDenied
from desktop.core.models import Actor, AuditEvent, Role, UserStatus
from desktop.core.ports import Store, Transaction
from desktop.core.workspace_policy import Policy, policy_on


class Refusal(Exception):
    """A rule refuses the actor inside an operation; becomes an audited PermissionDenied
    with the catalogue ``code`` and its parameters."""

    def __init__(self, what: str, obj: str, code: str, **params: Any) -> None:
        super().__init__(code)
        self.what, self.obj, self.code, self.params = what, obj, code, params


_Method = TypeVar("_Method", bound=Callable[..., Any])


def no_actor(reason: str) -> Callable[[_Method], _Method]:
    """Mark a public service method that touches the store without the operation
    primitive, saying why (there is no signed-in user yet, a system check, a read an
    admitted operation makes). The test that every other public method opens
    ``self._op`` reads this mark and its reason; the method itself is unchanged."""

    def mark(method: _Method) -> _Method:
        method.__kura_no_actor__ = reason  # type: ignore[attr-defined]
        return method

    return mark


def system_audit(
    tx: Transaction, action: AuditAction, obj: str, payload: dict[str, Any], *, actor: str
) -> AuditEvent:
    """An audit event no signed-in user causes (sign-in attempts, workspace creation,
    key events): written in the caller's transaction, with an ``AuditAction`` name."""
    return tx.audit.append(actor=actor, action=action.value, obj=obj, payload=payload)


@dataclass(frozen=True, slots=True)
class Op:
    """One operation: its transaction, and the acting user as stored right now."""

    tx: Transaction
    actor: Actor

    def audit(
        self, action: AuditAction, obj: str, payload: dict[str, Any] | None = None
    ) -> AuditEvent:
        """Append the operation's audit event, in its transaction."""
        return system_audit(self.tx, action, obj, payload or {}, actor=self.actor.username)

    def refuse(self, what: str, obj: str, code: str, **params: Any) -> NoReturn:
        """Refuse the operation: everything it did is rolled back, the denial recorded
        and PermissionDenied raised with the catalogue ``code``."""
        raise Refusal(what, obj, code, **params)


class AuditedService:
    """Base for services: :meth:`_op` is the one way in."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @contextmanager
    def _op(
        self,
        actor: Actor,
        permission: rbac.Permission | None = None,
        obj: str = "",
        *,
        enrolling: bool = False,
    ) -> Iterator[Op]:
        """ONE write transaction: the actor re-read, ``permission`` checked (None: any
        active user), the TOTP policy applied (``enrolling``: not, so an Owner or Admin
        the policy holds back can still enroll); see the module docstring."""
        current = actor
        try:
            with self._store.transaction() as tx:
                current = _current(tx, actor, totp_policy=not enrolling)
                if permission is not None:
                    try:
                        rbac.require(current, permission)
                    except PermissionDenied as exc:
                        raise Refusal(permission.value, obj, exc.code, **exc.params) from None
                yield Op(tx, current)
        except Refusal as refusal:
            self._record_denial(current, refusal.what, refusal.obj)
            raise PermissionDenied(refusal.code, **refusal.params) from None

    @contextmanager
    def _continue(self, actor: Actor) -> Iterator[Op]:
        """A write transaction that finishes an operation ``actor`` was allowed to begin
        (the stored answer of a chat turn that ``_op`` authorised): the result of work
        already done is recorded, never refused. No new permission is checked here."""
        with self._store.transaction() as tx:
            yield Op(tx, actor)

    def _precheck(self, actor: Actor, permission: rbac.Permission, obj: str = "") -> None:
        """Refuse (audited) before long work outside the transaction (hashing a model
        file, a password); the operation that then makes the change checks again."""
        with self._op(actor, permission, obj):
            pass

    def _record_denial(self, actor: Actor, what: str, obj: str) -> None:
        with self._store.transaction() as tx:
            system_audit(
                tx,
                AuditAction.PERMISSION_DENIED,
                obj or what,
                {"permission": what, "role": actor.role.value},
                actor=actor.username,
            )


def _current(tx: Transaction, actor: Actor, *, totp_policy: bool = True) -> Actor:
    """The actor as the database knows them in this transaction. Under the policy that
    Owners and Admins use TOTP, one without it may do nothing but enroll."""
    user = tx.users.get(actor.user_id)
    if user is None or user.status is not UserStatus.ACTIVE:
        raise AuthenticationFailed("accounts.account_gone")
    current = user.as_actor()
    if (
        totp_policy
        and user.role in (Role.OWNER, Role.ADMIN)
        and policy_on(tx.settings, Policy.REQUIRE_TOTP_FOR_ADMINS)
    ):
        state = tx.security.totp(user.id)
        if state is None or not state.enabled:
            raise Refusal(
                "totp_enrollment_required", f"user:{user.username}", "accounts.totp_required"
            )
    return current


def best_effort_checkpoint(store: Store) -> None:
    """Fold deleted pages out of the WAL now; if another reader blocks it, closing the
    store does it later. The deletion itself is already committed either way."""
    with contextlib.suppress(AppError):
        store.checkpoint()
