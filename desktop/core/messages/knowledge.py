"""Messages of the knowledge area (codes start with ``knowledge.``)."""

from __future__ import annotations

from desktop.core.messages import Entry

MESSAGES: dict[str, Entry] = {}
