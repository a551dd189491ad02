"""The key-slot file's generation as the encrypted database records it.

Every write of ``keyslots.json`` raises its generation (inside the file's MAC); the
service that caused the write records the new value here in the same transaction. At
open a file older than the recorded generation is refused: an older copy put back (a
disabled user's slot, an old password) carries a valid MAC, since the database key is
the same, and only this record tells it from the current file.
"""

from __future__ import annotations

from typing import Protocol

from desktop.core.ports import SettingsRepository

SETTING = "keyslots_generation"


class HasGeneration(Protocol):
    @property
    def generation(self) -> int: ...


def recorded(settings: SettingsRepository) -> int:
    """The generation the database last recorded (0 before any)."""
    value = settings.get(SETTING)
    return int(value) if value and value.isdigit() else 0


def record(settings: SettingsRepository, slots: HasGeneration | None) -> None:
    """Record the slot file's generation after a write (never lowers it)."""
    if slots is None:
        return
    if slots.generation > recorded(settings):
        settings.set(SETTING, str(slots.generation))
