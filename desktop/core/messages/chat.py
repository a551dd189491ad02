"""Messages of the chat area (codes start with ``chat.``)."""

from __future__ import annotations

from desktop.core.messages import Entry

MESSAGES: dict[str, Entry] = {}
