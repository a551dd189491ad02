"""The user's own files, as both front ends (``kura`` and the GUI) read and write them:
a new file written whole and owner-only (an exported bundle), and the files to add to a
knowledge base. Qt-free; the refusals are catalogue codes whose remedy each front end
words its own way (another ``--out`` for the CLI, another file or folder for the GUI)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import IngestionFailed, InputError
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
    """A file on disk as a DocumentSource; read only when its turn comes.

    ``root`` is the folder it was found in (None for a file named directly): a file
    found in a folder is read only while its real path lies inside that folder, so a
    symbolic link that leads out of it (``notes.txt -> ../secret.txt``) is refused as
    that file's failure, checked again when it is read."""

    name: str
    path: Path
    size: int
    root: Path | None = None

    def read(self) -> bytes:
        if self.root is not None and not _inside(self.path, self.root):
            raise IngestionFailed("knowledge.link_outside_folder", stage="read", name=self.name)
        return self.path.read_bytes()


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every link in it followed, lies inside ``root`` (resolved)."""
    try:
        return path.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # gone, or a link loop
        return False


@dataclass(frozen=True, slots=True)
class Missing:
    """A path given that is neither a file nor a folder (gone, or unreadable)."""

    name: str
    given: str  # the path as given
    error: str = ""  # the system's reason when it could not be read; "" when not found


def _any_file(name: str) -> bool:
    return True


def _walk(folder: Path, token: CancelToken, keep: Callable[[str], bool]) -> list[FileSource]:
    """The files under ``folder``; links are not followed out of it: a link to a file
    outside (or to a folder outside) becomes a source that fails, so it is reported."""
    found: list[FileSource] = []
    root = folder.resolve()
    for base, dirs, files in os.walk(folder):  # never descends into linked folders
        token.raise_if_cancelled()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        leaving = [d for d in dirs if (Path(base) / d).is_symlink()]
        for name in sorted(f for f in files if not f.startswith(".") and keep(f)):
            file = Path(base) / name
            try:
                size = file.lstat().st_size if file.is_symlink() else file.stat().st_size
            except OSError:  # gone meanwhile
                continue
            if file.is_symlink() and not _inside(file, root) and not file.exists():
                continue  # a broken link, as before: nothing to report
            found.append(FileSource(file.relative_to(folder).as_posix(), file, size, root))
        for name in leaving:
            link = Path(base) / name
            if link.exists() and not _inside(link, root):
                found.append(FileSource(link.relative_to(folder).as_posix(), link, 0, root))
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
    a file named directly is always taken. A link inside a folder that leads out of it
    is listed so that it fails when read, and is reported as skipped with the reason."""
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
