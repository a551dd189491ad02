"""The keyring a workspace key lives in, named as people know it (the first run and
Settings › General show it; the backend reports a dotted class path)."""

from __future__ import annotations

# Keyring backends (the module part of their dotted class path) by the name people know.
KEYRING_NAMES = {
    "keyring.backends.SecretService": "GNOME Keyring (Secret Service)",
    "keyring.backends.libsecret": "GNOME Keyring (Secret Service)",
    "keyring.backends.Windows": "Windows Credential Manager",
    "keyring.backends.macOS": "macOS Keychain",
    "keyring.backends.kwallet": "KDE Wallet",
}


def keyring_name(backend: str) -> str:
    """The keyring as a person knows it: ``keyring.backends.SecretService.Keyring`` is
    "GNOME Keyring (Secret Service)"; an unknown class path becomes its class name."""
    module, _, cls = backend.rpartition(".")
    if module in KEYRING_NAMES:
        return KEYRING_NAMES[module]
    return cls if module and cls and " " not in backend else backend
