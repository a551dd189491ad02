"""Messages of the workspace area (codes start with ``workspace.``)."""

from __future__ import annotations

from desktop.core.messages import Entry

MESSAGES: dict[str, Entry] = {}
