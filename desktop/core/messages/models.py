"""Messages of the models area (codes start with ``models.``)."""

from __future__ import annotations

from desktop.core.messages import Entry

MESSAGES: dict[str, Entry] = {}
