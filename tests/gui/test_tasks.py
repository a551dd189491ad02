"""The task runner: results arrive on the GUI thread, stale results never land,
cancellation is silent, shutdown waits and closes each lane's workspace."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from desktop.core.errors import Cancelled, InputError
from desktop.ui.tasks import Lane, LaneContext, NoWorkspace, TaskRunner, current_lane


@pytest.fixture
def runner(qtbot: Any) -> Any:
    r = TaskRunner()
    yield r
    assert r.shutdown(timeout=10)


def test_result_arrives_on_gui_thread(qtbot: Any, runner: TaskRunner) -> None:
    seen: dict[str, Any] = {}

    def op(ctx: LaneContext) -> str:
        seen["lane"] = current_lane()
        return "done"

    def on_done(result: str) -> None:
        seen["result"] = result
        seen["thread"] = threading.current_thread() is threading.main_thread()

    task = runner.run(Lane.DB, op, on_done=on_done)
    qtbot.waitUntil(lambda: task.finished)
    assert seen == {"lane": Lane.DB, "result": "done", "thread": True}


def test_failure_is_delivered_and_cancel_is_silent(qtbot: Any, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def bad(ctx: LaneContext) -> None:
        raise InputError("no")

    t1 = runner.run(Lane.DB, bad, on_failed=errors.append)
    qtbot.waitUntil(lambda: t1.finished)
    assert isinstance(errors[0], InputError)

    gate = threading.Event()

    def slow(ctx: LaneContext) -> None:
        gate.wait(5)
        ctx.token.raise_if_cancelled()

    t2 = runner.run(Lane.INGEST, slow, on_failed=errors.append)
    t2.cancel()
    gate.set()
    qtbot.waitUntil(lambda: t2.finished)
    assert isinstance(errors[1], Cancelled)


def test_a_new_task_under_the_same_key_detaches_the_old(qtbot: Any, runner: TaskRunner) -> None:
    owner = object()
    gate = threading.Event()
    results: list[str] = []

    def first(ctx: LaneContext) -> str:
        gate.wait(5)
        return "stale"

    old = runner.run(Lane.DB, first, on_done=results.append, owner=owner, key="load")
    new = runner.run(Lane.DB, lambda ctx: "fresh", on_done=results.append, owner=owner, key="load")
    assert old.token.cancelled
    gate.set()
    qtbot.waitUntil(lambda: new.finished)
    assert results == ["fresh"]


def test_stream_pieces_are_batched(qtbot: Any, runner: TaskRunner) -> None:
    chunks: list[str] = []

    def stream(ctx: LaneContext) -> None:
        for i in range(200):
            ctx.emit(f"{i} ")

    task = runner.run(Lane.INFERENCE, stream, on_chunk=chunks.append)
    qtbot.waitUntil(lambda: task.finished)
    assert "".join(chunks) == "".join(f"{i} " for i in range(200))
    assert len(chunks) < 200


def test_ops_without_workspace_fail_clearly(qtbot: Any, runner: TaskRunner) -> None:
    errors: list[BaseException] = []
    task = runner.run(Lane.DB, lambda ctx: ctx.ws, on_failed=errors.append)
    qtbot.waitUntil(lambda: task.finished)
    assert isinstance(errors[0], NoWorkspace)


def test_each_lane_opens_its_own_workspace_and_shutdown_closes_it(qtbot: Any) -> None:
    opened: list[tuple[Lane | None, Any]] = []
    closed: list[Lane | None] = []

    class Ws:
        def __init__(self) -> None:
            self.lane = current_lane()
            opened.append((self.lane, self))

        def close(self) -> None:
            closed.append(current_lane())

    runner = TaskRunner(opener=Ws)
    tasks = [runner.run(lane, lambda ctx: ctx.ws) for lane in (Lane.DB, Lane.INFERENCE, Lane.DB)]
    qtbot.waitUntil(lambda: all(t.finished for t in tasks))
    assert [lane for lane, _ in opened] == [Lane.DB, Lane.INFERENCE]
    assert runner.shutdown(timeout=10)
    assert sorted(c.value if c else "" for c in closed) == ["db", "inference"]


def test_a_destroyed_view_never_gets_its_results(qtbot: Any) -> None:
    from desktop.ui.context import Backend, UiContext
    from desktop.ui.view import View

    ctx = UiContext(Backend(data_dir=Path("unused"), key_store_factory=lambda: None))  # type: ignore[arg-type,return-value]
    gate = threading.Event()
    landed: list[str] = []
    view = View(ctx)
    task = view.run(Lane.DB, lambda lc: gate.wait(5) and "late", on_done=landed.append)
    view.deleteLater()
    qtbot.waitUntil(lambda: task.token.cancelled)  # detached when the view went away
    gate.set()
    qtbot.waitUntil(lambda: task.finished)
    assert landed == []
    assert ctx.shutdown(timeout=10)


def test_a_callback_that_raises_still_ends_its_task(qtbot: Any, runner: TaskRunner) -> None:
    ended: list[bool] = []

    def boom(_result: object) -> None:
        raise ValueError("a bug in a view")

    task = runner.run(Lane.DB, lambda lc: 1, on_done=boom, on_finally=lambda: ended.append(True))
    with qtbot.captureExceptions() as caught:
        qtbot.waitUntil(lambda: task.finished)
    assert caught and ended == [True] and not runner.busy
