"""Cooperative cancellation and progress reporting for long, synchronous operations."""

from __future__ import annotations

import threading
from typing import Protocol

from desktop.core.errors import Cancelled


class CancelToken:
    """Set from any thread; long operations call ``raise_if_cancelled`` between steps."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

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
