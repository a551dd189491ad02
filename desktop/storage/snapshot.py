"""A consistent, encrypted snapshot of the open database (for backups).

SQLite's online backup API copies every page of the live database, in one step inside
one read transaction of the live connection, into a new file opened under a fresh raw
key: the snapshot is what one reader saw at one moment, while other connections go on
writing (WAL). SQLCipher decrypts each page as it is read (checking its HMAC) and
encrypts it under the new key as it is written, so the target is encrypted from its
first page, no plaintext byte reaches the disk, and the live database file is never
copied. Both files use SQLCipher 4's settings (page size, reserve, HMAC), which the
backup API requires; the recipe never changes them.

Pages are copied, not rebuilt: unlike ``sqlcipher_export`` no index or full-text table
is rebuilt through SQL, and the copy needs no ``quick_check`` of its own (restore runs
one before installing anything). A page of the live file that fails its authentication
is reported as a problem and the backup refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, cast

from desktop.storage import recipe
from desktop.storage.dbapi import SQLITE_CORRUPT, Connection, primary_code, scalar
from desktop.storage.migrations import applied_migrations


class _PageCopier(Protocol):
    """The driver connection's online backup (``sqlite3.Connection.backup``)."""

    def backup(self, target: Any, *, pages: int = -1) -> None: ...


def export_snapshot(conn: Connection, driver: Any, target: Path, key: bytes) -> dict[str, Any]:
    """Copy the database into ``target`` (an empty file) under ``key``; return the facts
    read in the same transaction: workspace id, schema, audit head, and the damage met
    while copying (``problems``, empty when every page authenticated)."""
    if conn.in_transaction:
        raise RuntimeError("snapshot inside a transaction")
    literal = recipe.key_literal(key)
    dest = recipe.connect(driver, target)
    try:
        recipe.apply_key(dest, literal)
        recipe.set_and_check(dest, recipe.MEMORY_PRAGMAS)
        # No journal and no syncs: a half-written target is discarded whole, and the
        # sealed file is made durable with one fsync (``backup_file.seal``). A tiny
        # cache: each page goes straight through to the file.
        dest.execute("PRAGMA journal_mode = OFF").fetchall()
        dest.execute("PRAGMA synchronous = OFF")
        dest.execute("PRAGMA cache_size = 2")
        conn.execute("BEGIN")
        try:
            facts = _facts(conn)  # the first read opens the snapshot the copy is made in
            facts["problems"] = _copy(conn, dest, driver)
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    finally:
        dest.close()
    return facts


def _copy(conn: Connection, dest: Connection, driver: Any) -> list[str]:
    """Every page, in one backup step (which reuses ``conn``'s open read transaction)."""
    try:
        cast(_PageCopier, conn).backup(dest, pages=-1)
    except MemoryError as exc:  # SQLCipher's SQLITE_NOMEM for a page failing its HMAC
        return [f"a page fails authentication ({exc!r})"]
    except driver.Error as exc:
        if primary_code(exc) == SQLITE_CORRUPT:
            return [f"{type(exc).__name__}: {exc}"]
        # SQLCipher reports a page failing its HMAC to the backup step as a bare
        # SQLITE_ERROR: tell damage from any other failure by authenticating every page
        rows = [str(r[0]) for r in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
        if not rows:
            raise
        return [f"cipher_integrity_check: {row}" for row in rows]
    return []


def _facts(conn: Connection) -> dict[str, Any]:
    names = applied_migrations(conn)
    row = conn.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    return {
        "workspace_id": str(
            scalar(conn, "SELECT value FROM settings WHERE key = 'workspace_id'") or ""
        ),
        "schema_version": len(names),
        "schema_head": names[-1] if names else "",
        "audit_seq": int(row[0]) if row else 0,
        "audit_head": str(row[1]) if row else "",
        "user_version": int(scalar(conn, "PRAGMA user_version") or 0),
    }
