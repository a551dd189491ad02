"""The backup file: an SQLCipher snapshot under its own key, a signed manifest, key wraps.

Layout (every byte is covered by a check, so any change is refused)::

    database   the snapshot, an SQLCipher 4 file under a fresh random 32-byte key
    manifest   canonical JSON (sorted keys, no spaces, ASCII), see below
    signature  an armored SSHSIG (``ssh-keygen -Y sign`` format) over the manifest bytes,
               namespace ``kura-backup@v1``, by the workspace's audit signing key
    u32 BE     length of the manifest
    u32 BE     length of the signature
    magic      16 bytes ``\\nKURA-BACKUP-v1\\n``

The trailer sits after the database so the snapshot is written in place, never copied.
The manifest holds the format version, the backup id, the workspace id, the schema
(migration count and last name), the time, who made it, the audit head (seq, hash), the
database's size and SHA-256, the signer's public key, and the backup key wrapped:

* ``keys.recovery``: the workspace's recovery slots (from ``keyslots.json``: the
  database key wrapped under the recovery key) and the backup key wrapped (AES-256-GCM)
  under HKDF-SHA256(database key, salt, ``kura backup key v1``). So the recovery key
  the workspace had when the backup was made opens the backup.
* ``keys.escrow``: for each age X25519 recipient, the backup key as an armored age file
  (pyrage), which stock ``age -d -i IDENTITY`` decrypts.

Reading checks, in order: the magic, the lengths, the manifest's canonical form and
format, the signature; the database's SHA-256 is checked while it is copied out.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import stat
import struct
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.errors import BackupInvalid, DataDirUnreadable, InputError, WrongKey
from desktop.security.durable import _fsync_directory
from desktop.security.recovery import parse_recovery_key
from desktop.security.slotcrypto import aead_open, aead_seal, hkdf
from desktop.security.slotfile import RECOVERY, Slot, open_slot
from desktop.security.slotio import read_file
from desktop.verifier.bundle_verify import BundleError, verify_sshsig

FORMAT = "kura-backup"
VERSION = 1
NAMESPACE = "kura-backup@v1"
MAGIC = b"\nKURA-BACKUP-v1\n"
SUFFIX = ".kbak"
_TAIL = struct.Struct(">II")
_TRAILER_FIXED = _TAIL.size + len(MAGIC)
_MAX_MANIFEST = 16 * 1024 * 1024
_MAX_SIGNATURE = 4096
_KEY_INFO = b"kura backup key v1"
_PAGE = 4096
_CHUNK = 1024 * 1024
KEY_BYTES = 32


def canonical(document: dict[str, Any]) -> bytes:
    """The one byte form of a manifest."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    data = base64.b64decode(text, validate=True)
    if length is not None and len(data) != length:
        raise ValueError("wrong length")
    return data


def _aad(workspace_id: str, backup_id: str) -> bytes:
    return b"kura backup key v1\x00" + workspace_id.encode() + b"\x00" + backup_id.encode()


# ---- temp files -------------------------------------------------------------------------

#: Only backups write names ending so (``.<target name>.<random>.kura-backup.tmp``).
TEMP_SUFFIX = ".kura-backup.tmp"


def _lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; whether it was free. Where
    ``flock`` does not exist (Windows) a file another process holds open cannot be
    removed anyway, so the answer is yes and the removal decides."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def sweep_stale(folder: Path) -> int:
    """Remove the temp files a killed backup left in ``folder`` (encrypted pages, never
    a finished backup): names only backups write, which no running backup holds
    locked (the lock dies with its process). Returns how many went."""
    removed = 0
    for path in folder.glob(f".*{TEMP_SUFFIX}"):
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:  # a link, or gone meanwhile
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and _lock(fd):
                path.unlink()
                removed += 1
        except OSError:  # in use (Windows) or gone meanwhile
            pass
        finally:
            os.close(fd)
    return removed


# ---- writing --------------------------------------------------------------------------


