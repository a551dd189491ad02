"""The vector index chooses its kind by size: exact (flat) up to a limit, IVF above it,
and the index cache fits a rebuilt index before saving it in the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from desktop.core.errors import InputError
from desktop.core.services.kb_index import IndexCache
from desktop.retrieval import vector_index
from desktop.retrieval.vector_index import FaissIndexFactory, FaissVectorIndex

DIM = 16
COUNT = 12_000  # enough to train 256 lists (FAISS asks for 39 vectors a list)
LIMIT = 5_000


def clustered(n: int, seed: int) -> np.ndarray:
    """Unit vectors around 64 centres, as embeddings of texts on a few topics are."""
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(0).standard_normal((64, DIM), dtype=np.float32)
    rows = centres[rng.integers(0, 64, n)] + 0.4 * rng.standard_normal((n, DIM), dtype=np.float32)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def stored(vectors: np.ndarray, ids: np.ndarray) -> Any:
    """What the database gives back: (id, float32 bytes) of the ids asked for."""
    rows = {int(i): row.tobytes() for i, row in zip(ids, vectors, strict=True)}
    return lambda wanted: [(i, rows[i]) for i in wanted if i in rows]


def recall_at_10(
    index: FaissVectorIndex, vectors: np.ndarray, ids: np.ndarray, *, rescored: bool = True
) -> float:
    queries = clustered(50, seed=9)
    exact_vectors = stored(vectors, ids) if rescored else None
    found = 0
    for query in queries:
        exact = set(ids[np.argsort(-(vectors @ query), kind="stable")[:10]].tolist())
        found += len(exact & {i for i, _ in index.search(query, 10, exact_vectors)})
    return found / (10 * len(queries))


def big_index() -> tuple[FaissVectorIndex, np.ndarray, np.ndarray]:
    index = FaissVectorIndex(DIM, flat_limit=LIMIT)
    vectors, ids = clustered(COUNT, seed=1), np.arange(1000, 1000 + COUNT)
    index.add(ids.tolist(), vectors)
    return index, vectors, ids


def test_an_index_over_the_flat_limit_becomes_ivf_with_high_recall() -> None:
    index, vectors, ids = big_index()
    assert index.kind() == "flat"  # adding alone never changes the kind
    assert index.fit() is True
    assert index.kind() == "ivf"
    assert index.count() == COUNT and index.ids() == ids.tolist()
    assert recall_at_10(index, vectors, ids) >= 0.95


def test_ivf_candidates_are_rescored_exactly_from_the_stored_vectors() -> None:
    """4-bit codes alone rank roughly; rescoring the best candidates from the stored
    vectors gives the exact scores (and most of the recall back)."""
    index, vectors, ids = big_index()
    index.fit()
    query = clustered(1, seed=7)[0]
    hits = index.search(query, 10, stored(vectors, ids))
    assert len(hits) == 10
    for cid, score in hits:
        assert score == pytest.approx(float(vectors[cid - 1000] @ query), abs=1e-5)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert recall_at_10(index, vectors, ids) > recall_at_10(index, vectors, ids, rescored=False)
    # a flat index is exact already: it never asks for the stored vectors
    flat = FaissVectorIndex(DIM, flat_limit=LIMIT)
    flat.add([1, 2], vectors[:2])

    def unused(_: Any) -> Any:
        raise AssertionError("a flat index asked for stored vectors")

    assert flat.search(vectors[0], 1, unused)[0][0] == 1


def test_an_8_bit_ivf_saved_by_an_earlier_kura_is_rebuilt() -> None:
    faiss = pytest.importorskip("faiss")
    vectors = clustered(COUNT, seed=1)
    old = faiss.index_factory(DIM, "IVF256,SQ8", faiss.METRIC_INNER_PRODUCT)
    old.train(vectors)
    old.add_with_ids(vectors, np.arange(COUNT, dtype=np.int64))
    blob = faiss.serialize_index(old).tobytes()
    with pytest.raises(InputError) as caught:
        FaissVectorIndex.deserialize(blob, DIM)
    assert caught.value.code == "knowledge.index_wrong_kind"


def test_an_index_at_or_below_the_flat_limit_stays_exact() -> None:
    index = FaissVectorIndex(DIM, flat_limit=LIMIT)
    index.add(list(range(LIMIT)), clustered(LIMIT, seed=2))
    assert index.fit() is True
    assert index.kind() == "flat"


def test_ivf_round_trips_through_bytes_and_stays_writable() -> None:
    index, vectors, _ = big_index()
    index.fit()
    restored = FaissVectorIndex.deserialize(index.serialize(), DIM)
    assert restored.kind() == "ivf"
    assert restored.ids() == index.ids()
    query = clustered(1, seed=5)[0]
    assert restored.search(query, 10) == index.search(query, 10)
    restored.add([1003], -vectors[3])  # replaced, not duplicated
    restored.remove([1004])
    assert restored.count() == COUNT - 1 and 1004 not in restored
    replaced = np.vstack([vectors, -vectors[3:4]])
    exact_vectors = stored(replaced, np.append(np.arange(1000, 1000 + COUNT), 1003))
    best = restored.search(-vectors[3], 1, exact_vectors)[0]
    assert best[0] == 1003 and best[1] == pytest.approx(1.0, abs=1e-5)


def test_an_ivf_shrunk_below_half_the_limit_asks_for_a_rebuild() -> None:
    index, _, ids = big_index()
    index.fit()
    index.remove(ids[: COUNT - LIMIT // 2].tolist())
    assert index.fit() is True
    index.remove(ids[COUNT - LIMIT // 2 : COUNT - LIMIT // 2 + 1].tolist())
    assert index.fit() is False


class FakeKnowledge:
    def __init__(self, rows: list[tuple[int, bytes]]) -> None:
        self.rows = rows
        self.saved: tuple[bytes, str] | None = None

    def active_stamp(self, kb_id: int) -> str:
        return str(len(self.rows))

    def load_index(self, kb_id: int) -> tuple[bytes, str] | None:
        return self.saved

    def save_index(self, kb_id: int, blob: bytes, stamp: str) -> None:
        self.saved = (blob, stamp)

    def active_embeddings(self, kb_id: int) -> Iterator[tuple[int, bytes]]:
        yield from self.rows


class FakeStore:
    def __init__(self, rows: list[tuple[int, bytes]]) -> None:
        self.knowledge = FakeKnowledge(rows)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        yield self


def test_the_index_cache_saves_a_big_kb_as_ivf_and_rebuilds_it_exact_when_it_shrinks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(vector_index, "FLAT_LIMIT", LIMIT)
    vectors = clustered(COUNT, seed=3)
    store = FakeStore([(1000 + n, vectors[n].tobytes()) for n in range(COUNT)])
    cache = IndexCache(store, FaissIndexFactory())  # type: ignore[arg-type]
    index = cache.get(1, DIM)
    assert isinstance(index, FaissVectorIndex) and index.kind() == "ivf"
    assert store.knowledge.saved is not None
    assert FaissVectorIndex.deserialize(store.knowledge.saved[0], DIM).kind() == "ivf"
    gone = [1000 + n for n in range(COUNT - 100)]
    store.knowledge.rows = store.knowledge.rows[-100:]
    cache.apply(1, gone, [], None)  # 100 left: no longer fits, so it is dropped
    again = cache.get(1, DIM)
    assert isinstance(again, FaissVectorIndex) and again.kind() == "flat"
    assert again.count() == 100


def test_ivf_parameters_are_the_measured_ones() -> None:
    assert vector_index.FLAT_LIMIT == 100_000
    assert [vector_index.ivf_lists(n) for n in (100_001, 400_000, 1_000_000)] == [256, 512, 1024]
    assert [vector_index.ivf_probes(n) for n in (256, 512, 1024, 2048)] == [64, 64, 128, 256]
