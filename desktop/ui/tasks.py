"""Worker lanes for the GUI: the GUI thread never touches the database or a model.

Each :class:`Lane` is one thread (``DB``, ``INFERENCE``, ``INGEST``). A lane opens its *own*
workspace connection the first time an op on it needs one, so every SQLCipher connection
belongs to exactly one thread. Feature code builds an op — a plain function of a
:class:`LaneContext` plus callbacks — and the :class:`TaskRunner` runs it; results come
back to the GUI thread only through queued signals (STYLE.md §4).
"""

from __future__ import annotations

import contextlib
import enum
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from desktop.core.errors import AppError, Cancelled
from desktop.core.services.registry import Services
from desktop.core.tasks import CancelToken

log = logging.getLogger(__name__)

CHUNK_INTERVAL_S = 0.030  # streaming pieces reach the GUI at most this often

Opener = Callable[[], Services]
T = TypeVar("T")
Op = Callable[["LaneContext"], T]
"""What runs on a lane: a function of the lane's context, returning a ``T``."""


class Lane(enum.Enum):
    """The worker lanes, one thread each: ``DB`` for reads and writes, ``INFERENCE`` for
    answers from a model, ``INGEST`` for reading and embedding files."""

    DB = "db"
    INFERENCE = "inference"
    INGEST = "ingest"


class NoWorkspace(AppError):
    """An op asked for the workspace before one was opened."""


class LaneContext:
    """What an op sees on its lane: the lane's workspace, its token, progress and
    a throttled streaming sink."""

    def __init__(self, lane: _Lane, task: Task) -> None:
        self._lane = lane
        self._task = task
        self.token = task.token
        self._buffer: list[str] = []
        self._last_flush = 0.0

    @property
    def ws(self) -> Services:
        """This lane's open workspace (opened on first use, on this thread)."""
        return self._lane.workspace()

    def progress(self, done: int, total: int | None, message: str = "") -> None:
        self.token.raise_if_cancelled()
        self._task.relay.progress.emit(done, total, message)

    def emit(self, piece: str) -> None:
        """Queue a streamed piece; pieces are joined and sent about every 30 ms."""
        self.token.raise_if_cancelled()
        self._buffer.append(piece)
        now = time.monotonic()
        if now - self._last_flush >= CHUNK_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            text = "".join(self._buffer)
            self._buffer.clear()
            self._task.relay.chunk.emit(text)
        self._last_flush = time.monotonic()


class _Relay(QObject):
    """Lives on the GUI thread; worker threads emit, queued slots deliver."""

    chunk = Signal(str)
    progress = Signal(int, object, str)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task
        queued = Qt.ConnectionType.QueuedConnection
        self.chunk.connect(self._on_chunk, queued)
        self.progress.connect(self._on_progress, queued)
        self.done.connect(self._on_done, queued)
        self.failed.connect(self._on_failed, queued)

    @Slot(str)
    def _on_chunk(self, text: str) -> None:
        self._task._deliver("on_chunk", text)

    @Slot(int, object, str)
    def _on_progress(self, done: int, total: object, message: str) -> None:
        self._task._deliver("on_progress", done, total, message)

    @Slot(object)
    def _on_done(self, result: object) -> None:
        self._task._finish("on_done", result)

    @Slot(object)
    def _on_failed(self, exc: object) -> None:
        self._task._finish("on_failed", exc)


class Task:
    """A running op. ``cancel()`` asks it to stop; ``detach()`` drops its callbacks so a
    stale result never lands."""

    def __init__(self, runner: TaskRunner, lane: Lane, callbacks: dict[str, Callable[..., Any]]):
        self.runner = runner
        self.lane = lane
        self.token = CancelToken()
        self._callbacks: dict[str, Callable[..., Any]] | None = callbacks
        self.relay = _Relay(self)
        self.finished = False

    def cancel(self) -> None:
        self.token.cancel()

    def detach(self) -> None:
        self.token.cancel()
        self._callbacks = None

    def _deliver(self, name: str, *args: Any) -> None:
        callbacks = self._callbacks
        if callbacks is None or self.finished:
            return
        fn = callbacks.get(name)
        if fn is not None:
            fn(*args)

    def _finish(self, name: str, arg: object) -> None:
        if self.finished:
            return
        callbacks, self._callbacks = self._callbacks or {}, None
        self.finished = True
        try:  # a callback that raises must not leave the task live (busy forever)
            fn = callbacks.get(name)
            if fn is not None:
                fn(arg)
        finally:
            self.runner._forget(self)
            always = callbacks.get("on_finally")
            if always is not None:
                always()


class _Lane:
    def __init__(self, lane: Lane, runner: TaskRunner) -> None:
        self.name = lane.value
        self._runner = runner
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"kura-{self.name}")
        self._ws: Services | None = None
        self._opened_by: Opener | None = None

    def workspace(self) -> Services:
        opener = self._runner.opener
        if opener is None:
            raise NoWorkspace("no workspace is open yet: create or unlock one first")
        if self._ws is None or self._opened_by is not opener:
            self.close_workspace()
            self._ws = opener()
            self._opened_by = opener
        return self._ws

    def close_workspace(self) -> None:
        ws, self._ws = self._ws, None
        if ws is not None:
            try:
                ws.close()
            except Exception:  # closing must not stop the others from closing
                log.exception("closing the %s lane's workspace failed", self.name)


