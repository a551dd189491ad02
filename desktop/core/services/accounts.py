"""Accounts: bootstrap of the Owner, sign-in, and member management.

Every mutating method checks the permission table, does the change and appends its
audit event inside one database transaction.
"""

from __future__ import annotations

from desktop.core import rbac
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import (
    AlreadyExists,
    AuthenticationFailed,
    InputError,
    NotFound,
)
from desktop.core.models import SYSTEM_ACTOR_NAME, Actor, ChangeSet, Role, User, UserStatus
from desktop.core.policy import check_password, normalise_username
from desktop.core.ports import PasswordHasher, Store, Transaction
from desktop.core.services.base import AuditedService, Refusal

_USERS = frozenset({"users"})


class AccountService(AuditedService):
    def __init__(self, store: Store, hasher: PasswordHasher, clock: Clock) -> None:
        super().__init__(store)
        self._hasher = hasher
        self._dummy: str | None = None
        self._clock = clock

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ bootstrap

    def bootstrap_owner(self, username: str, password: str, *, workspace_id: str) -> User:
        """Create the workspace's first and only Owner. Refused once any user exists."""
        name = normalise_username(username)
        check_password(password)
        encoded = self._hasher.hash(password)
        with self._store.transaction() as tx:
            if tx.users.list():
                raise AlreadyExists("this workspace already has an Owner")
            now = self._now()
            tx.settings.set("workspace_id", workspace_id)
            tx.settings.set("created_at", now)
            tx.audit.append(
                actor=SYSTEM_ACTOR_NAME,
                action="workspace.created",
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
            tx.audit.append(
                actor=SYSTEM_ACTOR_NAME,
                action="user.created",
                obj=f"user:{user.username}",
                payload={"username": user.username, "role": user.role.value},
            )
        return user

    # ------------------------------------------------------------------ sign-in

    def authenticate(self, username: str, password: str) -> Actor:
        """Check the password and return the Actor; every attempt is audited."""
        name = normalise_username(username)
        with self._store.transaction() as tx:
            user = tx.users.get_by_name(name)
            # Verify against a throwaway hash for unknown names, so timing does not tell
            # which user names exist.
            encoded = user.password_hash if user is not None else self._dummy_hash()
            ok = self._hasher.verify(encoded, password) and user is not None
            if user is None or not ok or user.status is not UserStatus.ACTIVE:
                reason = "disabled" if ok else "bad_credentials"
                tx.audit.append(
                    actor=name,
                    action="login.failed",
                    obj=f"user:{name}",
                    payload={"reason": reason},
                )
                failure = AuthenticationFailed(
                    "sign-in failed: wrong user name or password (or the account is disabled)"
                )
            else:
                tx.users.set_last_login(user.id, self._now())
                if self._hasher.needs_rehash(user.password_hash):
                    tx.users.set_password_hash(user.id, self._hasher.hash(password))
                tx.audit.append(
                    actor=user.username,
                    action="login.succeeded",
                    obj=f"user:{user.username}",
                    payload={},
                )
                return user.as_actor()
        raise failure

    # ------------------------------------------------------------------ members

    def list_users(self, actor: Actor) -> list[User]:
        """All accounts (Admin and Owner)."""
        self._require(actor, rbac.Permission.MANAGE_MEMBERS)
        with self._store.transaction() as tx:
            return tx.users.list()

    def add_user(
        self,
        actor: Actor,
        username: str,
        role: Role,
        password: str,
        display_name: str | None = None,
    ) -> ChangeSet:
        """Create an Admin, Editor or Member. The Owner is made only by bootstrap/transfer."""
        self._require(actor, rbac.Permission.MANAGE_MEMBERS)
        if role is Role.OWNER:
            raise InputError("a workspace has exactly one Owner: add the user, then transfer")
        name = normalise_username(username)
        check_password(password)
        encoded = self._hasher.hash(password)
        with self._store.transaction() as tx:
            folded = name.casefold()
            if any(u.username.casefold() == folded for u in tx.users.list()):
                raise AlreadyExists(
                    f"user {name!r} already exists (user names ignore case): choose another name"
                )
            user = tx.users.add(
                username=name,
                display_name=(display_name or name).strip() or name,
                role=role,
                password_hash=encoded,
                created_at=self._now(),
            )
            tx.audit.append(
                actor=actor.username,
                action="user.created",
                obj=f"user:{name}",
                payload={"username": name, "role": role.value},
            )
        return ChangeSet(_USERS, (user.id,))

    def set_role(self, actor: Actor, username: str, role: Role) -> ChangeSet:
        self._require(actor, rbac.Permission.MANAGE_MEMBERS)
        if role is Role.OWNER:
            raise InputError("use ownership transfer to make someone the Owner")
        with self._transaction(actor) as tx:
            user = self._managed_user(tx, actor, username)
            tx.users.set_role(user.id, role)
            tx.audit.append(
                actor=actor.username,
                action="user.role_changed",
                obj=f"user:{user.username}",
                payload={"from": user.role.value, "to": role.value},
            )
        return ChangeSet(_USERS, (user.id,))

    def set_status(self, actor: Actor, username: str, status: UserStatus) -> ChangeSet:
        self._require(actor, rbac.Permission.MANAGE_MEMBERS)
        with self._transaction(actor) as tx:
            user = self._managed_user(tx, actor, username)
            tx.users.set_status(user.id, status)
            action = "user.enabled" if status is UserStatus.ACTIVE else "user.disabled"
            tx.audit.append(
                actor=actor.username, action=action, obj=f"user:{user.username}", payload={}
            )
        return ChangeSet(_USERS, (user.id,))

    def reset_password(self, actor: Actor, username: str, new_password: str) -> ChangeSet:
        """Set another user's password (or, for anyone, their own)."""
        check_password(new_password)
        encoded = self._hasher.hash(new_password)
        with self._store.transaction() as tx:
            own = self._existing(tx, username).id == actor.user_id
        if not own:
            self._require(actor, rbac.Permission.MANAGE_MEMBERS)
        with self._transaction(actor) as tx:
            user = self._existing(tx, username) if own else self._managed_user(tx, actor, username)
            tx.users.set_password_hash(user.id, encoded)
            tx.audit.append(
                actor=actor.username,
                action="user.password_reset",
                obj=f"user:{user.username}",
                payload={},
            )
        return ChangeSet(_USERS, (user.id,))

    # ------------------------------------------------------------------ helpers

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self._hasher.hash("kura: no such user")
        return self._dummy

    @staticmethod
    def _existing(tx: Transaction, username: str) -> User:
        user = tx.users.get_by_name(normalise_username(username))
        if user is None:
            raise NotFound(f"user {username!r} not found: `kura users list` shows the names")
        return user

    def _managed_user(self, tx: Transaction, actor: Actor, username: str) -> User:
        """The target of a management action; the Owner and oneself are off limits."""
        user = self._existing(tx, username)
        if user.role is Role.OWNER:
            raise Refusal(
                "manage_owner",
                f"user:{user.username}",
                "permission denied: the Owner's account changes only by ownership transfer",
            )
        if user.id == actor.user_id:
            raise Refusal(
                "manage_self",
                f"user:{user.username}",
                "permission denied: you cannot change your own role or status; ask another "
                "Admin or the Owner",
            )
        return user
