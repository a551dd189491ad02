"""Test helpers shared across the suites: external tools, fake-engine workspaces."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop import app
from desktop.security.passwords import Argon2PasswordHasher
from tests.fakes import FixedClock, MemoryKeyStore

#: Argon2id cheap enough for tests; production parameters are tested on their own.
FAST_HASHER = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def need(tool: str) -> str:
    """The tool's path; skip without it locally, fail without it on CI (.ci/run
    installs every tool the suite uses)."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required on CI: .ci/run installs it")
        pytest.skip(f"{tool} is not installed")
    return path


@contextmanager
def fake_workspace(
    path: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    engines: app.Engines | None = None,
    *,
    owner_password: str,
) -> Iterator[app.Workspace]:
    """A new workspace at ``path`` (Owner ``owner``), opened with the given engines."""
    app.init_workspace(
        path, "owner", owner_password, key_store=key_store, hasher=FAST_HASHER, clock=clock
    )
    with app.open_workspace(
        path, key_store=key_store, hasher=FAST_HASHER, clock=clock, engines=engines
    ) as ws:
        yield ws
