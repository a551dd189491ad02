"""The workspace's must-hold properties, proven through the real CLI and a real keyring."""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from tests.integration.cli_support import Kura, require_secret_service, snapshot

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

OWNER_PW = "correct horse battery staple 蔵"
CANARIES = ["CANARY-7f3a9c-owner", "カナリア検出子-蔵", "CANARY-9b1e4d-member"]


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    require_secret_service()
    return Kura(tmp_path / "ws", tmp_path / "tmp")


def _forget_keyring_item(workspace_id: str) -> None:
    from desktop.security.keystore import KeyringKeyStore

    KeyringKeyStore().delete_secret(f"workspace:{workspace_id}")


def _encodings(text: str) -> list[bytes]:
    return [text.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]


def test_init_prints_recovery_key_once_and_refuses_to_overwrite(kura: Kura) -> None:
    doc = kura.init("owner", OWNER_PW)
    assert set(doc) == {"workspace_id", "data_dir", "recovery_key"}
    assert sorted(p.name for p in kura.data_dir.iterdir()) == ["keyslots.json", "kura.db"]
    before = snapshot(kura.data_dir)
    again = kura("init", "--owner", "other", "--password-stdin", stdin=OWNER_PW + "\n")
    assert again.code == 2 and len(again.err_lines) == 1
    assert "already exists" in again.err
    assert snapshot(kura.data_dir) == before
    doctor = kura("doctor", "--json")
    assert doctor.code == 0, doctor.out
    report = doctor.json()
    assert doc["recovery_key"] not in doctor.out
    workspace = next(c for c in report["checks"] if c["name"] == "workspace")
    assert workspace["audit_chain"]["ok"] and workspace["recipe"]["journal_mode"] == "wal"


