"""The repositories of registered models, apps and conversations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from desktop.core.chat_models import (
    AppConfig,
    AppRecord,
    Conversation,
    GgufInfo,
    LoadSettings,
    ModelRecord,
    Turn,
)
from desktop.core.remote import RemoteEndpoint


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
        endpoint: RemoteEndpoint | None = None,
    ) -> ModelRecord: ...

    def get(self, model_id: int) -> ModelRecord | None: ...

    def get_by_name(self, name: str) -> ModelRecord | None: ...

    def list(self) -> list[ModelRecord]: ...

    def update_file_state(self, model_id: int, *, size: int, mtime_ns: int, file_key: str) -> None:
        """Remember that the file in this state (size, mtime, device:inode:ctime) still
        has the recorded hash."""
        ...

    def update_settings(self, model_id: int, settings: LoadSettings) -> None: ...

    def update_endpoint(self, model_id: int, endpoint: RemoteEndpoint, sha256: str) -> None:
        """Replace a remote model's endpoint and its identity; NotFound for an unknown id."""
        ...

    def delete(self, model_id: int) -> None:
        """Remove the model's row (a remote model's registration)."""
        ...


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

    def turns(self, conversation_id: int, *, current_only: bool = False) -> list[Turn]:
        """Oldest first; ``current_only`` leaves out turns an edited message replaced."""
        ...

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
        citations: Sequence[dict[str, Any]] = (),
    ) -> Turn:
        """Fill in the answer, its counters and the passages it was given."""
        ...

    def delete_turn(self, turn_id: int) -> None: ...

    def supersede(self, turn_ids: Sequence[int], *, by: int, now: str) -> int:
        """Mark turns as replaced by turn ``by`` (kept, but no longer current)."""
        ...

    def search(self, user_id: int, text: str) -> list[Conversation]:
        """This user's conversations whose title or current turns contain ``text``."""
        ...

    def pseudonyms(self, conversation_id: int) -> str | None:
        """The conversation's pseudonym table as last stored (JSON), if any."""
        ...

    def save_pseudonyms(self, turn_id: int, mapping: str) -> None:
        """Store (or replace) the pseudonym table a turn used (JSON)."""
        ...

    def private_kb(self, conversation_id: int) -> int | None:
        """The id of the conversation's private knowledge base, if it has one."""
        ...

    def link_kb(self, conversation_id: int, kb_id: int) -> None:
        """Make ``kb_id`` the conversation's private knowledge base (deleted with it)."""
        ...
