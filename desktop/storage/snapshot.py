"""A consistent, encrypted snapshot of the open database (for backups).

``sqlcipher_export`` copies every table, index, trigger and view into a database
attached under a fresh raw key, inside one read transaction of the live connection: the
snapshot is what one reader saw at one moment, while other connections go on writing
(WAL). The target is encrypted from its first page; no plaintext byte reaches the disk,
and the live database file is never copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.storage.dbapi import Connection, scalar
from desktop.storage.migrations import applied_migrations
from desktop.storage.recipe import key_literal

_ALIAS = "kura_snapshot"


def export_snapshot(conn: Connection, target: Path, key: bytes) -> dict[str, Any]:
    """Export the database into ``target`` (an empty file) under ``key``; return the
    facts read in the same transaction: workspace id, schema, audit head, and the
    problems ``quick_check`` finds in the copy (``problems``, empty when sound)."""
    if conn.in_transaction:
        raise RuntimeError("snapshot inside a transaction")
    literal = key_literal(key)
    conn.execute(f"ATTACH DATABASE ? AS {_ALIAS} KEY {literal}", (str(target),))
    try:
        conn.execute(f"PRAGMA {_ALIAS}.cipher_memory_security = ON")
        conn.execute("BEGIN")
        try:
            facts = _facts(conn)
            conn.execute(f"SELECT sqlcipher_export('{_ALIAS}')").fetchall()
            conn.execute(f"PRAGMA {_ALIAS}.user_version = {int(facts['user_version'])}")
            # the copy is checked, not the live file: no writer moves it meanwhile
            rows = conn.execute(f"PRAGMA {_ALIAS}.quick_check").fetchall()
            facts["problems"] = [f"quick_check: {r[0]}" for r in rows if str(r[0]) != "ok"]
        finally:
            conn.execute("COMMIT" if conn.in_transaction else "SELECT 1")
    finally:
        conn.execute(f"DETACH DATABASE {_ALIAS}")
    return facts


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
