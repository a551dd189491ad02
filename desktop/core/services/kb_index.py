"""The in-memory vector index of each knowledge base, kept in step with the database.

An index is reused while the database's active-chunk stamp matches the one it was built
at; otherwise it is loaded from the serialized copy in the database (when that copy's
stamp matches and it reads back whole) or rebuilt from the stored embeddings, and the
rebuilt one replaces the saved copy. It is never written to a file.

The index chooses its own kind by size (``VectorIndex.fit``: exact up to a threshold,
approximate above it): a rebuilt index is fitted before it is saved, and a changed one
that no longer fits (an approximate index shrunk small, or grown far past the size it
was trained at) is dropped, so the next search rebuilds it from the stored vectors.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from desktop.core.errors import AppError
from desktop.core.ports import Embedder, Store, VectorIndex
from desktop.core.ports.retrieval import IndexBytes

REBUILD_BATCH = 4096


class IndexFactory(Protocol):
    def create(self, dimension: int) -> VectorIndex: ...

    def load(self, blob: IndexBytes, dimension: int) -> VectorIndex:
        """AppError when the bytes are not a whole index of this dimension."""
        ...

    def vectors(self, blobs: Sequence[bytes]) -> Any:
        """Stack float32 vector bytes into an (n, dimension) array."""
        ...


EmbedderFactory = Callable[[str], Embedder]


class IndexCache:
    def __init__(self, store: Store, factory: IndexFactory) -> None:
        self._store = store
        self._factory = factory
        self._lock = threading.Lock()
        self._indexes: dict[int, tuple[VectorIndex, str]] = {}

    def get(self, kb_id: int, dimension: int) -> VectorIndex:
        """The kb's index, current with the database."""
        with self._lock, self._store.transaction() as tx:
            stamp = tx.knowledge.active_stamp(kb_id)
            cached = self._indexes.get(kb_id)
            if cached is not None and cached[1] == stamp:
                return cached[0]
            index = self._load(tx, kb_id, dimension, stamp)
            if index is None:
                index = self._rebuild(tx, kb_id, dimension)
                tx.knowledge.save_index(kb_id, index.serialize(), stamp)
            self._indexes[kb_id] = (index, stamp)
            return index

    def _load(self, tx: Any, kb_id: int, dimension: int, stamp: str) -> VectorIndex | None:
        """The saved index when it is current and whole; None when it is missing, stale,
        incomplete (a part lost) or unreadable: then only a rebuild can give it."""
        saved = tx.knowledge.load_index(kb_id)
        if saved is None or saved[1] != stamp:
            return None
        try:
            return self._factory.load(saved[0], dimension)
        except AppError:  # the bytes go when this returns, before the rebuild
            return None

    def _rebuild(self, tx: Any, kb_id: int, dimension: int) -> VectorIndex:
        index = self._factory.create(dimension)
        ids: list[int] = []
        blobs: list[bytes] = []
        for chunk_id, blob in tx.knowledge.active_embeddings(kb_id):
            ids.append(chunk_id)
            blobs.append(blob)
            if len(ids) >= REBUILD_BATCH:
                index.add(ids, self._factory.vectors(blobs))
                ids, blobs = [], []
        if ids:
            index.add(ids, self._factory.vectors(blobs))
        index.fit()
        return index

    def apply_stored(
        self, kb_id: int, removed: Sequence[int], added: Sequence[tuple[int, bytes]]
    ) -> None:
        """``apply`` with (chunk id, vector bytes) pairs read back from the database."""
        vectors = self._factory.vectors([blob for _, blob in added]) if added else None
        self.apply(kb_id, removed, [chunk_id for chunk_id, _ in added], vectors)

    def apply(self, kb_id: int, removed: Sequence[int], added: Sequence[int], vectors: Any) -> None:
        """Mirror a committed change in the cached index (if one is cached)."""
        with self._lock:
            cached = self._indexes.pop(kb_id, None)
        if cached is None:
            return
        index = cached[0]
        if removed:
            index.remove(list(removed))
        if added:
            index.add(list(added), vectors)
        if not index.fit():
            return  # the next search rebuilds it from the stored vectors
        with self._lock, self._store.transaction() as tx:
            self._indexes[kb_id] = (index, tx.knowledge.active_stamp(kb_id))

    def persist(self, kb_id: int) -> None:
        """Save the cached index as a BLOB, so the next start need not rebuild it."""
        with self._lock:
            cached = self._indexes.get(kb_id)
            if cached is None:
                return
            with self._store.transaction() as tx:
                if tx.knowledge.active_stamp(kb_id) == cached[1]:
                    tx.knowledge.save_index(kb_id, cached[0].serialize(), cached[1])

    def forget(self, kb_id: int) -> None:
        with self._lock:
            self._indexes.pop(kb_id, None)
