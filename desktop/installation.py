"""What this installation provides, asked of its adapters without opening a workspace.

Part of the composition root, for the diagnostics (``kura doctor``, ``kura --self-test``)
which import no adapter themselves: the SQLCipher driver, the keyring backends Kura
allows, the network guard, the packaged embedding model and a model host started to say
how its runtime was built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def sqlcipher_driver() -> dict[str, str]:
    """``cipher_version`` and ``sqlite_version`` of the bundled driver (an AppError when
    it cannot be loaded)."""
    from desktop.storage.db import driver_info

    return driver_info()


def allowed_keyring_backends() -> tuple[str, ...]:
    """The keyring backends Kura stores secrets in; any other is refused."""
    from desktop.security.keystore import ALLOWED_BACKENDS

    return tuple(ALLOWED_BACKENDS)


def platform_keyring_backend() -> str:
    """The allowed keyring backend of this platform (a dotted class name)."""
    from desktop.security.keystore import platform_backend_name

    return platform_backend_name()


@dataclass(frozen=True, slots=True)
class NetworkAttempt:
    event: str
    target: str


def network_guard_installed() -> bool:
    """True once the network guard is active in this process."""
    from desktop.security import netguard

    return netguard.is_installed()


def network_attempts() -> tuple[NetworkAttempt, ...]:
    """Every network attempt the guard refused in this process, oldest first."""
    from desktop.security import netguard

    return tuple(NetworkAttempt(v.event, v.target) for v in netguard.violations())


def packaged_embedder_folder() -> str:
    """The packaged embedding model's folder (ModelNotFound when it is not installed)."""
    from desktop.retrieval.model_folder import default_model_dir

    return default_model_dir()


@dataclass(frozen=True, slots=True)
class HostInfo:
    """What a model host said about itself, and how long it took to start."""

    info: dict[str, Any]
    start_seconds: float


def ask_model_host(name: str, *, warm: tuple[str, ...] = ()) -> HostInfo:
    """Start a model host called ``name``, import the ``warm`` runtimes in it, ask how its
    llama.cpp was built and what confines it, and stop it (an AppError on failure)."""
    from desktop.modelhost.client import HostProcess

    host = HostProcess(name)
    try:
        if warm:
            host.request("warm", runtimes=list(warm))
        info, _ = host.request("info", llama=True)
    finally:
        host.close()
    return HostInfo(info, host.start_seconds)
