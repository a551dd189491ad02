"""Knowledge bases: documents with versions, chunks, embeddings, FTS5 and the vector index.

- ``documents.active_version_id`` names the version search uses; only chunks of active
  versions are searchable. It references ``document_versions``, which references
  ``documents``: a document is inserted with no active version and pointed at its first
  version afterwards (a trigger keeps it pointing at one of its *own* versions).
- Versions and chunks never change once written (triggers refuse updates). Big columns
  (``text``, ``original``) come last in their rows, so reading the small ones never walks
  a row's overflow pages.
- ``chunk_fts`` is an external-content FTS5 table (``trigram`` tokenizer) over
  ``chunks.fts_text``: the chunk text plus two line breaks, a virtual generated column.
  The sentinel gives every character, the last two included, a trigram that *starts*
  with it, so 1-2 character terms are found through the index (``chunk_fts_terms``, an
  ``fts5vocab`` view of it) instead of scanning every chunk's text.
- Ids are ``AUTOINCREMENT``: an id is never reused, so a set of active version ids
  identifies a set of active chunks (see ``active_stamp``).

Shipped: never edit this migration; add a new one instead.
"""

from __future__ import annotations

from desktop.storage.dbapi import Connection, scalar

#: FTS5 learned ``secure-delete`` (deleted entries really removed) in SQLite 3.44.
_SECURE_DELETE_SINCE = (3, 44, 0)

_STATEMENTS = (
    """
    CREATE TABLE knowledge_bases (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description   TEXT NOT NULL,
        visibility    TEXT NOT NULL CHECK (visibility IN ('only_me', 'all', 'partial')),
        members       TEXT NOT NULL CHECK (json_type(members) = 'array'),
        app_allowlist TEXT NOT NULL CHECK (json_type(app_allowlist) = 'array'),
        settings      TEXT NOT NULL CHECK (json_type(settings) = 'object'),
        created_by    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL
    ) STRICT
    """,
    """
    CREATE TABLE documents (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        kb_id             INTEGER NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        name              TEXT NOT NULL,
        active_version_id INTEGER REFERENCES document_versions (id),
        created_at        TEXT NOT NULL,
        UNIQUE (kb_id, name)
    ) STRICT
    """,
    # Deleting a version looks for documents naming it; rollback joins on it.
    "CREATE INDEX documents_by_active_version ON documents (active_version_id)",
    """
    CREATE TRIGGER documents_active_version_is_own
    BEFORE UPDATE OF active_version_id ON documents
    WHEN NEW.active_version_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM document_versions
        WHERE id = NEW.active_version_id AND document_id = NEW.id
    )
    BEGIN
        SELECT RAISE(ABORT, 'documents: the active version must be one of its own versions');
    END
    """,
    """
    CREATE TABLE document_versions (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL CHECK (size >= 0),
        kind        TEXT NOT NULL,
        meta        TEXT NOT NULL CHECK (json_type(meta) = 'object'),
        added_by    TEXT NOT NULL,
        added_at    TEXT NOT NULL,
        text        TEXT NOT NULL,
        original    BLOB NOT NULL,
        UNIQUE (document_id, version)
    ) STRICT
    """,
    """
    CREATE TRIGGER document_versions_no_update BEFORE UPDATE ON document_versions
    BEGIN
        SELECT RAISE(ABORT, 'document_versions is append-only: add a new version instead');
    END
    """,
    """
    CREATE TABLE chunks (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        version_id INTEGER NOT NULL REFERENCES document_versions (id) ON DELETE CASCADE,
        kb_id      INTEGER NOT NULL REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL CHECK (idx >= 0),
        start      INTEGER NOT NULL CHECK (start >= 0),
        "end"      INTEGER NOT NULL CHECK ("end" >= start),
        heading    TEXT NOT NULL,
        text       TEXT NOT NULL,
        fts_text   TEXT GENERATED ALWAYS AS (text || char(10, 10)) VIRTUAL,
        UNIQUE (version_id, idx)
    ) STRICT
    """,
    "CREATE INDEX chunks_by_kb ON chunks (kb_id)",
    # Search filters every FTS hit by kb and version: this narrow copy answers that from
    # a few cached pages instead of one wide (text-carrying) table page per hit.
    "CREATE INDEX chunks_scope ON chunks (id, kb_id, version_id)",
    """
    CREATE TABLE embeddings (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
        vector   BLOB NOT NULL
    ) STRICT
    """,
    """
    CREATE VIRTUAL TABLE chunk_fts USING fts5 (
        fts_text, content = 'chunks', content_rowid = 'id', tokenize = 'trigram'
    )
    """,
    "CREATE VIRTUAL TABLE chunk_fts_terms USING fts5vocab (chunk_fts, row)",
    """
    CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks
    BEGIN
        INSERT INTO chunk_fts (rowid, fts_text) VALUES (NEW.id, NEW.fts_text);
    END
    """,
    """
    CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks
    BEGIN
        INSERT INTO chunk_fts (chunk_fts, rowid, fts_text) VALUES ('delete', OLD.id, OLD.fts_text);
    END
    """,
    # The FTS index holds the text as inserted: a changed chunk would leave it stale.
    """
    CREATE TRIGGER chunks_no_update BEFORE UPDATE ON chunks
    BEGIN
        SELECT RAISE(ABORT, 'chunks are immutable: add a new document version instead');
    END
    """,
    """
    CREATE TABLE kb_index (
        kb_id    INTEGER PRIMARY KEY REFERENCES knowledge_bases (id) ON DELETE CASCADE,
        blob     BLOB NOT NULL,
        stamp    TEXT NOT NULL,
        saved_at TEXT NOT NULL
    ) STRICT
    """,
)


def _sqlite_version(conn: Connection) -> tuple[int, ...]:
    text = str(scalar(conn, "SELECT sqlite_version()"))
    return tuple(int(part) for part in text.split(".")[:3])


def m0003_knowledge(conn: Connection) -> None:
    """Create the knowledge-base tables, the trigram FTS5 index and their triggers.

    Where the library supports it, FTS5 ``secure-delete`` is switched on, so deleted
    chunks leave no terms behind in the index (SQLCipher's SQLite always does).
    """
    for statement in _STATEMENTS:
        conn.execute(statement)
    if _sqlite_version(conn) >= _SECURE_DELETE_SINCE:
        conn.execute("INSERT INTO chunk_fts (chunk_fts, rank) VALUES ('secure-delete', 1)")
