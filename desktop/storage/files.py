"""The database file's neighbours: side files an open may create, and the migration backup.

Nothing readable is ever written here: the backup is a byte copy of the encrypted file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

#: Files SQLite may create next to the database.
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
BACKUP_SUFFIX = ".pre-migration"
_COPY_CHUNK = 1 << 20


def side_path(path: Path, suffix: str) -> Path:
    """``kura.db`` + ``-wal`` -> ``kura.db-wal``."""
    return path.with_name(path.name + suffix)


def backup_path(path: Path) -> Path:
    """Where the pre-migration copy of ``path`` lives while migrations run."""
    return side_path(path, BACKUP_SUFFIX)


class SideFiles:
    """Which side files existed before an open, so a failed open removes only new ones."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._existed = frozenset(s for s in SIDE_SUFFIXES if side_path(path, s).exists())
        wal = side_path(path, "-wal")
        self.wal_has_content = wal.exists() and wal.stat().st_size > 0

    def remove_new(self) -> None:
        """Delete the side files that did not exist when this object was made."""
        for suffix in SIDE_SUFFIXES:
            if suffix not in self._existed:
                side_path(self._path, suffix).unlink(missing_ok=True)


def make_backup(path: Path) -> Path:
    """Copy the (encrypted) database file next to itself, durably; returns the copy."""
    backup = backup_path(path)
    partial = side_path(backup, ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as dst, path.open("rb") as src:
            shutil.copyfileobj(src, dst, _COPY_CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, backup)
    fsync_dir(path.parent)
    return backup


def restore_backup(path: Path, backup: Path) -> None:
    """Put the backup back in place of ``path``; the connection must be closed first.

    The side files go first: a WAL left from the failed run would otherwise be replayed
    onto the restored file.
    """
    for suffix in SIDE_SUFFIXES:
        side_path(path, suffix).unlink(missing_ok=True)
    os.replace(backup, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make renames and deletions in ``directory`` durable (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
