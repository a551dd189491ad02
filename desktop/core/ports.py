"""Ports: the Protocols adapters implement and services depend on.

Adapters are named ``<Tech><Role>`` (``SqlCipherStore``, ``KeyringKeyStore``,
``Argon2PasswordHasher``) and are wired to services only in ``desktop.app``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from desktop.core.models import AuditEvent, Role, User, UserStatus


class KeyStore(Protocol):
    """Secrets in the OS keyring (service ``kura``). Values are raw bytes."""

    def backend_name(self) -> str:
        """Human-readable name of the backend actually in use."""
        ...

    def get_secret(self, item: str) -> bytes | None:
        """The stored bytes, or None when there is no such item. Raises KeyringLocked."""
        ...

    def set_secret(self, item: str, value: bytes) -> None: ...

    def delete_secret(self, item: str) -> None:
        """Remove the item; no error when it is already gone."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, encoded: str, password: str) -> bool:
        """True when ``password`` matches; never raises for a mismatch."""
        ...

    def needs_rehash(self, encoded: str) -> bool: ...


class UserRepository(Protocol):
    def add(
        self, *, username: str, display_name: str, role: Role, password_hash: str, created_at: str
    ) -> User: ...

    def get(self, user_id: int) -> User | None: ...

    def get_by_name(self, username: str) -> User | None: ...

    def list(self) -> list[User]: ...

    def count_active(self, role: Role) -> int: ...

    def set_role(self, user_id: int, role: Role) -> None: ...

    def set_status(self, user_id: int, status: UserStatus) -> None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def set_last_login(self, user_id: int, ts: str) -> None: ...


class AuditLog(Protocol):
    """The append-only, hash-chained ``audit_events`` table."""

    def append(self, *, actor: str, action: str, obj: str, payload: dict[str, Any]) -> AuditEvent:
        """Seal and insert the next event inside the current transaction."""
        ...

    def head(self) -> tuple[int, str]:
        """(last seq, last hash); (0, GENESIS_HASH) when empty."""
        ...

    def iter_events(self, since_seq: int = 1) -> Iterator[AuditEvent]: ...

    def count(self) -> int: ...


class SettingsRepository(Protocol):
    """Small non-secret workspace facts (workspace id, created at, policies)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class Transaction(Protocol):
    users: UserRepository
    audit: AuditLog
    settings: SettingsRepository


class Store(Protocol):
    """The encrypted database. One write transaction at a time (``BEGIN IMMEDIATE``)."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Commit on normal exit, roll back on exception."""
        ...

    def schema_version(self) -> int: ...

    def recipe(self) -> dict[str, str]:
        """The asserted connection settings, as read back from the database."""
        ...

    def rekey(self, new_key: bytes) -> None: ...

    def integrity_check(self) -> list[str]:
        """``PRAGMA cipher_integrity_check`` + ``quick_check`` problems; empty when sound."""
        ...

    def close(self) -> None: ...
