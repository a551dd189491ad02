"""The catalogue: every area's messages in one mapping, code -> entry.

Each area module (``accounts``, ``knowledge``...) defines ``MESSAGES``; its codes start
with the area's name and a dot (the module's name, or its ``AREA`` when one area spans
several modules), so an area owns its codes and two never collide.
"""

from __future__ import annotations

from types import ModuleType

from desktop.core.messages import (
    Entry,
    accounts,
    apptpl,
    backup,
    bundle,
    chat,
    cli,
    common,
    conversation_tools,
    conversations,
    kbpackage,
    knowledge,
    knowledge_files,
    knowledge_ocr,
    limits,
    llama,
    logs,
    models,
    privacy,
    remote,
    security,
    storage,
    workspace,
    workspace_database,
    workspace_keys,
)

AREAS: tuple[ModuleType, ...] = (
    common,
    accounts,
    security,
    workspace,
    workspace_keys,
    workspace_database,
    storage,
    models,
    llama,
    chat,
    apptpl,
    conversations,
    conversation_tools,
    knowledge,
    knowledge_files,
    knowledge_ocr,
    kbpackage,
    logs,
    bundle,
    backup,
    privacy,
    limits,
    remote,
    cli,
)


def _assemble() -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for area in AREAS:
        prefix = getattr(area, "AREA", area.__name__.rsplit(".", 1)[1]) + "."
        for code, entry in area.MESSAGES.items():
            if not code.startswith(prefix) or code in merged:
                raise RuntimeError(f"message code {code!r} is misplaced or defined twice")
            merged[code] = entry
    return merged


CATALOGUE: dict[str, Entry] = _assemble()
