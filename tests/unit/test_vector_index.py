"""FaissVectorIndex: exact inner-product search keyed by chunk id, in memory only."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from desktop.core.errors import InputError
from desktop.retrieval.vector_index import FaissVectorIndex
from tests.fakes_retrieval import HashEmbedder, synthetic_vectors

DIM = 16


def _index(n: int = 10, seed: int = 1) -> tuple[FaissVectorIndex, np.ndarray]:
    index = FaissVectorIndex(DIM)
    vectors = synthetic_vectors(n, DIM, seed)
    index.add(list(range(100, 100 + n)), vectors)
    return index, vectors


def test_empty_index_searches_to_nothing() -> None:
    index = FaissVectorIndex(DIM)
    assert index.count() == 0
    assert index.search(np.ones(DIM, dtype=np.float32), 5) == []
    index.remove([1, 2])  # removing from an empty index is fine
    assert index.count() == 0


def test_search_finds_itself_first_with_cosine_score() -> None:
    index, vectors = _index()
    hits = index.search(vectors[3], 4)
    assert len(hits) == 4
    assert hits[0][0] == 103
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    scores = [score for _, score in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(isinstance(i, int) and isinstance(s, float) for i, s in hits)


def test_query_may_be_one_row_matrix_and_k_may_exceed_count() -> None:
    index, vectors = _index(n=3)
    hits = index.search(vectors[1:2], 40)
    assert hits[0][0] == 101
    assert sorted(i for i, _ in hits) == [100, 101, 102]  # no -1 placeholders


def test_scores_are_exact_inner_products() -> None:
    index, vectors = _index(n=50)
    query = synthetic_vectors(1, DIM, seed=9)[0]
    hits = index.search(query, 50)
    expected = vectors @ query
    for chunk_id, score in hits:
        assert score == pytest.approx(float(expected[chunk_id - 100]), abs=1e-5)
    assert hits[0][0] == 100 + int(np.argmax(expected))


def test_remove_drops_ids_and_ignores_unknown() -> None:
    index, vectors = _index()
    index.remove([103, 104, 999])
    assert index.count() == 8
    assert 103 not in index
    assert all(i not in (103, 104) for i, _ in index.search(vectors[3], 10))


def test_replacing_an_id_does_not_duplicate_it() -> None:
    index, vectors = _index()
    new = synthetic_vectors(1, DIM, seed=77)
    index.add([105], new)
    assert index.count() == 10
    hits = index.search(new[0], 10)
    assert [i for i, _ in hits].count(105) == 1
    assert hits[0][0] == 105
    assert hits[0][1] == pytest.approx(1.0, abs=1e-5)
    old = dict(index.search(vectors[5], 10))
    assert old[105] == pytest.approx(float(new[0] @ vectors[5]), abs=1e-5)


def test_repeated_id_within_one_add_keeps_the_last_vector() -> None:
    index = FaissVectorIndex(DIM)
    vectors = synthetic_vectors(3, DIM, seed=5)
    index.add([7, 8, 7], vectors)
    assert index.count() == 2
    assert index.ids() == [7, 8]
    best_id, best_score = index.search(vectors[2], 1)[0]
    assert best_id == 7
    assert best_score == pytest.approx(1.0, abs=1e-5)


def test_single_vector_may_be_one_dimensional() -> None:
    index = FaissVectorIndex(DIM)
    vector = synthetic_vectors(1, DIM, seed=3)[0]
    index.add([42], vector)
    assert index.search(vector, 1)[0][0] == 42


@pytest.mark.parametrize(
    ("ids", "shape"),
    [([1, 2], (2, DIM + 1)), ([1, 2], (3, DIM)), ([1], (DIM + 1,))],
)
def test_wrong_shapes_are_refused(ids: list[int], shape: tuple[int, ...]) -> None:
    index = FaissVectorIndex(DIM)
    with pytest.raises(InputError):
        index.add(ids, np.ones(shape, dtype=np.float32))
    assert index.count() == 0


def test_bad_queries_and_values_are_refused() -> None:
    index, _ = _index()
    with pytest.raises(InputError, match="dimension"):
        index.search(np.ones(DIM + 1, dtype=np.float32), 3)
    with pytest.raises(InputError):
        index.search(np.ones(DIM, dtype=np.float32), 0)
    with pytest.raises(InputError):
        index.add([-1], np.ones(DIM, dtype=np.float32))
    with pytest.raises(InputError):
        index.add([1], np.full(DIM, np.nan, dtype=np.float32))
    with pytest.raises(InputError):
        FaissVectorIndex(0)


def test_accepts_float64_and_non_contiguous_input() -> None:
    index = FaissVectorIndex(DIM)
    wide = synthetic_vectors(4, DIM * 2, seed=2).astype(np.float64)[:, ::2]
    index.add([1, 2, 3, 4], wide)
    assert index.count() == 4
    assert index.search(wide[2], 1)[0][0] == 3


def test_serialize_round_trip_keeps_ids_and_scores() -> None:
    index, vectors = _index(n=30)
    index.remove([110])
    blob = index.serialize()
    assert isinstance(blob, memoryview)  # a view of FAISS's buffer, not a copy
    restored = FaissVectorIndex.deserialize(blob, DIM)
    assert restored.count() == 29
    assert restored.ids() == index.ids()
    query = synthetic_vectors(1, DIM, seed=4)[0]
    assert restored.search(query, 10) == index.search(query, 10)
    restored.add([110], vectors[10])  # the restored index stays writable
    assert restored.count() == 30


def test_empty_index_round_trips() -> None:
    restored = FaissVectorIndex.deserialize(FaissVectorIndex(DIM).serialize(), DIM)
    assert restored.count() == 0
    assert restored.search(np.ones(DIM, dtype=np.float32), 3) == []


def test_deserialize_refuses_other_dimension_and_garbage() -> None:
    blob = _index()[0].serialize()
    with pytest.raises(InputError, match="dimension"):
        FaissVectorIndex.deserialize(blob, DIM * 2)
    with pytest.raises(InputError, match="unreadable"):
        FaissVectorIndex.deserialize(b"not an index at all", DIM)
    with pytest.raises(InputError):
        FaissVectorIndex.deserialize(blob[: len(blob) // 2], DIM)


def test_deserialize_refuses_another_index_kind() -> None:
    import faiss

    other = faiss.IndexFlatL2(DIM)
    blob = faiss.serialize_index(other).tobytes()
    with pytest.raises(InputError, match="kind"):
        FaissVectorIndex.deserialize(blob, DIM)


def test_hash_embedder_vectors_find_their_text() -> None:
    embedder = HashEmbedder(dimension=DIM)
    texts = [f"chunk number {i}" for i in range(20)]
    index = FaissVectorIndex(DIM)
    index.add(list(range(20)), embedder.embed(texts))
    assert index.search(embedder.embed(["chunk number 13"])[0], 1)[0][0] == 13
    assert embedder.calls == 2
    assert np.array_equal(embedder.embed(["a"]), embedder.embed(["a"]))


def test_concurrent_adds_and_searches_stay_consistent() -> None:
    index = FaissVectorIndex(DIM)
    vectors = synthetic_vectors(400, DIM, seed=8)
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            for start in range(offset, 400, 40):
                index.add(list(range(start, start + 20)), vectors[start : start + 20])
                index.search(vectors[start], 5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(o,)) for o in (0, 20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert index.count() == 400
    assert index.ids() == list(range(400))


def test_constructing_and_counting_do_not_import_faiss() -> None:
    code = (
        "import sys\n"
        "from desktop.retrieval.vector_index import FaissVectorIndex\n"
        "index = FaissVectorIndex(8)\n"
        "assert index.count() == 0 and index.search([0.0] * 8, 3) == []\n"
        "assert 'faiss' not in sys.modules, 'faiss imported'\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0, done.stderr
