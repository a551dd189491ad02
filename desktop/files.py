"""The user's own files, as both front ends (``kura`` and the GUI) read and write them:
a new file written whole and owner-only (an exported bundle), and the files to add to a
knowledge base. Qt-free; the refusals are catalogue codes whose remedy each front end
words its own way (another ``--out`` for the CLI, another file or folder for the GUI)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import InputError
from desktop.core.tasks import CancelToken


def refuse_existing(path: Path) -> InputError:
    """The error for a ``path`` that exists already (also for a check made early)."""
    return InputError("storage.new_file_exists", path=path)


def write_new_file(path: Path, data: bytes) -> None:
    """Write a new file (owner-only permissions) through a hidden temporary name in the
    same folder; an existing file is never replaced, and a failed write leaves nothing.
    Raises InputError (``storage.new_file_*``)."""
    if path.exists():
        raise refuse_existing(path)
    if not path.parent.is_dir():
        raise InputError("storage.new_file_no_folder", folder=path.parent)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(partial, path)  # fails, rather than replaces, if it appeared meanwhile
        except FileExistsError:
            raise
        except OSError:  # no hard links (FAT/exFAT removable media): checked, then renamed
            if path.exists():
                raise FileExistsError(path) from None
            os.replace(partial, path)
    except FileExistsError:
        raise refuse_existing(path) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InputError("storage.new_file_failed", path=path, reason=reason) from None
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class FileSource:
    """A file on disk as a DocumentSource; read only when its turn comes."""

    name: str
    path: Path
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True, slots=True)
class Missing:
    """A path given that is neither a file nor a folder (gone, or unreadable)."""

    name: str
    given: str  # the path as given
    error: str = ""  # the system's reason when it could not be read; "" when not found


def _any_file(name: str) -> bool:
    return True


def _walk(folder: Path, token: CancelToken, keep: Callable[[str], bool]) -> list[FileSource]:
    found: list[FileSource] = []
    for root, dirs, files in os.walk(folder):
        token.raise_if_cancelled()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".") and keep(f)):
            file = Path(root) / name
            try:
                size = file.stat().st_size
            except OSError:  # gone meanwhile, or a broken link
                continue
            found.append(FileSource(file.relative_to(folder).as_posix(), file, size))
    return found


def collect_sources(
    paths: Iterable[str],
    token: CancelToken | None = None,
    *,
    keep: Callable[[str], bool] = _any_file,
) -> tuple[list[FileSource], list[Missing]]:
    """The files to add, and the paths that are neither a file nor a folder. Files named
    directly keep their name; files inside a folder are named by their path in it (so a
    folder added again lines up with the versions stored). Folders are walked for the
    files whose name ``keep`` accepts, hidden files and folders skipped, in a stable order;
    a file named directly is always taken."""
    token = token or CancelToken()
    sources: list[FileSource] = []
    missing: list[Missing] = []
    for raw in paths:
        token.raise_if_cancelled()
        path = Path(raw).expanduser()
        try:
            if path.is_dir():
                sources.extend(_walk(path, token, keep))
            elif path.is_file():
                sources.append(FileSource(path.name, path, path.stat().st_size))
            else:
                missing.append(Missing(path.name or raw, raw))
        except OSError as exc:
            missing.append(Missing(path.name or raw, raw, exc.strerror or type(exc).__name__))
    return sources, missing
