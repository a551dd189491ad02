"""Password hashing with Argon2id (argon2-cffi), the ``PasswordHasher`` port's adapter."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argon2

#: Defaults: 3 passes over 64 MiB with 2 lanes (RFC 9106's second recommended option
#: uses 64 MiB; more passes make up for the smaller memory on modest laptops).
DEFAULT_TIME_COST = 3
DEFAULT_MEMORY_COST_KIB = 65536
DEFAULT_PARALLELISM = 2


def _prepare(password: str) -> str:
    """Canonical form of a password before hashing.

    NFC only (as RFC 8265's OpaqueString profile does), so the same password typed through
    different input methods hashes the same. Never truncated, never stripped, and no
    compatibility folding: full-width and half-width characters stay distinct.
    """
    return unicodedata.normalize("NFC", password)


class Argon2PasswordHasher:
    """Argon2id hashes in the PHC string format (``$argon2id$v=19$m=...,t=...,p=...$...``).

    Parameters are configurable so tests can run fast; production uses the defaults.
    """

    def __init__(
        self,
        *,
        time_cost: int = DEFAULT_TIME_COST,
        memory_cost: int = DEFAULT_MEMORY_COST_KIB,
        parallelism: int = DEFAULT_PARALLELISM,
        hash_len: int = 32,
        salt_len: int = 16,
    ) -> None:
        self._params = (time_cost, memory_cost, parallelism, hash_len, salt_len)
        self._hasher: argon2.PasswordHasher | None = None

    def _impl(self) -> argon2.PasswordHasher:
        if self._hasher is None:
            import argon2

            time_cost, memory_cost, parallelism, hash_len, salt_len = self._params
            self._hasher = argon2.PasswordHasher(
                time_cost=time_cost,
                memory_cost=memory_cost,
                parallelism=parallelism,
                hash_len=hash_len,
                salt_len=salt_len,
                type=argon2.Type.ID,
            )
        return self._hasher

    def hash(self, password: str) -> str:
        """Hash ``password`` with a fresh random salt."""
        return self._impl().hash(_prepare(password))

    def verify(self, encoded: str, password: str) -> bool:
        """True when ``password`` matches ``encoded``.

        Never raises for a mismatch; a malformed or foreign hash also gives False.
        """
        from argon2.exceptions import InvalidHashError, VerificationError

        try:
            return self._impl().verify(encoded, _prepare(password))
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, encoded: str) -> bool:
        """True when ``encoded`` was made with other parameters (or is not Argon2id)."""
        from argon2.exceptions import InvalidHashError

        try:
            return self._impl().check_needs_rehash(encoded)
        except (InvalidHashError, ValueError):
            return True
