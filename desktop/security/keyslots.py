"""``keyslots.json``: the database key (DEK) wrapped under independent slots, like LUKS.

Each slot wraps the same 32-byte DEK with AES-256-GCM under its own wrapping key:

* ``keyring`` - 32 random bytes kept in the OS keyring (service ``kura``), under the item
  the slot names: ``workspace:<uuid>``, or ``workspace:<uuid>:2`` after a rotation (a new
  wrapping key always goes to the item no slot uses, so a crash never leaves a slot whose
  key was overwritten). The slot records which keyring backend was used.
* ``recovery`` - HKDF-SHA256 of the 256-bit recovery key, with a random per-slot salt and
  info ``kura recovery slot v1``.

* ``password`` - strict unlock mode only: one per user, the DEK sealed to the user's
  key pair whose private key is wrapped under Argon2id of their password
  (:mod:`desktop.security.slotcrypto`). In strict mode there is no keyring slot.

The AAD binds the workspace id, the slot id and the slot type, so a slot copied from
another workspace (or relabelled) does not open. The slot set itself (which slots, their
order, active or pending, the mode) is authenticated by a MAC under a key derived from the
DEK, checked after every unwrap: a slot removed, added, reordered or moved is refused.
Once unlocked, the object keeps the DEK for the open workspace (SQLCipher holds it
anyway): rewriting the file needs it for the MAC, and strict mode needs it to wrap a slot
for a new or reset password. The file holds no key material in the
clear; every write is atomic and durable (temp file 0600, fsync, ``os.replace``, fsync of
the directory).

Rekeying is crash-safe and leaves the database rekey to the caller::

    new_dek, new_recovery = keys.begin_rekey()   # pending slots written next to active ones
    store.rekey(new_dek)                         # the caller's step
    keys.commit_rekey()                          # one atomic replace: pending becomes active

If the process dies in between, the caller opens the database with ``unlock()``; when
that key no longer opens it, ``pending_dek()`` does, and ``commit_rekey()`` finishes the
job. ``abort_rekey()`` is only for a database that still opens with the active key.
In strict mode the pending slots seal the new DEK to every user's public key, so a
rotation needs nobody's password.
"""

from __future__ import annotations

import secrets
from dataclasses import replace

from desktop.core.clock import iso_utc
from desktop.core.errors import (
    AlreadyExists,
    DataDirUnreadable,
    NotFound,
    WorkspaceExists,
    WrongKey,
)
from desktop.core.keyring_items import workspace_key_items
from desktop.security import slotfile
from desktop.security.recovery import format_recovery_key, new_recovery_key, parse_recovery_key
from desktop.security.slotcrypto import DEK_BYTES
from desktop.security.slotfile import (
    MODE_KEYRING,
    MODE_STRICT,
    PASSWORD,
    RECOVERY,
    SlotFile,
    open_slot,
    seal_keyring_slot,
    seal_password_slot,
    seal_recovery_slot,
)
from desktop.security.slotstore import (
    Credentials,
    SlotStore,
    canonical_uuid,
    check_dek,
    slot_user,
)

FILE_NAME = slotfile.FILE_NAME
__all__ = ["FILE_NAME", "Credentials", "WorkspaceKeys", "slot_user"]


