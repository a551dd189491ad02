"""The ``keyslots.json`` format, slot sealing (AES-256-GCM) and the durable writer.

Private helper of :mod:`desktop.security.keyslots`; the class to use is ``WorkspaceKeys``.

File (version 1)::

    {"format": "kura-keyslots", "version": 1, "workspace_id": "<uuid>",
     "slots": [<slot>, ...], "pending": [<slot>, ...]}

Slot: ``id`` (32 hex), ``type`` (``keyring`` | ``recovery``), ``created_at``, ``cipher``
(``aes-256-gcm``), ``nonce`` and ``wrapped`` (base64); keyring slots add ``item`` and
``backend``, recovery slots ``kdf`` (``hkdf-sha256``) and ``salt`` (base64).
"""

from __future__ import annotations

import base64
import binascii
import errno
import json
import os
import secrets
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.errors import (
    DatabaseCorrupt,
    DataDirUnreadable,
    SchemaTooNew,
    WorkspaceExists,
    WorkspaceNotFound,
)
from desktop.core.keyring_items import workspace_key_items

FILE_NAME = "keyslots.json"
FORMAT = "kura-keyslots"
VERSION = 1
DEK_BYTES = 32
KEYRING = "keyring"
RECOVERY = "recovery"
CIPHER = "aes-256-gcm"
KDF = "hkdf-sha256"
RECOVERY_INFO = b"kura recovery slot v1"
_AAD_PREFIX = b"kura keyslot v1\x00"
_NONCE_BYTES = 12
_WRAPPED_BYTES = DEK_BYTES + 16  # ciphertext + GCM tag
_SALT_BYTES = 32


@dataclass(frozen=True, slots=True)
class Slot:
    """One wrapped copy of the DEK. Holds ciphertext only; still never shown in a repr."""

    id: str
    type: str
    created_at: str
    nonce: bytes = field(repr=False)
    wrapped: bytes = field(repr=False)
    item: str | None = None
    backend: str | None = None
    salt: bytes | None = field(default=None, repr=False)

    def summary(self) -> dict[str, str]:
        """Non-secret facts for display."""
        facts = {"id": self.id, "type": self.type, "created_at": self.created_at}
        if self.type == KEYRING:
            facts |= {"item": self.item or "", "backend": self.backend or ""}
        return facts

    def to_json(self) -> dict[str, str]:
        record = {
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at,
            "cipher": CIPHER,
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        if self.type == KEYRING:
            record |= {"item": self.item or "", "backend": self.backend or ""}
        else:
            record |= {"kdf": KDF, "salt": _b64(self.salt or b"")}
        return record

    @classmethod
    def from_json(cls, raw: Any, workspace_id: str) -> Slot:
        """Parse and validate one slot record; ValueError names what is wrong."""
        if not isinstance(raw, dict):
            raise ValueError("a slot is not an object")
        slot_id = _text(raw, "id")
        if len(slot_id) != 32 or any(c not in "0123456789abcdef" for c in slot_id):
            raise ValueError("a slot id is not 32 hex digits")
        kind = _text(raw, "type")
        if _text(raw, "cipher") != CIPHER:
            raise ValueError(f"slot {slot_id} uses an unknown cipher")
        created_at = _text(raw, "created_at")
        nonce = _bytes(raw, "nonce", _NONCE_BYTES)
        wrapped = _bytes(raw, "wrapped", _WRAPPED_BYTES)
        if kind == KEYRING:
            item = _text(raw, "item")
            if item not in workspace_key_items(workspace_id):
                raise ValueError(f"slot {slot_id} names a keyring item of another workspace")
            backend = _text(raw, "backend")
            return cls(slot_id, kind, created_at, nonce, wrapped, item=item, backend=backend)
        if kind == RECOVERY:
            if _text(raw, "kdf") != KDF:
                raise ValueError(f"slot {slot_id} uses an unknown key derivation")
            salt = _bytes(raw, "salt", _SALT_BYTES)
            return cls(slot_id, kind, created_at, nonce, wrapped, salt=salt)
        raise ValueError(f"slot {slot_id} has an unknown type {kind!r}")


@dataclass(frozen=True, slots=True)
class SlotFile:
    """The whole file: active slots and, during a rekey, pending ones."""

    workspace_id: str
    slots: tuple[Slot, ...]
    pending: tuple[Slot, ...] = ()

    def to_bytes(self) -> bytes:
        document = {
            "format": FORMAT,
            "version": VERSION,
            "workspace_id": self.workspace_id,
            "slots": [slot.to_json() for slot in self.slots],
            "pending": [slot.to_json() for slot in self.pending],
        }
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def parse(cls, data: bytes) -> SlotFile:
        """Parse and validate; ValueError when damaged, SchemaTooNew when from a newer Kura."""
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("not valid JSON") from exc
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError("not a Kura key slot file")
        version = document.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ValueError("no valid format version")
        if version > VERSION:
            raise SchemaTooNew("workspace.keyslots_too_new", version=version, supported=VERSION)
        workspace_id = _text(document, "workspace_id")
        if str(_uuid(workspace_id)) != workspace_id:
            raise ValueError("the workspace id is not a canonical UUID")
        slots = _slot_list(document, "slots", workspace_id)
        pending = _slot_list(document, "pending", workspace_id)
        ids = [slot.id for slot in (*slots, *pending)]
        if len(ids) != len(set(ids)):
            raise ValueError("two slots share an id")
        if not slots:
            raise ValueError("it has no active slot")
        return cls(workspace_id, slots, pending)


# ---- sealing --------------------------------------------------------------------------


def aad(workspace_id: str, slot_id: str, slot_type: str) -> bytes:
    """Associated data binding a slot to its workspace, id and type."""
    fields = (workspace_id, slot_id, slot_type)
    return _AAD_PREFIX + b"\x00".join(part.encode("ascii") for part in fields)


def _seal(wrapping_key: bytes, dek: bytes, associated: bytes) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(_NONCE_BYTES)
    return nonce, AESGCM(wrapping_key).encrypt(nonce, dek, associated)


def recovery_wrapping_key(recovery_key: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256(recovery key, salt, info ``kura recovery slot v1``) -> 32 bytes."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=RECOVERY_INFO).derive(
        recovery_key
    )


def seal_keyring_slot(
    workspace_id: str, dek: bytes, wrapping_key: bytes, item: str, backend: str, now: str
) -> Slot:
    """A keyring slot wrapping ``dek`` under ``wrapping_key`` (kept in keyring ``item``)."""
    slot_id = secrets.token_hex(16)
    nonce, wrapped = _seal(wrapping_key, dek, aad(workspace_id, slot_id, KEYRING))
    return Slot(slot_id, KEYRING, now, nonce, wrapped, item=item, backend=backend)


def seal_recovery_slot(workspace_id: str, dek: bytes, recovery_key: bytes, now: str) -> Slot:
    """A recovery slot wrapping ``dek`` under a key derived from ``recovery_key``."""
    slot_id = secrets.token_hex(16)
    salt = secrets.token_bytes(_SALT_BYTES)
    wrapping_key = recovery_wrapping_key(recovery_key, salt)
    nonce, wrapped = _seal(wrapping_key, dek, aad(workspace_id, slot_id, RECOVERY))
    return Slot(slot_id, RECOVERY, now, nonce, wrapped, salt=salt)


def open_slot(workspace_id: str, slot: Slot, secret: bytes) -> bytes | None:
    """The DEK, or None when ``secret`` (wrapping key / recovery key) does not open it."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(secret) != 32:
        return None
    key = recovery_wrapping_key(secret, slot.salt or b"") if slot.type == RECOVERY else secret
    try:
        dek = AESGCM(key).decrypt(slot.nonce, slot.wrapped, aad(workspace_id, slot.id, slot.type))
    except InvalidTag:
        return None
    return dek if len(dek) == DEK_BYTES else None


# ---- durable writes -------------------------------------------------------------------


def read_file(path: Path) -> SlotFile:
    """The slots file at ``path``; AppErrors naming the file for a missing, unreadable,
    damaged or too new one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkspaceNotFound("workspace.not_found", folder=path.parent, file=FILE_NAME) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_read_permissions", path=path, reason=exc.strerror or str(exc)
        ) from exc
    try:
        return SlotFile.parse(data)
    except SchemaTooNew:
        raise
    except ValueError as exc:
        raise DatabaseCorrupt(
            "workspace.keyslots_damaged", path=path, reason=str(exc), details=repr(exc)
        ) from exc


