"""FAISS adapter: exact inner-product search over L2-normalised vectors, in memory only.

``FaissVectorIndex`` wraps ``IndexIDMap2(IndexFlatIP(dimension))``: exact search, ids
are the chunk ids, and because the vectors are L2-normalised a score is the cosine
similarity. The index never touches the filesystem: ``serialize()`` gives bytes for a
database BLOB, and ``deserialize()`` rebuilds the index from them.

``faiss`` is imported lazily, on the first operation that needs the index, so the
constructor and ``count()`` of an empty index cost nothing. One lock guards the index
(STYLE: the FAISS adapter guards its index with its own lock).

A single query is searched on one OpenMP thread by default (``search_threads``): on a
2-core machine FAISS's threads spin-wait for a core whenever anything else runs (an
ingestion embedding, the GUI), and a two-thread search then takes several times longer
than a one-thread one. The setting applies to the searching thread only, for the
duration of the call.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

from desktop.core.errors import AppError, InputError

Vectors = np.ndarray[Any, np.dtype[np.float32]]


@functools.cache
def _faiss() -> ModuleType:
    """Import faiss once, with a clear error when it is missing."""
    try:
        import faiss
    except ImportError as exc:
        raise AppError(
            "knowledge.faiss_missing",
            details=repr(exc),
        ) from exc
    return faiss


def _as_ids(ids: Sequence[int]) -> np.ndarray[Any, np.dtype[np.int64]]:
    arr = np.asarray(ids, dtype=np.int64).reshape(-1)
    if arr.size and arr.min() < 0:
        raise InputError("knowledge.vector_ids_negative")
    return arr


class FaissVectorIndex:
    """``VectorIndex`` on FAISS (exact, inner product), keyed by chunk id. Thread-safe."""

    def __init__(self, dimension: int, *, search_threads: int = 1) -> None:
        if not isinstance(dimension, int) or dimension < 1:
            raise InputError("knowledge.vector_dimension_invalid")
        if search_threads < 1:
            raise InputError("knowledge.search_threads_invalid")
        self._dimension = dimension
        self._search_threads = search_threads
        self._lock = threading.Lock()
        self._index: Any = None
        self._ids: set[int] = set()

    # ------------------------------------------------------------------ state

    def dimension(self) -> int:
        """Length of the vectors this index holds."""
        return self._dimension

    def count(self) -> int:
        """Number of vectors (one per id)."""
        with self._lock:
            return len(self._ids)

    def ids(self) -> list[int]:
        """Every id in the index, ascending (for consistency checks)."""
        with self._lock:
            return sorted(self._ids)

    def __contains__(self, chunk_id: object) -> bool:
        with self._lock:
            return chunk_id in self._ids

    def _require_index(self) -> Any:
        """The FAISS index, created on first use. Call with the lock held."""
        if self._index is None:
            faiss = _faiss()
            self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(self._dimension))
        return self._index

    def _as_matrix(self, vectors: Any, rows: int) -> Vectors:
        arr = np.asarray(vectors, dtype=np.float32)
        if arr.ndim == 1 and rows == 1:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != self._dimension:
            raise InputError(
                "knowledge.vectors_wrong_shape", shape=str(arr.shape), dimension=self._dimension
            )
        if arr.shape[0] != rows:
            raise InputError("knowledge.vectors_count_mismatch", ids=rows, vectors=arr.shape[0])
        if not np.isfinite(arr).all():
            raise InputError("knowledge.vectors_not_finite")
        return np.ascontiguousarray(arr)

    # ------------------------------------------------------------------ changes

    def add(self, ids: Sequence[int], vectors: Any) -> None:
        """Add or replace vectors: an id already present is replaced, never duplicated.

        ``vectors`` is (len(ids), dimension), or (dimension,) for a single id. When an id
        repeats within one call, its last vector wins.
        """
        id_arr = _as_ids(ids)
        matrix = self._as_matrix(vectors, len(id_arr))
        if not len(id_arr):
            return
        _, last = np.unique(id_arr[::-1], return_index=True)
        if len(last) != len(id_arr):  # keep the last occurrence of each id
            keep = np.sort(len(id_arr) - 1 - last)
            id_arr, matrix = id_arr[keep], np.ascontiguousarray(matrix[keep])
        with self._lock:
            index = self._require_index()
            present = [int(i) for i in id_arr if int(i) in self._ids]
            if present:
                index.remove_ids(np.asarray(present, dtype=np.int64))
            index.add_with_ids(matrix, id_arr)
            self._ids.update(int(i) for i in id_arr)

    def remove(self, ids: Sequence[int]) -> None:
        """Remove these ids; unknown ids are ignored."""
        with self._lock:
            present = sorted({int(i) for i in ids} & self._ids)
            if not present:
                return
            self._require_index().remove_ids(np.asarray(present, dtype=np.int64))
            self._ids.difference_update(present)

    def clear(self) -> None:
        """Remove every vector."""
        with self._lock:
            self._index = None
            self._ids = set()

    # ------------------------------------------------------------------ search

    def search(self, query: Any, k: int) -> list[tuple[int, float]]:
        """Up to ``k`` (id, cosine score) pairs, best first; ties by ascending id.

        ``query`` is (dimension,) or (1, dimension). ``k`` larger than the index is fine.
        """
        if k < 1:
            raise InputError("knowledge.k_invalid")
        q = self._as_matrix(query, 1)
        with self._lock:
            if not self._ids:
                return []
            faiss = _faiss()
            previous = faiss.omp_get_max_threads()  # an OpenMP setting of this thread only
            faiss.omp_set_num_threads(self._search_threads)
            try:
                scores, labels = self._index.search(q, min(k, len(self._ids)))
            finally:
                faiss.omp_set_num_threads(previous)
        hits = [
            (int(label), float(score))
            for label, score in zip(labels[0], scores[0], strict=True)
            if label >= 0
        ]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits

    # ------------------------------------------------------------------ persistence

    def serialize(self) -> bytes:
        """The whole index as bytes (for a database BLOB; never a file)."""
        with self._lock:
            return bytes(_faiss().serialize_index(self._require_index()).tobytes())

    @classmethod
    def deserialize(
        cls, blob: bytes, dimension: int, *, search_threads: int = 1
    ) -> FaissVectorIndex:
        """Rebuild an index from ``serialize()`` bytes; InputError when the bytes are not
        an exact inner-product index of this dimension (rebuild it from the embeddings)."""
        faiss = _faiss()
        try:
            index = faiss.deserialize_index(np.frombuffer(blob, dtype=np.uint8))
        except Exception as exc:  # faiss raises RuntimeError with a C++ message
            raise InputError(
                "knowledge.index_unreadable",
                details=repr(exc),
            ) from exc
        inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else None
        if not isinstance(inner, faiss.IndexFlatIP):
            raise InputError(
                "knowledge.index_wrong_kind",
                details=type(index).__name__,
            )
        if index.d != dimension:
            raise InputError("knowledge.index_wrong_dimension", stored=index.d, dimension=dimension)
        out = cls(dimension, search_threads=search_threads)
        out._index = index
        out._ids = {int(i) for i in faiss.vector_to_array(index.id_map)}
        if len(out._ids) != index.ntotal:
            raise InputError("knowledge.index_duplicate_ids")
        return out


class FaissIndexFactory:
    """What the core's index cache needs: new indexes, loaded ones, stacked vectors."""

    def create(self, dimension: int) -> FaissVectorIndex:
        return FaissVectorIndex(dimension)

    def load(self, blob: bytes, dimension: int) -> FaissVectorIndex:
        return FaissVectorIndex.deserialize(blob, dimension)

    def vectors(self, blobs: Sequence[bytes]) -> Any:
        """float32 vector bytes, one per row, as an (n, dimension) array."""
        if not blobs:
            return np.zeros((0, 0), dtype=np.float32)
        flat = np.frombuffer(b"".join(blobs), dtype=np.float32)
        return flat.reshape(len(blobs), -1)
