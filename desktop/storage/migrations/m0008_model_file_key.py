"""m0008: a model file's identity beyond size and mtime.

The SHA-256 of a registered GGUF is re-computed only when the file looks changed. Size
and mtime alone can be kept by a same-size swap with its mtime set back; ``file_key``
adds the device, the inode and the change time (which no user can set), so such a swap
is hashed again. Existing rows start empty, which makes the next use re-hash once.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection


def m0008_model_file_key(conn: Connection) -> None:
    conn.execute("ALTER TABLE models ADD COLUMN file_key TEXT NOT NULL DEFAULT ''")
