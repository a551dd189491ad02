"""The cryptography of ``keyslots.json``: sealing the DEK, the password slots' key
derivation, and the MAC that authenticates the whole slot set.

Private helper of :mod:`desktop.security.slotfile` and :mod:`desktop.security.keyslots`.

* Keyring and recovery slots wrap the DEK with AES-256-GCM under a 32-byte key (random
  and kept in the keyring; or HKDF-SHA256 of the recovery key).
* A **password** slot (strict unlock mode) holds an X25519 key pair for one user: the
  private key is wrapped (AES-256-GCM) under Argon2id(password, salt, t, m, p), with the
  parameters and the public key in the associated data; the DEK is sealed to the public
  key (ephemeral X25519, HKDF-SHA256, AES-256-GCM). Sealing to the public key is what lets
  a key rotation re-wrap the new DEK for every user without knowing their passwords; a
  password change or reset makes a new key pair, so an old password opens nothing new.
* The slot set is authenticated by HMAC-SHA256 over its canonical JSON under a key
  HKDF-derived from the DEK (``mac``; during a rotation also ``pending_mac`` under the new
  DEK). Only someone who holds the DEK can add, remove, reorder or move a slot unnoticed.
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from hashlib import sha256

DEK_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 32
RECOVERY_INFO = b"kura recovery slot v1"
_MAC_INFO = b"kura keyslots mac v1"
_SEAL_INFO = b"kura password slot v1"
_KEY_AAD = b"kura user key v1\x00"


#: The most a password slot may ask for: Kura writes t=3, m=64 MiB, p=4.
_MAX_TIME_COST = 3
_MAX_MEMORY_KIB = 65536
_MAX_PARALLELISM = 4


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id parameters of a password slot (memory in KiB)."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4

    def check(self) -> None:
        """ValueError unless the parameters are within what Kura writes and reads: a slot
        file is read before anything in it is authenticated, so an edited one must not
        make an unlock run Argon2 far longer than Kura's own setting (at most what
        :data:`DEFAULT_KDF` costs, checked before Argon2 runs)."""
        if not 1 <= self.time_cost <= _MAX_TIME_COST:
            raise ValueError("the Argon2id time cost is out of range")
        if not 8192 <= self.memory_kib <= _MAX_MEMORY_KIB:
            raise ValueError("the Argon2id memory cost is out of range")
        if not 1 <= self.parallelism <= _MAX_PARALLELISM:
            raise ValueError("the Argon2id parallelism is out of range")

    def encoded(self) -> bytes:
        return f"argon2id;t={self.time_cost};m={self.memory_kib};p={self.parallelism}".encode()


#: What new password slots use (RFC 9106's second recommended option).
DEFAULT_KDF = KdfParams()


def aead_seal(key: bytes, plaintext: bytes, associated: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, associated)


def aead_open(key: bytes, nonce: bytes, sealed: bytes, associated: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(nonce, sealed, associated)
    except InvalidTag:
        return None


def hkdf(secret: bytes, salt: bytes | None, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret)


def recovery_wrapping_key(recovery_key: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256(recovery key, salt, info ``kura recovery slot v1``) -> 32 bytes."""
    return hkdf(recovery_key, salt, RECOVERY_INFO)


# ---- password slots -------------------------------------------------------------------


def password_key(password: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id of the password (NFC, like the account hash) -> 32 bytes."""
    from argon2.low_level import Type, hash_secret_raw

    params.check()
    return hash_secret_raw(
        unicodedata.normalize("NFC", password).encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def key_aad(workspace_id: str, user: str, params: KdfParams, public: bytes) -> bytes:
    """Binds a wrapped private key to its workspace, user, KDF parameters and public key."""
    return b"\x00".join(
        (_KEY_AAD, workspace_id.encode(), user.encode("utf-8"), params.encoded(), public)
    )


@dataclass(frozen=True, slots=True)
class UserKey:
    """A user's key pair as a password slot stores it (the private key wrapped)."""

    salt: bytes
    params: KdfParams
    key_nonce: bytes
    wrapped_key: bytes
    public: bytes


def new_user_key(workspace_id: str, user: str, password: str, params: KdfParams) -> UserKey:
    """A fresh X25519 key pair, its private key wrapped under the password."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    private = X25519PrivateKey.generate()
    public = _raw_public(private)
    salt = secrets.token_bytes(SALT_BYTES)
    kek = password_key(password, salt, params)
    associated = key_aad(workspace_id, user, params, public)
    nonce, wrapped = aead_seal(kek, _raw_private(private), associated)
    return UserKey(salt, params, nonce, wrapped, public)


def dummy_password_key(password: str) -> None:
    """Run Argon2 at Kura's setting and discard the result: an unknown user name costs as
    much time as a wrong password, so timing does not tell which names have a slot."""
    password_key(password, bytes(SALT_BYTES), DEFAULT_KDF)


def open_user_key(workspace_id: str, user: str, key: UserKey, password: str) -> bytes | None:
    """The raw private key, or None when the password is wrong."""
    kek = password_key(password, key.salt, key.params)
    associated = key_aad(workspace_id, user, key.params, key.public)
    return aead_open(kek, key.key_nonce, key.wrapped_key, associated)


def seal_to(public: bytes, dek: bytes, associated: bytes) -> tuple[bytes, bytes, bytes]:
    """``(ephemeral public, nonce, sealed DEK)`` readable with the matching private key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    key = hkdf(shared, ephemeral_public + public, _SEAL_INFO)
    nonce, sealed = aead_seal(key, dek, associated)
    return ephemeral_public, nonce, sealed


def open_sealed(
    private: bytes, ephemeral_public: bytes, nonce: bytes, sealed: bytes, associated: bytes
) -> bytes | None:
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )

    own = X25519PrivateKey.from_private_bytes(private)
    shared = own.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = hkdf(shared, ephemeral_public + _raw_public(own), _SEAL_INFO)
    return aead_open(key, nonce, sealed, associated)


def _raw_public(private: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    public = private.public_key()  # type: ignore[attr-defined]
    raw: bytes = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw


def _raw_private(private: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    raw: bytes = private.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return raw


# ---- the slot set's MAC ---------------------------------------------------------------


def slot_set_mac(dek: bytes, body: bytes) -> bytes:
    """HMAC-SHA256 of the canonical slot set under a key derived from the DEK."""
    return hmac.new(hkdf(dek, None, _MAC_INFO), body, sha256).digest()


def mac_matches(dek: bytes, body: bytes, mac: bytes | None) -> bool:
    return mac is not None and hmac.compare_digest(slot_set_mac(dek, body), mac)
