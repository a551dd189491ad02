"""Repositories over a plain DB-API connection (SQLCipher or the stdlib ``sqlite3``).

They implement the ports in :mod:`desktop.core.ports` and run inside a transaction
opened by :func:`transaction`; they never commit on their own. Users and settings live
here; the audit log, models, apps, conversations and knowledge in the ``repo_*`` modules.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from desktop.core.clock import Clock
from desktop.core.errors import AlreadyExists, NotFound
from desktop.core.models import Role, User, UserStatus
from desktop.core.ports import (
    AccountSecurityRepository,
    AppRepository,
    AuditLog,
    ConversationRepository,
    KnowledgeRepository,
    LimitRepository,
    ModelRepository,
    PreferenceRepository,
    ReviewRepository,
    SettingsRepository,
    UsageRepository,
    UserRepository,
)
from desktop.storage.dbapi import Connection, scalar
from desktop.storage.repo_accounts import SqlAccountSecurityRepository
from desktop.storage.repo_apps import SqlAppRepository
from desktop.storage.repo_audit import SqlAuditLog
from desktop.storage.repo_conversations import SqlConversationRepository
from desktop.storage.repo_knowledge import SqlKnowledgeRepository
from desktop.storage.repo_limits import SqlLimitRepository
from desktop.storage.repo_models import SqlModelRepository
from desktop.storage.repo_review import SqlReviewRepository
from desktop.storage.repo_settings import SqlPreferenceRepository
from desktop.storage.repo_usage import SqlUsageRepository

_USER_COLUMNS = "id, username, display_name, role, status, password_hash, created_at, last_login_at"


def _user(row: Any) -> User:
    uid, username, display, role, status, pw_hash, created, last_login = row
    return User(
        id=int(uid),
        username=str(username),
        display_name=str(display),
        role=Role(role),
        status=UserStatus(status),
        password_hash=str(pw_hash),
        created_at=str(created),
        last_login_at=None if last_login is None else str(last_login),
    )


class SqlUserRepository:
    """``users``: accounts, their role, status and password hash."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, *, username: str, display_name: str, role: Role, password_hash: str, created_at: str
    ) -> User:
        """Insert a new active user; AlreadyExists when the name is taken (any case)."""
        if self.get_by_name(username) is not None:
            raise AlreadyExists("accounts.user_exists", name=username)
        row = self._conn.execute(
            "INSERT INTO users (username, display_name, role, status, password_hash, created_at)"
            f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_USER_COLUMNS}",
            (
                username,
                display_name,
                role.value,
                UserStatus.ACTIVE.value,
                password_hash,
                created_at,
            ),
        ).fetchone()
        return _user(row)

    def get(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        row = self._conn.execute(
            f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,)
        ).fetchone()
        return None if row is None else _user(row)

    def get_by_name(self, username: str) -> User | None:
        """The user with this name, compared case-insensitively, or None."""
        row = self._conn.execute(
            f"SELECT {_USER_COLUMNS} FROM users WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else _user(row)

    def list(self) -> list[User]:
        """Every user, oldest first."""
        rows = self._conn.execute(f"SELECT {_USER_COLUMNS} FROM users ORDER BY id").fetchall()
        return [_user(row) for row in rows]

    def count_active(self, role: Role) -> int:
        """How many active users hold ``role``."""
        return int(
            scalar(
                self._conn,
                "SELECT count(*) FROM users WHERE role = ? AND status = ?",
                (role.value, UserStatus.ACTIVE.value),
            )
        )

    def set_role(self, user_id: int, role: Role) -> None:
        """Change the role; NotFound for an unknown id."""
        self._update(user_id, "role", role.value)

    def set_status(self, user_id: int, status: UserStatus) -> None:
        """Enable or disable; NotFound for an unknown id."""
        self._update(user_id, "status", status.value)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Replace the stored password hash; NotFound for an unknown id."""
        self._update(user_id, "password_hash", password_hash)

    def set_last_login(self, user_id: int, ts: str) -> None:
        """Record a successful sign-in time; NotFound for an unknown id."""
        self._update(user_id, "last_login_at", ts)

    def _update(self, user_id: int, column: str, value: str) -> None:
        # ``column`` is always one of the constant names above, never user input.
        cur = self._conn.execute(f"UPDATE users SET {column} = ? WHERE id = ?", (value, user_id))
        if cur.rowcount == 0:
            raise NotFound("accounts.user_id_not_found", user_id=user_id)


class SqlSettingsRepository:
    """``settings``: small, non-secret workspace facts as text."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> str | None:
        """The value, or None when the key was never set."""
        value = scalar(self._conn, "SELECT value FROM settings WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set(self, key: str, value: str) -> None:
        """Insert or replace the value."""
        self._conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


class SqlTransaction:
    """What ``Store.transaction()`` yields: the repositories bound to one connection."""

    users: UserRepository
    security: AccountSecurityRepository
    audit: AuditLog
    settings: SettingsRepository
    models: ModelRepository
    apps: AppRepository
    conversations: ConversationRepository
    knowledge: KnowledgeRepository
    review: ReviewRepository
    preferences: PreferenceRepository
    usage: UsageRepository
    limits: LimitRepository

    def __init__(self, conn: Connection, clock: Clock) -> None:
        self.users = SqlUserRepository(conn)
        self.security = SqlAccountSecurityRepository(conn)
        self.audit = SqlAuditLog(conn, clock)
        self.settings = SqlSettingsRepository(conn)
        self.models = SqlModelRepository(conn)
        self.apps = SqlAppRepository(conn)
        self.conversations = SqlConversationRepository(conn)
        self.knowledge = SqlKnowledgeRepository(conn, clock)
        self.review = SqlReviewRepository(conn)
        self.preferences = SqlPreferenceRepository(conn)
        self.usage = SqlUsageRepository(conn)
        self.limits = SqlLimitRepository(conn)


@contextmanager
def transaction(conn: Connection, clock: Clock) -> Iterator[SqlTransaction]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; ``ROLLBACK`` when the block raises.

    Works on any autocommit DB-API connection. Nesting is a programming error.
    """
    if conn.in_transaction:
        raise RuntimeError("a transaction is already open on this connection")
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield SqlTransaction(conn, clock)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