class TaskRunner(QObject):
    """The one owner of the worker lanes. Views pass themselves as ``owner`` with a
    ``key``: starting a task under the same (owner, key) cancels and detaches the old one."""

    def __init__(self, opener: Opener | None = None) -> None:
        super().__init__()
        self.opener = opener
        self._lanes = {lane: _Lane(lane, self) for lane in Lane}
        self._live: set[Task] = set()
        self._keyed: dict[tuple[int, str], Task] = {}
        self._closed = False

    # ------------------------------------------------------------------ running ops

    def run(
        self,
        lane: Lane,
        op: Op[T],
        *,
        on_done: Callable[[T], Any] | None = None,
        on_failed: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, Any, str], Any] | None = None,
        on_chunk: Callable[[str], Any] | None = None,
        on_finally: Callable[[], Any] | None = None,
        owner: object | None = None,
        key: str = "",
    ) -> Task:
        if self._closed:
            raise RuntimeError("the task runner is shut down")
        if owner is not None:
            previous = self._keyed.get((id(owner), key))
            if previous is not None and not previous.finished:
                previous.detach()
        callbacks = {
            name: fn
            for name, fn in (
                ("on_done", on_done),
                ("on_failed", on_failed),
                ("on_progress", on_progress),
                ("on_chunk", on_chunk),
                ("on_finally", on_finally),
            )
            if fn is not None
        }
        task = Task(self, lane, callbacks)
        if owner is not None:
            self._keyed[(id(owner), key)] = task
        self._live.add(task)
        worker = self._lanes[lane]
        worker.executor.submit(self._execute, worker, task, op)
        return task

    @staticmethod
    def _execute(lane: _Lane, task: Task, op: Op[Any]) -> None:
        ctx = LaneContext(lane, task)
        try:
            task.token.raise_if_cancelled()
            result = op(ctx)
            ctx.flush()
        except Cancelled as exc:
            task.relay.failed.emit(exc)
        except Exception as exc:
            if not isinstance(exc, AppError):
                log.error("a %s task failed: %s", lane.name, type(exc).__name__, exc_info=exc)
            task.relay.failed.emit(exc)
        else:
            task.relay.done.emit(result)

    def _forget(self, task: Task) -> None:
        self._live.discard(task)
        for key, value in list(self._keyed.items()):
            if value is task:
                del self._keyed[key]

    def cancel_owner(self, owner: object) -> None:
        """Cancel and detach every task a view started (the view is going away)."""
        self.cancel_owner_id(id(owner))

    def cancel_owner_id(self, owner: int) -> None:
        """``cancel_owner`` by the owner's id (for a view that is being destroyed)."""
        for (owner_id, key), task in list(self._keyed.items()):
            if owner_id == owner:
                task.detach()
                del self._keyed[(owner_id, key)]

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def live_tasks(self) -> list[Task]:
        return [t for t in self._live if not t.finished]

    # ------------------------------------------------------------------ workspaces

    def set_opener(self, opener: Opener | None) -> None:
        """Switch workspace: later ops open it on their lane; old connections close there."""
        self.opener = opener
        self.close_workspaces()

    def close_workspaces(self) -> None:
        """Each lane closes its connection once the op it runs now (and those queued
        before) finish; the next op there opens a new one through the opener."""
        if self._closed:
            return  # shutdown closed them
        for lane in self._lanes.values():
            lane.executor.submit(lane.close_workspace)

    def wait_idle(self, timeout: float) -> bool:
        """Block until every submitted op has run (the GUI only does this on close)."""
        deadline = time.monotonic() + timeout
        for lane in self._lanes.values():
            marker = lane.executor.submit(lambda: None)
            left = max(0.0, deadline - time.monotonic())
            try:
                marker.result(timeout=left)
            except TimeoutError:
                return False
        return True

    def shutdown(self, timeout: float = 30.0) -> bool:
        """Cancel everything, wait for it, then close each lane's database on its lane.
        Returns False when some op did not stop within ``timeout``."""
        if self._closed:
            return True
        self._closed = True
        for task in list(self._live):
            task.detach()
        stopped = self.wait_idle(timeout)
        if stopped:  # a close queued behind a stuck op would only block longer
            closes = [lane.executor.submit(lane.close_workspace) for lane in self._lanes.values()]
            for future in closes:
                with contextlib.suppress(TimeoutError):
                    future.result(timeout=max(1.0, timeout / 3))
        for lane in self._lanes.values():
            lane.executor.shutdown(wait=stopped, cancel_futures=True)
        self._live.clear()
        self._keyed.clear()
        return stopped


def current_lane() -> Lane | None:
    """The lane this code runs on, or None on another thread (for assertions)."""
    name = threading.current_thread().name
    for lane in Lane:
        if name.startswith(f"kura-{lane.value}"):
            return lane
    return None