class BackupArchiver:
    """Writes backup files for one workspace (the core ``BackupArchiver`` port): knows
    its key slots file and holds its database key (``held``) for the recovery wrap."""

    def __init__(self, slots_path: Path, held_key: Callable[[], bytes]) -> None:
        self._slots_path = slots_path
        self._held_key = held_key
        self._held: dict[str, int] = {}  # temp file -> its open, locked descriptor

    def new_key(self) -> bytes:
        return secrets.token_bytes(KEY_BYTES)

    def check_recipients(self, recipients: Sequence[str]) -> list[str]:
        """The recipients, stripped; InputError for one that is not ``age1...``."""
        from pyrage import x25519

        out = []
        for raw in recipients:
            text = raw.strip()
            try:
                x25519.Recipient.from_str(text)
            except Exception as exc:  # pyrage raises RecipientError / ValueError
                raise InputError("backup.recipient_invalid", recipient=raw) from exc
            out.append(text)
        return out

    def reserve(self, out: Path) -> Path:
        """An empty private temp file beside ``out`` (the snapshot goes there), locked
        until :meth:`discard`; refuses when ``out`` exists or its folder does not. The
        temp files a killed backup left in the folder are removed first
        (:func:`sweep_stale`)."""
        folder = out.parent
        if not folder.is_dir():
            raise InputError("backup.folder_missing", folder=folder)
        if out.exists() or out.is_symlink():
            raise InputError("backup.target_exists", name=out.name)
        sweep_stale(folder)
        try:
            fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=TEMP_SUFFIX, dir=folder)
        except OSError as exc:
            raise DataDirUnreadable(
                "backup.cannot_write", folder=folder, reason=exc.strerror or str(exc)
            ) from exc
        _lock(fd)  # a sweep by another backup into this folder leaves it alone
        self._held[name] = fd
        return Path(name)

    def discard(self, temp: Path) -> None:
        for path in (temp, temp.with_name(temp.name + "-journal")):
            path.unlink(missing_ok=True)
        fd = self._held.pop(str(temp), None)
        if fd is not None:
            os.close(fd)  # the lock goes with it

    def key_wraps(
        self, workspace_id: str, backup_id: str, backup_key: bytes, recipients: Sequence[str]
    ) -> dict[str, Any]:
        """The backup key wrapped for the recovery key and for each age recipient."""
        import pyrage
        from pyrage import x25519

        state = read_file(self._slots_path)
        recovery_slots = [s.to_json() for s in state.slots if s.type == RECOVERY]
        salt = secrets.token_bytes(16)
        wrap_key = hkdf(self._held_key(), salt, _KEY_INFO)
        nonce, sealed = aead_seal(wrap_key, backup_key, _aad(workspace_id, backup_id))
        escrow = []
        for recipient in recipients:
            armored = pyrage.encrypt(backup_key, [x25519.Recipient.from_str(recipient)], True)
            escrow.append({"recipient": recipient, "age": armored.decode("ascii")})
        return {
            "recovery": {
                "slots": recovery_slots,
                "kdf": "hkdf-sha256",
                "cipher": "aes-256-gcm",
                "salt": _b64(salt),
                "nonce": _b64(nonce),
                "wrapped": _b64(sealed),
            },
            "escrow": escrow,
        }

    def seal(
        self,
        temp: Path,
        out: Path,
        manifest: dict[str, Any],
        sign: Callable[[bytes], str],
    ) -> tuple[str, int]:
        """Append the manifest (with the database's size and SHA-256), its signature
        and the tail to the snapshot at ``temp``, make it durable, and put it at ``out``
        without ever overwriting. Returns (SHA-256 of the whole file, its size)."""
        self.discard_journal(temp)
        size = temp.stat().st_size
        if size == 0 or size % _PAGE:
            raise BackupInvalid("backup.not_a_backup", name=temp.name)
        digest = hashlib.sha256()
        with temp.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        manifest = {
            **manifest,
            "database": {"size": size, "sha256": digest.hexdigest(), "page_size": _PAGE},
        }
        body = canonical(manifest)
        signature = sign(body).encode("ascii")
        trailer = body + signature + _TAIL.pack(len(body), len(signature)) + MAGIC
        whole = digest.copy()  # the file is the database then the trailer: no second read
        whole.update(trailer)
        try:
            with temp.open("r+b") as handle:
                handle.seek(size)
                handle.write(trailer)
                handle.flush()
                os.fsync(handle.fileno())
            os.link(temp, out)
        except FileExistsError as exc:
            raise InputError("backup.target_exists", name=out.name) from exc
        except OSError as exc:
            raise DataDirUnreadable(
                "backup.cannot_write", folder=out.parent, reason=exc.strerror or str(exc)
            ) from exc
        finally:
            temp.unlink(missing_ok=True)
        _fsync_directory(out.parent)
        return whole.hexdigest(), size + len(trailer)

    @staticmethod
    def discard_journal(temp: Path) -> None:
        temp.with_name(temp.name + "-journal").unlink(missing_ok=True)


