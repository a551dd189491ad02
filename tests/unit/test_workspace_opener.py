"""``desktop.unlock.WorkspaceOpener``: the GUI's lanes open one workspace on several
connections; in strict mode with the key a user's password unwrapped once, kept in memory
until ``forget``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop import app
from desktop.core.errors import AuthenticationFailed, DatabaseCorrupt
from desktop.core.workspace_policy import Policy
from desktop.security import slotcrypto
from desktop.unlock import WorkspaceOpener
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER

PW = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(slotcrypto, "DEFAULT_KDF", slotcrypto.KdfParams(1, 8192, 1))


@pytest.fixture
def folder(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Path:
    path = tmp_path / "w"
    app.init_workspace(path, "owner", PW, key_store=key_store, hasher=FAST_HASHER, clock=clock)
    return path


@pytest.fixture
def opener(folder: Path, key_store: MemoryKeyStore, clock: FixedClock) -> WorkspaceOpener:
    return WorkspaceOpener(folder, key_store=lambda: key_store, hasher=FAST_HASHER, clock=clock)


def _strict(opener: WorkspaceOpener) -> None:
    with opener.open() as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PW)


def test_keyring_mode_opens_without_a_password(opener: WorkspaceOpener) -> None:
    assert opener.unlock(("owner", "anything")) is False  # nothing to unwrap
    with opener.open() as ws:
        assert ws.workspace_id


def test_strict_mode_opens_every_further_connection_with_the_unwrapped_key(
    opener: WorkspaceOpener,
) -> None:
    _strict(opener)
    opener.forget()
    with pytest.raises(AuthenticationFailed, match="strict unlock"):
        opener.open()
    with pytest.raises(AuthenticationFailed, match="password is wrong"):
        opener.unlock(("owner", "not the passphrase"))
    assert not opener.holds_key
    assert opener.unlock(("owner", PW)) is True
    with opener.open() as first, opener.open() as second:
        assert first.keys is second.keys  # one unlocked key, shared
        assert first.workspace.summary()["users"] == second.workspace.summary()["users"]
    opener.forget()
    with pytest.raises(AuthenticationFailed, match="strict unlock"):
        opener.open()


def test_strict_mode_switched_on_in_this_process_keeps_opening(opener: WorkspaceOpener) -> None:
    _strict(opener)  # the key came from the keyring slot, which is gone now
    with opener.open() as ws:
        assert ws.keys.strict()


def test_a_rekey_on_one_connection_hands_the_new_key_to_the_next(
    opener: WorkspaceOpener,
) -> None:
    _strict(opener)
    with opener.open() as ws:
        owner = ws.accounts.authenticate("owner", PW)
        ws.workspace.rekey(owner)
    with opener.open() as ws:
        assert ws.workspace.summary()["users"] == 1


def test_a_slot_file_altered_after_the_sign_in_is_refused(
    opener: WorkspaceOpener, folder: Path
) -> None:
    _strict(opener)
    slots = folder / app.SLOTS_NAME
    document = json.loads(slots.read_text())
    document["slots"] = [s for s in document["slots"] if s["type"] != "recovery"]
    slots.write_text(json.dumps(document))
    with pytest.raises(DatabaseCorrupt):
        opener.open()
