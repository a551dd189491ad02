"""``SlotStore``: reading, checking and writing ``keyslots.json`` and its keyring items.

The base of :class:`desktop.security.keyslots.WorkspaceKeys` (which documents the
slots): the file, the unlock mode, opening a slot (keyring or password), the MAC check,
the keyring items' bookkeeping.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import (
    AlreadyExists,
    AppError,
    AuthenticationFailed,
    DatabaseCorrupt,
    KeyItemMissing,
    WrongKey,
)
from desktop.core.keyring_items import workspace_key_items
from desktop.core.policy import normalise_username
from desktop.core.ports import KeyStore
from desktop.security import slotio
from desktop.security.slotcrypto import (
    DEK_BYTES,
    KdfParams,
    dummy_password_key,
    new_user_key,
    open_user_key,
)
from desktop.security.slotfile import (
    KEYRING,
    MODE_STRICT,
    PASSWORD,
    Slot,
    SlotFile,
    open_slot,
    seal_password_slot,
)

#: A user name and the password typed with it (strict mode's way in).
Credentials = tuple[str, str]


def slot_user(username: str) -> str:
    """How a password slot names its user: the normalised name, case-folded."""
    return normalise_username(username).casefold()


class SlotStore:
    """The slot file of one workspace and the keys to it (see ``WorkspaceKeys``).

    Once unlocked it keeps the DEK of the open workspace (never logged, never shown);
    ``kdf`` sets the Argon2id parameters of new password slots (tests make them cheap).
    """

    def __init__(
        self, slot_path: Path, key_store: KeyStore, clock: Clock, kdf: KdfParams | None = None
    ) -> None:
        self._path = Path(slot_path)
        self._key_store = key_store
        self._clock = clock
        self._kdf = kdf
        self._dek: bytes | None = None
        self._pending_dek: bytes | None = None
        self._recovered: tuple[str, bool] | None = None  # (slot id, slot set authentic)
        self._generation = 0  # the highest generation of the file this object trusted
        #: True when the file was a version 1 file (no MAC) when it was unlocked.
        self.legacy = False

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

    @property
    def mode(self) -> str:
        """``keyring`` or ``strict`` as the file says (authenticated only once unlocked;
        front ends read it to know whether to ask for a password before opening)."""
        return self._read().mode

    def strict(self) -> bool:
        """True in strict unlock mode: only a user's password opens the workspace."""
        return self.mode == MODE_STRICT

    def slot_users(self) -> set[str]:
        """The users (case-folded names) with an active password slot."""
        return {slot.user for slot in self._read().slots if slot.user}

    def describe(self) -> list[dict[str, str]]:
        """Non-secret facts about each slot (for ``kura doctor``)."""
        state = self._read()
        rows = [(slot, "active") for slot in state.slots]
        rows += [(slot, "pending") for slot in state.pending]
        return [slot.summary() | {"state": role} for slot, role in rows]

    # ---- internals ------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The generation of the slot file this object last unlocked or wrote (the
        database records it: an older file put back is a rollback)."""
        return self._generation

    def require_generation(self, recorded: int) -> None:
        """Refuse the file unlocked when it is older than the ``recorded`` generation (the
        database's); from then on, never write or accept one below it."""
        if self._generation < recorded:
            raise self._rolled_back()
        self._generation = max(self._generation, recorded)

    def adopt_generation(self, recorded: int) -> None:
        """Recovery: write above ``recorded`` (the database's) whatever the file says."""
        self._generation = max(self._generation, recorded)

    def _unlocked_state(self) -> tuple[bytes, SlotFile]:
        if self._dek is None:
            raise RuntimeError("the workspace keys are not unlocked")
        state = self._read()
        if state.generation < self._generation:
            raise self._rolled_back()
        return self._dek, state

    def _rolled_back(self) -> DatabaseCorrupt:
        return DatabaseCorrupt("workspace.keyslots_rolled_back", path=self._path)

    def _next_generation(self) -> int:
        """The generation of the next write: above the file's and any trusted before."""
        on_disk = 0
        if self.exists():
            with contextlib.suppress(AppError):
                on_disk = self._read().generation
        return max(on_disk, self._generation) + 1

    def _password_slot(self, workspace_id: str, dek: bytes, user: str, password: str) -> Slot:
        from desktop.security.slotcrypto import DEFAULT_KDF

        key = new_user_key(workspace_id, user, password, self._kdf or DEFAULT_KDF)
        return seal_password_slot(workspace_id, dek, user, key, iso_utc(self._clock.now()))

    def _open_in(
        self,
        state: SlotFile,
        slots: tuple[Slot, ...],
        credentials: Credentials | None,
        *,
        pending: bool,
    ) -> bytes:
        if state.mode != MODE_STRICT:
            dek = self._open_keyring_slot(state, slots, pending=pending)
            if dek is None and pending:
                raise WrongKey(
                    "workspace.keyring_key_wrong_pending",
                    workspace_id=state.workspace_id,
                    help_topic="recovery",
                )
            if dek is None:
                raise WrongKey(
                    "workspace.keyring_key_wrong",
                    workspace_id=state.workspace_id,
                    help_topic="recovery",
                )
            return dek
        if credentials is None:
            raise AuthenticationFailed("workspace.strict_password_required")
        user = slot_user(credentials[0])
        slot = next((s for s in slots if s.type == PASSWORD and s.user == user), None)
        private = None
        if slot is not None and slot.key is not None:
            private = open_user_key(state.workspace_id, user, slot.key, credentials[1])
        else:
            dummy_password_key(credentials[1])  # same time as a wrong password
        if slot is None or private is None:
            raise AuthenticationFailed("workspace.strict_sign_in_failed")
        dek = open_slot(state.workspace_id, slot, private)
        if dek is None:
            raise self._tampered()
        return dek

    def _check_mac(self, state: SlotFile, dek: bytes, *, pending: bool) -> None:
        """The slot set must carry a MAC made with this DEK (a version 1 file has none:
        ``legacy`` is set and the open sequence decides)."""
        if state.version == 1:
            self.legacy = True
            return
        if not state.authentic(dek, pending=pending):
            raise self._tampered()

    def _tampered(self) -> DatabaseCorrupt:
        return DatabaseCorrupt("workspace.keyslots_tampered", path=self._path)

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

    def _forget_unused(self, old: SlotFile, new: SlotFile) -> list[str]:
        """Delete keyring items only the old file used. Best effort (the file is final):
        returns the items that could not be deleted, for the caller to report."""
        still_used = {slot.item for slot in (*new.slots, *new.pending)}
        failed: list[str] = []
        for slot in (*old.slots, *old.pending):
            if slot.item and slot.item not in still_used:
                try:
                    self._key_store.delete_secret(slot.item)
                except AppError:
                    failed.append(slot.item)
        return failed

    def leftover_items(self) -> list[str]:
        """Keyring items of this workspace that no slot uses but the keyring still holds
        (a delete that failed); ``kura doctor`` reports them."""
        state = self._read()
        used = {slot.item for slot in (*state.slots, *state.pending)}
        left = []
        for item in workspace_key_items(state.workspace_id):
            if item in used:
                continue
            with contextlib.suppress(AppError):
                if self._key_store.get_secret(item) is not None:
                    left.append(item)
        return left

    def _read(self) -> SlotFile:
        return slotio.read_file(self._path)

    def _write(self, state: SlotFile, *, exclusive: bool = False) -> None:
        slotio.write_file(self._path, state, exclusive=exclusive)
        self._generation = max(self._generation, state.generation)

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


def canonical_uuid(text: str) -> str:
    try:
        return str(uuid.UUID(text))
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(f"workspace id {text!r} is not a UUID") from exc


def check_dek(dek: bytes) -> None:
    if not isinstance(dek, bytes | bytearray) or len(dek) != DEK_BYTES:
        raise ValueError("a database key is exactly 32 bytes")