# ---- reading --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup whose trailer and signature verified (the database not yet hashed)."""

    path: Path
    manifest: dict[str, Any]
    public_key: str

    @property
    def db_size(self) -> int:
        return int(self.manifest["database"]["size"])


def _damaged(path: Path, reason: str) -> BackupInvalid:
    return BackupInvalid("backup.damaged", name=path.name, reason=reason)


def read_backup(path: Path) -> BackupFile:
    """Open ``path`` and check everything but the database bytes: magic, lengths,
    manifest (canonical, this format), signature. BackupInvalid names what failed."""
    try:
        with path.open("rb") as handle:
            total = os.fstat(handle.fileno()).st_size
            if total < _TRAILER_FIXED:
                raise BackupInvalid("backup.not_a_backup", name=path.name)
            handle.seek(total - _TRAILER_FIXED)
            tail = handle.read(_TRAILER_FIXED)
            if tail[_TAIL.size :] != MAGIC:
                raise BackupInvalid("backup.not_a_backup", name=path.name)
            body_len, sig_len = _TAIL.unpack(tail[: _TAIL.size])
            if body_len > _MAX_MANIFEST or sig_len > _MAX_SIGNATURE:
                raise _damaged(path, "the trailer's lengths are out of range")
            db_size = total - _TRAILER_FIXED - body_len - sig_len
            if db_size <= 0:
                raise _damaged(path, "the trailer's lengths are out of range")
            handle.seek(db_size)
            body = handle.read(body_len)
            signature = handle.read(sig_len)
    except OSError as exc:
        raise BackupInvalid(
            "backup.file_unreadable", name=path.name, reason=exc.strerror or str(exc)
        ) from exc
    manifest = _manifest(path, body)
    try:
        made_by = verify_sshsig(signature, body, NAMESPACE).public_key_blob
    except (BundleError, ValueError, UnicodeError) as exc:
        raise _damaged(path, "the signature does not verify") from exc
    public_key = _signer(path, manifest, made_by)
    database = manifest.get("database")
    if not isinstance(database, dict) or database.get("size") != db_size:
        raise _damaged(path, "the database's size does not match the manifest")
    if db_size % _PAGE:
        raise _damaged(path, "the database is not a whole number of pages")
    return BackupFile(path, manifest, public_key)


