"""pytest-qt fixtures: offscreen Qt, a UiContext over fakes, and teardown that fails a
test which leaves a running worker or a top-level window behind (STYLE.md §7)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop import app
from desktop.core.models import Actor
from tests.conftest import PEOPLE_PASSWORD
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder
from tests.tools import FAST_HASHER

pytest.importorskip("pytestqt")

from pytestqt.exceptions import TimeoutError as QtTimeout

from desktop.ui.context import Backend, UiContext
from desktop.ui.privacy import keep_qt_from_writing

keep_qt_from_writing()  # as the app does, before pytest-qt creates the QApplication


@pytest.fixture
def fake_chat() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def fake_engines(fake_chat: FakeChatModel) -> app.Engines:
    embedders: dict[str, HashEmbedder] = {}

    def embedder(model_dir: str) -> HashEmbedder:
        return embedders.setdefault(model_dir, HashEmbedder())

    return app.Engines(FakeInspector(), fake_chat, embedder)


@pytest.fixture
def backend(
    tmp_path: Path, key_store: MemoryKeyStore, clock: FixedClock, fake_engines: app.Engines
) -> Backend:
    return Backend(
        data_dir=tmp_path / "workspace",
        key_store_factory=lambda: key_store,
        engines_factory=lambda: fake_engines,
        clock=clock,
        hasher=FAST_HASHER,
    )


@contextmanager
def open_direct(backend: Backend) -> Iterator[app.Workspace]:
    """The workspace on the test's own thread, for arranging data before a view loads."""
    with app.open_workspace(
        backend.data_dir,
        key_store=backend.key_store_factory(),
        hasher=backend.hasher,
        clock=backend.clock,
        engines=backend.engines_factory(),
    ) as ws:
        yield ws


@pytest.fixture
def make_ctx(qtbot: Any, backend: Backend) -> Iterator[Callable[..., UiContext]]:
    """Builds UiContexts; teardown shuts each down and fails on leaked work."""
    made: list[UiContext] = []

    def make() -> UiContext:
        ctx = UiContext(backend)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        # work a view scheduled just before the test ended may still be finishing; a
        # leak is work that does not end
        with suppress(QtTimeout):
            qtbot.waitUntil(lambda c=ctx: not c.runner.busy, timeout=10_000)
        leaked = ctx.runner.live_tasks()
        assert ctx.shutdown(timeout=20), "a worker did not stop within 20 s"
        assert not leaked, f"the test left {len(leaked)} task(s) running"


@pytest.fixture
def workspace(backend: Backend) -> Backend:
    """A created workspace (Owner ``owner``, password PEOPLE_PASSWORD)."""
    app.init_workspace(
        backend.data_dir,
        "owner",
        PEOPLE_PASSWORD,
        key_store=backend.key_store_factory(),
        hasher=FAST_HASHER,
        clock=backend.clock,
    )
    return backend


@pytest.fixture
def owner_ctx(workspace: Backend, make_ctx: Callable[[], UiContext]) -> UiContext:
    """A context attached to ``workspace`` and signed in as its Owner."""
    with open_direct(workspace) as ws:
        actor = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    ctx.sign_in(actor)
    return ctx


def sign_in_as(ctx: UiContext, backend: Backend, username: str) -> Actor:
    with open_direct(backend) as ws:
        actor = ws.accounts.authenticate(username, PEOPLE_PASSWORD)
    ctx.sign_in(actor)
    return actor


@pytest.fixture(autouse=True)
def _no_windows_left(qapp: Any) -> Iterator[None]:
    yield
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for widget in shown:
        widget.close()
    assert not shown, f"the test left windows open: {[type(w).__name__ for w in shown]}"
