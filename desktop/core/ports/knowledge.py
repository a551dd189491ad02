"""The repository of knowledge bases, their documents, chunks and vector index."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from desktop.core.knowledge_models import Chunk, DocumentVersion, KnowledgeBase, StoredChunk
from desktop.core.ports.retrieval import IndexBytes


class KnowledgeRepository(Protocol):
    """Knowledge bases, documents with versions, chunks, embeddings, FTS5 and the
    serialized vector index. Only chunks of a document's *active* version are searchable.
    """

    def create_kb(self, kb: KnowledgeBase) -> KnowledgeBase:
        """Insert (``kb.id`` is ignored) and return it with its id."""
        ...

    def get_kb(self, kb_id: int) -> KnowledgeBase | None: ...

    def kbs_named(self, name: str) -> list[KnowledgeBase]:
        """The knowledge bases with this name (ignoring case), by id: names are unique
        per creator only, and only as far as the creator sees (the services decide)."""
        ...

    def list_kbs(self) -> list[KnowledgeBase]: ...

    def update_kb(self, kb: KnowledgeBase) -> None: ...

    def delete_kb(self, kb_id: int) -> None:
        """Remove the knowledge base with its documents, chunks, embeddings and index."""
        ...

    def find_version(self, kb_id: int, name: str, sha256: str) -> DocumentVersion | None:
        """A stored version of document ``name`` with exactly this content, if any."""
        ...

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
        """Store a new version (version = previous + 1, or 1) and make it active.

        Returns (the version, the new chunk ids in chunk order, the chunk ids of the
        version that stopped being active — empty for a new document).
        """
        ...

    def list_documents(self, kb_id: int) -> list[DocumentVersion]:
        """The active version of every document, by name."""
        ...

    def versions(self, kb_id: int, name: str) -> list[DocumentVersion]: ...

    def set_active(self, kb_id: int, name: str, version: int) -> tuple[list[int], list[int]]:
        """Make ``version`` active; returns (its chunk ids, the deactivated chunk ids)."""
        ...

    def delete_document(self, kb_id: int, name: str) -> list[int]:
        """Delete every version; returns the chunk ids that were active."""
        ...

    def chunks(self, chunk_ids: Sequence[int]) -> list[StoredChunk]:
        """The chunks with these ids, in the order given (unknown ids skipped)."""
        ...

    def version_content(self, version_id: int) -> tuple[str, bytes, dict[str, Any]]:
        """(extracted text, original bytes, meta) of one version (knowledge-base
        packages); NotFound for an unknown id."""
        ...

    def version_chunk(self, kb_id: int, name: str, version: int, index: int) -> StoredChunk | None:
        """Chunk ``index`` of one version of a document, active or not (citations)."""
        ...

    def chunks_of_versions(self, version_ids: Sequence[int]) -> Iterator[StoredChunk]:
        """Every chunk of these versions (active or not), version by version in the order
        given, each in chunk order; unknown ids skipped. Read in pages of many chunks per
        query (bulk reads: exhaustive answers, the chunk viewer); consume it inside the
        transaction."""
        ...

    def embeddings(self, chunk_ids: Sequence[int]) -> list[tuple[int, bytes]]: ...

    def active_embeddings(self, kb_id: int) -> Iterator[tuple[int, bytes]]:
        """(chunk id, float32 vector bytes) of every searchable chunk, for index rebuilds."""
        ...

    def active_stamp(self, kb_id: int) -> str:
        """A fingerprint of the set of searchable chunk ids (changes when it changes)."""
        ...

    def fulltext(
        self,
        kb_id: int,
        phrases: Sequence[str],
        short_terms: Sequence[str],
        limit: int,
        *,
        words: Sequence[tuple[str, float]] = (),
    ) -> list[tuple[int, float]]:
        """Searchable chunks matching any phrase (FTS5 trigram, phrases of 3+ characters),
        any short term (1-2 characters) or any of the weighted normalised words (the word
        index), best first, scored 0-1."""
        ...

    def load_index(self, kb_id: int) -> tuple[IndexBytes, str] | None:
        """The serialized vector index and the stamp it was built at; None when there is
        none, or when it is incomplete (a part missing or truncated): rebuild it then."""
        ...

    def save_index(self, kb_id: int, blob: IndexBytes, stamp: str) -> None:
        """Insert or replace the serialized index, in the caller's transaction."""
        ...
