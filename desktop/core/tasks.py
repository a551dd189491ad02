"""Cooperative cancellation and progress reporting for long, synchronous operations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from desktop.core.errors import Cancelled


class CancelToken:
    """Set from any thread; long operations call ``raise_if_cancelled`` between steps.

    Code that blocks waiting for something else (the model host's reply) registers
    ``on_cancel`` instead of polling, so it wakes at once and costs nothing meanwhile."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            if self._event.is_set():
                return
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call ``callback`` (on the cancelling thread) when cancelled, or now when already
        cancelled; returns a function that unregisters it."""
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return lambda: self._forget(callback)
        callback()
        return lambda: None

    def _forget(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class ProgressSink(Protocol):
    def __call__(self, done: int, total: int | None, message: str = "") -> None: ...


def no_progress(done: int, total: int | None, message: str = "") -> None:
    """A ProgressSink that ignores everything."""
