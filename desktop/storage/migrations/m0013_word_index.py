"""m0013: a word index beside the trigram index, from Sudachi's normalised content words.

``chunk_words`` is an FTS5 table (``unicode61`` tokenizer) holding, for each chunk (its
rowid is the chunk id), the space-separated words :func:`desktop.analysis.index_words`
finds in its search text: content words in their normalised form (附属 and 付属 are one
word), so a question meets the passage however either spells it. The SQL function
``kura_words`` computes them (:func:`register_words`, done on every connection the
migrations run on); triggers keep the table in step with ``chunks``, and this migration
fills it for the chunks already stored.
"""

from __future__ import annotations

from typing import Any

from desktop.analysis import index_words
from desktop.storage.dbapi import Connection, scalar

_SECURE_DELETE_SINCE = (3, 44, 0)

_CREATE = (
    """
    CREATE VIRTUAL TABLE chunk_words USING fts5 (
        words, tokenize = 'unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER chunks_words_insert AFTER INSERT ON chunks
    BEGIN
        INSERT INTO chunk_words (rowid, words) VALUES (NEW.id, kura_words(NEW.search_text));
    END
    """,
    """
    CREATE TRIGGER chunks_words_delete AFTER DELETE ON chunks
    BEGIN
        DELETE FROM chunk_words WHERE rowid = OLD.id;
    END
    """,
)


def register_words(conn: Connection) -> None:
    """Give ``conn`` the SQL function ``kura_words(text)`` the triggers call."""
    create: Any = getattr(conn, "create_function", None)
    if create is not None:
        create("kura_words", 1, _words, deterministic=True)


def _words(text: object) -> str:
    return index_words(text) if isinstance(text, str) else ""


def m0013_word_index(conn: Connection) -> None:
    register_words(conn)
    for statement in _CREATE:
        conn.execute(statement)
    version = tuple(int(p) for p in str(scalar(conn, "SELECT sqlite_version()")).split(".")[:3])
    if version >= _SECURE_DELETE_SINCE:
        conn.execute("INSERT INTO chunk_words (chunk_words, rank) VALUES ('secure-delete', 1)")
    conn.execute(
        "INSERT INTO chunk_words (rowid, words) SELECT id, kura_words(search_text) FROM chunks"
    )
