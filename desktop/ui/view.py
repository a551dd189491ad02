"""The base of every screen: a widget given the UiContext, with ``activate`` to (re)load
its data and ``run`` to start ops that are cancelled when the view starts a new one
under the same key or goes away."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.tasks import Lane, Op, T, Task


class View(QWidget):
    """Screens are ``<Thing>View``; slots are ``_on_<source>_<event>``."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # a view destroyed with work still running must never receive its results
        runner, owner_id = ctx.runner, id(self)
        self.destroyed.connect(lambda *_: runner.cancel_owner_id(owner_id))

    def title(self) -> str:
        """The name shown in the navigation (translated)."""
        raise NotImplementedError

    def activate(self) -> None:
        """Called each time the view is shown: reload what it displays."""

    def run(
        self,
        lane: Lane,
        op: Op[T],
        *,
        key: str = "",
        on_done: Callable[[T], Any] | None = None,
        on_failed: Callable[[BaseException], Any] | None = None,
        on_progress: Callable[[int, Any, str], Any] | None = None,
        on_chunk: Callable[[str], Any] | None = None,
        on_finally: Callable[[], Any] | None = None,
    ) -> Task:
        return self.ctx.runner.run(
            lane,
            op,
            owner=self,
            key=key,
            on_done=on_done,
            on_failed=on_failed,
            on_progress=on_progress,
            on_chunk=on_chunk,
            on_finally=on_finally,
        )

    def actor(self) -> Actor:
        """The signed-in actor, read on the GUI thread before an op is built."""
        return self.ctx.actor()

    def teardown(self) -> None:
        """Cancel this view's work (the window is closing or rebuilding)."""
        self.ctx.runner.cancel_owner(self)
