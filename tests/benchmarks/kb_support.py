"""Shared set-up for the knowledge-base benchmarks: a throwaway workspace in process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop import app
from desktop.core.models import Actor
from desktop.files import FileSource
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import MemoryKeyStore

PW = "a long enough passphrase"
REPO = Path(__file__).resolve().parents[2]
SHARED_EVAL = REPO.parent / "shared" / "eval"


def sources(paths: list[Path], root: Path | None = None) -> list[FileSource]:
    return [
        FileSource(str(p.relative_to(root)) if root else p.name, p, p.stat().st_size) for p in paths
    ]


def debian_files(package: str, pattern: str) -> list[Path]:
    """Files a Debian package installed, by glob pattern on the name (empty if absent)."""
    try:
        listing = subprocess.run(
            ["dpkg", "-L", package], capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(Path(p) for p in listing if Path(p).match(pattern) and Path(p).is_file())


@contextmanager
def workspace(
    tmp: Path, engines: app.Engines | None = None
) -> Iterator[tuple[app.Workspace, Actor]]:
    keys = MemoryKeyStore()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.init_workspace(tmp / "w", "owner", PW, key_store=keys, hasher=fast)
    with app.open_workspace(tmp / "w", key_store=keys, hasher=fast, engines=engines) as ws:
        yield ws, ws.accounts.authenticate("owner", PW)
