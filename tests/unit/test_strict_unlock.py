"""Strict unlock mode (per-user password slots) and the authenticated slot set, against
real SQLCipher and the in-memory key store (the Secret Service runs in
tests/integration/test_secret_service.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import AuthenticationFailed, DatabaseCorrupt, PermissionDenied
from desktop.core.keyring_items import workspace_key_items
from desktop.core.models import Role, UserStatus
from desktop.core.workspace_policy import Policy
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


def _rows(folder: Path, key_store: MemoryKeyStore, who: tuple[str, str]) -> int:
    with _open(folder, key_store, who) as ws:
        return int(ws.workspace.summary()["users"])


def _key_items(folder: Path, key_store: MemoryKeyStore) -> list[str]:
    """The keyring items that could hold a wrapping key of the workspace's database key
    (its audit signing key is another item, and no key to the database)."""
    workspace_id = _slots(folder)["workspace_id"]
    return [item for item in key_store.items if item in workspace_key_items(workspace_id)]


def _slots(folder: Path) -> dict:
    return json.loads((folder / "keyslots.json").read_text())


def _write_slots(folder: Path, document: dict) -> None:
    (folder / "keyslots.json").write_text(json.dumps(document))


# ---- strict mode --------------------------------------------------------------------


def test_strict_mode_opens_nothing_without_a_password(strict: Path, key_store: MemoryKeyStore):
    with pytest.raises(AuthenticationFailed, match="strict unlock"):
        _open(strict, key_store)
    assert app.unlock_mode(strict, key_store=key_store) == "strict"
    assert not _key_items(strict, key_store)  # no keyring item unwraps the database key
    assert {s["type"] for s in _slots(strict)["slots"]} == {"password", "recovery"}


def test_each_user_opens_with_their_own_password_only(strict: Path, key_store: MemoryKeyStore):
    assert _rows(strict, key_store, ("owner", PW)) == 2
    assert _rows(strict, key_store, ("ADA", ADA_PW)) == 2
    for who in (("ada", PW), ("owner", ADA_PW), ("nobody", PW)):
        with pytest.raises(AuthenticationFailed, match="password is wrong"):
            _open(strict, key_store, who)


def test_a_disabled_users_slot_no_longer_opens(strict: Path, key_store: MemoryKeyStore):
    with _open(strict, key_store, ("owner", PW)) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.set_status(owner, "ada", UserStatus.DISABLED)
    with pytest.raises(AuthenticationFailed):
        _open(strict, key_store, ("ada", ADA_PW))
    assert all(s.get("user") != "ada" for s in _slots(strict)["slots"])


def test_password_change_and_admin_reset_open_with_the_new_password_only(
    strict: Path, key_store: MemoryKeyStore
):
    with _open(strict, key_store, ("ada", ADA_PW)) as ws:
        ada = ws.accounts.authenticate("ada", ADA_PW)
        ws.accounts.reset_password(ada, "ada", "ada's second passphrase")
    with pytest.raises(AuthenticationFailed):
        _open(strict, key_store, ("ada", ADA_PW))
    assert _rows(strict, key_store, ("ada", "ada's second passphrase")) == 2
    with _open(strict, key_store, ("owner", PW)) as ws:  # an Admin's (here Owner's) reset
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.reset_password(owner, "ada", "a reset by the owner")
    with pytest.raises(AuthenticationFailed):
        _open(strict, key_store, ("ada", "ada's second passphrase"))
    assert _rows(strict, key_store, ("ada", "a reset by the owner")) == 2


def test_turning_strict_on_needs_the_owners_own_password(folder: Path, key_store: MemoryKeyStore):
    with _open(folder, key_store) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, ADA_PW)
        ada = ws.accounts.authenticate("ada", ADA_PW)
        with pytest.raises(PermissionDenied):
            ws.policies.set(ada, Policy.STRICT_UNLOCK, True, password=ADA_PW)
        with pytest.raises(AuthenticationFailed):
            ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password="not the password")
        ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PW)
        assert ws.policies.users_without_slot(owner) == ["ada"]
        assert ws.logs is not None
    assert _rows(folder, key_store, ("owner", PW)) == 2


def test_turning_strict_off_brings_the_keyring_slot_back(strict: Path, key_store: MemoryKeyStore):
    with _open(strict, key_store, ("owner", PW)) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.policies.set(owner, Policy.STRICT_UNLOCK, False)
    assert app.unlock_mode(strict, key_store=key_store) == "keyring"
    assert _rows(strict, key_store, ("ignored", "")) == 2  # the keyring slot opens it
    assert {s["type"] for s in _slots(strict)["slots"]} == {"keyring", "recovery"}


def test_rekey_in_strict_mode_keeps_every_users_password(strict: Path, key_store: MemoryKeyStore):
    with _open(strict, key_store, ("owner", PW)) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        new_recovery = ws.workspace.rekey(owner).recovery_key
    assert _rows(strict, key_store, ("ada", ADA_PW)) == 2
    assert _rows(strict, key_store, ("owner", PW)) == 2
    assert not _key_items(strict, key_store)
    with app.recover_workspace(strict, new_recovery, key_store=key_store, hasher=FAST_HASHER):
        pass


def test_recovery_in_strict_mode_opens_and_returns_to_keyring_mode(
    strict: Path, key_store: MemoryKeyStore
):
    recovery = (strict.parent / "recovery.txt").read_text()
    with app.recover_workspace(strict, recovery, key_store=key_store, hasher=FAST_HASHER) as ws:
        assert ws.workspace.summary()["users"] == 2
    assert app.unlock_mode(strict, key_store=key_store) == "keyring"
    assert _rows(strict, key_store, ("", "")) == 2


# ---- the authenticated slot set -----------------------------------------------------


@pytest.fixture
def keyring_ws(folder: Path, key_store: MemoryKeyStore) -> Iterator[Path]:
    yield folder


def test_deleting_the_recovery_slot_is_detected(keyring_ws: Path, key_store: MemoryKeyStore):
    document = _slots(keyring_ws)
    document["slots"] = [s for s in document["slots"] if s["type"] != "recovery"]
    _write_slots(keyring_ws, document)
    with pytest.raises(DatabaseCorrupt, match="altered outside Kura"):
        _open(keyring_ws, key_store)


def test_moving_a_slot_to_pending_is_detected(keyring_ws: Path, key_store: MemoryKeyStore):
    document = _slots(keyring_ws)
    keyring = next(s for s in document["slots"] if s["type"] == "keyring")
    document["slots"] = [s for s in document["slots"] if s is not keyring]
    document["pending"] = [keyring]
    _write_slots(keyring_ws, document)
    with pytest.raises((DatabaseCorrupt, AuthenticationFailed)):
        _open(keyring_ws, key_store)
    assert any(s["type"] == "recovery" for s in _slots(keyring_ws)["slots"])  # nothing dropped


def test_reordering_the_slots_is_detected(keyring_ws: Path, key_store: MemoryKeyStore):
    document = _slots(keyring_ws)
    document["slots"].reverse()
    _write_slots(keyring_ws, document)
    with pytest.raises(DatabaseCorrupt, match="altered outside Kura"):
        _open(keyring_ws, key_store)


def test_stripping_the_mac_back_to_version_1_is_detected(
    keyring_ws: Path, key_store: MemoryKeyStore
):
    _open(keyring_ws, key_store).close()  # the database now knows the file carries a MAC
    document = _slots(keyring_ws)
    document["slots"] = [s for s in document["slots"] if s["type"] != "recovery"]
    for field in ("mac", "mode"):
        document.pop(field)
    document["version"] = 1
    _write_slots(keyring_ws, document)
    with pytest.raises(DatabaseCorrupt, match="altered outside Kura"):
        _open(keyring_ws, key_store)


def test_a_version_1_file_is_upgraded_at_first_open(keyring_ws: Path, key_store: MemoryKeyStore):
    # as a workspace made before the MAC: its database has no record of one yet
    with _open(keyring_ws, key_store) as ws, ws.store.transaction() as tx:
        tx.settings.set("keyslots_authenticated", "0")
        tx.settings.set("keyslots_generation", "0")  # nor of a generation
    document = _slots(keyring_ws)
    for field in ("mac", "mode"):
        document.pop(field)
    document["version"] = 1
    _write_slots(keyring_ws, document)
    _open(keyring_ws, key_store).close()
    assert _slots(keyring_ws)["version"] == 2
    assert "mac" in _slots(keyring_ws)


def test_recovery_rewrites_an_altered_slot_file(keyring_ws: Path, key_store: MemoryKeyStore):
    recovery = (keyring_ws.parent / "recovery.txt").read_text()
    document = _slots(keyring_ws)
    document["slots"].reverse()
    _write_slots(keyring_ws, document)
    with app.recover_workspace(keyring_ws, recovery, key_store=key_store, hasher=FAST_HASHER):
        pass
    assert _rows(keyring_ws, key_store, ("", "")) == 1
