"""Strict unlock mode through the real ``kura`` CLI and the real Secret Service: without a
user's password nothing (no command, no ``doctor``, no ``open_workspace()``) reads a row,
and the keyring holds no key to the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.cli_support import Kura, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

OWNER_PW = "correct horse battery staple 蔵"
ADA_PW = "ada's own long passphrase 42"


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    require_secret_service()
    return Kura(tmp_path / "ws", tmp_path / "tmp")


def test_strict_unlock_needs_a_users_password_everywhere(kura: Kura) -> None:
    from desktop import app
    from desktop.core.errors import AuthenticationFailed
    from desktop.core.keyring_items import workspace_key_items
    from desktop.security.keystore import KeyringKeyStore

    doc = kura.init("owner", OWNER_PW)
    added = kura(
        "users",
        "add",
        "ada",
        "--role",
        "admin",
        "--user",
        "owner",
        "--password-stdin",
        stdin=f"{OWNER_PW}\n{ADA_PW}\n",
    )
    assert added.code == 0, added.err
    on = kura(
        "policy",
        "set",
        "strict-unlock",
        "on",
        "--user",
        "owner",
        "--password-stdin",
        stdin=OWNER_PW + "\n",
    )
    assert on.code == 0, on.err
    assert "cannot open the workspace" in on.out and "ada" in on.out  # no slot yet
    key_store = KeyringKeyStore()
    assert all(key_store.get_secret(i) is None for i in workspace_key_items(doc["workspace_id"]))
    with pytest.raises(AuthenticationFailed):
        app.open_workspace(kura.data_dir, key_store=key_store)

    bare = kura("users", "list", "--json")
    assert bare.code == 3 and len(bare.err_lines) == 1 and "strict unlock" in bare.err
    doctor = kura("doctor", "--json")
    workspace = next(c for c in doctor.json()["checks"] if c["name"] == "workspace")
    assert workspace["state"] == "strict_locked" and "audit_events" not in workspace

    # ada never had a slot: her password is reset by the Owner, then it opens
    reset = kura(
        "users",
        "reset-password",
        "ada",
        "--user",
        "owner",
        "--password-stdin",
        stdin=f"{OWNER_PW}\n{ADA_PW}\n",
    )
    assert reset.code == 0, reset.err
    listed = kura(
        "users", "list", "--user", "ada", "--password-stdin", "--json", stdin=ADA_PW + "\n"
    )
    assert listed.code == 0, listed.err
    wrong = kura("users", "list", "--user", "ada", "--password-stdin", stdin=OWNER_PW + "\n")
    assert wrong.code == 3 and len(wrong.err_lines) == 1

    checked = kura("doctor", "--user", "owner", "--password-stdin", "--json", stdin=OWNER_PW + "\n")
    assert checked.code == 0, checked.out
    workspace = next(c for c in checked.json()["checks"] if c["name"] == "workspace")
    assert workspace["state"] == "ok" and workspace["unlock_mode"] == "strict"

    slots = kura.data_dir / "keyslots.json"
    document = json.loads(slots.read_text())
    document["slots"] = [s for s in document["slots"] if s["type"] != "recovery"]
    slots.write_text(json.dumps(document))
    tampered = kura(
        "doctor", "--user", "owner", "--password-stdin", "--json", stdin=OWNER_PW + "\n"
    )
    assert tampered.code == 1 and "altered outside Kura" in tampered.out
