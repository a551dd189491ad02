"""One workspace opened on several connections: the GUI's task lanes, one each.

In keyring mode every connection unwraps the database key from the keyring itself. In
strict unlock mode only a user's password unwraps it, and the GUI asks for that once, at
sign-in: :meth:`WorkspaceOpener.unlock` unwraps it with the typed user name and password,
and the opener keeps the unlocked key slots (the key with them) in this process's memory,
never anywhere else, so every further connection opens without asking again.
:meth:`WorkspaceOpener.forget` drops them (the window locked): the next connection needs
a password again.

The key slots it keeps are the object a connection's services use to rewrite
``keyslots.json`` (a password reset, a rekey), so a rekey on one lane hands the new key
to the connections opened after it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from desktop import app
from desktop.core.clock import Clock, SystemClock
from desktop.core.ports import KeyStore, PasswordHasher
from desktop.security.keyslots import Credentials, WorkspaceKeys
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.db import open_database

__all__ = ["WorkspaceOpener"]


class WorkspaceOpener:
    """Opens connections to the workspace at ``data_dir``; keeps the key slots unlocked
    by the last sign-in (strict mode) or by the last keyring open, until ``forget``.

    Call ``open`` and ``unlock`` on a worker thread: they read files, may talk to the
    keyring, and ``unlock`` runs Argon2id.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        key_store: Callable[[], KeyStore],
        engines: Callable[[], app.Engines] | None = None,
        hasher: PasswordHasher | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.data_dir = data_dir
        self._key_store = key_store
        self._engines = engines
        self._hasher = hasher
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._keys: WorkspaceKeys | None = None

    def strict(self) -> bool:
        """True when ``keyslots.json`` says strict mode (a password opens the workspace)."""
        return app.unlock_mode(self.data_dir, key_store=self._key_store()) == "strict"

    @property
    def holds_key(self) -> bool:
        """True while unlocked key slots are kept (for tests and the sign-in screen)."""
        return self._keys is not None

    def unlock(self, credentials: Credentials) -> bool:
        """Strict mode: unwrap the key with ``credentials`` (a user name and that user's
        password) and keep it for every further connection; True. Keyring mode: nothing
        to unwrap; False.

        Raises AuthenticationFailed when the name and password open no slot (nothing is
        kept then). It does not sign anybody in: the caller authenticates afterwards.
        """
        if not self.strict():
            return False
        # open_workspace finishes a rotation a crash interrupted, as the CLI's open does
        with self._open(credentials) as ws:
            keys = ws.keys
        with self._lock:
            self._keys = keys
        return True

    def open(self) -> app.Workspace:
        """A new connection: with the kept key in strict mode, else through the keyring
        (strict mode with no key kept raises AuthenticationFailed: sign in first)."""
        with self._lock:
            keys = self._keys
        if keys is not None and keys.strict():
            return self._open_held(keys)
        ws = self._open(None)
        with self._lock:
            self._keys = ws.keys  # strict mode switched on later opens with these
        return ws

    def forget(self) -> None:
        """Drop the kept key slots: from now on strict mode needs a password again.
        Connections already open keep working until their lanes close them."""
        with self._lock:
            self._keys = None

    def _open(self, credentials: Credentials | None) -> app.Workspace:
        return app.open_workspace(
            self.data_dir,
            key_store=self._key_store(),
            credentials=credentials,
            hasher=self._hasher,
            clock=self._clock,
            engines=self._engines() if self._engines is not None else None,
        )

    def _open_held(self, keys: WorkspaceKeys) -> app.Workspace:
        """Open the database with the key ``keys`` hold, the slot set checked again."""
        layout = app.Layout(self.data_dir)
        store = open_database(layout.db, keys.held_key(), clock=self._clock)
        try:
            ws = app.wire(
                layout,
                store,
                keys,
                self._hasher or Argon2PasswordHasher(),
                self._clock,
                self._engines() if self._engines is not None else None,
                key_store=self._key_store(),
            )
            ws.workspace.settle_slot_file()
        except BaseException:
            store.close()
            raise
        return ws
