"""The ``keyslots.json`` format, slot sealing (AES-256-GCM) and the durable writer.

Private helper of :mod:`desktop.security.keyslots`; the class to use is ``WorkspaceKeys``.

File (version 2)::

    {"format": "kura-keyslots", "version": 2, "workspace_id": "<uuid>",
     "mode": "keyring" | "strict", "slots": [<slot>, ...], "pending": [<slot>, ...],
     "mac": "<base64>", "pending_mac": "<base64>" (only while a rekey is pending)}

Slot: ``id`` (32 hex), ``type`` (``keyring`` | ``recovery`` | ``password``),
``created_at``, ``cipher`` (``aes-256-gcm``), ``nonce`` and ``wrapped`` (base64); keyring
slots add ``item`` and ``backend``, recovery slots ``kdf`` (``hkdf-sha256``) and ``salt``;
password slots ``user``, ``kdf`` (``argon2id``) with ``t``, ``m``, ``p``, ``salt``,
``key_nonce``, ``wrapped_key``, ``public`` and ``ephemeral`` (see
:mod:`desktop.security.slotcrypto`). ``generation`` (absent: 0) rises with every write;
the encrypted database records it too. The MACs cover everything else, canonically
encoded (:meth:`SlotFile.body`). A version 1 file (no mode, no MAC) is read as keyring mode and
rewritten as version 2 by the first open.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from desktop.core.errors import (
    SchemaTooNew,
)
from desktop.core.keyring_items import workspace_key_items
from desktop.security.slotcrypto import (
    DEK_BYTES,
    NONCE_BYTES,
    SALT_BYTES,
    KdfParams,
    UserKey,
    aead_open,
    aead_seal,
    mac_matches,
    open_sealed,
    recovery_wrapping_key,
    seal_to,
    slot_set_mac,
)

FILE_NAME = "keyslots.json"
FORMAT = "kura-keyslots"
VERSION = 2
KEYRING = "keyring"
RECOVERY = "recovery"
PASSWORD = "password"  # noqa: S105 - a slot type
#: Unlock modes: the keyring slot opens the workspace, or only a user's password does.
MODE_KEYRING = "keyring"
MODE_STRICT = "strict"
CIPHER = "aes-256-gcm"
KDF = "hkdf-sha256"
PASSWORD_KDF = "argon2id"  # noqa: S105 - a KDF name
_AAD_PREFIX = b"kura keyslot v1\x00"
_WRAPPED_BYTES = DEK_BYTES + 16  # ciphertext + GCM tag
_MAC_BYTES = 32


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
    user: str | None = None
    key: UserKey | None = field(default=None, repr=False)
    ephemeral: bytes | None = field(default=None, repr=False)

    def summary(self) -> dict[str, str]:
        """Non-secret facts for display."""
        facts = {"id": self.id, "type": self.type, "created_at": self.created_at}
        if self.type == KEYRING:
            facts |= {"item": self.item or "", "backend": self.backend or ""}
        if self.type == PASSWORD:
            facts |= {"user": self.user or ""}
        return facts

    def to_json(self) -> dict[str, str | int]:
        record: dict[str, str | int] = {
            "id": self.id,
            "type": self.type,
            "created_at": self.created_at,
            "cipher": CIPHER,
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        if self.type == KEYRING:
            record |= {"item": self.item or "", "backend": self.backend or ""}
        elif self.type == PASSWORD and self.key is not None:
            key = self.key
            record |= {
                "user": self.user or "",
                "kdf": PASSWORD_KDF,
                "t": key.params.time_cost,
                "m": key.params.memory_kib,
                "p": key.params.parallelism,
                "salt": _b64(key.salt),
                "key_nonce": _b64(key.key_nonce),
                "wrapped_key": _b64(key.wrapped_key),
                "public": _b64(key.public),
                "ephemeral": _b64(self.ephemeral or b""),
            }
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
        nonce = _bytes(raw, "nonce", NONCE_BYTES)
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
            salt = _bytes(raw, "salt", SALT_BYTES)
            return cls(slot_id, kind, created_at, nonce, wrapped, salt=salt)
        if kind == PASSWORD:
            return cls._password(raw, slot_id, created_at, nonce, wrapped)
        raise ValueError(f"slot {slot_id} has an unknown type {kind!r}")

    @classmethod
    def _password(
        cls, raw: dict[str, Any], slot_id: str, created_at: str, nonce: bytes, wrapped: bytes
    ) -> Slot:
        if _text(raw, "kdf") != PASSWORD_KDF:
            raise ValueError(f"slot {slot_id} uses an unknown key derivation")
        user = raw.get("user")
        if not isinstance(user, str) or not user:
            raise ValueError(f"slot {slot_id} names no user")
        params = KdfParams(_int(raw, "t"), _int(raw, "m"), _int(raw, "p"))
        params.check()
        key = UserKey(
            salt=_bytes(raw, "salt", SALT_BYTES),
            params=params,
            key_nonce=_bytes(raw, "key_nonce", NONCE_BYTES),
            wrapped_key=_bytes(raw, "wrapped_key", 32 + 16),
            public=_bytes(raw, "public", 32),
        )
        ephemeral = _bytes(raw, "ephemeral", 32)
        return cls(
            slot_id, PASSWORD, created_at, nonce, wrapped, user=user, key=key, ephemeral=ephemeral
        )


@dataclass(frozen=True, slots=True)
class SlotFile:
    """The whole file: active slots and, during a rekey, pending ones; the unlock mode; the
    MACs that authenticate it (``mac`` under the active DEK, ``pending_mac`` under the
    pending one). A version 1 file (before the MAC) has neither."""

    workspace_id: str
    slots: tuple[Slot, ...]
    pending: tuple[Slot, ...] = ()
    mode: str = MODE_KEYRING
    version: int = VERSION
    mac: bytes | None = field(default=None, repr=False)
    pending_mac: bytes | None = field(default=None, repr=False)
    #: Raised by every write and recorded in the encrypted database too, so an older
    #: copy of the file (valid MAC, same DEK) put back is told from the current one.
    generation: int = 0

    def body(self) -> bytes:
        """The canonical bytes the MACs cover: everything but the MACs."""
        return json.dumps(self._document(), sort_keys=True, separators=(",", ":")).encode()

    def sealed(
        self, dek: bytes, pending_dek: bytes | None, generation: int | None = None
    ) -> SlotFile:
        """This slot set at the current version (and ``generation``) with its MACs."""
        state = replace(self, version=VERSION, mac=None, pending_mac=None)
        if generation is not None:
            state = replace(state, generation=generation)
        body = state.body()
        pending_mac = slot_set_mac(pending_dek, body) if self.pending and pending_dek else None
        return replace(state, mac=slot_set_mac(dek, body), pending_mac=pending_mac)

    def authentic(self, dek: bytes, *, pending: bool = False) -> bool:
        """Whether the MAC for the DEK of the active (or pending) slots matches."""
        return mac_matches(dek, self.body(), self.pending_mac if pending else self.mac)

    def _document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": self.version,
            "workspace_id": self.workspace_id,
            "slots": [slot.to_json() for slot in self.slots],
            "pending": [slot.to_json() for slot in self.pending],
        }
        if self.version >= 2:
            document["mode"] = self.mode
        if self.generation:
            document["generation"] = self.generation
        return document

    def to_bytes(self) -> bytes:
        document = self._document()
        if self.mac is not None:
            document["mac"] = _b64(self.mac)
        if self.pending_mac is not None:
            document["pending_mac"] = _b64(self.pending_mac)
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
        if version == 1:
            if any(slot.type == PASSWORD for slot in (*slots, *pending)):
                raise ValueError("a version 1 file has a password slot")
            return cls(workspace_id, slots, pending, MODE_KEYRING, 1)
        mode = document.get("mode")
        if mode not in (MODE_KEYRING, MODE_STRICT):
            raise ValueError("no valid unlock mode")
        mac = _bytes(document, "mac", _MAC_BYTES)
        pending_mac = _bytes(document, "pending_mac", _MAC_BYTES) if pending else None
        generation = document.get("generation", 0)
        if not isinstance(generation, int) or isinstance(generation, bool) or generation < 0:
            raise ValueError("no valid generation")
        return cls(workspace_id, slots, pending, mode, version, mac, pending_mac, generation)


# ---- sealing --------------------------------------------------------------------------


def aad(workspace_id: str, slot_id: str, slot_type: str, user: str = "") -> bytes:
    """Associated data binding a slot to its workspace, id, type (and user)."""
    fields = [workspace_id, slot_id, slot_type]
    associated = _AAD_PREFIX + b"\x00".join(part.encode("ascii") for part in fields)
    return associated + b"\x00" + user.encode("utf-8") if user else associated


def seal_keyring_slot(
    workspace_id: str, dek: bytes, wrapping_key: bytes, item: str, backend: str, now: str
) -> Slot:
    """A keyring slot wrapping ``dek`` under ``wrapping_key`` (kept in keyring ``item``)."""
    slot_id = secrets.token_hex(16)
    nonce, wrapped = aead_seal(wrapping_key, dek, aad(workspace_id, slot_id, KEYRING))
    return Slot(slot_id, KEYRING, now, nonce, wrapped, item=item, backend=backend)


def seal_recovery_slot(workspace_id: str, dek: bytes, recovery_key: bytes, now: str) -> Slot:
    """A recovery slot wrapping ``dek`` under a key derived from ``recovery_key``."""
    slot_id = secrets.token_hex(16)
    salt = secrets.token_bytes(SALT_BYTES)
    wrapping_key = recovery_wrapping_key(recovery_key, salt)
    nonce, wrapped = aead_seal(wrapping_key, dek, aad(workspace_id, slot_id, RECOVERY))
    return Slot(slot_id, RECOVERY, now, nonce, wrapped, salt=salt)


def seal_password_slot(workspace_id: str, dek: bytes, user: str, key: UserKey, now: str) -> Slot:
    """A password slot sealing ``dek`` to ``user``'s public key."""
    slot_id = secrets.token_hex(16)
    associated = aad(workspace_id, slot_id, PASSWORD, user)
    ephemeral, nonce, wrapped = seal_to(key.public, dek, associated)
    return Slot(slot_id, PASSWORD, now, nonce, wrapped, user=user, key=key, ephemeral=ephemeral)


def open_slot(workspace_id: str, slot: Slot, secret: bytes) -> bytes | None:
    """The DEK, or None when ``secret`` does not open the slot: the wrapping key of a
    keyring slot, the recovery key of a recovery slot, the user's raw private key (from
    :func:`open_user_key`) of a password slot."""
    if len(secret) != 32:
        return None
    associated = aad(workspace_id, slot.id, slot.type, slot.user or "")
    if slot.type == PASSWORD:
        if slot.ephemeral is None:
            return None
        dek = open_sealed(secret, slot.ephemeral, slot.nonce, slot.wrapped, associated)
    else:
        key = recovery_wrapping_key(secret, slot.salt or b"") if slot.type == RECOVERY else secret
        dek = aead_open(key, slot.nonce, slot.wrapped, associated)
    return dek if dek is not None and len(dek) == DEK_BYTES else None


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


def _int(record: dict[str, Any], key: str) -> int:
    value = record.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"field {key!r} is missing or not an integer")
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
