"""Messages of the diagnostics area (codes start with ``diagnostics.``)."""

from __future__ import annotations

from desktop.core.messages import Entry

MESSAGES: dict[str, Entry] = {}
