"""Accounts: bootstrap of the Owner, sign-in, and member management.

Every mutating method checks the permission table, does the change and appends its
audit event inside one database transaction.

Sign-in itself (passwords, one-time codes, the throttle on failures) is
:class:`~desktop.core.services.sign_in.SignInService`, which ``AccountService`` hands
``authenticate``, ``unlock`` and ``sign_in_states`` to. Passwords must pass the length
rules and the strength estimator.

In strict unlock mode (``slots``, :class:`~desktop.core.ports.security.UnlockSlots`) the
key slots follow the accounts, inside the same transaction: a new user and a new or
reset password get a slot wrapped for that password (the acting user's open workspace
holds the key), a disabled user's slot goes; an enabled user has none until an Admin
resets their password.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, InputError, NotFound
from desktop.core.messages import Term
from desktop.core.models import SYSTEM_ACTOR_NAME, Actor, Role, User, UserStatus
from desktop.core.policy import check_password, normalise_username
from desktop.core.ports import PasswordHasher, PasswordStrength, Store, TotpEngine, Transaction
from desktop.core.ports.security import UnlockSlots
from desktop.core.services import slot_generation
from desktop.core.services.base import AuditedService, Refusal, no_actor, system_audit
from desktop.core.services.sign_in import SignInService
from desktop.core.workspace_policy import Policy, policy_on

_RANK = {Role.MEMBER: 0, Role.EDITOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


def user_not_found(username: str) -> NotFound:
    return NotFound("accounts.user_not_found", name=username)


def existing_user(tx: Transaction, username: str) -> User:
    """The user with this name (normalised, any case); NotFound otherwise."""
    user = tx.users.get_by_name(normalise_username(username))
    if user is None:
        raise user_not_found(username)
    return user


def check_new_password(
    password: str, user_inputs: Sequence[str], strength: PasswordStrength | None
) -> None:
    """Length rules, then the strength estimator: InputError saying why it is weak."""
    check_password(password)
    if strength is None:
        return
    reason = strength.weakness(password, [u for u in user_inputs if u])
    if reason:
        raise InputError("accounts.password_weak", reason=Term(reason))


class AccountService(AuditedService):
    def __init__(
        self,
        store: Store,
        hasher: PasswordHasher,
        clock: Clock,
        *,
        strength: PasswordStrength | None = None,
        totp: TotpEngine | None = None,
        slots: UnlockSlots | None = None,
    ) -> None:
        super().__init__(store)
        self._hasher = hasher
        self._clock = clock
        self._strength = strength
        self._slots = slots
        self._sign_in = SignInService(store, hasher, clock, totp)

    def check_new_password(self, password: str, *user_inputs: str) -> None:
        """Length rules, then the strength estimator: InputError saying why it is weak."""
        check_new_password(password, user_inputs, self._strength)

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ bootstrap

    @no_actor("creates the first user: there is no actor yet")
    def bootstrap_owner(self, username: str, password: str, *, workspace_id: str) -> User:
        """Create the workspace's first and only Owner. Refused once any user exists."""
        name = normalise_username(username)
        self.check_new_password(password, name)
        encoded = self._hasher.hash(password)
        with self._store.transaction() as tx:
            if tx.users.list():
                raise AlreadyExists("accounts.owner_exists")
            now = self._now()
            tx.settings.set("workspace_id", workspace_id)
            tx.settings.set("created_at", now)
            system_audit(
                tx,
                actor=SYSTEM_ACTOR_NAME,
                action=AuditAction.WORKSPACE_CREATED,
                obj=f"workspace:{workspace_id}",
                payload={"workspace_id": workspace_id},
            )
            user = tx.users.add(
                username=name,
                display_name=name,
                role=Role.OWNER,
                password_hash=encoded,
                created_at=now,
            )
            system_audit(
                tx,
                actor=SYSTEM_ACTOR_NAME,
                action=AuditAction.USER_CREATED,
                obj=f"user:{user.username}",
                payload={"username": user.username, "role": user.role.value},
            )
        return user

    # ------------------------------------------------------------------ sign-in

    def authenticate(self, username: str, password: str, code: str | None = None) -> Actor:
        """Check the credentials and return the Actor (:meth:`SignInService.authenticate`)."""
        return self._sign_in.authenticate(username, password, code)

    def unlock(self, actor: Actor, username: str) -> None:
        """Clear a user name's failure count and lock (Admin and Owner)."""
        self._sign_in.unlock(actor, username)

    def sign_in_states(self, actor: Actor) -> dict[int, dict[str, object]]:
        """Per user id: TOTP on, failed sign-ins in a row, locked until (Admin and Owner)."""
        return self._sign_in.sign_in_states(actor)

    # ------------------------------------------------------------------ members

    def list_users(self, actor: Actor) -> list[User]:
        """All accounts (Admin and Owner)."""
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx, actor = op.tx, op.actor
            return tx.users.list()

    def add_user(
        self,
        actor: Actor,
        username: str,
        role: Role,
        password: str,
        display_name: str | None = None,
    ) -> None:
        """Create an Admin, Editor or Member. The Owner is made only by bootstrap/transfer."""
        self._precheck(actor, rbac.Permission.MANAGE_MEMBERS)  # before hashing
        if role is Role.OWNER:
            raise InputError("accounts.add_owner")
        name = normalise_username(username)
        self.check_new_password(password, name, display_name or "")
        encoded = self._hasher.hash(password)
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx, actor = op.tx, op.actor
            folded = name.casefold()
            if any(u.username.casefold() == folded for u in tx.users.list()):
                raise AlreadyExists("accounts.user_exists", name=name)
            tx.users.add(
                username=name,
                display_name=(display_name or name).strip() or name,
                role=role,
                password_hash=encoded,
                created_at=self._now(),
            )
            if self._slots is not None:
                self._slots.set_user_password(name, password)
                slot_generation.record(tx.settings, self._slots)
            op.audit(
                action=AuditAction.USER_CREATED,
                obj=f"user:{name}",
                payload={"username": name, "role": role.value},
            )

    def set_role(self, actor: Actor, username: str, role: Role) -> None:
        """Change an Admin's, Editor's or Member's role. Under the role-approval policy a
        role an Admin raises waits for the Owner (``approve_role``); ``pending`` in the
        audit event says so."""
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx, actor = op.tx, op.actor
            if role is Role.OWNER:
                raise InputError("accounts.owner_by_transfer")
            user = self._managed_user(tx, actor, username)
            current = tx.users.get(actor.user_id)
            pending = (
                current is not None
                and current.role is not Role.OWNER
                and _RANK[role] > _RANK[user.role]
                and policy_on(tx.settings, Policy.ROLE_APPROVAL)
            )
            if pending:
                tx.security.request_role(user.id, role, actor.username, self._now())
                action = AuditAction.USER_ROLE_REQUESTED
            else:
                tx.users.set_role(user.id, role)
                tx.security.delete_role_request(user.id)
                action = AuditAction.USER_ROLE_CHANGED
            op.audit(
                action=action,
                obj=f"user:{user.username}",
                payload={"from": user.role.value, "to": role.value},
            )

    def role_requests(self, actor: Actor) -> list[dict[str, str]]:
        """Role changes waiting for the Owner (Admin and Owner)."""
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx, actor = op.tx, op.actor
            out = []
            for request in tx.security.role_requests():
                user = tx.users.get(request.user_id)
                if user is not None:
                    out.append(
                        {
                            "user": user.username,
                            "from": user.role.value,
                            "to": request.role.value,
                            "requested_by": request.requested_by,
                            "requested_at": request.requested_at,
                        }
                    )
            return out

    def decide_role(self, actor: Actor, username: str, *, approve: bool) -> None:
        """Approve or reject a pending role change (Owner: security settings)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"user:{username}") as op:
            tx, actor = op.tx, op.actor
            user = existing_user(tx, username)
            request = tx.security.role_request(user.id)
            if request is None:
                raise NotFound("accounts.no_role_request", name=user.username)
            tx.security.delete_role_request(user.id)
            if approve:
                tx.users.set_role(user.id, request.role)
            op.audit(
                action=AuditAction.USER_ROLE_APPROVED
                if approve
                else AuditAction.USER_ROLE_REJECTED,
                obj=f"user:{user.username}",
                payload={
                    "from": user.role.value,
                    "to": request.role.value,
                    "requested_by": request.requested_by,
                },
            )

    def transfer_ownership(self, actor: Actor, username: str) -> None:
        """Make an active user the Owner; the current Owner becomes an Admin. There is
        always exactly one Owner, and only the Owner can hand the role on."""
        with self._op(actor, rbac.Permission.TRANSFER_OWNERSHIP, f"user:{username}") as op:
            tx, actor = op.tx, op.actor
            user = existing_user(tx, username)
            if user.id == actor.user_id:
                raise InputError("accounts.already_owner")
            if user.status is not UserStatus.ACTIVE:
                raise InputError("accounts.transfer_to_disabled", name=user.username)
            tx.users.set_role(actor.user_id, Role.ADMIN)
            tx.users.set_role(user.id, Role.OWNER)
            tx.security.delete_role_request(user.id)
            op.audit(
                action=AuditAction.OWNERSHIP_TRANSFERRED,
                obj=f"user:{user.username}",
                payload={"from": actor.username, "to": user.username},
            )

    def set_status(self, actor: Actor, username: str, status: UserStatus) -> bool:
        """Enable or disable a user. True when a rekey is recommended: in strict mode a
        copy of ``keyslots.json`` saved before still holds the disabled user's slot, which
        their password opens outside Kura until the database key is rotated."""
        with self._op(actor, rbac.Permission.MANAGE_MEMBERS) as op:
            tx, actor = op.tx, op.actor
            user = self._managed_user(tx, actor, username)
            tx.users.set_status(user.id, status)
            active = status is UserStatus.ACTIVE
            payload: dict[str, object] = {}
            if not active and self._slots is not None:
                self._slots.remove_user(user.username)
                slot_generation.record(tx.settings, self._slots)
                if self._slots.strict():
                    payload = {"rekey_recommended": True}
            action = AuditAction.USER_ENABLED if active else AuditAction.USER_DISABLED
            op.audit(action=action, obj=f"user:{user.username}", payload=payload)
        return bool(payload)

    def reset_password(self, actor: Actor, username: str, new_password: str) -> bool:
        """Set another user's password (or, for anyone, their own). The permission is
        checked before the name is looked up, so a Member cannot probe for names.

        True when a rekey is recommended: in strict mode a saved copy of
        ``keyslots.json`` still opens with the old password outside Kura."""
        own = normalise_username(username).casefold() == actor.username.casefold()
        permission = None if own else rbac.Permission.MANAGE_MEMBERS
        with self._op(actor, permission) as op:  # before the name is looked up
            found = op.tx.users.get_by_name(normalise_username(username))
        if found is None:
            raise user_not_found(username)
        self.check_new_password(new_password, found.username, found.display_name)
        encoded = self._hasher.hash(new_password)
        with self._op(actor, permission) as op:
            tx, actor = op.tx, op.actor
            user = existing_user(tx, username) if own else self._managed_user(tx, actor, username)
            tx.users.set_password_hash(user.id, encoded)
            payload: dict[str, object] = {}
            if self._slots is not None and user.status is UserStatus.ACTIVE:
                self._slots.set_user_password(user.username, new_password)
                slot_generation.record(tx.settings, self._slots)
                if self._slots.strict():
                    payload = {"rekey_recommended": True}
            op.audit(
                action=AuditAction.USER_PASSWORD_RESET,
                obj=f"user:{user.username}",
                payload=payload,
            )
        return bool(payload)

    # ------------------------------------------------------------------ helpers

    def _managed_user(self, tx: Transaction, actor: Actor, username: str) -> User:
        """The target of a management action; the Owner and oneself are off limits."""
        user = existing_user(tx, username)
        if user.role is Role.OWNER:
            raise Refusal("manage_owner", f"user:{user.username}", "accounts.owner_not_managed")
        if user.id == actor.user_id:
            raise Refusal("manage_self", f"user:{user.username}", "accounts.manage_self")
        return user
