"""Where a workspace lives: the data directory (``--data-dir``, ``KURA_DATA_DIR`` or the
platform's user data folder) and the two files in it, the encrypted database and the key
slots file."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from desktop.core.errors import DataDirUnreadable, WorkspaceNotFound

DB_NAME = "kura.db"
SLOTS_NAME = "keyslots.json"
APP_DIR_NAME = "kura"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``KURA_DATA_DIR``, else the platform's user data dir."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("KURA_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Layout:
    data_dir: Path

    @property
    def db(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def slots(self) -> Path:
        return self.data_dir / SLOTS_NAME

    def exists(self) -> bool:
        """True when either workspace file is there; unreadable parents are an error."""
        try:
            return self.db.exists() or self.slots.exists()
        except OSError as exc:
            raise DataDirUnreadable("workspace.cannot_look_inside", folder=self.data_dir) from exc


def check_dir(data_dir: Path) -> None:
    """Refuse a data directory that is missing, not a folder, or not ours to use."""
    unreadable = DataDirUnreadable("workspace.data_dir_unusable", folder=data_dir)
    try:
        st = data_dir.stat()
    except FileNotFoundError:
        raise WorkspaceNotFound("workspace.no_workspace_at", folder=data_dir) from None
    except OSError as exc:
        raise unreadable from exc
    if not stat.S_ISDIR(st.st_mode):
        raise DataDirUnreadable("workspace.data_dir_not_folder", folder=data_dir)
    if not os.access(data_dir, os.R_OK | os.W_OK | os.X_OK):
        raise unreadable
