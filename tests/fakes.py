"""Fakes for fast unit tests. Injected explicitly; never selectable at run time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from desktop.core.errors import KeyringLocked


class MemoryKeyStore:
    """An in-memory KeyStore. ``locked = True`` makes every call raise KeyringLocked."""

    def __init__(self) -> None:
        self.items: dict[str, bytes] = {}
        self.locked = False

    def backend_name(self) -> str:
        return "memory (tests only)"

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("the test keyring is locked: unlock it and try again")

    def get_secret(self, item: str) -> bytes | None:
        self._check()
        return self.items.get(item)

    def set_secret(self, item: str, value: bytes) -> None:
        self._check()
        self.items[item] = bytes(value)

    def delete_secret(self, item: str) -> None:
        self._check()
        self.items.pop(item, None)


class FixedClock:
    """A clock that starts at a fixed moment and advances only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
