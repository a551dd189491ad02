"""Secrets, passwords, one-time codes and bundle signatures (``desktop.security``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


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


class UnlockSlots(Protocol):
    """The workspace's key slots as the account services see them (strict unlock mode:
    one slot per user, opened by that user's password; ``security.keyslots``).

    In keyring mode ``set_user_password`` and ``remove_user`` do nothing. Each call
    rewrites ``keyslots.json`` with the open workspace's key; services call them inside
    their transaction, so a failed write rolls the database change back."""

    def strict(self) -> bool: ...

    @property
    def generation(self) -> int:
        """The slot file's generation after the last write (the caller records it in
        the database in the same transaction: ``services.slot_generation``)."""
        ...

    def slot_users(self) -> set[str]:
        """Case-folded names of the users who have a password slot."""
        ...

    def set_user_password(self, username: str, password: str) -> None: ...

    def remove_user(self, username: str) -> None: ...

    def enable_strict(self, username: str, password: str) -> list[str]:
        """Returns the keyring items of keyring mode that could not be deleted."""
        ...

    def disable_strict(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, encoded: str, password: str) -> bool:
        """True when ``password`` matches; never raises for a mismatch."""
        ...

    def needs_rehash(self, encoded: str) -> bool: ...


class PasswordStrength(Protocol):
    """An offline password-strength estimator (zxcvbn's bundled lists in production)."""

    def weakness(self, password: str, user_inputs: Sequence[str]) -> str | None:
        """None when the password is strong enough; otherwise the catalogue code of
        the reason, e.g. ``accounts.weak.common`` (``user_inputs``: the user name and
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
