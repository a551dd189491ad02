"""m0014: the saved vector index in parts, so it may pass SQLite's 1 GB value limit.

``kb_index`` keeps the stamp and gains ``size`` (the serialized index's length in
bytes); the bytes move to ``kb_index_part`` (``part`` 0, 1, ...), cut into parts of at
most ``PART_BYTES``, and ``kb_index.blob`` is dropped. Parts go with their ``kb_index``
row (and so with their knowledge base).
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection

#: The part size of the indexes moved here (as ``repo_knowledge_index`` cuts them).
PART_BYTES = 32 * 2**20

_CREATE = """
    CREATE TABLE kb_index_part (
        kb_id INTEGER NOT NULL REFERENCES kb_index (kb_id) ON DELETE CASCADE,
        part  INTEGER NOT NULL CHECK (part >= 0),
        blob  BLOB NOT NULL,
        PRIMARY KEY (kb_id, part)
    ) STRICT
"""

# Part n of each blob is its bytes n * size + 1 ... (n + 1) * size (substr of a BLOB
# counts bytes, from 1); an empty blob is one empty part (substr gives NULL for it).
_MOVE = """
    WITH RECURSIVE cut (kb_id, part) AS (
        SELECT kb_id, 0 FROM kb_index
        UNION ALL
        SELECT cut.kb_id, cut.part + 1 FROM cut JOIN kb_index AS k ON k.kb_id = cut.kb_id
        WHERE (cut.part + 1) * ?1 < length(k.blob)
    )
    INSERT INTO kb_index_part (kb_id, part, blob)
    SELECT cut.kb_id, cut.part, coalesce(substr(k.blob, cut.part * ?1 + 1, ?1), x'')
    FROM cut JOIN kb_index AS k ON k.kb_id = cut.kb_id
"""


def m0014_index_parts(conn: Connection) -> None:
    conn.execute(_CREATE)
    conn.execute(_MOVE, (PART_BYTES,))
    conn.execute("ALTER TABLE kb_index ADD COLUMN size INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE kb_index SET size = length(blob)")
    conn.execute("ALTER TABLE kb_index DROP COLUMN blob")
