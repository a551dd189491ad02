"""Network: nothing in a run touched the network (the guard refused nothing, and no
socket other than a local one was made)."""

from __future__ import annotations

import socket
import sys
import threading
from typing import Any

from desktop import installation
from desktop.diagnostics.common import StepFailed, StepOutcome, one_line


class SocketWatch:
    """Counts every socket this process creates that is not ``AF_UNIX`` (the Secret
    Service is reached over the D-Bus session bus). An audit hook, like the network
    guard's; installed once, it only ever appends to a list."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.installed = False
        self.created: list[str] = []

    def install(self) -> None:
        with self.lock:
            if self.installed:
                return
            self.installed = True
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if event != "socket.__new__" or len(args) < 2:
            return
        family = args[1]
        if family in (-1, getattr(socket, "AF_UNIX", None)):
            return  # -1: a socket object adopting a descriptor that already exists
        with self.lock:
            self.created.append(f"socket(family={family!r})")

    def seen(self) -> tuple[str, ...]:
        with self.lock:
            return tuple(self.created)


SOCKETS = SocketWatch()


def network_step() -> StepOutcome:
    """Self-test: the guard is installed, refused nothing, and no socket was opened."""
    if not installation.network_guard_installed():
        raise StepFailed("the network guard is not installed in this process")
    attempts = installation.network_attempts()
    if attempts:
        first = attempts[0]
        raise StepFailed(
            f"{len(attempts)} network attempt(s) refused, the first {first.event} "
            f"({one_line(first.target, 120)})"
        )
    sockets = SOCKETS.seen()
    if sockets:
        raise StepFailed(f"{len(sockets)} network socket(s) opened, the first {sockets[0]}")
    return "guard installed; no network socket opened, no host looked up", {}
