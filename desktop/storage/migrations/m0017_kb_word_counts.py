"""m0017: full-text statistics kept per knowledge base, so a search never counts them.

``kb_word_counts`` holds, for each knowledge base and each word of the word index
(``chunk_words``, m0013), in how many of the kb's *active* chunks the word occurs;
``knowledge_bases.active_chunks`` holds how many active chunks the kb has. The
knowledge repository keeps both in step, in the transaction that changes a document's
active version or deletes a document (:mod:`desktop.storage.repo_knowledge_stats`);
deleting a kb deletes its rows. This migration counts them for the chunks already
stored.
"""

from __future__ import annotations

from desktop.storage import repo_knowledge_stats as stats
from desktop.storage.dbapi import Connection

_CREATE = (
    """
    CREATE TABLE kb_word_counts (
        kb_id  INTEGER NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        word   TEXT NOT NULL,
        chunks INTEGER NOT NULL,
        PRIMARY KEY (kb_id, word)
    ) STRICT, WITHOUT ROWID
    """,
    "ALTER TABLE knowledge_bases ADD COLUMN active_chunks INTEGER NOT NULL DEFAULT 0",
)


def m0017_kb_word_counts(conn: Connection) -> None:
    for statement in _CREATE:
        conn.execute(statement)
    kbs = [int(row[0]) for row in conn.execute("SELECT id FROM knowledge_bases").fetchall()]
    for kb_id in kbs:
        stats.recount(conn, kb_id)
