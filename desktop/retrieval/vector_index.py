"""FAISS adapter: inner-product search over L2-normalised vectors, in memory only.

``FaissVectorIndex`` is exact up to ``flat_limit`` vectors: ``IndexIDMap2(IndexFlatIP)``,
ids are the chunk ids, and because the vectors are L2-normalised a score is the cosine
similarity. Above the limit, ``fit()`` turns it into an inverted file with 4-bit scalar
quantisation (``IVF{nlist},SQ4``, chunk ids stored in its lists): k-means over a random
sample of the vectors it holds picks ``ivf_lists(n)`` centres, and a search reads the
``ivf_probes(nlist)`` lists nearest the query. Its scores are approximate, so a search
given the stored vectors (``exact_vectors``) takes the ``REFINE`` best candidates and
scores them exactly: the ranking and scores of the flat index, for those candidates.

4 bits a dimension instead of 8 halve the index (a 1M index is about 190 MiB), and so the
time to load it from the encrypted database at the first search (about 110 MB/s of
SQLCipher pages here); measured on 200k embedding-like vectors, recall@10 against flat
was 0.955 for SQ8 alone and 0.959 for SQ4 with 50 candidates rescored.

The numbers were measured on a busy shared two-core machine (recall@10 against flat on the
same embedding-like vectors, see ``tests/benchmarks/test_scale_bench.py``). One-thread
flat search took 2.7 ms (p50) at 50k vectors, 13 ms at 100k and 390 ms at 1M; up to
100k it is exact and fast enough beside full-text search, and it needs no training.
IVF (SQ8) with nlist 256 at 100k: nprobe 32 gave recall 0.90, 64 gave 0.98; nlist 1024
at 1M: nprobe 64 gave 0.92, 128 gave 0.98 in 28 ms (p50, under load). So nprobe is one
list in eight, never fewer than 64. The IVF keeps 192 bytes a vector instead of 1,536
(a flat 1M index is 1.5 GB).
The database keeps it in parts (``repo_knowledge_index``), so neither kind is bound by
SQLite's 1 GB limit on one value. The index never touches the filesystem:
``serialize()`` gives bytes for the database, and ``deserialize()`` rebuilds the index
from them.

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
import math
import threading
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

import numpy as np

from desktop.core.errors import AppError, InputError
from desktop.core.ports.retrieval import IndexBytes

Vectors = np.ndarray[Any, np.dtype[np.float32]]
#: The stored (id, float32 vector bytes) of the ids given, for exact rescoring.
StoredVectors = Callable[[Sequence[int]], Sequence[tuple[int, bytes]]]

#: Up to this many vectors the index is exact (flat); above it, an IVF (see ``fit``).
FLAT_LIMIT = 100_000
#: Vectors of the k-means training sample per IVF list (FAISS asks for at least 39).
TRAIN_PER_LIST = 64
#: k-means iterations when training an IVF (FAISS's default is 25; 10 loses no recall
#: here and trains 2.5 times faster).
KMEANS_ITERATIONS = 10
#: Vectors added to a new IVF at a time (bounds the temporary copies).
ADD_BLOCK = 65_536
#: Bytes FAISS reads or writes at a time when loading or saving an index.
IO_BLOCK = 1 << 20
#: Candidates an approximate index rescores exactly from the stored vectors (at least).
REFINE = 50


def ivf_lists(count: int) -> int:
    """nlist for ``count`` vectors: the power of two nearest sqrt(count), at least 256
    (lists of about sqrt(count) vectors; more lists would cost more to train)."""
    return max(256, 1 << round(math.log2(max(count, 1)) / 2))


def ivf_probes(lists: int) -> int:
    """nprobe: one list in eight and at least 64, so recall@10 against flat stays above
    0.95 (see the module docstring)."""
    return max(64, lists // 8)


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
    """``VectorIndex`` on FAISS (inner product), keyed by chunk id. Thread-safe."""

    def __init__(
        self, dimension: int, *, search_threads: int = 1, flat_limit: int | None = None
    ) -> None:
        if not isinstance(dimension, int) or dimension < 1:
            raise InputError("knowledge.vector_dimension_invalid")
        if search_threads < 1:
            raise InputError("knowledge.search_threads_invalid")
        self._dimension = dimension
        self._search_threads = search_threads
        self._flat_limit = FLAT_LIMIT if flat_limit is None else flat_limit
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

    def kind(self) -> str:
        """``flat`` (exact) or ``ivf`` (approximate)."""
        with self._lock:
            return "flat" if self._index is None or _is_flat(self._index) else "ivf"

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

    def fit(self) -> bool:
        """Make the kind fit the size: a flat index holding more than ``flat_limit``
        vectors becomes an IVF (trained on a sample of them). False when an IVF has
        shrunk below half the limit or grown past four times the size it was trained
        at: only the stored vectors can make it exact or retrain it, so rebuild it."""
        with self._lock:
            count = len(self._ids)
            if self._index is None or _is_flat(self._index):
                if count > self._flat_limit:
                    self._index = self._ivf_of_flat(self._index)
                return True
            trained_for = self._index.nlist**2  # ivf_lists(n) is about sqrt(n)
            return bool(self._flat_limit // 2 <= count <= 4 * max(trained_for, self._flat_limit))

    def _ivf_of_flat(self, flat_map: Any) -> Any:
        """An IVF holding the vectors and ids of an ``IDMap2(IndexFlatIP)``."""
        faiss = _faiss()
        count, dim = flat_map.ntotal, self._dimension
        flat = faiss.downcast_index(flat_map.index)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), count * dim).reshape(count, dim)
        ids = faiss.vector_to_array(flat_map.id_map)
        lists = ivf_lists(count)
        index = faiss.index_factory(dim, f"IVF{lists},SQ4", faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = KMEANS_ITERATIONS
        rng = np.random.default_rng(0)
        sample = np.sort(rng.choice(count, min(count, TRAIN_PER_LIST * lists), replace=False))
        index.train(np.ascontiguousarray(vectors[sample]))
        for start in range(0, count, ADD_BLOCK):
            block = slice(start, start + ADD_BLOCK)
            index.add_with_ids(np.ascontiguousarray(vectors[block]), ids[block])
        index.nprobe = ivf_probes(lists)
        return index

    # ------------------------------------------------------------------ search

    def search(
        self, query: Any, k: int, exact_vectors: StoredVectors | None = None
    ) -> list[tuple[int, float]]:
        """Up to ``k`` (id, cosine score) pairs, best first; ties by ascending id.

        ``query`` is (dimension,) or (1, dimension). ``k`` larger than the index is fine.
        An approximate index given ``exact_vectors`` (the stored vectors of the ids asked
        for) rescores its best ``max(k, REFINE)`` candidates exactly, outside the lock.
        """
        if k < 1:
            raise InputError("knowledge.k_invalid")
        q = self._as_matrix(query, 1)
        with self._lock:
            if not self._ids:
                return []
            refine = exact_vectors is not None and not _is_flat(self._index)
            wanted = max(k, REFINE) if refine else k
            faiss = _faiss()
            previous = faiss.omp_get_max_threads()  # an OpenMP setting of this thread only
            faiss.omp_set_num_threads(self._search_threads)
            try:
                scores, labels = self._index.search(q, min(wanted, len(self._ids)))
            finally:
                faiss.omp_set_num_threads(previous)
        hits = [
            (int(label), float(score))
            for label, score in zip(labels[0], scores[0], strict=True)
            if label >= 0
        ]
        if refine and exact_vectors is not None and hits:
            hits = self._rescored(q[0], exact_vectors([cid for cid, _ in hits]))
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:k]

    def _rescored(self, query: Any, stored: Sequence[tuple[int, bytes]]) -> list[tuple[int, float]]:
        """Exact cosine scores of the candidates from their stored vectors (a candidate
        whose vector is not the index's length is left out: it cannot be compared)."""
        width = 4 * self._dimension
        kept = [(cid, blob) for cid, blob in stored if len(blob) == width]
        if not kept:
            return []
        matrix = np.frombuffer(b"".join(blob for _, blob in kept), dtype=np.float32)
        scores = matrix.reshape(len(kept), self._dimension) @ query
        return [(cid, float(score)) for (cid, _), score in zip(kept, scores, strict=True)]

    # ------------------------------------------------------------------ persistence

    def serialize(self) -> memoryview:
        """The whole index as bytes (for database BLOBs; never a file).

        FAISS writes it a block at a time into one growing buffer: ``serialize_index``
        would build it in a vector and copy that to an array, twice the memory (an IVF
        of 1M vectors is about 375 MiB) and, measured at 1M, five times the time."""
        with self._lock:
            out = bytearray()
            faiss = _faiss()
            faiss.write_index(self._require_index(), faiss.PyCallbackIOWriter(out.extend, IO_BLOCK))
            return memoryview(out)

    @classmethod
    def deserialize(
        cls, blob: IndexBytes, dimension: int, *, search_threads: int = 1
    ) -> FaissVectorIndex:
        """Rebuild an index from ``serialize()`` bytes; InputError when the bytes are not
        an exact inner-product index of this dimension, or hold more than one index
        (rebuild it from the embeddings).

        FAISS reads the bytes a block at a time (``faiss.deserialize_index`` would first
        copy them whole), so loading holds the bytes and the index, nothing more."""
        faiss = _faiss()
        view = memoryview(blob).cast("B")
        reader = _BlockReader(view)
        try:
            index = faiss.read_index(faiss.PyCallbackIOReader(reader.read, IO_BLOCK))
            if reader.offset != len(view):
                raise ValueError(f"{len(view) - reader.offset} bytes after the index")
        except Exception as exc:  # faiss raises RuntimeError with a C++ message
            raise InputError(
                "knowledge.index_unreadable",
                details=repr(exc),
            ) from exc
        if _is_flat(index):
            ids = faiss.vector_to_array(index.id_map)
        elif _is_ivf(index):
            index.nprobe = ivf_probes(index.nlist)
            ids = _ivf_ids(index)
        else:
            raise InputError(
                "knowledge.index_wrong_kind",
                details=type(index).__name__,
            )
        if index.d != dimension:
            raise InputError("knowledge.index_wrong_dimension", stored=index.d, dimension=dimension)
        out = cls(dimension, search_threads=search_threads)
        out._index = index
        out._ids = set(ids.tolist())
        if len(out._ids) != index.ntotal:
            raise InputError("knowledge.index_duplicate_ids")
        return out


class _BlockReader:
    """Hands FAISS the bytes of a buffer in order, as many as it asks for at a time."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self.offset = 0

    def read(self, size: int) -> bytes:
        block = bytes(self._view[self.offset : self.offset + size])
        self.offset += len(block)
        return block


def _is_flat(index: Any) -> bool:
    """An ``IDMap2`` over an exact inner-product index."""
    faiss = _faiss()
    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap2) else None
    return isinstance(inner, faiss.IndexFlatIP)


def _is_ivf(index: Any) -> bool:
    """An inner-product IVF with 4-bit scalar quantisation, as ``fit`` makes (an 8-bit
    one, saved by an earlier Kura, is not: it is rebuilt from the stored vectors)."""
    faiss = _faiss()
    return (
        isinstance(index, faiss.IndexIVFScalarQuantizer)
        and index.sq.qtype == faiss.ScalarQuantizer.QT_4bit
        and index.metric_type == faiss.METRIC_INNER_PRODUCT
        and isinstance(faiss.downcast_index(index.quantizer), faiss.IndexFlatIP)
    )


def _ivf_ids(index: Any) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Every id held in an IVF's lists."""
    faiss = _faiss()
    lists = index.invlists
    parts = [
        faiss.rev_swig_ptr(lists.get_ids(n), lists.list_size(n)).copy()
        for n in range(index.nlist)
        if lists.list_size(n)
    ]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


class FaissIndexFactory:
    """What the core's index cache needs: new indexes, loaded ones, stacked vectors."""

    def create(self, dimension: int) -> FaissVectorIndex:
        return FaissVectorIndex(dimension)

    def load(self, blob: IndexBytes, dimension: int) -> FaissVectorIndex:
        return FaissVectorIndex.deserialize(blob, dimension)

    def vectors(self, blobs: Sequence[bytes]) -> Any:
        """float32 vector bytes, one per row, as an (n, dimension) array."""
        if not blobs:
            return np.zeros((0, 0), dtype=np.float32)
        flat = np.frombuffer(b"".join(blobs), dtype=np.float32)
        return flat.reshape(len(blobs), -1)
