"""Reading and writing ``keyslots.json``: the file's errors named for the user (missing,
unreadable, damaged, too new, created meanwhile), the write atomic and durable."""

from __future__ import annotations

from pathlib import Path

from desktop.core.errors import (
    DatabaseCorrupt,
    DataDirUnreadable,
    SchemaTooNew,
    WorkspaceExists,
    WorkspaceNotFound,
)
from desktop.security.durable import write_atomic
from desktop.security.slotfile import FILE_NAME, SlotFile


def read_file(path: Path) -> SlotFile:
    """The slots file at ``path``; AppErrors naming the file for a missing, unreadable,
    damaged or too new one."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise WorkspaceNotFound("workspace.not_found", folder=path.parent, file=FILE_NAME) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_read_permissions", path=path, reason=exc.strerror or str(exc)
        ) from exc
    try:
        return SlotFile.parse(data)
    except SchemaTooNew:
        raise
    except ValueError as exc:
        raise DatabaseCorrupt(
            "workspace.keyslots_damaged", path=path, reason=str(exc), details=repr(exc)
        ) from exc


def write_file(path: Path, state: SlotFile, *, exclusive: bool = False) -> None:
    """Replace (``exclusive``: create) the slots file atomically."""
    try:
        write_atomic(path, state.to_bytes(), exclusive=exclusive)
    except FileExistsError as exc:
        raise WorkspaceExists("workspace.created_meanwhile", folder=path.parent) from exc
    except OSError as exc:
        raise DataDirUnreadable(
            "workspace.cannot_write", path=path, reason=exc.strerror or str(exc)
        ) from exc


# ---- validation helpers ---------------------------------------------------------------
