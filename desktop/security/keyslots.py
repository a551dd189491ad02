"""``keyslots.json``: the database key (DEK) wrapped under independent slots, like LUKS.

Each slot wraps the same 32-byte DEK with AES-256-GCM under its own wrapping key:

* ``keyring`` - 32 random bytes kept in the OS keyring (service ``kura``), under the item
  the slot names: ``workspace:<uuid>``, or ``workspace:<uuid>:2`` after a rotation (a new
  wrapping key always goes to the item no slot uses, so a crash never leaves a slot whose
  key was overwritten). The slot records which keyring backend was used.
* ``recovery`` - HKDF-SHA256 of the 256-bit recovery key, with a random per-slot salt and
  info ``kura recovery slot v1``.

The AAD binds the workspace id, the slot id and the slot type, so a slot copied from
another workspace (or relabelled) does not open. The file holds no key material in the
clear; every write is atomic and durable (temp file 0600, fsync, ``os.replace``, fsync of
the directory).

Rekeying is crash-safe and leaves the database rekey to the caller::

    new_dek, new_recovery = keys.begin_rekey()   # pending slots written next to active ones
    store.rekey(new_dek)                         # the caller's step
    keys.commit_rekey()                          # one atomic replace: pending becomes active

If the process dies in between, the caller opens the database with ``unlock()``; when
that key no longer opens it, ``pending_dek()`` does, and ``commit_rekey()`` finishes the
job. ``abort_rekey()`` is only for a database that still opens with the active key.
"""

from __future__ import annotations

import contextlib
import secrets
import uuid
from dataclasses import replace
from pathlib import Path

from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import (
    AlreadyExists,
    AppError,
    DataDirUnreadable,
    KeyItemMissing,
    NotFound,
    WorkspaceExists,
    WrongKey,
)
from desktop.core.keyring_items import workspace_key_items
from desktop.core.ports import KeyStore
from desktop.security import slotfile
from desktop.security.recovery import format_recovery_key, new_recovery_key, parse_recovery_key
from desktop.security.slotfile import (
    DEK_BYTES,
    KEYRING,
    RECOVERY,
    Slot,
    SlotFile,
    open_slot,
    seal_keyring_slot,
    seal_recovery_slot,
)

FILE_NAME = slotfile.FILE_NAME