class WorkspaceKeys(SlotStore):
    """The key slots of one workspace: create, unlock, recover, strict mode, rekey.

    Once unlocked it keeps the DEK of the open workspace (never logged, never shown).
    """

    # ---- creation and unlocking -----------------------------------------------------

    def create(self, workspace_id: str) -> tuple[bytes, str]:
        """Make a DEK and its slots; return ``(dek, recovery key text)``.

        The wrapping key goes into the keyring first, then the file is written; an
        existing file or keyring item is never overwritten (WorkspaceExists).
        """
        workspace_id = canonical_uuid(workspace_id)
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
        state = SlotFile(workspace_id, slots).sealed(dek, None, self._next_generation())
        self._write_or_forget(state, item, exclusive=True)
        self._dek = dek
        return dek, format_recovery_key(recovery_key)

    def unlock(self, credentials: Credentials | None = None) -> bytes:
        """The DEK, through the keyring slot (keyring mode) or the password slot of
        ``credentials`` (strict mode), with the slot set's MAC checked. Never creates a key.

        Raises KeyItemMissing (no keyring item), WrongKey (the item does not open the
        slot), AuthenticationFailed (strict mode: no password given, or the name and
        password open no slot), DatabaseCorrupt (the slot set was altered), KeyringLocked,
        KeyringUnavailable, WorkspaceNotFound.
        """
        state = self._read()
        dek = self._open_in(state, state.slots, credentials, pending=False)
        self._check_mac(state, dek, pending=False)
        self._dek = dek
        self._generation = max(self._generation, state.generation)
        return dek

    def held_key(self) -> bytes:
        """The DEK this object unlocked before, with the slot set's MAC checked again: a
        further connection of a process that keeps the key in memory (the GUI's lanes in
        strict mode). Raises RuntimeError when nothing was unlocked, DatabaseCorrupt when
        the slot set was altered since."""
        dek, state = self._unlocked_state()  # refuses an older file than it trusted
        self._check_mac(state, dek, pending=False)
        return dek

    def unlock_with_recovery(self, recovery_key_text: str) -> bytes:
        """The DEK, through a recovery slot.

        Raises InputError when the text is mistyped (checksum), WrongKey when it is a
        well-formed key that does not open this workspace.
        """
        recovery_key = parse_recovery_key(recovery_key_text)
        # The slot set's MAC is not enforced here: recovery is how an altered file is
        # rewritten (restore_keyring_slot keeps only what it can trust).
        state = self._read()
        for slot in state.slots:
            if slot.type == RECOVERY:
                dek = open_slot(state.workspace_id, slot, recovery_key)
                if dek is not None:
                    authentic = state.version == 1 or state.authentic(dek)
                    self._recovered = (slot.id, authentic)
                    self._dek = dek
                    return dek
        raise WrongKey(
            "workspace.recovery_key_wrong", workspace_id=state.workspace_id, help_topic="recovery"
        )

    def restore_keyring_slot(self, dek: bytes) -> None:
        """After recovery: put a fresh wrapping key in the keyring and rewrite the file in
        keyring mode (strict mode is turned off: a recovery is for when no password or
        keyring item opens the workspace; the Owner can turn it on again).

        The recovery slots are kept when the slot set was authentic, else only the one
        that opened. Password slots go. The caller must have checked that ``dek`` opens
        the database (unlock_with_recovery returned it).
        """
        check_dek(dek)
        state = self._read()
        opened, authentic = self._recovered or ("", False)
        item = self._free_item(state)
        wrapping_key = secrets.token_bytes(32)
        now = iso_utc(self._clock.now())
        self._key_store.set_secret(item, wrapping_key)
        fresh = seal_keyring_slot(state.workspace_id, dek, wrapping_key, item, self._backend(), now)
        kept = tuple(
            slot
            for slot in state.slots
            if slot.type == RECOVERY and (authentic or slot.id == opened)
        )
        new_state = SlotFile(state.workspace_id, (fresh, *kept), mode=MODE_KEYRING)
        self._dek = dek
        self._write_or_forget(new_state.sealed(dek, None, self._next_generation()), item)
        self._forget_unused(state, new_state)

    # ---- strict mode ----------------------------------------------------------------

    def enable_strict(self, username: str, password: str) -> list[str]:
        """Strict mode: a password slot for ``username``; the keyring slot and its item go.

        Other users get their slot when their password is next set (by themselves or an
        Admin). Idempotent for the slot of ``username``. Returns the keyring items that
        could not be deleted (the caller reports them and rotates the key).
        """
        dek, state = self._unlocked_state()
        user = slot_user(username)
        slot = self._password_slot(state.workspace_id, dek, user, password)
        others = tuple(s for s in state.slots if s.type == PASSWORD and s.user != user)
        recovery = tuple(s for s in state.slots if s.type == RECOVERY)
        new_state = SlotFile(state.workspace_id, (slot, *others, *recovery), mode=MODE_STRICT)
        self._write(new_state.sealed(dek, None, self._next_generation()))
        return self._forget_unused(state, new_state)

    def disable_strict(self) -> None:
        """Keyring mode: a fresh keyring slot; every password slot goes."""
        dek, state = self._unlocked_state()
        item = self._free_item(state)
        wrapping_key = secrets.token_bytes(32)
        now = iso_utc(self._clock.now())
        self._key_store.set_secret(item, wrapping_key)
        fresh = seal_keyring_slot(state.workspace_id, dek, wrapping_key, item, self._backend(), now)
        recovery = tuple(s for s in state.slots if s.type == RECOVERY)
        new_state = SlotFile(state.workspace_id, (fresh, *recovery), mode=MODE_KEYRING)
        self._write_or_forget(new_state.sealed(dek, None, self._next_generation()), item)

    def set_user_password(self, username: str, password: str) -> None:
        """Strict mode: ``username``'s slot now opens with ``password`` only (a new key pair,
        so the old password opens nothing that is written from now on). No-op in keyring
        mode."""
        if not self.strict():
            return
        dek, state = self._unlocked_state()
        user = slot_user(username)
        slot = self._password_slot(state.workspace_id, dek, user, password)
        rest = tuple(s for s in state.slots if s.user != user)
        self._write(replace(state, slots=(slot, *rest)).sealed(dek, None, self._next_generation()))

    def remove_user(self, username: str) -> None:
        """Strict mode: ``username``'s password slot goes (a disabled user). No-op when
        there is none."""
        state = self._read()
        user = slot_user(username)
        if not any(s.user == user for s in state.slots):
            return
        dek, state = self._unlocked_state()
        rest = tuple(s for s in state.slots if s.user != user)
        self._write(replace(state, slots=rest).sealed(dek, None, self._next_generation()))

    def upgrade_legacy(self) -> None:
        """Rewrite a version 1 file (no MAC) as version 2, authenticated by the DEK."""
        dek, state = self._unlocked_state()
        self._write(state.sealed(dek, None, self._next_generation()))
        self.legacy = False

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
        dek, state = self._unlocked_state()
        if state.pending:
            raise AlreadyExists("workspace.rekey_interrupted_rekey")
        new_dek = secrets.token_bytes(DEK_BYTES)
        recovery_key = new_recovery_key()
        now = iso_utc(self._clock.now())
        ws = state.workspace_id
        users = tuple(
            seal_password_slot(ws, new_dek, slot.user, slot.key, now)
            for slot in state.slots
            if slot.type == PASSWORD and slot.user and slot.key
        )
        recovery = seal_recovery_slot(ws, new_dek, recovery_key, now)
        if state.mode == MODE_STRICT:
            sealed = replace(state, pending=(*users, recovery)).sealed(
                dek, new_dek, self._next_generation()
            )
            self._write(sealed)
        else:
            item = self._free_item(state)
            wrapping_key = secrets.token_bytes(32)
            self._key_store.set_secret(item, wrapping_key)
            keyring = seal_keyring_slot(ws, new_dek, wrapping_key, item, self._backend(), now)
            sealed = replace(state, pending=(keyring, recovery)).sealed(
                dek, new_dek, self._next_generation()
            )
            self._write_or_forget(sealed, item)
        self._pending_dek = new_dek
        return new_dek, format_recovery_key(recovery_key)

    def has_pending(self) -> bool:
        """True while a rekey has begun and is neither committed nor aborted."""
        return bool(self._read().pending)

    def pending_dek(self, credentials: Credentials | None = None) -> bytes | None:
        """The pending DEK (via the pending slot of the keyring, or of ``credentials`` in
        strict mode), or None when no rekey is pending."""
        state = self._read()
        if not state.pending:
            return None
        dek = self._open_in(state, state.pending, credentials, pending=True)
        self._check_mac(state, dek, pending=True)
        self._pending_dek = dek
        self._generation = max(self._generation, state.generation)
        return dek

    def commit_rekey(self) -> None:
        """Promote the pending slots and drop the old ones, in one atomic file replace.

        Afterwards the old keyring item is deleted (best effort) and the old recovery key
        opens nothing.
        """
        state = self._read()
        if not state.pending:
            raise NotFound("workspace.no_rekey_pending")
        new_dek = self._pending_dek
        if new_dek is None:
            raise RuntimeError("commit_rekey needs the pending key (begin_rekey, pending_dek)")
        new_state = replace(state, slots=state.pending, pending=())
        self._write(new_state.sealed(new_dek, None, self._next_generation()))
        self._dek, self._pending_dek = new_dek, None
        self._forget_unused(state, new_state)

    def abort_rekey(self) -> None:
        """Drop the pending slots and their keyring item (no-op when none).

        Only for a database that still opens with the active DEK: the pending DEK is
        gone afterwards.
        """
        state = self._read()
        if not state.pending:
            return
        dek, state = self._unlocked_state()
        new_state = replace(state, pending=())
        self._write(new_state.sealed(dek, None, self._next_generation()))
        self._pending_dek = None
        self._forget_unused(state, new_state)
