"""m0012: search in one's own conversations, and files dropped on a conversation.

- ``turn_fts`` indexes each turn's question and answer with the ``trigram`` tokenizer
  (as ``chunk_fts`` does for knowledge, so Japanese, which has no spaces, is found by
  any three characters of it). It is an external-content table over ``turns``: the
  text is not stored twice, and triggers keep it in step when a turn is added, its
  answer stored, or it is deleted (directly, or with its conversation). Secure delete
  is on where SQLite has it, so deleted text leaves the index too.
- ``knowledge_bases.conversation_id`` marks a conversation's private knowledge base
  (the files its user dropped on it); deleting the conversation deletes it, with its
  documents, chunks and vectors (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection, scalar

_SECURE_DELETE_SINCE = (3, 44, 0)

_STATEMENTS = (
    "ALTER TABLE knowledge_bases ADD COLUMN conversation_id INTEGER"
    " REFERENCES conversations (id) ON DELETE CASCADE",
    "CREATE INDEX knowledge_bases_conversation ON knowledge_bases (conversation_id)"
    " WHERE conversation_id IS NOT NULL",
    """
    CREATE VIRTUAL TABLE turn_fts USING fts5 (
        user_text, answer, content = 'turns', content_rowid = 'id', tokenize = 'trigram'
    )
    """,
    """
    CREATE TRIGGER turns_fts_insert AFTER INSERT ON turns
    BEGIN
        INSERT INTO turn_fts (rowid, user_text, answer)
        VALUES (NEW.id, NEW.user_text, NEW.answer);
    END
    """,
    """
    CREATE TRIGGER turns_fts_delete AFTER DELETE ON turns
    BEGIN
        INSERT INTO turn_fts (turn_fts, rowid, user_text, answer)
        VALUES ('delete', OLD.id, OLD.user_text, OLD.answer);
    END
    """,
    """
    CREATE TRIGGER turns_fts_update AFTER UPDATE OF user_text, answer ON turns
    BEGIN
        INSERT INTO turn_fts (turn_fts, rowid, user_text, answer)
        VALUES ('delete', OLD.id, OLD.user_text, OLD.answer);
        INSERT INTO turn_fts (rowid, user_text, answer)
        VALUES (NEW.id, NEW.user_text, NEW.answer);
    END
    """,
)


def m0012_conversation_search_files(conn: Connection) -> None:
    for statement in _STATEMENTS:
        conn.execute(statement)
    version = tuple(int(p) for p in str(scalar(conn, "SELECT sqlite_version()")).split(".")[:3])
    if version >= _SECURE_DELETE_SINCE:
        conn.execute("INSERT INTO turn_fts (turn_fts, rank) VALUES ('secure-delete', 1)")
    conn.execute("INSERT INTO turn_fts (turn_fts) VALUES ('rebuild')")
