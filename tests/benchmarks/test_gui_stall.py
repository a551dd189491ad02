"""The GUI never freezes: event-loop latency while a real model streams into the Chat
screen and while the Knowledge screen ingests a folder of real documents.

A 5 ms QTimer on the GUI thread records how late each tick fires; the stall is the delay
beyond the interval. Measured idle (the floor on this machine), while the demo model
streams an answer (rendered as Markdown as it arrives), while 60 python3-doc pages (or
generated pages where that package is missing) are parsed, embedded with the real
sentence-transformers model and stored, and with both at once. Goal: max stall ≤ 50 ms.

It drives the real window from start-up: the window starts the model hosts and has them
import their runtimes while the sign-in screen waits, then the first answer (the model
loads in its host), streaming, ingesting, and both at once. The runtimes load in the
model host processes, so nothing holds this process's GIL for long: the goal applies to
every phase, start-up included (it did not when torch was imported here: ~300 ms).
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QTimer

from desktop import app
from desktop.core.chat_models import AppConfig, LoadSettings, SamplingParams
from desktop.core.knowledge_models import KbVisibility
from desktop.ui.context import Backend, UiContext
from desktop.ui.main_window import MainWindow
from tests.fakes import MemoryKeyStore

PW = "a long enough passphrase"
TICK_MS = 5
GOAL_MS = 50.0
PYDOC = Path("/usr/share/doc/python3-doc/html/library")
PAGES = 60


class LatencyProbe:
    """Fires every TICK_MS on the GUI thread and keeps how late each tick was."""

    def __init__(self) -> None:
        self.late: list[float] = []
        self._last = 0.0
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.late.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now

    def start(self) -> None:
        self.late.clear()
        self._last = 0.0
        self._timer.start()

    def stop(self) -> dict[str, float]:
        self._timer.stop()
        ordered = sorted(self.late)
        return {
            "ticks": len(ordered),
            "p50": statistics.median(ordered),
            "p99": ordered[int(len(ordered) * 0.99) - 1],
            "max": ordered[-1],
        }


def _pages(target: Path, offset: int) -> Path:
    """PAGES distinct pages (a different set for each offset)."""
    target.mkdir()
    found = sorted(PYDOC.glob("*.html")) if PYDOC.is_dir() else []
    sources = found[offset * PAGES : (offset + 1) * PAGES]
    for src in sources:
        shutil.copy(src, target / src.name)
    for i in range(PAGES - len(sources)):  # no python3-doc: generated pages
        body = "".join(
            f"<p>Section {j} of page {offset}-{i} explains option {j * i}.</p>" for j in range(80)
        )
        (target / f"page-{i:03d}.html").write_text(f"<html><body>{body}</body></html>")
    return target


@pytest.fixture
def real_ctx(qtbot: Any, tmp_path: Path, demo_model_path: Path) -> Any:
    keys = MemoryKeyStore()
    backend = Backend(data_dir=tmp_path / "ws", key_store_factory=lambda: keys)
    app.init_workspace(backend.data_dir, "owner", PW, key_store=keys)
    with app.open_workspace(backend.data_dir, key_store=keys) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        model = ws.models.register(
            owner, str(demo_model_path), name="demo", settings=LoadSettings(n_ctx=2048)
        )
        params = SamplingParams(temperature=0.7, max_tokens=160, seed=3)
        ws.apps.create(owner, AppConfig(name="writer", model_id=model.id, params=params))
        kb = ws.knowledge.create(owner, "docs", visibility=KbVisibility.ALL)
    window = MainWindow(UiContext(backend))
    qtbot.addWidget(window)
    window.resize(1200, 800)
    yield window, kb.id
    window.close()


def _measure(
    qtbot: Any, probe: LatencyProbe, start: Callable[[], None], done: Callable[[], bool]
) -> dict[str, float]:
    probe.start()
    start()
    qtbot.wait(50)  # at least a few ticks, even for work that ends at once
    qtbot.waitUntil(done, timeout=900_000)
    return probe.stop()


def test_event_loop_never_stalls_while_streaming_and_ingesting(
    qtbot: Any, real_ctx: Any, tmp_path: Path
) -> None:
    window, kb_id = real_ctx
    ctx = window.ctx
    probe = LatencyProbe()
    results: dict[str, dict[str, float]] = {}

    probe.start()
    qtbot.wait(1000)
    results["idle"] = probe.stop()

    # as a user starts Kura: the window shows, and the model hosts start and import their
    # runtimes while the sign-in screen waits for the password
    results["start-up preload"] = _measure(
        qtbot,
        probe,
        lambda: (window.start(), window.show()),
        lambda: window.warm_up_task is not None and window.warm_up_task.finished,
    )
    window.login.username.setText("owner")
    window.login.password.setText(PW)
    window.login.submit.click()
    qtbot.waitUntil(lambda: window.shell is not None and not ctx.runner.busy, timeout=60_000)
    knowledge = window.shell.show_screen("knowledge")
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=60_000)
    knowledge.select_kb(kb_id)
    chat = window.shell.show_screen("chat")
    qtbot.waitUntil(lambda: not ctx.runner.busy and chat.composer.isEnabled(), timeout=60_000)

    results["first answer (model loads)"] = _measure(
        qtbot, probe, lambda: chat.send_text("Say hello."), lambda: not chat.streaming
    )

    results["streaming"] = _measure(
        qtbot,
        probe,
        lambda: chat.send_text("Write a short story about a lighthouse keeper."),
        lambda: not chat.streaming,
    )
    assert chat.transcript.answers[-1].turn.usage["completion_tokens"] > 20
    folder_a = _pages(tmp_path / "pages-a", 0)
    results[f"ingesting {PAGES} pages"] = _measure(
        qtbot,
        probe,
        lambda: knowledge.ingest.add_paths([str(folder_a)]),
        lambda: not knowledge.ingest.running and not ctx.runner.busy,
    )
    assert len(knowledge.ingest.row_states()) == PAGES, knowledge.ingest.message.text()
    folder_b = _pages(tmp_path / "pages-b", 1)

    def both() -> None:
        knowledge.ingest.add_paths([str(folder_b)])
        chat.send_text("Write a poem about the sea.")

    results["streaming + ingesting"] = _measure(
        qtbot,
        probe,
        both,
        lambda: not chat.streaming and not knowledge.ingest.running and not ctx.runner.busy,
    )
    print(f"\nGUI event-loop latency ({TICK_MS} ms timer, stall = lateness beyond it):")
    for label, r in results.items():
        print(
            f"  {label:<27} ticks {r['ticks']:>6.0f}  p50 {r['p50']:5.1f} ms  "
            f"p99 {r['p99']:5.1f} ms  max {r['max']:5.1f} ms"
        )
    states = {state for _, state in knowledge.ingest.row_states()}
    assert states == {"stored"}, states
    worst = max(r["max"] for r in results.values())
    assert worst <= GOAL_MS, f"the event loop stalled for {worst:.1f} ms (goal ≤ {GOAL_MS} ms)"
