"""The audit log and what reviewers read beside it: feedback, annotations, retention,
signing keys and usage counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from desktop.core.models import AuditEvent, TraceFilter


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

    def events_between(self, first_seq: int, last_seq: int) -> Iterator[AuditEvent]: ...

    def seq_range(self, since: str | None, until: str | None) -> tuple[int, int] | None:
        """First and last seq stamped ``since`` <= ts < ``until``; None when none is."""
        ...

    def find(self, filters: TraceFilter, actions: Sequence[str], limit: int) -> list[AuditEvent]:
        """Events of ``actions`` matching ``filters``, newest first."""
        ...

    def tombstone(self, actions: Sequence[str], app_id: int, before: str) -> list[int]:
        """Drop the payloads of the app's ``actions`` events older than ``before``."""
        ...

    def tombstone_unscoped(self, actions: Sequence[str], before: str) -> list[int]:
        """Drop the payloads of ``actions`` events older than ``before``, of any app."""
        ...

    def tombstone_conversation(self, actions: Sequence[str], conversation_id: int) -> list[int]:
        """Drop the payloads of ``actions`` events about or naming the conversation."""
        ...

    def purges(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """Each retention purge event's seq with the seq ranges it emptied."""
        ...

    def purged_ranges(self) -> list[tuple[int, int]]:
        """The seq ranges retention purges emptied, sorted."""
        ...


class ReviewRepository(Protocol):
    """Feedback, annotations, retention per app and the signing keys' public halves."""

    def set_feedback(
        self, turn_id: int, user_id: int, rating: str, comment: str, at: str
    ) -> None: ...

    def feedback(self, turn_id: int) -> dict[str, Any] | None: ...

    def add_annotation(self, turn_id: int, author: str, answer: str, at: str) -> int: ...

    def turn_context(self, turn_id: int) -> tuple[int, int, int] | None:
        """(conversation id, app id, user id) of a turn, or None."""
        ...

    def annotations(self, turn_id: int) -> list[dict[str, Any]]: ...

    def retention(self, app_id: int) -> tuple[int | None, bool]:
        """(days kept or None for forever, legal hold)."""
        ...

    def set_retention(
        self, app_id: int, days: int | None, legal_hold: bool, by: str, at: str
    ) -> None: ...

    def expired_turns(self, app_id: int, before: str) -> list[int]:
        """Ids of the app's turns created before ``before``."""
        ...

    def delete_turns(self, turn_ids: Sequence[int]) -> int:
        """Delete turns, then conversations left without any; returns conversations gone."""
        ...

    def add_signing_key(self, public_key: str, fingerprint: str, at: str) -> int: ...

    def retire_signing_key(self, key_id: int, at: str) -> None: ...

    def signing_keys(self) -> list[dict[str, Any]]:
        """Every key, oldest first: id, public_key, fingerprint, created_at, retired_at."""
        ...

    def add_bundle_key(
        self, checkpoint_sha256: str, export_seq: int, secret: bytes, at: str
    ) -> None:
        """Keep a pseudonymised bundle's key, named by its checkpoint.json's SHA-256."""
        ...

    def bundle_key(self, checkpoint_sha256: str) -> tuple[int, bytes] | None:
        """(seq of the export's audit event, key) of a pseudonymised bundle, or None."""
        ...


class UsageRepository(Protocol):
    """Counts over finished turns created at or after ``since`` (ISO UTC), of one app or
    (``app_id`` None) every app. A day is the turn's UTC date, ``YYYY-MM-DD``."""

    def tokens_by_day_app(self, since: str, app_id: int | None) -> list[tuple[str, str, int, int]]:
        """(day, app name, prompt tokens, completion tokens), by day then app name."""
        ...

    def tokens_by_day_user(self, since: str, app_id: int | None) -> list[tuple[str, str, int, int]]:
        """(day, user name, prompt tokens, completion tokens), by day then user name."""
        ...

    def turns_by_day(self, since: str, app_id: int | None) -> list[tuple[str, int]]:
        """(day, turns) for each day that has any, oldest first."""
        ...

    def ratings(self, since: str, app_id: int | None) -> dict[str, int]:
        """Turns by rating: always the keys ``up``, ``down`` and ``none``."""
        ...
