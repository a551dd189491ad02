"""Fixtures the service tests share. A module that needs another workspace (other
engines, another Owner's password) defines its own ``ws``, which takes precedence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import app
from desktop.core.chat_models import AppConfig
from desktop.core.models import Actor
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder
from tests.tools import fake_workspace


@pytest.fixture
def fake() -> FakeChatModel:
    """The chat model every app of ``ws`` answers with: queue its replies."""
    return FakeChatModel()


@pytest.fixture
def ws(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake: FakeChatModel
) -> Iterator[app.Workspace]:
    """A new workspace on fake engines (``fake``, a hash embedder); its Owner is "owner"
    with PEOPLE_PASSWORD."""
    engines = app.Engines(FakeInspector(), fake, embedder_factory=lambda _: HashEmbedder(64))
    with fake_workspace(
        tmp_path / "w", key_store, clock, engines, owner_password=PEOPLE_PASSWORD
    ) as w:
        yield w


@pytest.fixture
def apps(ws: app.Workspace, people: dict[str, Actor], tmp_path: Path) -> dict[str, int]:
    """Two apps, "hr" and "legal", made by the Editor eve on a registered model."""
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + b"\0" * 32)
    model_id = ws.models.register(people["owner"], str(model), name="m").id
    return {
        name: ws.apps.create(people["eve"], AppConfig(name=name, model_id=model_id)).id
        for name in ("hr", "legal")
    }