def _manifest(path: Path, body: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(body)
    except (ValueError, UnicodeError) as exc:
        raise _damaged(path, "the manifest is not JSON") from exc
    if not isinstance(manifest, dict) or canonical(manifest) != body:
        raise _damaged(path, "the manifest is not in canonical form")
    if manifest.get("format") != FORMAT:
        raise BackupInvalid("backup.not_a_backup", name=path.name)
    if manifest.get("version") != VERSION:
        raise BackupInvalid(
            "backup.format_unsupported", name=path.name, version=manifest.get("version")
        )
    return manifest


def _signer(path: Path, manifest: dict[str, Any], made_by: bytes) -> str:
    """The manifest's signer key, which must be the key that made the signature."""
    signer = manifest.get("signer")
    public = signer.get("public_key") if isinstance(signer, dict) else None
    fields = public.split() if isinstance(public, str) else []
    try:
        blob = base64.b64decode(fields[1], validate=True) if len(fields) >= 2 else b""
    except (binascii.Error, ValueError):
        blob = b""
    if not blob or blob != made_by:
        raise _damaged(path, "the manifest's signer did not make the signature")
    return f"{fields[0]} {fields[1]}"


def copy_database(backup: BackupFile, dest: Path) -> None:
    """Copy the database bytes into a new private file ``dest``, checking its SHA-256;
    BackupInvalid (and no ``dest``) when it differs."""
    expected = str(backup.manifest["database"].get("sha256", ""))
    digest = hashlib.sha256()
    remaining = backup.db_size
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out, backup.path.open("rb") as src:
            while remaining:
                chunk = src.read(min(_CHUNK, remaining))
                if not chunk:
                    raise _damaged(backup.path, "the file is shorter than its manifest says")
                digest.update(chunk)
                out.write(chunk)
                remaining -= len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if not secrets.compare_digest(digest.hexdigest(), expected):
            raise _damaged(backup.path, "the database's SHA-256 does not match the manifest")
    except BaseException:
        dest.unlink(missing_ok=True)
        raise


# ---- unwrapping the backup key ---------------------------------------------------------


def unwrap_with_recovery(backup: BackupFile, recovery_key_text: str) -> bytes:
    """The backup key, through the recovery key the workspace had at backup time."""
    secret = parse_recovery_key(recovery_key_text)  # InputError for a typo
    manifest = backup.manifest
    workspace_id, backup_id = str(manifest["workspace_id"]), str(manifest["backup_id"])
    try:
        wrap = manifest["keys"]["recovery"]
        slots = [Slot.from_json(raw, workspace_id) for raw in wrap["slots"]]
        salt, nonce = _unb64(wrap["salt"], 16), _unb64(wrap["nonce"])
        sealed = _unb64(wrap["wrapped"])
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise _damaged(backup.path, "the recovery key wrap is malformed") from exc
    for slot in slots:
        if slot.type != RECOVERY:
            continue
        dek = open_slot(workspace_id, slot, secret)
        if dek is None:
            continue
        key = aead_open(hkdf(dek, salt, _KEY_INFO), nonce, sealed, _aad(workspace_id, backup_id))
        if key is not None and len(key) == KEY_BYTES:
            return key
    raise WrongKey("backup.recovery_key_wrong", name=backup.path.name)


def unwrap_with_identity(backup: BackupFile, identity_file: Path) -> bytes:
    """The backup key, through an age X25519 identity file (``age-keygen`` output)."""
    import pyrage
    from pyrage import x25519

    try:
        text = identity_file.read_text("utf-8")
    except (OSError, UnicodeError) as exc:
        raise InputError(
            "backup.file_unreadable", name=identity_file.name, reason=str(exc)
        ) from exc
    identities = []
    for line in text.splitlines():
        if line.strip().startswith("AGE-SECRET-KEY-1"):
            try:
                identities.append(x25519.Identity.from_str(line.strip()))
            except Exception as exc:  # pyrage.IdentityError
                raise InputError("backup.identity_invalid", name=identity_file.name) from exc
    if not identities:
        raise InputError("backup.identity_invalid", name=identity_file.name)
    escrow = backup.manifest.get("keys", {}).get("escrow") or []
    if not escrow:
        raise WrongKey("backup.no_escrow", name=backup.path.name)
    for entry in escrow:
        try:
            key = pyrage.decrypt(str(entry["age"]).encode("ascii"), identities)
        except Exception:  # pyrage.DecryptError: not for this identity  # noqa: S112
            continue
        if len(key) == KEY_BYTES:
            return bytes(key)
    raise WrongKey("backup.identity_wrong", name=backup.path.name)