def test_canaries_never_reach_disk_in_readable_form(kura: Kura) -> None:
    doc = kura.init(CANARIES[0], OWNER_PW)
    for i, name in enumerate(CANARIES[1:]):
        res = kura(
            "users",
            "add",
            name,
            "--role",
            "member",
            "--user",
            CANARIES[0],
            "--password-stdin",
            stdin=f"{OWNER_PW}\nmember password {i} 長い\n",
        )
        assert res.code == 0, res.err
    listed = kura(
        "users", "list", "--user", CANARIES[0], "--password-stdin", "--json", stdin=OWNER_PW + "\n"
    )
    assert {u["username"] for u in listed.json()["users"]} == set(CANARIES)

    needles = [n for c in [*CANARIES, OWNER_PW, doc["recovery_key"]] for n in _encodings(c)]
    scanned = 0
    for folder in (kura.data_dir, kura.tmp_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                scanned += 1
                hits = [n for n in needles if n in data]
                assert not hits, f"{path.name} contains {hits[:1]}"
    assert scanned >= 2  # kura.db and keyslots.json at least

    # Not vacuous: with the right key, the same bytes decrypt to the canaries.
    from desktop import app

    with app.open_workspace(kura.data_dir, key_store=app.default_key_store()) as ws:
        owner = ws.accounts.authenticate(CANARIES[0], OWNER_PW)
        names = {u.username for u in ws.accounts.list_users(owner)}
        with ws.store.transaction() as tx:
            payloads = [e.payload for e in tx.audit.iter_events()]
    assert set(CANARIES) <= names
    assert any(CANARIES[2] in str(p) for p in payloads)


def test_database_is_not_plain_sqlite(kura: Kura) -> None:
    kura.init("owner", OWNER_PW)
    db = kura.data_dir / "kura.db"
    assert not db.read_bytes()[:16].startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT count(*) FROM sqlite_master").fetchone()


def _damage_cases() -> list[str]:
    return ["wrong_key", "corrupt_first_page", "truncated_mid_page", "truncated_half", "empty"]


@pytest.mark.parametrize("damage", _damage_cases())
def test_damaged_workspace_fails_cleanly_and_changes_nothing(kura: Kura, damage: str) -> None:
    doc = kura.init("owner", OWNER_PW)
    db = kura.data_dir / "kura.db"
    if damage == "wrong_key":
        from desktop.security.keystore import KeyringKeyStore

        KeyringKeyStore().set_secret(f"workspace:{doc['workspace_id']}", os.urandom(32))
    elif damage == "corrupt_first_page":
        data = bytearray(db.read_bytes())
        data[200:216] = bytes(b ^ 0xFF for b in data[200:216])
        db.write_bytes(bytes(data))
    elif damage == "truncated_mid_page":
        db.write_bytes(db.read_bytes()[:-1000])
    elif damage == "truncated_half":
        size = db.stat().st_size
        db.write_bytes(db.read_bytes()[: (size // 2) // 4096 * 4096])
    elif damage == "empty":
        db.write_bytes(b"")
    before = snapshot(kura.data_dir)
    for command in (["doctor"], ["users", "list", "--user", "owner", "--password-stdin"]):
        res = kura(*command, stdin=OWNER_PW + "\n")
        assert res.code != 0
        if command[0] == "users":
            assert len(res.err_lines) == 1, res.err
            assert res.err.startswith("kura: error: ") and "Traceback" not in res.err
        assert snapshot(kura.data_dir) == before


def test_unreadable_data_dir(kura: Kura, tmp_path: Path) -> None:
    kura.init("owner", OWNER_PW)
    not_a_dir = tmp_path / "file-not-dir"
    not_a_dir.write_text("x")
    res = kura(
        "users",
        "list",
        "--user",
        "owner",
        "--password-stdin",
        env={"KURA_DATA_DIR": str(not_a_dir)},
        stdin=OWNER_PW + "\n",
    )
    assert res.code == 2 and len(res.err_lines) == 1, res.err

    before = snapshot(kura.data_dir)
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot drop privileges")
        if not _nobody_can_run_kura():
            pytest.skip("user nobody cannot read this checkout (cloned under a private folder)")
        shared = tmp_path.parent
        for p in (tmp_path, shared):
            p.chmod(p.stat().st_mode | stat.S_IXOTH)
        kura.data_dir.chmod(0o000)
        try:
            res = _run_as_nobody(kura)
        finally:
            kura.data_dir.chmod(0o700)
    else:
        kura.data_dir.chmod(0o000)
        try:
            res = kura(
                "users", "list", "--user", "owner", "--password-stdin", stdin=OWNER_PW + "\n"
            )
        finally:
            kura.data_dir.chmod(0o700)
    assert res.code == 2, res.err
    assert len(res.err_lines) == 1 and "permission" in res.err
    assert snapshot(kura.data_dir) == before


def _nobody_can_run_kura() -> bool:
    import sys

    probe = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    done = subprocess.run(
        [*probe, sys.executable, "-c", "import desktop"], capture_output=True, check=False
    )
    return done.returncode == 0


def _run_as_nobody(kura: Kura):  # type: ignore[no-untyped-def]
    import sys

    from tests.integration.cli_support import REPO, Result

    proc = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-m",
            "desktop",
            "users",
            "list",
            "--user",
            "owner",
            "--password-stdin",
        ],
        input=OWNER_PW + "\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**kura.env, "HOME": str(kura.tmp_dir)},
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_recovery_after_keyring_item_deleted(kura: Kura) -> None:
    doc = kura.init("owner", OWNER_PW)
    _forget_keyring_item(doc["workspace_id"])
    before = snapshot(kura.data_dir)
    locked = kura("users", "list", "--user", "owner", "--password-stdin", stdin=OWNER_PW + "\n")
    assert locked.code == 4 and "kura recover" in locked.err
    assert snapshot(kura.data_dir) == before  # no new key was made

    wrong = kura("recover", "--recovery-key-stdin", stdin=_other_recovery_key() + "\n")
    assert wrong.code != 0 and len(wrong.err_lines) == 1
    ok = kura("recover", "--recovery-key-stdin", stdin=doc["recovery_key"].lower() + "\n")
    assert ok.code == 0, ok.err
    listed = kura(
        "users", "list", "--user", "owner", "--password-stdin", "--json", stdin=OWNER_PW + "\n"
    )
    assert listed.code == 0 and listed.json()["users"][0]["username"] == "owner"


def _other_recovery_key() -> str:
    from desktop.security.recovery import format_recovery_key, new_recovery_key

    return format_recovery_key(new_recovery_key())


def test_rekey_retires_old_keys(kura: Kura) -> None:
    from desktop import app
    from desktop.core.errors import WrongKey
    from desktop.security.keyslots import WorkspaceKeys
    from desktop.storage.db import open_database
    from tests.fakes import FixedClock

    doc = kura.init("owner", OWNER_PW)
    keys = WorkspaceKeys(kura.data_dir / "keyslots.json", app.default_key_store(), FixedClock())
    old_dek = keys.unlock()
    res = kura("rekey", "--user", "owner", "--password-stdin", "--json", stdin=OWNER_PW + "\n")
    assert res.code == 0, res.err
    new_recovery = res.json()["recovery_key"]
    assert new_recovery != doc["recovery_key"]
    assert new_recovery not in kura("doctor", "--json").out

    with pytest.raises(WrongKey):
        open_database(kura.data_dir / "kura.db", old_dek, clock=FixedClock())
    _forget_keyring_item(doc["workspace_id"])
    old = kura("recover", "--recovery-key-stdin", stdin=doc["recovery_key"] + "\n")
    assert old.code == 4 and len(old.err_lines) == 1
    new = kura("recover", "--recovery-key-stdin", stdin=new_recovery + "\n")
    assert new.code == 0, new.err
    doctor = kura("doctor", "--json")
    assert doctor.code == 0, doctor.out
    actions = doctor.json()["checks"][2]["audit_events"]
    assert actions >= 4


def test_forced_plaintext_backend_is_refused_and_planted_value_unused(
    kura: Kura, tmp_path: Path
) -> None:
    doc = kura.init("owner", OWNER_PW)
    # Plant the *real* wrapping key in a plaintext keyring file, then force that backend.
    from desktop.security.keystore import KeyringKeyStore

    item = f"workspace:{doc['workspace_id']}"
    secret = KeyringKeyStore().get_secret(item)
    assert secret is not None
    _forget_keyring_item(doc["workspace_id"])
    planted = tmp_path / "plaintext-keyring.json"
    planted.write_text(json.dumps({"kura": {item: base64.b64encode(secret).decode()}}))
    env = {
        "PYTHON_KEYRING_BACKEND": "tests.plaintext_backend.PlaintextFileKeyring",
        "KURA_TEST_PLAINTEXT_KEYRING": str(planted),
    }
    before = snapshot(kura.data_dir)
    res = kura(
        "users", "list", "--user", "owner", "--password-stdin", env=env, stdin=OWNER_PW + "\n"
    )
    assert res.code == 2 and len(res.err_lines) == 1, res.err
    assert "plain" in res.err and "PYTHON_KEYRING_BACKEND" in res.err
    assert kura("doctor", env=env).code == 1
    fresh = Kura(tmp_path / "ws2", tmp_path / "tmp2")
    refused = fresh("init", "--owner", "o", "--password-stdin", env=env, stdin=OWNER_PW + "\n")
    assert refused.code == 2 and not (tmp_path / "ws2").exists()
    assert snapshot(kura.data_dir) == before


def test_subprocess_network_guard_is_live(kura: Kura) -> None:
    """The guard the CLI tests rely on really catches an attempt (so they can fail)."""
    import subprocess
    import sys

    from tests.integration.cli_support import NETWORK_MARKER, REPO

    code = "import socket; socket.create_connection(('192.0.2.1', 9), timeout=0.1)"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=kura.env
    )
    assert proc.returncode == 99 and NETWORK_MARKER in proc.stderr
