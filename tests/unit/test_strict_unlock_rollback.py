"""Strict unlock mode against an older ``keyslots.json`` put back (rollback) and against
a key captured in keyring mode: the slot file's generation, recorded in the encrypted
database, and the key rotation that turning strict mode on performs."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import AuthenticationFailed, DatabaseCorrupt, KeyringLocked, WrongKey
from desktop.core.models import UserStatus
from desktop.core.workspace_policy import Policy
from desktop.security.slotfile import SlotFile, open_slot
from desktop.storage.db import open_database
from tests.fakes import FixedClock, MemoryKeyStore
from tests.strict_support import ADA_PW, PW, cheap_kdf, make_strict, new_workspace, open_ws
from tests.tools import FAST_HASHER


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_kdf(monkeypatch)


@pytest.fixture
def folder(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Path:
    return new_workspace(tmp_path, key_store, clock)


_open = open_ws


@pytest.fixture
def strict(folder: Path, key_store: MemoryKeyStore) -> Path:
    """The workspace in strict mode, with the Admin ada (added after the switch)."""
    return make_strict(folder, key_store)


def _slots(folder: Path) -> Path:
    return folder / "keyslots.json"


def test_an_older_slot_file_put_back_after_disabling_a_user_is_refused(
    strict: Path, key_store: MemoryKeyStore
):
    old = _slots(strict).read_bytes()
    with _open(strict, key_store, ("owner", PW)) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        assert ws.accounts.set_status(owner, "ada", UserStatus.DISABLED) is True
    _slots(strict).write_bytes(old)
    with pytest.raises(DatabaseCorrupt, match="older copy"):
        _open(strict, key_store, ("ada", ADA_PW))


def test_an_older_slot_file_put_back_after_a_password_change_is_refused(
    strict: Path, key_store: MemoryKeyStore
):
    old = _slots(strict).read_bytes()
    with _open(strict, key_store, ("ada", ADA_PW)) as ws:
        ada = ws.accounts.authenticate("ada", ADA_PW)
        assert ws.accounts.reset_password(ada, "ada", "ada's second passphrase") is True
    _slots(strict).write_bytes(old)
    with pytest.raises(DatabaseCorrupt, match="older copy"):
        _open(strict, key_store, ("ada", ADA_PW))


def test_the_generation_survives_a_crash_between_the_file_and_the_database(
    strict: Path, key_store: MemoryKeyStore
):
    # the file was written (generation +1) but the database record never committed
    with _open(strict, key_store, ("owner", PW)) as ws, ws.store.transaction() as tx:
        current = int(tx.settings.get("keyslots_generation") or 0)
        tx.settings.set("keyslots_generation", str(current - 1))
    with _open(strict, key_store, ("owner", PW)) as ws, ws.store.transaction() as tx:
        assert int(tx.settings.get("keyslots_generation") or 0) == current


def test_the_opener_refuses_an_older_slot_file_for_a_held_key(
    strict: Path, key_store: MemoryKeyStore
):
    from desktop.unlock import WorkspaceOpener

    opener = WorkspaceOpener(
        strict, key_store=lambda: key_store, hasher=FAST_HASHER, clock=FixedClock()
    )
    old = _slots(strict).read_bytes()
    assert opener.unlock(("owner", PW))
    with opener.open() as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.set_status(owner, "ada", UserStatus.DISABLED)
    _slots(strict).write_bytes(old)
    with pytest.raises(DatabaseCorrupt, match="older copy"):
        opener.open()


def test_recovery_rewrites_a_rolled_back_slot_file(strict: Path, key_store: MemoryKeyStore):
    old = _slots(strict).read_bytes()
    with _open(strict, key_store, ("owner", PW)) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.set_status(owner, "ada", UserStatus.DISABLED)
    _slots(strict).write_bytes(old)
    recovery = (strict.parent / "recovery.txt").read_text()
    with app.recover_workspace(strict, recovery, key_store=key_store, hasher=FAST_HASHER):
        pass
    _open(strict, key_store).close()  # keyring mode again, and current


def test_turning_strict_mode_on_rotates_the_database_key(folder: Path, key_store: MemoryKeyStore):
    keyring_era = _slots(folder).read_bytes()
    state = SlotFile.parse(keyring_era)
    slot = next(s for s in state.slots if s.type == "keyring")
    captured = open_slot(state.workspace_id, slot, key_store.get_secret(slot.item or "") or b"")
    assert captured is not None
    with _open(folder, key_store) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PW)
    with pytest.raises(WrongKey):
        open_database(folder / "kura.db", captured, clock=FixedClock()).close()


class _StickyKeyStore(MemoryKeyStore):
    def delete_secret(self, item: str) -> None:
        raise KeyringLocked("workspace.keyring_locked")


def test_a_keyring_item_that_cannot_be_deleted_is_reported_and_useless(
    folder: Path, key_store: MemoryKeyStore
):
    keyring_era = _slots(folder).read_bytes()
    sticky = _StickyKeyStore()
    sticky.items = key_store.items
    with _open(folder, sticky) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PW)
    assert key_store.items  # the item is still there
    with _open(folder, key_store, ("owner", PW)) as ws:
        assert ws.keys.leftover_items()
        with ws.store.transaction() as tx:
            payloads = [e.payload for e in tx.audit.iter_events() if e.action == "policy.changed"]
    assert any("keyring_items_not_deleted" in p for p in payloads)
    _slots(folder).write_bytes(keyring_era)  # put the keyring-era file back
    with pytest.raises((DatabaseCorrupt, WrongKey, AuthenticationFailed)):
        _open(folder, key_store).close()
