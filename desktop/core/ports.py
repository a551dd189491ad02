"""Ports: the Protocols adapters implement and services depend on.

Adapters are named ``<Tech><Role>`` (``SqlCipherStore``, ``KeyringKeyStore``,
``Argon2PasswordHasher``) and are wired to services only in ``desktop.app``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
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
from desktop.core.knowledge_models import (
    Chunk,
    DocumentVersion,
    KnowledgeBase,
    ParsedDocument,
    StoredChunk,
)
from desktop.core.models import (
    AuditEvent,
    LoginGuard,
    Role,
    RoleRequest,
    TotpState,
    TraceFilter,
    User,
    UserStatus,
)
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


class PasswordStrength(Protocol):
    """An offline password-strength estimator (zxcvbn's bundled lists in production)."""

    def weakness(self, password: str, user_inputs: Sequence[str]) -> str | None:
        """None when the password is strong enough; otherwise a short reason, e.g.
        "it is one of the most common passwords" (``user_inputs``: the user name and
        display name, which a password must not be built from)."""
        ...


class TotpEngine(Protocol):
    """RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s steps)."""

    def new_secret(self) -> str:
        """A fresh random base32 secret (160 bits)."""
        ...

    def matching_step(self, secret: str, code: str, at: float) -> int | None:
        """The time step (unix time // 30) within one step of ``at`` whose code is
        ``code``, or None. Codes with spaces are accepted; anything else is None."""
        ...

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str:
        """The ``otpauth://totp/...`` URI an authenticator app scans."""
        ...

    def qr_text(self, uri: str) -> str:
        """The URI as a QR code drawn with text characters, for a terminal."""
        ...

    def qr_png(self, uri: str, scale: int = 6) -> bytes:
        """The URI as a QR code in PNG bytes (in memory, never a file), for the GUI."""
        ...


class BundleSigner(Protocol):
    """Ed25519 keys and SSHSIG signatures for audit bundles (``security.signing``)."""

    def new_key(self) -> tuple[bytes, str, str]:
        """(private seed, ``ssh-ed25519 AAAA...`` public key, ``SHA256:...`` fingerprint)."""
        ...

    def sign(self, seed: bytes, message: bytes, namespace: str) -> str:
        """The armored SSHSIG signature of ``message``, as ``ssh-keygen -Y sign`` writes."""
        ...

    def allowed_signers_line(self, identity: str, public_key: str, namespace: str) -> str: ...


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


class AccountSecurityRepository(Protocol):
    """Sign-in throttling, TOTP secrets, recovery codes and pending role requests."""

    def guard(self, name_key: str) -> LoginGuard: ...

    def set_guard(
        self, name_key: str, failures: int, locked_until: str | None, at: str
    ) -> None: ...

    def clear_guard(self, name_key: str) -> None: ...

    def totp(self, user_id: int) -> TotpState | None: ...

    def set_pending_totp(self, user_id: int, secret: str) -> None:
        """Start (or restart) an enrollment; a confirmed secret stays until confirmed."""
        ...

    def confirm_totp(self, user_id: int, step: int, at: str) -> None:
        """The pending secret becomes the secret; ``step`` is the last accepted."""
        ...

    def set_totp_step(self, user_id: int, step: int) -> None: ...

    def delete_totp(self, user_id: int) -> None:
        """Remove TOTP and the recovery codes."""
        ...

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None: ...

    def use_recovery_code(self, user_id: int, code_hash: str, at: str) -> bool:
        """Mark an unused code used; False when there is no such unused code."""
        ...

    def unused_recovery_codes(self, user_id: int) -> int: ...

    def request_role(self, user_id: int, role: Role, requested_by: str, at: str) -> None: ...

    def role_request(self, user_id: int) -> RoleRequest | None: ...

    def role_requests(self) -> list[RoleRequest]: ...

    def delete_role_request(self, user_id: int) -> None: ...


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


class SettingsRepository(Protocol):
    """Small non-secret workspace facts (workspace id, created at, policies)."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class PreferenceRepository(Protocol):
    """Each user's own preferences (language, theme), as strings by key."""

    def all(self, user_id: int) -> dict[str, str]:
        """Every preference the user has set; keys never set are absent."""
        ...

    def set(self, user_id: int, key: str, value: str, at: str) -> None: ...


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

    def update_file_state(self, model_id: int, *, size: int, mtime_ns: int, file_key: str) -> None:
        """Remember that the file in this state (size, mtime, device:inode:ctime) still
        has the recorded hash."""
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


class KnowledgeRepository(Protocol):
    """Knowledge bases, documents with versions, chunks, embeddings, FTS5 and the
    serialized vector index. Only chunks of a document's *active* version are searchable.
    """

    def create_kb(self, kb: KnowledgeBase) -> KnowledgeBase:
        """Insert (``kb.id`` is ignored) and return it with its id."""
        ...

    def get_kb(self, kb_id: int) -> KnowledgeBase | None: ...

    def get_kb_by_name(self, name: str) -> KnowledgeBase | None: ...

    def list_kbs(self) -> list[KnowledgeBase]: ...

    def update_kb(self, kb: KnowledgeBase) -> None: ...

    def delete_kb(self, kb_id: int) -> None:
        """Remove the knowledge base with its documents, chunks, embeddings and index."""
        ...

    def find_version(self, kb_id: int, name: str, sha256: str) -> DocumentVersion | None:
        """A stored version of document ``name`` with exactly this content, if any."""
        ...

    def add_version(
        self,
        *,
        kb_id: int,
        name: str,
        sha256: str,
        size: int,
        kind: str,
        original: bytes,
        text: str,
        meta: dict[str, Any],
        chunks: Sequence[Chunk],
        vectors: Sequence[bytes],
        added_by: str,
        now: str,
    ) -> tuple[DocumentVersion, list[int], list[int]]:
        """Store a new version (version = previous + 1, or 1) and make it active.

        Returns (the version, the new chunk ids in chunk order, the chunk ids of the
        version that stopped being active — empty for a new document).
        """
        ...

    def list_documents(self, kb_id: int) -> list[DocumentVersion]:
        """The active version of every document, by name."""
        ...

    def versions(self, kb_id: int, name: str) -> list[DocumentVersion]: ...

    def set_active(self, kb_id: int, name: str, version: int) -> tuple[list[int], list[int]]:
        """Make ``version`` active; returns (its chunk ids, the deactivated chunk ids)."""
        ...

    def delete_document(self, kb_id: int, name: str) -> list[int]:
        """Delete every version; returns the chunk ids that were active."""
        ...

    def chunks(self, chunk_ids: Sequence[int]) -> list[StoredChunk]:
        """The chunks with these ids, in the order given (unknown ids skipped)."""
        ...

    def version_chunk(self, kb_id: int, name: str, version: int, index: int) -> StoredChunk | None:
        """Chunk ``index`` of one version of a document, active or not (citations)."""
        ...

    def embeddings(self, chunk_ids: Sequence[int]) -> list[tuple[int, bytes]]: ...

    def active_embeddings(self, kb_id: int) -> Iterator[tuple[int, bytes]]:
        """(chunk id, float32 vector bytes) of every searchable chunk, for index rebuilds."""
        ...

    def active_stamp(self, kb_id: int) -> str:
        """A fingerprint of the set of searchable chunk ids (changes when it changes)."""
        ...

    def fulltext(
        self, kb_id: int, phrases: Sequence[str], short_terms: Sequence[str], limit: int
    ) -> list[tuple[int, float]]:
        """Searchable chunks matching any phrase (FTS5 trigram, phrases of 3+ characters)
        or any short term (1-2 characters, substring scan), best first, scored 0-1."""
        ...

    def load_index(self, kb_id: int) -> tuple[bytes, str] | None:
        """The serialized vector index and the stamp it was built at."""
        ...

    def save_index(self, kb_id: int, blob: bytes, stamp: str) -> None: ...


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


# ---------------------------------------------------------------- inference


# ---------------------------------------------------------------- retrieval


class DocumentParser(Protocol):
    def parse(self, name: str, data: bytes) -> ParsedDocument:
        """Text and headings of a file, chosen by its extension; IngestionFailed (with the
        stage and a one-line reason) for anything unusable or over the limits."""
        ...


class TextChunker(Protocol):
    def chunk(self, doc: ParsedDocument, size: int, overlap: int) -> list[Chunk]: ...


class Embedder(Protocol):
    """Sentence embeddings (``SentenceTransformerEmbedder``); loads lazily, offline."""

    def model_id(self) -> str:
        """Identifies the model, so vectors of different models are never mixed."""
        ...

    def dimension(self) -> int: ...

    def languages(self) -> tuple[str, ...] | None:
        """ISO 639-1 codes of the languages the model was trained on; None: unknown or
        multilingual (hybrid search then trusts it for every script)."""
        ...

    def embed(self, texts: Sequence[str]) -> Any:
        """A float32 array of shape (len(texts), dimension), rows L2-normalised."""
        ...


class VectorIndex(Protocol):
    """Inner-product search over L2-normalised vectors, keyed by chunk id. In memory only."""

    def add(self, ids: Sequence[int], vectors: Any) -> None: ...

    def remove(self, ids: Sequence[int]) -> None: ...

    def search(self, query: Any, k: int) -> list[tuple[int, float]]: ...

    def count(self) -> int: ...

    def serialize(self) -> bytes: ...


class Reranker(Protocol):
    def scores(self, query: str, texts: Sequence[str]) -> list[float]: ...


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
    seed: int

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
