"""``kura doctor``: healthy is exit-0 worthy, every kind of trouble is reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.errors import KeyringUnavailable
from desktop.diagnostics.doctor import run_doctor
from tests.fakes import FixedClock, MemoryKeyStore
from tests.tools import FAST_HASHER as FAST

PW = "a long enough passphrase"


def _checks(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in report["checks"]}


@pytest.fixture
def workspace(tmp_path: Path, key_store: MemoryKeyStore) -> Path:
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=key_store, hasher=FAST)
    return tmp_path / "w"


def test_healthy_workspace(workspace: Path, key_store: MemoryKeyStore) -> None:
    report = run_doctor(workspace, lambda: key_store)
    checks = _checks(report)
    assert report["ok"], report
    assert checks["sqlcipher"]["cipher_version"].startswith("4.")
    ws = checks["workspace"]
    assert ws["schema_version"] >= 1 and ws["audit_chain"]["ok"] and ws["users"] == 1
    assert ws["recipe"]["cipher_memory_security"] == "1"
    assert report["libraries"]["sqlcipher3-binary"]
    runtime = checks["inference_runtime"]
    assert runtime["ok"] and runtime["build"]["backend"] in ("cpu", "cuda", "vulkan", "metal")
    assert isinstance(runtime["gpu_offload"], bool) and runtime["devices"]
    host = checks["model_host"]
    assert host["ok"] and set(host["confinement"]) >= {"seccomp", "landlock", "no_new_privs"}


def test_no_workspace_yet_is_not_a_failure(tmp_path: Path, key_store: MemoryKeyStore) -> None:
    report = run_doctor(tmp_path / "nothing", lambda: key_store)
    assert report["ok"] and _checks(report)["workspace"]["state"] == "absent"


def test_refused_keyring_fails(workspace: Path) -> None:
    def refused() -> MemoryKeyStore:
        raise KeyringUnavailable("the keyring backend X stores secrets in plain text")

    report = run_doctor(workspace, refused)
    checks = _checks(report)
    assert not report["ok"]
    assert not checks["keyring"]["ok"] and "plain text" in checks["keyring"]["detail"]
    assert checks["workspace"]["state"] == "locked"


def test_missing_keyring_item_fails_without_making_a_key(
    workspace: Path, key_store: MemoryKeyStore
) -> None:
    key_store.items.clear()
    report = run_doctor(workspace, lambda: key_store)
    assert not report["ok"]
    assert "kura recover" in _checks(report)["workspace"]["detail"]
    assert key_store.items == {}


def test_tampered_audit_chain_fails(workspace: Path, key_store: MemoryKeyStore) -> None:
    import sqlcipher3.dbapi2 as sqlcipher

    from desktop.security.keyslots import WorkspaceKeys

    key = WorkspaceKeys(workspace / "keyslots.json", key_store, FixedClock()).unlock()
    conn = sqlcipher.connect(str(workspace / "kura.db"), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("""UPDATE audit_events SET payload = '{"username":"mallory","role":"owner"}'
                    WHERE action = 'user.created'""")
    conn.close()
    report = run_doctor(workspace, lambda: key_store)
    workspace_check = _checks(report)["workspace"]
    assert not report["ok"] and not workspace_check["audit_chain"]["ok"]
    assert "BROKEN" in workspace_check["detail"]
