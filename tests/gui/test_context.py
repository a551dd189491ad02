"""Every lane shares one set of engines: one chat model, one embedder per folder."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from desktop import app
from desktop.ui.context import UiContext
from tests.fakes import FakeChatModel, FakeInspector
from tests.fakes_retrieval import HashEmbedder


def test_lanes_share_the_engines_and_one_embedder_per_folder(
    make_ctx: Callable[[], UiContext],
) -> None:
    built: list[int] = []

    def engines_factory() -> app.Engines:
        built.append(1)
        return app.Engines(FakeInspector(), FakeChatModel(), lambda folder: HashEmbedder())

    ctx = make_ctx()
    ctx.backend.engines_factory = engines_factory  # a new embedder on every call
    seen: list[Any] = []
    barrier = threading.Barrier(4)

    def grab() -> None:
        barrier.wait()
        seen.append(ctx.engines())

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(engines) for engines in seen}) == 1 and built == [1]  # once, even raced
    engines = seen[0]
    first = engines.embedder_factory("")
    assert engines.embedder_factory("") is first
    assert engines.embedder_factory("other-folder") is not first
