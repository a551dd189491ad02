"""``kura --self-test``: the real components in a throwaway workspace, as a subprocess."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from desktop.core.keyring_items import all_items
from desktop.security.keystore import KeyringKeyStore
from tests.integration.cli_support import Kura, Result, require_secret_service

pytestmark = [pytest.mark.keyring, pytest.mark.slow]

STEPS = [
    "imports",
    "model host",
    "keyring",
    "workspace",
    "ingest+search",
    "personal data",
    "chat",
    "bundle",
    "network",
    "cleanup",
]


@pytest.fixture
def kura(tmp_path: Path) -> Kura:
    require_secret_service()
    # The data dir never exists: the self-test must not touch the user's workspace.
    return Kura(tmp_path / "no-workspace-here", tmp_path / "tmp")


def _steps(res: Result) -> dict[str, dict[str, Any]]:
    doc = res.json()
    assert [s["step"] for s in doc["steps"]] == STEPS
    return {s["step"]: s for s in doc["steps"]}


def _no_temporary_files(tmp_dir: Path) -> None:
    """The self-test's folder is gone and no file is left in TMPDIR (torch runs in the
    model host, which has no temporary folder at all)."""
    assert not [p for p in tmp_dir.iterdir() if p.name.startswith("kura-selftest-")]
    assert [p for p in tmp_dir.rglob("*") if not p.is_dir()] == []


def _left_nothing(kura: Kura, steps: dict[str, dict[str, Any]]) -> None:
    """The temporary folder is gone, the data dir was never made, no keyring item is
    left (the test runs on the same private Secret Service as the subprocess)."""
    _no_temporary_files(kura.tmp_dir)
    assert not kura.data_dir.exists()
    workspace_id = steps["workspace"]["data"]["workspace_id"]
    store = KeyringKeyStore()
    items = all_items(workspace_id, [1])
    assert [item for item in items if store.get_secret(item) is not None] == []


def test_self_test_without_a_model_passes_and_skips_chat(kura: Kura) -> None:
    res = kura("--self-test", "--json")
    assert res.code == 0, res.err
    steps = _steps(res)
    assert res.json()["ok"] is True
    assert all(s["ok"] for s in steps.values()), steps
    assert steps["chat"]["skipped"] is True
    assert "skip chat (no --model given)" in res.err_lines
    for step in STEPS:
        if step != "chat":
            assert any(line.startswith(f"ok   {step} (") for line in res.err_lines), res.err
    versions = steps["imports"]["data"]["versions"]
    assert {"sqlcipher3", "faiss", "PySide6.QtWidgets"} <= set(versions)
    host = steps["model host"]["data"]
    assert host["build"]["backend"] and "seccomp" in host["confinement"]
    assert "Traceback" not in res.err
    _left_nothing(kura, steps)


def test_self_test_with_the_demo_model_chats(kura: Kura, demo_model_path: Path) -> None:
    res = kura("--self-test", "--model", str(demo_model_path), "--json")
    assert res.code == 0, res.err
    steps = _steps(res)
    assert all(s["ok"] and not s["skipped"] for s in steps.values()), steps
    chat = steps["chat"]["data"]
    assert chat["answer"].strip() and chat["citations"] >= 1
    assert chat["usage"]["completion_tokens"] <= 16
    # ssh-keygen is installed by .ci/run: the bundle must really have been checked by it
    assert steps["bundle"]["data"]["ssh_keygen"] is (shutil.which("ssh-keygen") is not None)
    _left_nothing(kura, steps)


def test_a_failing_step_exits_1_with_a_fail_line(kura: Kura, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-model.gguf"
    bogus.write_text("this is not a GGUF file\n")
    res = kura("--self-test", "--model", str(bogus))
    assert res.code == 1, res.err
    fails = [line for line in res.err_lines if line.startswith("FAIL ")]
    assert len(fails) == 1 and fails[0].startswith("FAIL chat: ") and "GGUF" in fails[0]
    assert res.err_lines[-1].startswith("self-test FAILED: chat")
    assert any(line.startswith("ok   cleanup (") for line in res.err_lines)
    assert "Traceback" not in res.err
    assert res.out == ""  # no --json: nothing on stdout
    _no_temporary_files(kura.tmp_dir)


def test_self_test_options_need_the_flag(kura: Kura) -> None:
    res = kura("--json", "doctor")
    assert res.code == 2 and "--self-test" in res.err
    res = kura("--self-test", "doctor")
    assert res.code == 2 and "takes no command" in res.err
