"""The catalogue: every area's messages in one mapping, code -> entry.

Each area module (``accounts``, ``knowledge``...) defines ``MESSAGES``; its codes start
with the area's name and a dot, so an area owns its codes and two never collide.
"""

from __future__ import annotations

from types import ModuleType

from desktop.core.messages import (
    Entry,
    accounts,
    bundle,
    chat,
    cli,
    common,
    conversations,
    diagnostics,
    knowledge,
    llama,
    logs,
    models,
    security,
    storage,
    workspace,
)

AREAS: tuple[ModuleType, ...] = (
    common,
    accounts,
    security,
    workspace,
    storage,
    models,
    llama,
    chat,
    conversations,
    knowledge,
    logs,
    bundle,
    diagnostics,
    cli,
)


def _assemble() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in AREAS:
        prefix = area.__name__.rsplit(".", 1)[1] + "."
        for code, entry in area.MESSAGES.items():
            if not code.startswith(prefix) or code in merged:
                raise RuntimeError(f"message code {code!r} is misplaced or defined twice")
            merged[code] = entry
    return merged


CATALOGUE: dict[str, Entry] = _assemble()
