"""Internal inference servers: name resolution, the network guard's allowlist, and the
connection test made before an endpoint is registered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from desktop.core.remote import EndpointCheck, RemoteEndpoint


class HostResolver(Protocol):
    """Resolves a registered server's host name once, at registration (``netguard``)."""

    def resolve(self, host: str, port: int) -> tuple[str, ...]:
        """The IP addresses ``host`` resolves to; InputError when it resolves to none."""
        ...


class EgressAllowlist(Protocol):
    """The network guard's allowlist: the only (ip, port) pairs Kura may connect to."""

    def allow(self, pairs: Iterable[tuple[str, int]]) -> None:
        """Replace the allowlist (empty: no socket at all, Kura's default)."""
        ...

    def allowed(self) -> tuple[tuple[str, int], ...]: ...


class EndpointProbe(Protocol):
    """Tries an endpoint through the same pinned, TLS-verified connection as a chat turn
    (``GET /models``); the guard must already allow its addresses."""

    def check(self, endpoint: RemoteEndpoint, api_key: str | None) -> EndpointCheck:
        """The server's answer; RemoteCheckFailed naming what went wrong."""
        ...
