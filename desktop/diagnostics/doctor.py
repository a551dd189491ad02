"""``kura doctor``: what this installation and workspace look like, and what is wrong."""

from __future__ import annotations

import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import __version__, app
from desktop.core.ports import KeyStore
from desktop.diagnostics import keyring, libraries, model_host, store


def run_doctor(
    data_dir: Path,
    key_store_factory: Callable[[], KeyStore] = app.default_key_store,
    *,
    credentials: app.Credentials | None = None,
    code: Callable[[], str] | None = None,
) -> dict[str, Any]:
    """Every check, in the order a person would fix them. In strict unlock mode the
    workspace is opened only with ``credentials`` (a user's name and password), and the
    user signs in (``code`` asks for the one-time code of an account that has one)."""
    keyring_check, key_store = keyring.resolve(key_store_factory)
    checks = [
        store.driver_check(),
        keyring_check,
        store.workspace_check(data_dir, key_store, credentials, code),
        *model_host.doctor_checks(),
    ]
    return {
        "ok": all(c.ok for c in checks),
        "kura_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "executable_frozen": bool(getattr(sys, "frozen", False)),
        "libraries": libraries.versions(),
        "checks": [c.as_dict() for c in checks],
    }
