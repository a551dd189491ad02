"""What the strict-unlock tests share: a workspace with a cheap Argon2id, turned to strict
mode with the Admin ada added after the switch (the recovery key of the rotation that
switch makes is kept beside the folder, in recovery.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import app
from desktop.core.models import Role
from desktop.core.workspace_policy import Policy
from desktop.security import slotcrypto
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER

PW = "a long enough passphrase"
ADA_PW = "ada's own long passphrase"


def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Password slots with a tiny Argon2id, so a test makes many of them quickly."""
    monkeypatch.setattr(slotcrypto, "DEFAULT_KDF", slotcrypto.KdfParams(1, 8192, 1))


def new_workspace(tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock) -> Path:
    """A keyring-mode workspace (Owner ``owner``, password PW) in ``tmp_path / "w"``."""
    path = tmp_path / "w"
    recovery = app.init_workspace(
        path, "owner", PW, key_store=key_store, hasher=FAST_HASHER, clock=clock
    ).recovery_key
    (tmp_path / "recovery.txt").write_text(recovery)
    return path


def open_ws(
    folder: Path, key_store: MemoryKeyStore, who: tuple[str, str] | None = None
) -> app.Workspace:
    return app.open_workspace(folder, key_store=key_store, credentials=who, hasher=FAST_HASHER)


def make_strict(folder: Path, key_store: MemoryKeyStore) -> Path:
    """Turn ``folder`` to strict mode and add the Admin ada."""
    with open_ws(folder, key_store) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        rotated = ws.policies.set(owner, Policy.STRICT_UNLOCK, True, password=PW)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, ADA_PW)
    assert rotated is not None  # turning strict mode on rotates the key (and recovery key)
    (folder.parent / "recovery.txt").write_text(rotated.recovery_key)
    return folder
