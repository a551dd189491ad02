"""The one error hierarchy. Every error a user can cause is an ``AppError``.

Each carries a stable code and its parameters; the words — a one-line message naming
the problem and the remedy, in English and Japanese, the remedy worded for the CLI or
the GUI — live in the catalogue (``desktop.core.messages``). It also carries an optional
help topic, technical details for the log (never shown by default) and the exit code
the CLI uses (DESIGN.md, The command line: 0 ok, 1 check failed, 2 usage or input
error, 3 permission denied, 4 locked, 5 a usage limit reached: try again later).
"""

from __future__ import annotations

from typing import Any

from desktop.core.messages import Language, Surface, render

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_DENIED = 3
EXIT_LOCKED = 4
EXIT_LIMITED = 5


class AppError(Exception):
    """Root of every error Kura raises on purpose: ``InputError("kb.not_found", name=n)``."""

    exit_code: int = EXIT_USAGE

    def __init__(
        self, code: str, /, *, help_topic: str | None = None, details: str = "", **params: Any
    ) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
        self.help_topic = help_topic
        self.details = details

    def render(self, language: Language = Language.EN, surface: Surface = Surface.CLI) -> str:
        """The message in ``language``, its remedy worded for ``surface``."""
        return render(self.code, self.params, language, surface)

    @property
    def message(self) -> str:
        """The English message as the CLI words it (logs, tests, ``str()``)."""
        return self.render()

    def __str__(self) -> str:
        return self.message


class Cancelled(AppError):
    """A long operation stopped because its CancelToken was set. Shown as nothing."""

    def __init__(self, code: str = "common.cancelled", /, **params: Any) -> None:
        super().__init__(code, **params)


class InputError(AppError):
    """The user gave something unusable (bad name, weak password, malformed key)."""


class RemoteCheckFailed(AppError):
    """A remote endpoint failed its connection test at registration (the server's own
    one-line failure is the ``reason`` parameter)."""

    exit_code = EXIT_CHECK_FAILED


class NotFound(AppError):
    """The object does not exist, or the actor may not see it (indistinguishable)."""


class AlreadyExists(AppError):
    """Creating something that is already there."""


class PermissionDenied(AppError):
    exit_code = EXIT_DENIED


class AuthenticationFailed(AppError):
    exit_code = EXIT_DENIED


class SecondFactorRequired(AppError):
    """The password was right; this account also needs a one-time (TOTP or recovery) code."""

    exit_code = EXIT_DENIED


class AccountLocked(AppError):
    exit_code = EXIT_LOCKED


# ---- workspace and keys -------------------------------------------------------------


class WorkspaceNotFound(AppError):
    """No workspace at the data directory."""


class WorkspaceExists(AppError):
    """``kura init`` refuses to overwrite an existing workspace."""


class DataDirUnreadable(AppError):
    """The data directory or one of its files cannot be read or written."""


class KeyringUnavailable(AppError):
    """No allowed OS keyring backend (plaintext, ``fail`` and chained ones are refused)."""


class KeyringLocked(AppError):
    """The keyring exists but is locked; unlocking it is the remedy."""

    exit_code = EXIT_LOCKED


class KeyItemMissing(AppError):
    """The keyring has no item for an existing workspace: never make a new key."""

    exit_code = EXIT_LOCKED


class WrongKey(AppError):
    """A key (keyring item, recovery key, database key) does not open this workspace."""

    exit_code = EXIT_LOCKED


class DatabaseCorrupt(AppError):
    """The encrypted database fails authentication or structural checks."""

    exit_code = EXIT_CHECK_FAILED


class EncryptionRecipeViolation(AppError):
    """A connection setting required by the recipe is off (wrong driver, v3 file...)."""

    exit_code = EXIT_CHECK_FAILED


class SchemaTooNew(AppError):
    """The database was written by a newer Kura than this one."""


class MigrationFailed(AppError):
    """A migration failed; the database was restored from the pre-migration backup."""

    exit_code = EXIT_CHECK_FAILED


class AuditChainBroken(AppError):
    """The audit hash chain does not verify."""

    exit_code = EXIT_CHECK_FAILED


class BackupInvalid(AppError):
    """A backup file is damaged, altered, unsigned or not a Kura backup: refused whole."""

    exit_code = EXIT_CHECK_FAILED


# ---- models and chat ----------------------------------------------------------------


class ModelInvalid(AppError):
    """The file is not a usable GGUF (not GGUF, truncated, unsupported version)."""


class ModelNotFound(AppError):
    """No registered model by that name, or its file is gone."""


class ModelChanged(AppError):
    """The model file's SHA-256 no longer matches what was registered."""

    exit_code = EXIT_CHECK_FAILED


class ModelLoadFailed(AppError):
    """llama.cpp could not load the model with these settings."""


class ContextOverflow(AppError):
    """The system prompt plus the newest message do not fit the context window."""


class TemplateError(AppError):
    """The chat template failed to render (or tried something the sandbox forbids)."""


class GenerationFailed(AppError):
    """The model failed part-way through an answer. ``conversation_id`` is set when the
    words it had produced were kept, as a failed turn of that conversation."""

    conversation_id: int | None = None


class LimitReached(AppError):
    """A usage limit (tokens per day or month, requests per minute, answers at once)
    refuses a turn before it starts; the message names the limit, when it resets and
    who can raise it (the Owner)."""

    exit_code = EXIT_LIMITED


class ModelProcessStopped(GenerationFailed):
    """The model host process died (a crash in a model runtime, a kill, out of memory).
    The application and the workspace are unaffected; the next request starts a new
    host. ``signal_name`` is e.g. "SIGSEGV", or None when it exited with a code."""

    def __init__(
        self, code: str, /, *, signal_name: str | None = None, details: str = "", **params: Any
    ) -> None:
        super().__init__(code, details=details, **params)
        self.signal_name = signal_name


class EmbeddingFailed(AppError):
    """The embedding model failed while encoding (out of memory, a broken model)."""


class RerankFailed(AppError):
    """The reranker failed while scoring; searching without reranking still works."""


# ---- knowledge bases ----------------------------------------------------------------


class IngestionFailed(AppError):
    """One file could not be ingested; ``stage`` names the step (read, parse, limits,
    chunk, embed, store). The rest of the batch goes on."""

    def __init__(self, code: str, /, *, stage: str, details: str = "", **params: Any) -> None:
        super().__init__(code, details=details, **params)
        self.stage = stage
