"""The user's own files, as both front ends (``kura`` and the GUI) read and write them:
a new file written whole and owner-only (an exported bundle), and the files to add to a
knowledge base. Qt-free; each front end words the refusals in its own language."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import InputError


@dataclass(frozen=True, slots=True)
class NewFileRefusals:
    """What to say when a new file cannot be written: ``str.format`` templates that may
    use ``{path}``, ``{name}`` (the file's name), ``{folder}`` and, in ``failed``,
    ``{reason}`` (the system's words)."""

    exists: str
    no_folder: str
    failed: str

    def refuse(self, template: str, path: Path, reason: str = "") -> InputError:
        return InputError(
            template.format(path=path, name=path.name, folder=path.parent, reason=reason)
        )

    def refuse_existing(self, path: Path) -> InputError:
        """The error for a ``path`` that exists already (also for a check made early)."""
        return self.refuse(self.exists, path)


def write_new_file(path: Path, data: bytes, refusals: NewFileRefusals) -> None:
    """Write a new file (owner-only permissions) through a hidden temporary name in the
    same folder; an existing file is never replaced, and a failed write leaves nothing.
    Raises InputError, worded by ``refusals``."""
    if path.exists():
        raise refusals.refuse_existing(path)
    if not path.parent.is_dir():
        raise refusals.refuse(refusals.no_folder, path)
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
        raise refusals.refuse_existing(path) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise refusals.refuse(refusals.failed, path, reason) from None
    finally:
        partial.unlink(missing_ok=True)
