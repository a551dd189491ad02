"""``KeyringKeyStore``: secrets in the OS keyring, through an allowlisted backend only.

Only three backends are ever used: the Secret Service (gnome-keyring, KWallet) on Linux
and the BSDs, the macOS Keychain and the Windows Credential Locker. Kura picks the one for
the platform itself and instantiates it directly, instead of asking ``keyring`` to choose
(``get_keyring()`` may hand back a chainer that falls through to a plaintext file).

A backend the user forced (``PYTHON_KEYRING_BACKEND`` or ``default-keyring`` in
``keyringrc.cfg``) is honoured only when it is on the allowlist. The forced name is
checked *before* anything is imported: a refused backend's module never runs, and
``keyring-path`` in the config file never reaches ``sys.path``.

Values are stored base64-encoded under service ``kura``; the ``keyring`` library is
imported lazily, inside the methods.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.errors import (
    AppError,
    KeyringLocked,
    KeyringUnavailable,
    WrongKey,
)
from desktop.core.messages import Term

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "kura"
ENV_BACKEND = "PYTHON_KEYRING_BACKEND"

SECRET_SERVICE = "keyring.backends.SecretService.Keyring"  # noqa: S105 - a class name
MACOS_KEYCHAIN = "keyring.backends.macOS.Keyring"
WINDOWS_VAULT = "keyring.backends.Windows.WinVaultKeyring"
#: The only backends Kura stores keys in.
ALLOWED_BACKENDS = (SECRET_SERVICE, MACOS_KEYCHAIN, WINDOWS_VAULT)

_SECRET_SERVICE_IS_LOCKED = "org.freedesktop.Secret.Error.IsLocked"  # noqa: S105
#: How long to wait for the user to answer the keyring's unlock prompt.
DEFAULT_UNLOCK_TIMEOUT_S = 120.0


def platform_backend_name(platform: str | None = None) -> str:
    """The allowlisted backend for ``platform`` (default: this one)."""
    platform = sys.platform if platform is None else platform
    if platform == "darwin":
        return MACOS_KEYCHAIN
    if platform in ("win32", "cygwin"):
        return WINDOWS_VAULT
    return SECRET_SERVICE


def _get_a_keyring(platform: str | None = None) -> Term:
    """How to get a working OS keyring on ``platform`` (a phrase in the message's words)."""
    name = platform_backend_name(platform)
    if name == MACOS_KEYCHAIN:
        return Term("workspace.keyring_get.macos")
    if name == WINDOWS_VAULT:
        return Term("workspace.keyring_get.windows")
    return Term("workspace.keyring_get.secret_service")


def _keyring_config_path() -> Path:
    from keyring.util import platform_

    return Path(platform_.config_root()) / "keyringrc.cfg"


def forced_backend() -> tuple[str, str] | None:
    """``(backend name, where it was set)`` when the user forced one, else None.

    Reads the same two places ``keyring`` does (the environment variable first, then the
    ``[backend] default-keyring`` option of ``keyringrc.cfg``) without importing the
    named backend.
    """
    name = os.environ.get(ENV_BACKEND, "").strip()
    if name:
        return name, ENV_BACKEND
    path = _keyring_config_path()
    config = configparser.RawConfigParser()
    try:
        if not config.read(path, encoding="utf-8"):
            return None
        name = config.get("backend", "default-keyring", fallback="").strip()
    except (configparser.Error, OSError, UnicodeDecodeError):
        return None  # keyring itself ignores a broken file; we never use its choice anyway
    return (name, str(path)) if name else None


def _refusal_reason(name: str) -> Term | None:
    """Why a known kind of backend is refused; None for any other one not allowed."""
    lowered = name.lower()
    if "plaintext" in lowered:
        return Term("workspace.keyring_refusal.plaintext")
    if lowered.startswith("keyrings.alt."):
        return Term("workspace.keyring_refusal.outside")
    if name in ("keyring.backends.fail.Keyring", "keyring.backends.null.Keyring"):
        return Term("workspace.keyring_refusal.nothing")
    if "chainer" in lowered:
        return Term("workspace.keyring_refusal.chainer")
    return None


def _refuse(name: str, source: str) -> KeyringUnavailable:
    reason, get = _refusal_reason(name), _get_a_keyring()
    if reason is None:
        allowed = ", ".join(ALLOWED_BACKENDS)
        if source == ENV_BACKEND:
            return KeyringUnavailable(
                "workspace.keyring_backend_not_allowed_env",
                name=name,
                allowed=allowed,
                get=get,
                help_topic="keyring",
            )
        return KeyringUnavailable(
            "workspace.keyring_backend_not_allowed_config",
            name=name,
            allowed=allowed,
            source=source,
            get=get,
            help_topic="keyring",
        )
    if source == ENV_BACKEND:
        return KeyringUnavailable(
            "workspace.keyring_backend_refused_env",
            name=name,
            reason=reason,
            get=get,
            help_topic="keyring",
        )
    return KeyringUnavailable(
        "workspace.keyring_backend_refused_config",
        name=name,
        reason=reason,
        source=source,
        get=get,
        help_topic="keyring",
    )


def _unavailable(name: str, cause: BaseException) -> KeyringUnavailable:
    if name == SECRET_SERVICE:
        return KeyringUnavailable(
            "workspace.no_secret_service",
            reason=str(cause),
            help_topic="keyring",
            details=repr(cause),
        )
    return KeyringUnavailable(
        "workspace.keyring_unavailable",
        name=name,
        reason=str(cause),
        get=_get_a_keyring(),
        help_topic="keyring",
        details=repr(cause),
    )


def resolve_backend() -> KeyringBackend:
    """Instantiate the allowlisted backend to use, or raise KeyringUnavailable."""
    forced = forced_backend()
    name = platform_backend_name()
    if forced is not None:
        if forced[0] not in ALLOWED_BACKENDS:
            raise _refuse(*forced)
        name = forced[0]
    module_name, _, class_name = name.rpartition(".")
    try:
        backend_class = getattr(importlib.import_module(module_name), class_name)
        backend_class.priority  # noqa: B018 - raises when the backend is not viable here
        backend: KeyringBackend = backend_class()
    except Exception as exc:  # keyring signals "not viable" with RuntimeError and others
        raise _unavailable(name, exc) from exc
    return backend


def _backend_label(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _locked(backend: str) -> KeyringLocked:
    return KeyringLocked("workspace.keyring_locked", backend=backend, help_topic="keyring")


class KeyringKeyStore:
    """The ``KeyStore`` port on the OS keyring (service ``kura``, values base64).

    Construction is cheap: the backend is resolved, and refused if need be, on first use.
    """

    def __init__(
        self, *, service: str = SERVICE, unlock_timeout: float | None = DEFAULT_UNLOCK_TIMEOUT_S
    ) -> None:
        self._service = service
        self._unlock_timeout = unlock_timeout
        self._backend: KeyringBackend | None = None

    def _resolved(self) -> KeyringBackend:
        if self._backend is None:
            self._backend = resolve_backend()
        return self._backend

    def backend_name(self) -> str:
        """Dotted name of the backend in use, e.g. ``keyring.backends.SecretService.Keyring``."""
        return _backend_label(self._resolved())

    def check(self) -> None:
        """Raise KeyringUnavailable or KeyringLocked unless the keyring is ready for use."""
        self._ready()

    def get_secret(self, item: str) -> bytes | None:
        """The stored bytes, or None when there is no such item."""
        backend = self._ready()
        with self._translated(Term("workspace.keyring_action.read")):
            value = backend.get_password(self._service, item)
        if value is None:
            return None
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise WrongKey(
                "workspace.keyring_item_damaged",
                item=item,
                service=self._service,
                help_topic="keyring",
            ) from exc

    def set_secret(self, item: str, value: bytes) -> None:
        """Store ``value`` under ``item``, replacing any previous value."""
        backend = self._ready()
        encoded = base64.b64encode(bytes(value)).decode("ascii")
        with self._translated(Term("workspace.keyring_action.store")):
            backend.set_password(self._service, item, encoded)

    def delete_secret(self, item: str) -> None:
        """Remove the item; no error when it is already gone."""
        from keyring.errors import PasswordDeleteError

        backend = self._ready()
        with self._translated(Term("workspace.keyring_action.delete")):
            try:
                backend.delete_password(self._service, item)
            except PasswordDeleteError:
                return

    # ---- internals ------------------------------------------------------------------

    def _ready(self) -> KeyringBackend:
        backend = self._resolved()
        if _backend_label(backend) == SECRET_SERVICE:
            with self._translated(Term("workspace.keyring_action.unlock")):
                self._unlock_secret_service(backend)
        return backend

    def _unlock_secret_service(self, backend: KeyringBackend) -> None:
        """Unlock the collection ourselves, so an unanswered prompt times out.

        (``keyring`` would wait for the prompt forever.) Headless, gnome-keyring cannot
        show its prompter and reports the prompt as dismissed at once.
        """
        import secretstorage

        with closing(secretstorage.dbus_init()) as connection:
            path = getattr(backend, "preferred_collection", None)
            if path:
                collection = secretstorage.Collection(connection, path)
            else:
                collection = secretstorage.get_default_collection(connection)
            if not collection.is_locked():
                return
            try:
                collection.unlock(timeout=self._unlock_timeout)
            except TimeoutError as exc:
                raise KeyringLocked(
                    "workspace.keyring_locked_unanswered",
                    backend=SECRET_SERVICE,
                    help_topic="keyring",
                ) from exc
            if collection.is_locked():
                raise KeyringLocked(
                    "workspace.keyring_locked_dismissed",
                    backend=SECRET_SERVICE,
                    help_topic="keyring",
                )

    @contextmanager
    def _translated(self, action: Term) -> Iterator[None]:
        """Turn keyring / secretstorage / D-Bus exceptions into AppErrors (``from`` kept)."""
        try:
            yield
        except AppError:
            raise
        except Exception as exc:
            mapped = _map_exception(exc, self._label_or_default(), action)
            if mapped is None:
                raise
            raise mapped from exc

    def _label_or_default(self) -> str:
        return _backend_label(self._backend) if self._backend else platform_backend_name()


def _map_exception(exc: Exception, backend: str, action: Term) -> AppError | None:
    import keyring.errors

    if isinstance(exc, keyring.errors.KeyringLocked):
        return _locked(backend)
    if _is_secretstorage_locked(exc):
        return _locked(backend)
    if isinstance(exc, keyring.errors.KeyringError) or _is_secretstorage_error(exc):
        return KeyringUnavailable(
            "workspace.keyring_failed",
            backend=backend,
            action=action,
            reason=str(exc),
            get=_get_a_keyring(),
            help_topic="keyring",
            details=repr(exc),
        )
    return None


def _is_secretstorage_locked(exc: Exception) -> bool:
    try:
        from jeepney.wrappers import DBusErrorResponse
        from secretstorage.exceptions import LockedException
    except ImportError:
        return False
    if isinstance(exc, LockedException):
        return True
    return isinstance(exc, DBusErrorResponse) and exc.name == _SECRET_SERVICE_IS_LOCKED


def _is_secretstorage_error(exc: Exception) -> bool:
    try:
        from jeepney.wrappers import DBusErrorResponse
        from secretstorage.exceptions import SecretStorageException
    except ImportError:
        return False
    return isinstance(exc, SecretStorageException | DBusErrorResponse | ConnectionError)
