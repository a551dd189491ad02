"""The encrypted store and the transaction that carries every repository."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from desktop.core.ports.accounts import (
    AccountSecurityRepository,
    PreferenceRepository,
    SettingsRepository,
    UserRepository,
)
from desktop.core.ports.audit import AuditLog, ReviewRepository, UsageRepository
from desktop.core.ports.chat import AppRepository, ConversationRepository, ModelRepository
from desktop.core.ports.knowledge import KnowledgeRepository
from desktop.core.ports.limits import LimitRepository


class Transaction(Protocol):
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

    def checkpoint(self) -> None:
        """Fold the WAL into the database file and truncate it (after deletions)."""
        ...

    def integrity_check(self) -> list[str]:
        """``PRAGMA cipher_integrity_check`` + ``quick_check`` problems; empty when sound."""
        ...

    def close(self) -> None: ...
