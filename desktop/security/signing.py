"""Ed25519 signing keys and OpenSSH file signatures (SSHSIG) for audit log bundles.

Bundles are signed in the format ``ssh-keygen -Y sign`` writes (OpenSSH
PROTOCOL.sshsig), so an auditor verifies them with a stock ``ssh-keygen -Y verify`` and
an ``allowed_signers`` file, without trusting Kura. Ed25519 signatures are deterministic,
so ``sshsig_sign`` gives byte for byte what ``ssh-keygen -Y sign`` gives for the same key
and file. Keys are handled as their 32-byte raw seed (what the key store keeps);
``cryptography`` is imported lazily, inside the functions that need it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

ED25519 = "ssh-ed25519"
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
#: What an identity may hold: no whitespace, quotes, commas or pattern characters, which
#: would change the meaning of an allowed_signers line (principals are pattern lists).
_IDENTITY = re.compile(r"[\w.+@-]+\Z")
_NAMESPACE = re.compile(r"[A-Za-z0-9._+@/-]+(,[A-Za-z0-9._+@/-]+)*\Z")  # one, or a list


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _check_seed(seed: bytes) -> None:
    if not isinstance(seed, bytes) or len(seed) != 32:
        raise ValueError("an Ed25519 signing key is a 32-byte seed")


def new_signing_key() -> bytes:
    """A fresh Ed25519 private key as its 32-byte raw seed (any 32 random bytes are one)."""
    return secrets.token_bytes(32)


def _raw_public(seed: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _check_seed(seed)
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def _key_blob(raw_public: bytes) -> bytes:
    return _string(ED25519.encode("ascii")) + _string(raw_public)


def public_openssh(seed: bytes) -> str:
    """The public key as an OpenSSH line without comment: ``ssh-ed25519 AAAA...``."""
    blob = _key_blob(_raw_public(seed))
    return f"{ED25519} {base64.b64encode(blob).decode('ascii')}"


def _blob_of(public_openssh: str) -> bytes:
    fields = public_openssh.split()
    if len(fields) < 2 or fields[0] != ED25519:
        raise ValueError("not an ssh-ed25519 public key line")
    blob = base64.b64decode(fields[1], validate=True)
    if blob[:15] != _string(ED25519.encode("ascii")) or len(blob) != 15 + 4 + 32:
        raise ValueError("malformed ssh-ed25519 public key")
    return blob


def fingerprint(public_openssh: str) -> str:
    """``SHA256:`` + unpadded base64 of SHA-256 of the key blob, as ``ssh-keygen -l``."""
    digest = hashlib.sha256(_blob_of(public_openssh)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def sshsig_sign(seed: bytes, message: bytes, namespace: str) -> str:
    """An armored SSHSIG over ``message`` (hash sha512), as ``ssh-keygen -Y sign``."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not namespace:
        raise ValueError("a signature namespace is required")
    _check_seed(seed)
    key = Ed25519PrivateKey.from_private_bytes(seed)
    ns, hash_alg = namespace.encode("utf-8"), b"sha512"
    signed = (
        b"SSHSIG"
        + _string(ns)
        + _string(b"")
        + _string(hash_alg)
        + _string(hashlib.sha512(message).digest())
    )
    signature = _string(ED25519.encode("ascii")) + _string(key.sign(signed))
    blob = (
        b"SSHSIG"
        + (1).to_bytes(4, "big")
        + _string(_key_blob(key.public_key().public_bytes_raw()))
        + _string(ns)
        + _string(b"")
        + _string(hash_alg)
        + _string(signature)
    )
    b64 = base64.b64encode(blob).decode("ascii")
    return "\n".join([_BEGIN, *(b64[i : i + 70] for i in range(0, len(b64), 70)), _END]) + "\n"


def allowed_signers_line(identity: str, public_openssh: str, namespace: str) -> str:
    """``<identity> namespaces="<ns>" ssh-ed25519 AAAA...`` (no trailing newline).

    The identity and namespace are restricted to characters that need no quoting and
    are not OpenSSH pattern characters, so the line means exactly what it says.
    """
    if not _IDENTITY.match(identity):
        raise ValueError(f"identity {identity!r} may hold only letters, digits and _.+@-")
    if not _NAMESPACE.match(namespace):
        raise ValueError(f"namespace {namespace!r} may hold only letters, digits and ._+@/-")
    blob = _blob_of(public_openssh)
    return f'{identity} namespaces="{namespace}" {ED25519} {base64.b64encode(blob).decode()}'
