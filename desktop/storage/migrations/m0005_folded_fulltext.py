"""m0005: full-text search sees chunk text in NFKC, so full-width and half-width forms meet.

The ``trigram`` tokenizer folds case but not width: a question for ``2024年`` or ``PDF``
never found ``２０２４年`` or ``ＰＤＦ`` (queries are NFKC-normalised; the index was not).

- ``chunks.folded`` holds NFKC(text) when it differs from ``text``, else NULL, so text
  that is already normal (most of it) is not stored twice.
- ``chunks.search_text`` (virtual, generated) is ``coalesce(folded, text)`` plus the two
  line breaks of ``fts_text`` (see m0003), and ``chunk_fts`` is rebuilt over it; its
  triggers, the ``chunk_fts_terms`` view and the immutability trigger are recreated.
  ``fts_text`` stays, unused: a generated column cannot be dropped.
"""

from __future__ import annotations

import unicodedata

from desktop.storage.dbapi import Connection, scalar

_SECURE_DELETE_SINCE = (3, 44, 0)
_BATCH = 500

_DROP = (
    "DROP TRIGGER chunks_fts_insert",
    "DROP TRIGGER chunks_fts_delete",
    "DROP TRIGGER chunks_no_update",
    "DROP TABLE chunk_fts_terms",
    "DROP TABLE chunk_fts",
    "ALTER TABLE chunks ADD COLUMN folded TEXT",
)

_CREATE = (
    "ALTER TABLE chunks ADD COLUMN search_text TEXT"
    " GENERATED ALWAYS AS (coalesce(folded, text) || char(10, 10)) VIRTUAL",
    """
    CREATE VIRTUAL TABLE chunk_fts USING fts5 (
        search_text, content = 'chunks', content_rowid = 'id', tokenize = 'trigram'
    )
    """,
    "CREATE VIRTUAL TABLE chunk_fts_terms USING fts5vocab (chunk_fts, row)",
    """
    CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks
    BEGIN
        INSERT INTO chunk_fts (rowid, search_text) VALUES (NEW.id, NEW.search_text);
    END
    """,
    """
    CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks
    BEGIN
        INSERT INTO chunk_fts (chunk_fts, rowid, search_text)
        VALUES ('delete', OLD.id, OLD.search_text);
    END
    """,
    """
    CREATE TRIGGER chunks_no_update BEFORE UPDATE ON chunks
    BEGIN
        SELECT RAISE(ABORT, 'chunks are immutable: add a new document version instead');
    END
    """,
)


def folded(text: str) -> str | None:
    """NFKC(text), or None when that is ``text`` itself."""
    normal = unicodedata.normalize("NFKC", text)
    return None if normal == text else normal


def m0005_folded_fulltext(conn: Connection) -> None:
    for statement in _DROP:
        conn.execute(statement)
    last = 0
    while True:
        rows = conn.execute(
            "SELECT id, text FROM chunks WHERE id > ? ORDER BY id LIMIT ?", (last, _BATCH)
        ).fetchall()
        if not rows:
            break
        for cid, text in rows:
            value = folded(str(text))
            if value is not None:
                conn.execute("UPDATE chunks SET folded = ? WHERE id = ?", (value, cid))
        last = int(rows[-1][0])
    for statement in _CREATE:
        conn.execute(statement)
    version = tuple(int(p) for p in str(scalar(conn, "SELECT sqlite_version()")).split(".")[:3])
    if version >= _SECURE_DELETE_SINCE:
        conn.execute("INSERT INTO chunk_fts (chunk_fts, rank) VALUES ('secure-delete', 1)")
    conn.execute("INSERT INTO chunk_fts (chunk_fts) VALUES ('rebuild')")
