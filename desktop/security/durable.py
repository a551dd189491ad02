"""Atomic, durable file replacement (temp file 0600, fsync, rename, fsync of the folder)."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically and durably, mode 0600.

    Writes a temp file in the same directory, fsyncs it, renames it over ``path`` (or,
    with ``exclusive``, links it and raises FileExistsError when ``path`` exists) and
    fsyncs the directory. No temp file is left behind, whatever fails.
    """
    directory = path.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if os.name == "posix":
                os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            _link_new(temp, path)
        else:
            os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_directory(directory)


def _link_new(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (some filesystems): check, then rename
        if path.exists():
            raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
        os.replace(temp, path)


def _fsync_directory(directory: Path) -> None:
    if os.name != "posix":
        return  # Windows makes a rename durable with the file; directories cannot be opened
    fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise  # some filesystems cannot sync a directory; others must
    finally:
        os.close(fd)
