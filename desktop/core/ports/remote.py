"""Internal inference servers: name resolution and the network guard's allowlist."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


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
