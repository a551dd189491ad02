"""The OS keyring: is its backend one Kura allows, and does it keep a secret?"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from desktop import installation
from desktop.core.errors import AppError
from desktop.core.ports import KeyStore
from desktop.diagnostics.checks import Check
from desktop.diagnostics.common import StepFailed, StepOutcome


def resolve(factory: Callable[[], KeyStore]) -> tuple[Check, KeyStore | None]:
    """Doctor: the keyring backend ``factory`` gives, or why it is refused."""
    try:
        store = factory()
        name = store.backend_name()
    except AppError as exc:
        return Check("keyring", False, exc.message, {"allowed": False}), None
    return Check("keyring", True, f"{name} (allowed)", {"backend": name, "allowed": True}), store


def probe(store: KeyStore) -> StepOutcome:
    """Self-test: the backend is allowed, and it stores, returns and deletes a secret."""
    name = store.backend_name()
    if name not in installation.allowed_keyring_backends():
        raise StepFailed(f"the keyring backend {name} is not one Kura allows")
    item, value = f"selftest:probe:{secrets.token_hex(8)}", secrets.token_bytes(32)
    try:
        store.set_secret(item, value)
        if store.get_secret(item) != value:
            raise StepFailed(f"the keyring {name} did not return the secret it stored")
    finally:
        store.delete_secret(item)
    if store.get_secret(item) is not None:
        raise StepFailed(f"the keyring {name} kept an item it was told to delete")
    return f"{name}: stores, returns and deletes a secret", {"backend": name}
