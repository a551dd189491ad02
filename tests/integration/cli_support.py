"""Run the real ``kura`` CLI in a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
NETGUARD_SITE = Path(__file__).resolve().parent / "netguard_site"
NETWORK_MARKER = "KURA-TEST: NETWORK ATTEMPT"


def require_secret_service() -> None:
    """Skip locally without a Secret Service; fail in CI, where .ci/run provides one."""
    if os.environ.get("KURA_TEST_SECRET_SERVICE") == "1":
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the suite under tests/with_secret_service.sh")
    pytest.skip("no test Secret Service: run through tests/with_secret_service.sh (make test)")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


class Kura:
    """``kura`` bound to one data dir and one private temp dir."""

    def __init__(self, data_dir: Path, tmp_dir: Path, **env: str) -> None:
        self.data_dir = data_dir
        self.tmp_dir = tmp_dir
        tmp_dir.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "KURA_DATA_DIR": str(data_dir),
            "TMPDIR": str(tmp_dir),
            "PYTHONPATH": os.pathsep.join([str(NETGUARD_SITE), str(REPO)]),
            **env,
        }

    def __call__(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Result:
        proc = subprocess.run(
            [sys.executable, "-m", "desktop", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
            env={**self.env, **(env or {})},
        )
        assert NETWORK_MARKER not in proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def init(self, owner: str, password: str) -> dict[str, Any]:
        res = self("init", "--owner", owner, "--password-stdin", "--json", stdin=password + "\n")
        assert res.code == 0, res.err
        return dict(res.json())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to prove a failure changed nothing)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def workspace_with_owner(tmp_path: Path, owner: str, password: str) -> Kura:
    """``kura`` bound to a new workspace under ``tmp_path`` whose Owner is ``owner``."""
    require_secret_service()
    kura = Kura(tmp_path / "ws", tmp_path / "tmp")
    kura.init(owner, password)
    return kura
