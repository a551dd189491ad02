"""A workspace with the fake chat model and the fake personal-data detector injected,
for the privacy tests' own ``ws`` fixtures (the helpers are those of
``test_privacy_chat``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop import app
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_pii import FakePiiDetector
from tests.fakes_retrieval import HashEmbedder
from tests.tools import fake_workspace


@contextmanager
def privacy_workspace(
    folder: Path,
    key_store: MemoryKeyStore,
    clock: FixedClock,
    fake: FakeChatModel,
    detector: FakePiiDetector | None,
) -> Iterator[app.Workspace]:
    engines = app.Engines(
        FakeInspector(),
        fake,
        embedder_factory=lambda _: HashEmbedder(64),
        pii_detector=detector,
    )
    with fake_workspace(folder, key_store, clock, engines, owner_password=PEOPLE_PASSWORD) as w:
        yield w
