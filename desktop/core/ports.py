"""Ports: the Protocols adapters implement and services depend on.

Adapters are named ``<Tech><Role>`` (``SqlCipherStore``, ``KeyringKeyStore``,
``Argon2PasswordHasher``) and are wired to services only in ``desktop.app``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from desktop.core.chat_models import (
    AppConfig,
    AppRecord,
    ChatMessage,
    Conversation,
    GgufInfo,
    LoadSettings,
    ModelRecord,
    SamplingParams,
    Turn,
)
from desktop.core.models import AuditEvent, Role, User, UserStatus
from desktop.core.tasks import CancelToken


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


class ModelRepository(Protocol):
    def add(
        self,
        *,
        name: str,
        path: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        info: GgufInfo,
        settings: LoadSettings,
        created_at: str,
        created_by: str,
    ) -> ModelRecord: ...

    def get(self, model_id: int) -> ModelRecord | None: ...

    def get_by_name(self, name: str) -> ModelRecord | None: ...

    def list(self) -> list[ModelRecord]: ...

    def update_file_state(self, model_id: int, *, size: int, mtime_ns: int) -> None:
        """Remember that the file with this size and mtime still has the recorded hash."""
        ...

    def update_settings(self, model_id: int, settings: LoadSettings) -> None: ...


class AppRepository(Protocol):
    """Apps with append-only versions; ``get`` returns the newest version."""

    def create(self, config: AppConfig, *, created_by: str, now: str) -> AppRecord: ...

    def add_version(self, app_id: int, config: AppConfig, *, now: str) -> AppRecord: ...

    def get(self, app_id: int, version: int | None = None) -> AppRecord | None: ...

    def get_by_name(self, name: str) -> AppRecord | None: ...

    def list(self) -> list[AppRecord]: ...

    def delete(self, app_id: int) -> None:
        """Remove the app, its versions, conversations and turns."""
        ...


class ConversationRepository(Protocol):
    def create(
        self,
        *,
        app_id: int,
        app_version: int,
        user_id: int,
        title: str,
        variables: dict[str, str],
        now: str,
    ) -> Conversation: ...

    def get(self, conversation_id: int) -> Conversation | None: ...

    def list_for_user(self, user_id: int, app_id: int | None = None) -> list[Conversation]: ...

    def rename(self, conversation_id: int, title: str, *, now: str) -> None: ...

    def delete(self, conversation_id: int) -> None: ...

    def turns(self, conversation_id: int) -> list[Turn]: ...

    def add_turn(
        self,
        *,
        conversation_id: int,
        user_text: str,
        app_version: int,
        model_sha256: str,
        now: str,
    ) -> Turn:
        """A pending turn (answer empty, stop_reason None), last in the conversation."""
        ...

    def finish_turn(
        self,
        turn_id: int,
        *,
        answer: str,
        stop_reason: str,
        usage: dict[str, int],
        timings: dict[str, float],
        dropped_turns: int,
        now: str,
    ) -> Turn: ...

    def delete_turn(self, turn_id: int) -> None: ...


class Transaction(Protocol):
    users: UserRepository
    audit: AuditLog
    settings: SettingsRepository
    models: ModelRepository
    apps: AppRepository
    conversations: ConversationRepository


# ---------------------------------------------------------------- inference


class ModelInspector(Protocol):
    """Reads model files without loading them (``inference.gguf``)."""

    def inspect(self, path: str) -> GgufInfo:
        """Parse the GGUF header; ModelInvalid for anything that is not a sound GGUF."""
        ...

    def sha256(self, path: str, cancel: CancelToken | None = None) -> str: ...


class Generation(Protocol):
    """A streaming answer: iterate for text pieces; afterwards the counters are final."""

    prompt_tokens: int
    completion_tokens: int
    stop_reason: str

    def __iter__(self) -> Iterator[str]: ...


class ChatModel(Protocol):
    """One loaded GGUF at a time (``LlamaCppChatModel``)."""

    def load(self, path: str, sha256: str, settings: LoadSettings, info: GgufInfo) -> None:
        """Load (or keep) this model; on failure the previous model stays loaded."""
        ...

    def loaded_sha256(self) -> str | None: ...

    def context_length(self) -> int: ...

    def render(self, messages: list[ChatMessage]) -> str:
        """The prompt text: the model's chat template in a sandbox (or the fallback)."""
        ...

    def count_tokens(self, prompt: str) -> int: ...

    def generate(
        self,
        prompt: str,
        params: SamplingParams,
        cancel: CancelToken,
        stop: tuple[str, ...] = (),
    ) -> Generation: ...

    def gpu_offload_supported(self) -> bool: ...


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