def write_file(path: Path, state: SlotFile, *, exclusive: bool = False) -> None:
    """Replace (``exclusive``: create) the slots file atomically."""
    try:
        write_atomic(path, state.to_bytes(), exclusive=exclusive)
    except FileExistsError as exc:
        raise WorkspaceExists("workspace.created_meanwhile", folder=path.parent) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_write", path=path, reason=exc.strerror or str(exc)
        ) from exc


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically and durably, mode 0600.

    Writes a temp file in the same directory, fsyncs it, renames it over ``path`` (or,
    with ``exclusive``, links it and raises FileExistsError when ``path`` exists) and
    fsyncs the directory. No temp file is left behind, whatever fails.
    """
    directory = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            _link_new(temp, path)
        else:
            os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_directory(directory)


def _link_new(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some filesystems): check, then rename
        if path.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        os.replace(temp, path)


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows makes a rename durable with the file; directories cannot be opened
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise  # some filesystems cannot sync a directory; others must
    finally:
        os.close(fd)


# ---- validation helpers ---------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value or not value.isascii():
        raise ValueError(f"field {key!r} is missing or not ASCII text")
    return value


def _bytes(record: dict[str, Any], key: str, length: int) -> bytes:
    try:
        value = base64.b64decode(_text(record, key), validate=True)
    except binascii.Error as exc:
        raise ValueError(f"field {key!r} is not base64") from exc
    if len(value) != length:
        raise ValueError(f"field {key!r} has {len(value)} bytes, not {length}")
    return value


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError as exc:
        raise ValueError("the workspace id is not a UUID") from exc


def _slot_list(document: dict[str, Any], key: str, workspace_id: str) -> tuple[Slot, ...]:
    raw = document.get(key, [])
    if not isinstance(raw, list):
        raise ValueError(f"{key!r} is not a list")
    return tuple(Slot.from_json(entry, workspace_id) for entry in raw)
