"""``AgePackageCrypto``: knowledge-base packages encrypted with age (``pyrage``, the
Rust ``rage`` implementation), to X25519 recipients or a passphrase, in memory only.

A file written here decrypts with stock ``age -d -i IDENTITY`` (or ``age -d`` and the
passphrase), and ``pyrage`` is imported lazily, inside the methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.core.errors import InputError
from desktop.core.kb_package import PackageRefused

_HEADER = b"age-encryption.org/v1\n"
_SCRYPT = b"\n-> scrypt "
#: How far into a file its header's first stanza must start.
_HEADER_SCAN = 256


class AgePackageCrypto:
    def new_identity(self) -> tuple[bytes, str]:
        from pyrage import x25519

        identity = x25519.Identity.generate()
        return str(identity).encode("ascii"), str(identity.to_public())

    def recipient_of(self, identity: bytes) -> str:
        return str(self._identity(identity).to_public())

    def check_recipient(self, text: str) -> str:
        from pyrage import RecipientError, x25519

        value = text.strip()
        try:
            return str(x25519.Recipient.from_str(value))
        except (RecipientError, ValueError):
            raise InputError("kbpackage.recipient_invalid", value=value[:70]) from None

    def encrypt(self, data: bytes, recipients: Sequence[str]) -> bytes:
        import pyrage
        from pyrage import x25519

        if not recipients:
            raise InputError("kbpackage.no_recipient")
        keys = [x25519.Recipient.from_str(self.check_recipient(r)) for r in recipients]
        return bytes(pyrage.encrypt(data, keys))

    def encrypt_with_passphrase(self, data: bytes, passphrase: str) -> bytes:
        from pyrage import passphrase as scrypt

        if not passphrase:
            raise InputError("kbpackage.passphrase_empty")
        return bytes(scrypt.encrypt(data, passphrase))

    def needs_passphrase(self, data: bytes) -> bool:
        return data.startswith(_HEADER) and _SCRYPT in data[:_HEADER_SCAN]

    def decrypt(self, data: bytes, identity: bytes) -> bytes:
        import pyrage

        self._check_age(data)
        if self.needs_passphrase(data):
            raise InputError("kbpackage.passphrase_needed")
        try:
            return bytes(pyrage.decrypt(data, [self._identity(identity)]))
        except (pyrage.DecryptError, ValueError):
            raise PackageRefused("kbpackage.cannot_decrypt") from None

    def decrypt_with_passphrase(self, data: bytes, passphrase: str) -> bytes:
        import pyrage
        from pyrage import passphrase as scrypt

        self._check_age(data)
        if not self.needs_passphrase(data):
            raise InputError("kbpackage.passphrase_not_used")
        try:
            return bytes(scrypt.decrypt(data, passphrase))
        except (pyrage.DecryptError, ValueError):
            raise PackageRefused("kbpackage.wrong_passphrase") from None

    @staticmethod
    def _check_age(data: bytes) -> None:
        if not data.startswith(_HEADER):
            raise PackageRefused("kbpackage.not_a_package")

    @staticmethod
    def _identity(identity: bytes) -> Any:
        from pyrage import IdentityError, x25519

        try:
            return x25519.Identity.from_str(identity.decode("ascii"))
        except (IdentityError, UnicodeDecodeError, ValueError):
            raise InputError("kbpackage.identity_invalid") from None
