"""m0004: each turn stores the passages it was given and which ones its answer cites."""

from __future__ import annotations

from desktop.storage.dbapi import Connection


def m0004_turn_citations(conn: Connection) -> None:
    conn.execute(
        "ALTER TABLE turns ADD COLUMN citations TEXT NOT NULL DEFAULT '[]'"
        " CHECK (json_type(citations) = 'array')"
    )
