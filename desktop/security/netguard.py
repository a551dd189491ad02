"""Refuse network use by this process, with a ``sys.addaudithook`` hook (PEP 578).

Kura works offline by design; the guard turns that promise into a check. Once installed,
any attempt to resolve a host name or to connect, bind or send on a socket whose family is
not ``AF_UNIX`` raises ``PermissionError("Kura does not use the network")`` and is recorded.
``AF_UNIX`` stays allowed: the Secret Service is reached over the D-Bus session bus.

**Egress allowlist** (remote models, ``desktop/core/remote.py``): :func:`allow_connections`
sets the exact (ip, port) pairs this process may ``connect`` to, the pinned addresses of
the registered internal inference servers. Every other connect, every bind and send to
an address, and every name look-up stays refused: names are resolved only through
:func:`resolve`, at registration, and the result is pinned. With no pair allowed (no
remote model registered) the guard behaves exactly as before: no IP socket at all.

Audit hooks cannot be removed, so the guard is installed at most once per process;
later calls only replace the violation callback. It is a tripwire against accidental
network use by Kura or a library (a model hub download, a telemetry ping), not a sandbox:
native code that calls the C socket API directly is not audited.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MESSAGE = "Kura does not use the network"

#: Socket calls whose second argument is the peer or local address.
_ADDRESS_EVENTS = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})
#: Name-service calls: refused outright, even for ``localhost``.
_LOOKUP_EVENTS = frozenset(
    {
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyname_ex",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
    }
)
_EVENTS = _ADDRESS_EVENTS | _LOOKUP_EVENTS
_ALLOWED_FAMILIES = frozenset(
    family for family in (getattr(socket, "AF_UNIX", None),) if family is not None
)


@dataclass(frozen=True, slots=True)
class NetworkViolation:
    """One refused attempt: the audit event and a short description of its target."""

    event: str
    target: str


class _GuardState:
    """Process-wide state: the hook itself cannot be removed or replaced."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.installed = False
        self.violations: list[NetworkViolation] = []
        self.on_violation: Callable[[NetworkViolation], None] | None = None
        self.allowed: frozenset[tuple[str, int]] = frozenset()
        self.resolving = threading.local()  # the host name resolve() may look up now


_STATE = _GuardState()


def _describe(event: str, args: tuple[Any, ...]) -> str:
    shown = args[1:] if event in _ADDRESS_EVENTS else args
    return ", ".join(repr(arg) for arg in shown)[:200]


def _is_refused(event: str, args: tuple[Any, ...]) -> bool:
    if event in _LOOKUP_EVENTS:
        host = getattr(_STATE.resolving, "host", None)
        return not (event == "socket.getaddrinfo" and host is not None and args[:1] == (host,))
    family = getattr(args[0], "family", None) if args else None
    if family in _ALLOWED_FAMILIES:
        return False
    return not (event == "socket.connect" and _allowed_peer(args))


def _allowed_peer(args: tuple[Any, ...]) -> bool:
    """True when the connect's address is one of the allowed (ip, port) pairs."""
    address = args[1] if len(args) > 1 else None
    if not isinstance(address, tuple) or len(address) < 2:
        return False
    return (str(address[0]), address[1]) in _STATE.allowed


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in _EVENTS or not _is_refused(event, args):
        return
    violation = NetworkViolation(event=event, target=_describe(event, args))
    with _STATE.lock:
        _STATE.violations.append(violation)
        callback = _STATE.on_violation
    if callback is not None:
        with contextlib.suppress(Exception):  # a broken reporter must not let the call through
            callback(violation)
    raise PermissionError(MESSAGE)


def install_network_guard(
    on_violation: Callable[[NetworkViolation], None] | None = None,
) -> None:
    """Install the guard for the rest of the process (idempotent).

    ``on_violation`` is called with each refused attempt before the PermissionError is
    raised; a later call replaces it (passing None keeps the current one).
    """
    with _STATE.lock:
        if on_violation is not None:
            _STATE.on_violation = on_violation
        if _STATE.installed:
            return
        _STATE.installed = True
    sys.addaudithook(_hook)


def report_violations_to(on_violation: Callable[[NetworkViolation], None]) -> None:
    """Replace the violation callback without installing the guard (a workspace records
    refusals in its audit log; a process without the guard has none to report)."""
    with _STATE.lock:
        _STATE.on_violation = on_violation


def is_installed() -> bool:
    """True once the guard is active in this process."""
    return _STATE.installed


def violations() -> tuple[NetworkViolation, ...]:
    """Every attempt refused so far in this process, oldest first."""
    with _STATE.lock:
        return tuple(_STATE.violations)


def allow_connections(pairs: Iterable[tuple[str, int]]) -> None:
    """Let this process connect to exactly these (ip, port) pairs (replaces the set;
    empty: none, the default). Only ``connect``: binds, sends and look-ups stay refused."""
    allowed = frozenset((str(ip), int(port)) for ip, port in pairs)
    with _STATE.lock:
        _STATE.allowed = allowed


def allowed_connections() -> tuple[tuple[str, int], ...]:
    """The (ip, port) pairs this process may connect to, sorted."""
    return tuple(sorted(_STATE.allowed))


def resolve(host: str, port: int) -> tuple[str, ...]:
    """The IP addresses of ``host`` (TCP), looked up once by this thread with the guard's
    leave: used when a remote model is registered, so its addresses can be pinned."""
    _STATE.resolving.host = host
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return ()
    finally:
        _STATE.resolving.host = None
    return tuple(sorted({str(info[4][0]) for info in infos}))


class GuardEgress:
    """``EgressAllowlist`` over this process's network guard."""

    def allow(self, pairs: Iterable[tuple[str, int]]) -> None:
        allow_connections(pairs)

    def allowed(self) -> tuple[tuple[str, int], ...]:
        return allowed_connections()


class GuardResolver:
    """``HostResolver`` through :func:`resolve`."""

    def resolve(self, host: str, port: int) -> tuple[str, ...]:
        return resolve(host, port)
