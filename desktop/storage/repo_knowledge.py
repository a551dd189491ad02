"""Knowledge bases, documents with versions, chunks, embeddings and the saved vector index.

Only the chunks of a document's *active* version (``documents.active_version_id``) are
searchable. Every method runs inside the caller's transaction; iterators must be
consumed before it ends. Full-text search lives in :mod:`repo_knowledge_search`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from typing import Any

from desktop.core.clock import Clock, SystemClock, iso_utc
from desktop.core.errors import NotFound
from desktop.core.knowledge_models import Chunk, DocumentVersion, KnowledgeBase, StoredChunk
from desktop.core.ports.retrieval import IndexBytes
from desktop.storage import repo_knowledge_index as saved_index
from desktop.storage import repo_knowledge_pages as pages
from desktop.storage import repo_knowledge_search as search
from desktop.storage import repo_knowledge_stats as stats
from desktop.storage import repo_knowledge_words as word_index
from desktop.storage.columns import json_object, to_json
from desktop.storage.dbapi import Connection, execute_many, scalar
from desktop.storage.repo_knowledge_rows import (
    BY_NAME,
    KB_COLUMNS,
    NAME_TAG,
    NAMED,
    SELECT_CHUNKS,
    SELECT_VERSION,
    display_name,
    id_list,
    kb_record,
    kb_values,
    stored_chunk,
    version_record,
)

_INSERT_CHUNK = (
    'INSERT INTO chunks (version_id, kb_id, idx, start, "end", heading, text, folded)'
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _kb_not_found(kb_id: int) -> NotFound:
    return NotFound("storage.kb_not_found", kb_id=kb_id)


def _doc_not_found(name: str) -> NotFound:
    return NotFound("storage.document_not_found", name=name)


class SqlKnowledgeRepository:
    """The ``KnowledgeRepository`` port over one DB-API connection."""

    def __init__(
        self, conn: Connection, clock: Clock | None = None, *, index_part_bytes: int = 0
    ) -> None:
        self._conn = conn
        self._clock: Clock = clock or SystemClock()
        self._index_part_bytes = index_part_bytes  # 0: INDEX_PART_BYTES (tests set it)

    # ------------------------------------------------------------ knowledge bases

    def create_kb(self, kb: KnowledgeBase) -> KnowledgeBase:
        """Insert (``kb.id`` is ignored). Names may repeat: the services decide who may
        reuse one (see ``NAME_TAG``)."""
        row = self._conn.execute(
            f"INSERT INTO knowledge_bases ({KB_COLUMNS.removeprefix('id, ')})"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {KB_COLUMNS}",
            (
                *kb_values(kb, self._stored_name(kb.name)),
                kb.created_by,
                kb.created_at,
                kb.updated_at,
            ),
        ).fetchone()
        return kb_record(row)

    def _stored_name(self, name: str, current: str | None = None) -> str:
        """``name`` itself when no other knowledge base stores it, else a tagged form;
        ``current`` (the stored name now) is kept when the name did not change."""
        if current is not None and display_name(current) == name:
            return current
        if scalar(self._conn, "SELECT 1 FROM knowledge_bases WHERE name = ?", (name,)) is None:
            return name
        return f"{name}{NAME_TAG}{secrets.token_hex(8)}"

    def get_kb(self, kb_id: int) -> KnowledgeBase | None:
        """The knowledge base with this id, or None."""
        row = self._conn.execute(
            f"SELECT {KB_COLUMNS} FROM knowledge_bases WHERE id = ?", (kb_id,)
        ).fetchone()
        return None if row is None else kb_record(row)

    def kbs_named(self, name: str) -> list[KnowledgeBase]:
        """The knowledge bases with this name, compared case-insensitively, by id."""
        rows = self._conn.execute(NAMED, (name,)).fetchall()
        return [kb_record(row) for row in rows]

    def list_kbs(self) -> list[KnowledgeBase]:
        """Every knowledge base but the conversations' private ones (m0012), by name
        (case-insensitively)."""
        rows = self._conn.execute(
            f"SELECT {KB_COLUMNS} FROM knowledge_bases WHERE conversation_id IS NULL"
            f" ORDER BY {BY_NAME}, id"
        ).fetchall()
        return [kb_record(row) for row in rows]

    def update_kb(self, kb: KnowledgeBase) -> None:
        """Store every field but id, ``created_by`` and ``created_at``; NotFound for an
        unknown id."""
        current = scalar(self._conn, "SELECT name FROM knowledge_bases WHERE id = ?", (kb.id,))
        if current is None:
            raise _kb_not_found(kb.id)
        self._conn.execute(
            "UPDATE knowledge_bases SET name = ?, description = ?, visibility = ?,"
            " members = ?, app_allowlist = ?, settings = ?, updated_at = ? WHERE id = ?",
            (*kb_values(kb, self._stored_name(kb.name, str(current))), kb.updated_at, kb.id),
        )

    def delete_kb(self, kb_id: int) -> None:
        """Remove the kb with its documents, chunks (and their FTS entries), embeddings and
        saved index (``ON DELETE CASCADE`` + triggers); NotFound for an unknown id."""
        cur = self._conn.execute("DELETE FROM knowledge_bases WHERE id = ?", (kb_id,))
        if cur.rowcount == 0:
            raise _kb_not_found(kb_id)

    # ------------------------------------------------------------ documents and versions

    def find_version(self, kb_id: int, name: str, sha256: str) -> DocumentVersion | None:
        """A stored version of ``name`` with exactly this content: the active one if it is
        one of them, else the newest."""
        row = self._conn.execute(
            f"{SELECT_VERSION} WHERE d.kb_id = ? AND d.name = ? AND v.sha256 = ?"
            " ORDER BY v.id IS d.active_version_id DESC, v.version DESC LIMIT 1",
            (kb_id, name, sha256),
        ).fetchone()
        return None if row is None else version_record(row)

    def add_version(
        self,
        *,
        kb_id: int,
        name: str,
        sha256: str,
        size: int,
        kind: str,
        original: bytes,
        text: str,
        meta: dict[str, Any],
        chunks: Sequence[Chunk],
        vectors: Sequence[bytes],
        added_by: str,
        now: str,
    ) -> tuple[DocumentVersion, list[int], list[int]]:
        """Store a new version (previous + 1, or 1) with its chunks and embeddings
        (``vectors[i]`` belongs to ``chunks[i]``) and make it the active one.

        Returns (the version, the new chunk ids in the order of ``chunks``, the chunk ids
        of the version that stopped being active). NotFound for an unknown kb;
        ValueError when ``chunks`` and ``vectors`` differ in length.
        """
        if len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        doc_id = self._document_id(kb_id, name, now)
        previous = self._active_chunk_ids(doc_id)
        version_id = int(
            scalar(
                self._conn,
                "INSERT INTO document_versions (document_id, version, sha256, size, kind, meta,"
                " added_by, added_at, text, original) VALUES (?, (SELECT coalesce(max(version),"
                " 0) + 1 FROM document_versions WHERE document_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (doc_id, doc_id, sha256, size, kind, to_json(meta), added_by, now, text, original),
            )
        )
        new_ids = self._insert_chunks(version_id, kb_id, chunks, vectors)
        self._activate(doc_id, version_id, kb_id)
        return self._version_by_id(version_id), new_ids, previous

    def list_documents(self, kb_id: int) -> list[DocumentVersion]:
        """The active version of every document, by name."""
        rows = self._conn.execute(
            f"{SELECT_VERSION} WHERE d.kb_id = ? AND v.id = d.active_version_id ORDER BY d.name",
            (kb_id,),
        ).fetchall()
        return [version_record(row) for row in rows]

    def versions(self, kb_id: int, name: str) -> list[DocumentVersion]:
        """Every version of the document, oldest first; [] for an unknown name."""
        rows = self._conn.execute(
            f"{SELECT_VERSION} WHERE d.kb_id = ? AND d.name = ? ORDER BY v.version",
            (kb_id, name),
        ).fetchall()
        return [version_record(row) for row in rows]

    def set_active(self, kb_id: int, name: str, version: int) -> tuple[list[int], list[int]]:
        """Make ``version`` active; returns (the chunk ids that became searchable, those
        that stopped being searchable). Both are empty when it already was the active one.
        NotFound when the document has no such version."""
        row = self._conn.execute(
            "SELECT d.id, v.id, d.active_version_id FROM documents AS d"
            " JOIN document_versions AS v ON v.document_id = d.id"
            " WHERE d.kb_id = ? AND d.name = ? AND v.version = ?",
            (kb_id, name, version),
        ).fetchone()
        if row is None:
            raise NotFound("storage.document_version_not_found", name=name, version=version)
        doc_id, version_id, active_id = int(row[0]), int(row[1]), row[2]
        if active_id == version_id:
            return [], []
        deactivated = self._active_chunk_ids(doc_id)
        self._activate(doc_id, version_id, kb_id)
        return self._chunk_ids(version_id), deactivated

    def delete_document(self, kb_id: int, name: str) -> list[int]:
        """Delete the document and every version (chunks, FTS entries and embeddings go
        with them); returns the chunk ids that were active. NotFound for an unknown name."""
        doc_id = scalar(
            self._conn, "SELECT id FROM documents WHERE kb_id = ? AND name = ?", (kb_id, name)
        )
        if doc_id is None:
            raise _doc_not_found(name)
        active = self._active_chunk_ids(int(doc_id))
        stats.deactivate(self._conn, kb_id, self._active_version(int(doc_id)))
        self._conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return active

    # ------------------------------------------------------------ chunks and embeddings

    def chunks(self, chunk_ids: Sequence[int]) -> list[StoredChunk]:
        """The chunks with these ids, in the order given (unknown ids skipped)."""
        if not chunk_ids:
            return []
        rows = self._conn.execute(SELECT_CHUNKS, (id_list(chunk_ids),)).fetchall()
        return [stored_chunk(row) for row in rows]

    def version_content(self, version_id: int) -> tuple[str, bytes, dict[str, Any]]:
        """(extracted text, original bytes, meta) of one version; NotFound if unknown."""
        row = self._conn.execute(
            "SELECT text, original, meta FROM document_versions WHERE id = ?", (version_id,)
        ).fetchone()
        if row is None:
            raise NotFound("storage.document_version_vanished", version_id=version_id)
        return str(row[0]), bytes(row[1]), json_object(row[2], "document_versions.meta")

    def version_chunk(self, kb_id: int, name: str, version: int, index: int) -> StoredChunk | None:
        """Chunk ``index`` of one version of a document, active or not; None when absent."""
        row = self._conn.execute(
            'SELECT c.id, c.kb_id, d.name, v.version, c.idx, c.start, c."end", c.text, c.heading'
            " FROM documents AS d JOIN document_versions AS v ON v.document_id = d.id"
            " JOIN chunks AS c ON c.version_id = v.id"
            " WHERE d.kb_id = ? AND d.name = ? AND v.version = ? AND c.idx = ?",
            (kb_id, name, version, index),
        ).fetchone()
        return None if row is None else stored_chunk(row)

    def chunks_of_versions(self, version_ids: Sequence[int]) -> Iterator[StoredChunk]:
        """Every chunk of these versions, version by version in the order given, each in
        chunk order, read in pages (:mod:`repo_knowledge_pages`). Consume it inside the
        transaction."""
        return pages.chunks_of_versions(self._conn, version_ids)

    def embeddings(self, chunk_ids: Sequence[int]) -> list[tuple[int, bytes]]:
        """(chunk id, vector bytes) for these ids, in the order given (unknown ids skipped)."""
        if not chunk_ids:
            return []
        rows = self._conn.execute(
            "SELECT e.chunk_id, e.vector FROM json_each(?) AS j"
            " CROSS JOIN embeddings AS e ON e.chunk_id = j.value ORDER BY j.key",
            (id_list(chunk_ids),),
        ).fetchall()
        return [(int(cid), bytes(vector)) for cid, vector in rows]

    def active_embeddings(self, kb_id: int) -> Iterator[tuple[int, bytes]]:
        """(chunk id, vector bytes) of every searchable chunk, one document at a time
        (by document id, then chunk index). Consume it inside the transaction."""
        versions = self._conn.execute(f"{search.ACTIVE_VERSIONS} ORDER BY id", (kb_id,)).fetchall()
        for (version_id,) in versions:
            rows = self._conn.execute(
                "SELECT e.chunk_id, e.vector FROM chunks AS c"
                " JOIN embeddings AS e ON e.chunk_id = c.id"
                " WHERE c.version_id = ? ORDER BY c.idx",
                (version_id,),
            ).fetchall()
            for cid, vector in rows:
                yield int(cid), bytes(vector)

    def active_stamp(self, kb_id: int) -> str:
        """A fingerprint of the set of searchable chunk ids (changes when it changes)."""
        return search.active_stamp(self._conn, kb_id)

    def fulltext(
        self,
        kb_id: int,
        phrases: Sequence[str],
        short_terms: Sequence[str],
        limit: int,
        *,
        words: Sequence[tuple[str, float]] = (),
    ) -> list[tuple[int, float]]:
        """Searchable chunks matching any phrase, short term or word, best first, scored
        0-1 (how: :mod:`desktop.storage.repo_knowledge_search`, ``..._words``)."""
        return word_index.fulltext(self._conn, kb_id, phrases, short_terms, words, limit)

    # ------------------------------------------------------------ the saved vector index

    def load_index(self, kb_id: int) -> tuple[bytearray, str] | None:
        """The serialized vector index and the stamp it was built at; None when there is
        none or a part of it is missing or truncated (see :mod:`repo_knowledge_index`)."""
        return saved_index.load_index(self._conn, kb_id)

    def save_index(self, kb_id: int, blob: IndexBytes, stamp: str) -> None:
        """Insert or replace the kb's serialized index (BLOB parts, never a file)."""
        part_bytes = self._index_part_bytes or saved_index.INDEX_PART_BYTES
        now = iso_utc(self._clock.now())
        saved_index.save_index(self._conn, kb_id, blob, stamp, now, part_bytes)

    # ------------------------------------------------------------ helpers

    def _document_id(self, kb_id: int, name: str, now: str) -> int:
        """The id of document ``name``, inserted (with no active version) when new."""
        found = scalar(
            self._conn, "SELECT id FROM documents WHERE kb_id = ? AND name = ?", (kb_id, name)
        )
        if found is not None:
            return int(found)
        if scalar(self._conn, "SELECT 1 FROM knowledge_bases WHERE id = ?", (kb_id,)) is None:
            raise _kb_not_found(kb_id)
        return int(
            scalar(
                self._conn,
                "INSERT INTO documents (kb_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
                (kb_id, name, now),
            )
        )

    def _insert_chunks(
        self, version_id: int, kb_id: int, chunks: Sequence[Chunk], vectors: Sequence[bytes]
    ) -> list[int]:
        rows = [
            (version_id, kb_id, c.index, c.start, c.end, c.heading, c.text, search.folded(c.text))
            for c in chunks
        ]
        execute_many(self._conn, _INSERT_CHUNK, rows)
        by_index = {
            int(idx): int(cid)
            for idx, cid in self._conn.execute(
                "SELECT idx, id FROM chunks WHERE version_id = ?", (version_id,)
            ).fetchall()
        }
        ids = [by_index[c.index] for c in chunks]
        execute_many(
            self._conn,
            "INSERT INTO embeddings (chunk_id, vector) VALUES (?, ?)",
            list(zip(ids, vectors, strict=True)),
        )
        return ids

    def _activate(self, doc_id: int, version_id: int, kb_id: int) -> None:
        """Make the version active, moving the kb's full-text statistics with it."""
        stats.activate(self._conn, kb_id, self._active_version(doc_id), version_id)
        self._conn.execute(
            "UPDATE documents SET active_version_id = ? WHERE id = ?", (version_id, doc_id)
        )

    def _chunk_ids(self, version_id: int) -> list[int]:
        rows = self._conn.execute(
            "SELECT id FROM chunks WHERE version_id = ? ORDER BY idx", (version_id,)
        ).fetchall()
        return [int(row[0]) for row in rows]

    def _active_version(self, doc_id: int) -> int | None:
        version_id = scalar(
            self._conn, "SELECT active_version_id FROM documents WHERE id = ?", (doc_id,)
        )
        return None if version_id is None else int(version_id)

    def _active_chunk_ids(self, doc_id: int) -> list[int]:
        version_id = self._active_version(doc_id)
        return [] if version_id is None else self._chunk_ids(version_id)

    def _version_by_id(self, version_id: int) -> DocumentVersion:
        row = self._conn.execute(f"{SELECT_VERSION} WHERE v.id = ?", (version_id,)).fetchone()
        if row is None:  # cannot happen: the row was inserted in this transaction
            raise NotFound("storage.document_version_vanished", version_id=version_id)
        return version_record(row)