class WorkspaceKeys:
    """The key slots of one workspace: create, unlock, recover, rekey.

    Holds no key in memory between calls; keys are returned to the caller, never logged.
    """

    def __init__(self, slot_path: Path, key_store: KeyStore, clock: Clock) -> None:
        self._path = Path(slot_path)
        self._key_store = key_store
        self._clock = clock

    def __repr__(self) -> str:
        return f"WorkspaceKeys({str(self._path)!r})"

    @property
    def path(self) -> Path:
        """Where ``keyslots.json`` lives."""
        return self._path

    def exists(self) -> bool:
        """True when the slot file is there (the workspace was created)."""
        return self._path.exists()

    @property
    def workspace_id(self) -> str:
        """The workspace UUID recorded in the slot file."""
        return self._read().workspace_id

    def describe(self) -> list[dict[str, str]]:
        """Non-secret facts about each slot (for ``kura doctor``)."""
        state = self._read()
        rows = [(slot, "active") for slot in state.slots]
        rows += [(slot, "pending") for slot in state.pending]
        return [slot.summary() | {"state": role} for slot, role in rows]

    # ---- creation and unlocking -----------------------------------------------------

    def create(self, workspace_id: str) -> tuple[bytes, str]:
        """Make a DEK and its slots; return ``(dek, recovery key text)``.

        The wrapping key goes into the keyring first, then the file is written; an
        existing file or keyring item is never overwritten (WorkspaceExists).
        """
        workspace_id = _canonical_uuid(workspace_id)
        if self.exists():
            raise WorkspaceExists("workspace.exists_in_folder", folder=self._path.parent)
        try:
            self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise DataDirUnreadable(
                "workspace.cannot_create", path=self._path.parent, reason=exc.strerror
            ) from exc
        item = workspace_key_items(workspace_id)[0]
        if self._key_store.get_secret(item) is not None:
            raise WorkspaceExists("workspace.keyring_item_exists", workspace_id=workspace_id)
        dek = secrets.token_bytes(DEK_BYTES)
        recovery_key = new_recovery_key()
        now = iso_utc(self._clock.now())
        wrapping_key = secrets.token_bytes(32)
        self._key_store.set_secret(item, wrapping_key)
        slots = (
            seal_keyring_slot(workspace_id, dek, wrapping_key, item, self._backend(), now),
            seal_recovery_slot(workspace_id, dek, recovery_key, now),
        )
        self._write_or_forget(SlotFile(workspace_id, slots), item, exclusive=True)
        return dek, format_recovery_key(recovery_key)

    def unlock(self) -> bytes:
        """The DEK, through the keyring slot. Never creates a key.

        Raises KeyItemMissing (no keyring item), WrongKey (the item does not open the
        slot), KeyringLocked, KeyringUnavailable, WorkspaceNotFound, DatabaseCorrupt.
        """
        state = self._read()
        dek = self._open_keyring_slot(state, state.slots, pending=False)
        if dek is None:
            raise WrongKey(
                "workspace.keyring_key_wrong",
                workspace_id=state.workspace_id,
                help_topic="recovery",
            )
        return dek

    def unlock_with_recovery(self, recovery_key_text: str) -> bytes:
        """The DEK, through a recovery slot.

        Raises InputError when the text is mistyped (checksum), WrongKey when it is a
        well-formed key that does not open this workspace.
        """
        recovery_key = parse_recovery_key(recovery_key_text)
        state = self._read()
        for slot in state.slots:
            if slot.type == RECOVERY:
                dek = open_slot(state.workspace_id, slot, recovery_key)
                if dek is not None:
                    return dek
        raise WrongKey(
            "workspace.recovery_key_wrong", workspace_id=state.workspace_id, help_topic="recovery"
        )

    def restore_keyring_slot(self, dek: bytes) -> None:
        """After recovery: put a fresh wrapping key in the keyring and rewrite the slot.

        The recovery slot is kept. The caller must have checked that ``dek`` opens the
        database (unlock_with_recovery returned it).
        """
        _check_dek(dek)
        state = self._read()
        item = self._free_item(state)
        wrapping_key = secrets.token_bytes(32)
        now = iso_utc(self._clock.now())
        self._key_store.set_secret(item, wrapping_key)
        fresh = seal_keyring_slot(state.workspace_id, dek, wrapping_key, item, self._backend(), now)
        kept = tuple(slot for slot in state.slots if slot.type != KEYRING)
        new_state = replace(state, slots=(fresh, *kept))
        self._write_or_forget(new_state, item)
        self._forget_unused(state, new_state)

    def forget(self) -> None:
        """Delete this workspace's keyring items, then the slot file (undoes ``create``).

        Destroys the workspace's keys: only for a workspace whose creation failed. No-op
        when there is no slot file; an unreadable file raises and nothing is deleted.
        """
        if not self.exists():
            return
        state = self._read()
        for item in workspace_key_items(state.workspace_id):
            self._key_store.delete_secret(item)
        try:
            self._path.unlink(missing_ok=True)
        except OSError as exc:
            raise DataDirUnreadable(
                "workspace.cannot_remove", path=self._path, reason=exc.strerror or str(exc)
            ) from exc

    # ---- rekey ----------------------------------------------------------------------

    def begin_rekey(self) -> tuple[bytes, str]:
        """Write pending slots for a fresh DEK; return ``(new dek, new recovery key text)``.

        The active slots are untouched, so the workspace still opens with the old key
        until ``commit_rekey()``. Refuses while an earlier rekey is pending.
        """
        state = self._read()
        if state.pending:
            raise AlreadyExists("workspace.rekey_interrupted_rekey")
        item = self._free_item(state)
        new_dek = secrets.token_bytes(DEK_BYTES)
        recovery_key = new_recovery_key()
        wrapping_key = secrets.token_bytes(32)
        now = iso_utc(self._clock.now())
        self._key_store.set_secret(item, wrapping_key)
        pending = (
            seal_keyring_slot(
                state.workspace_id, new_dek, wrapping_key, item, self._backend(), now
            ),
            seal_recovery_slot(state.workspace_id, new_dek, recovery_key, now),
        )
        self._write_or_forget(replace(state, pending=pending), item)
        return new_dek, format_recovery_key(recovery_key)

    def has_pending(self) -> bool:
        """True while a rekey has begun and is neither committed nor aborted."""
        return bool(self._read().pending)

    def pending_dek(self) -> bytes | None:
        """The pending DEK (via its keyring slot), or None when no rekey is pending."""
        state = self._read()
        if not state.pending:
            return None
        dek = self._open_keyring_slot(state, state.pending, pending=True)
        if dek is None:
            raise WrongKey(
                "workspace.keyring_key_wrong_pending",
                workspace_id=state.workspace_id,
                help_topic="recovery",
            )
        return dek

    def commit_rekey(self) -> None:
        """Promote the pending slots and drop the old ones, in one atomic file replace.

        Afterwards the old keyring item is deleted (best effort) and the old recovery key
        opens nothing.
        """
        state = self._read()
        if not state.pending:
            raise NotFound("workspace.no_rekey_pending")
        new_state = replace(state, slots=state.pending, pending=())
        self._write(new_state)
        self._forget_unused(state, new_state)

    def abort_rekey(self) -> None:
        """Drop the pending slots and their keyring item (no-op when none).

        Only for a database that still opens with the active DEK: the pending DEK is
        gone afterwards.
        """
        state = self._read()
        if not state.pending:
            return
        new_state = replace(state, pending=())
        self._write(new_state)
        self._forget_unused(state, new_state)

    # ---- internals ------------------------------------------------------------------

    def _backend(self) -> str:
        return self._key_store.backend_name()

    def _open_keyring_slot(
        self, state: SlotFile, slots: tuple[Slot, ...], *, pending: bool
    ) -> bytes | None:
        slot = next((slot for slot in slots if slot.type == KEYRING), None)
        if slot is None or slot.item is None:
            raise self._missing(state, None, pending=pending)
        try:
            wrapping_key = self._key_store.get_secret(slot.item)
        except WrongKey as exc:
            raise WrongKey(
                "workspace.keyring_key_unusable", error=exc, help_topic="recovery"
            ) from exc
        if wrapping_key is None:
            raise self._missing(state, slot, pending=pending)
        return open_slot(state.workspace_id, slot, wrapping_key)

    def _missing(self, state: SlotFile, slot: Slot | None, *, pending: bool) -> KeyItemMissing:
        """The keyring has no item for this workspace (or for its interrupted rekey);
        names the backend the slot recorded when it differs from the one in use."""
        backend = self._backend()
        workspace_id = state.workspace_id
        if slot is not None and slot.backend and slot.backend != backend:
            stored_in = slot.backend
            if pending:
                return KeyItemMissing(
                    "workspace.pending_key_item_missing_moved",
                    backend=backend,
                    workspace_id=workspace_id,
                    stored_in=stored_in,
                    help_topic="recovery",
                )
            return KeyItemMissing(
                "workspace.key_item_missing_moved",
                backend=backend,
                workspace_id=workspace_id,
                stored_in=stored_in,
                help_topic="recovery",
            )
        if pending:
            return KeyItemMissing(
                "workspace.pending_key_item_missing",
                backend=backend,
                workspace_id=workspace_id,
                help_topic="recovery",
            )
        return KeyItemMissing(
            "workspace.key_item_missing",
            backend=backend,
            workspace_id=workspace_id,
            help_topic="recovery",
        )

    def _free_item(self, state: SlotFile) -> str:
        used = {slot.item for slot in (*state.slots, *state.pending) if slot.item}
        for item in workspace_key_items(state.workspace_id):
            if item not in used:
                return item
        raise AlreadyExists("workspace.rekey_interrupted")

    def _forget_unused(self, old: SlotFile, new: SlotFile) -> None:
        """Delete keyring items only the old file used. Best effort: the file is final."""
        still_used = {slot.item for slot in (*new.slots, *new.pending)}
        for slot in (*old.slots, *old.pending):
            if slot.item and slot.item not in still_used:
                # a stale wrapping key that no slot references opens nothing
                with contextlib.suppress(AppError):
                    self._key_store.delete_secret(slot.item)

    def _read(self) -> SlotFile:
        return slotfile.read_file(self._path)

    def _write(self, state: SlotFile, *, exclusive: bool = False) -> None:
        slotfile.write_file(self._path, state, exclusive=exclusive)

    def _write_or_forget(self, state: SlotFile, new_item: str, *, exclusive: bool = False) -> None:
        """Write ``state``; if that fails, delete ``new_item`` unless a slot on disk uses it."""
        try:
            self._write(state, exclusive=exclusive)
        except AppError:
            if not self._item_in_use(new_item):
                with contextlib.suppress(AppError):  # the write error is the one to report
                    self._key_store.delete_secret(new_item)
            raise

    def _item_in_use(self, item: str) -> bool:
        """Whether the file on disk names ``item``; True when that cannot be told."""
        try:
            on_disk = SlotFile.parse(self._path.read_bytes())
        except FileNotFoundError:
            return False
        except (OSError, ValueError):
            return True  # keep the item: it may be the only way in
        return item in {slot.item for slot in (*on_disk.slots, *on_disk.pending)}


def _canonical_uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"workspace id {text!r} is not a UUID") from exc


def _check_dek(dek: bytes) -> None:
    if not isinstance(dek, bytes | bytearray) or len(dek) != DEK_BYTES:
        raise ValueError("a database key is exactly 32 bytes")
