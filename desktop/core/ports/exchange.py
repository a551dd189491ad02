"""Encryption of knowledge-base packages to age recipients or a passphrase
(``security.age_crypto``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class PackageCrypto(Protocol):
    """age (X25519 recipients, scrypt passphrases), all in memory.

    Errors are AppErrors: InputError for a malformed recipient or identity,
    ``PackageRefused`` when a file cannot be decrypted (not addressed to this identity,
    wrong passphrase, altered, not an age file)."""

    def new_identity(self) -> tuple[bytes, str]:
        """A fresh X25519 identity (its secret ``AGE-SECRET-KEY-1...`` as bytes) and its
        public recipient (``age1...``)."""
        ...

    def recipient_of(self, identity: bytes) -> str: ...

    def check_recipient(self, text: str) -> str:
        """The recipient, stripped; InputError when it is not an ``age1...`` key."""
        ...

    def encrypt(self, data: bytes, recipients: Sequence[str]) -> bytes: ...

    def encrypt_with_passphrase(self, data: bytes, passphrase: str) -> bytes: ...

    def needs_passphrase(self, data: bytes) -> bool:
        """Whether the file is encrypted to a passphrase (an scrypt stanza)."""
        ...

    def decrypt(self, data: bytes, identity: bytes) -> bytes: ...

    def decrypt_with_passphrase(self, data: bytes, passphrase: str) -> bytes: ...
