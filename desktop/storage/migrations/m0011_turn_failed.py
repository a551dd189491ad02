"""m0011: a turn may end as ``failed`` (the model or its process failed mid-answer).

The model now runs in its own process. When that process dies part-way through an
answer, the words already streamed are kept, and the turn is marked ``failed`` instead
of being thrown away. The ``stop_reason`` CHECK constraint of m0002 gains that value.

Widening a CHECK constraint changes nothing stored, so it uses the procedure SQLite
documents for exactly that ("ALTER TABLE", section "Making Other Kinds Of Table Schema
Changes": rewrite the table's SQL in the schema with ``writable_schema``, bump
``schema_version``), inside this migration's transaction, and checks the result with
``integrity_check`` before the transaction commits.
"""

from __future__ import annotations

from desktop.core.errors import MigrationFailed
from desktop.storage.dbapi import Connection, scalar

_OLD = "stop_reason IS NULL OR stop_reason IN ('stop', 'length', 'cancelled')"
_NEW = "stop_reason IS NULL OR stop_reason IN ('stop', 'length', 'cancelled', 'failed')"


def m0011_turn_failed(conn: Connection) -> None:
    sql = scalar(conn, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'turns'")
    if not isinstance(sql, str) or sql.count(_OLD) != 1:
        raise MigrationFailed("workspace.migration_unexpected_turns")
    version = int(scalar(conn, "PRAGMA schema_version"))
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'turns'",
            (sql.replace(_OLD, _NEW),),
        )
        conn.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if problems != ["ok"]:
        raise MigrationFailed(
            "workspace.migration_check_failed", step="m0011", problems=problems[:3]
        )
