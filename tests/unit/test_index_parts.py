"""The saved vector index is stored in parts (m0014), so it may pass SQLite's 1 GB value
limit; a lost, cut or unreadable part means a rebuild from the stored vectors, never a
crash or a wrong index."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

from desktop.core.errors import InputError
from desktop.core.services.kb_index import IndexCache
from desktop.retrieval.vector_index import FaissIndexFactory, FaissVectorIndex
from desktop.storage import migrate
from desktop.storage.repo_knowledge import SqlKnowledgeRepository
from desktop.storage.repo_knowledge_index import INDEX_PART_BYTES
from tests.contract.test_knowledge_repository import chunked, kb_record
from tests.fakes import FixedClock

DIM = 16
COUNT = 60
PART = 512  # bytes: a flat index of 60 vectors (about 4.4 KB) takes nine parts


def unit_vectors(n: int, seed: int) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


class PlainStore:
    """The ``Store`` the index cache needs, over one stdlib connection."""

    def __init__(self, conn: sqlite3.Connection, part_bytes: int) -> None:
        self.conn = conn
        self.knowledge = SqlKnowledgeRepository(conn, FixedClock(), index_part_bytes=part_bytes)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def parts(self, kb_id: int) -> list[int]:
        rows = self.conn.execute(
            "SELECT length(blob) FROM kb_index_part WHERE kb_id = ? ORDER BY part", (kb_id,)
        ).fetchall()
        return [int(length) for (length,) in rows]


@pytest.fixture
def store() -> Iterator[PlainStore]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, FixedClock())
    conn.execute("PRAGMA foreign_keys = ON")
    yield PlainStore(conn, PART)
    conn.close()


@pytest.fixture
def kb(store: PlainStore) -> tuple[int, np.ndarray]:
    """A knowledge base of COUNT chunks with stored vectors."""
    vectors = unit_vectors(COUNT, seed=1)
    with store.transaction() as tx:
        kb_id = tx.knowledge.create_kb(kb_record()).id
        tx.knowledge.add_version(
            kb_id=kb_id,
            name="a.txt",
            sha256="0" * 64,
            size=1,
            kind="txt",
            original=b"x",
            text="",
            meta={},
            chunks=chunked(*(f"chunk {n}" for n in range(COUNT))),
            vectors=[v.tobytes() for v in vectors],
            added_by="admin",
            now="2026-01-01T00:00:00Z",
        )
    return kb_id, vectors


def test_the_part_size_is_well_under_sqlites_value_limit() -> None:
    assert 2**20 <= INDEX_PART_BYTES <= 256 * 2**20 < 10**9


def test_an_index_larger_than_the_part_size_round_trips_through_many_parts(
    store: PlainStore, kb: tuple[int, np.ndarray]
) -> None:
    kb_id, vectors = kb
    index = FaissVectorIndex(DIM)
    index.add(list(range(COUNT)), vectors)
    blob = bytes(index.serialize())
    with store.transaction() as tx:
        tx.knowledge.save_index(kb_id, index.serialize(), "s1")
    assert len(store.parts(kb_id)) == -(-len(blob) // PART) > 2
    assert set(store.parts(kb_id)[:-1]) == {PART}
    with store.transaction() as tx:
        loaded = tx.knowledge.load_index(kb_id)
    assert loaded is not None and loaded == (blob, "s1")
    restored = FaissVectorIndex.deserialize(loaded[0], DIM)
    assert [restored.search(v, 1)[0][0] for v in vectors] == list(range(COUNT))
    with store.transaction() as tx:  # a smaller one replaces every part
        tx.knowledge.save_index(kb_id, b"tiny", "s2")
        assert tx.knowledge.load_index(kb_id) == (b"tiny", "s2")
    assert store.parts(kb_id) == [4]


@pytest.mark.parametrize(
    "damage",
    [
        "DELETE FROM kb_index_part WHERE part = 1",  # a part lost in the middle
        "DELETE FROM kb_index_part WHERE part = (SELECT max(part) FROM kb_index_part)",
        "UPDATE kb_index_part SET blob = substr(blob, 1, 100) WHERE part = 2",  # cut short
        "UPDATE kb_index_part SET part = part + 100 WHERE part > 0",  # a gap
        "INSERT INTO kb_index_part SELECT kb_id, 99, x'00' FROM kb_index",  # one too many
        "UPDATE kb_index_part SET blob = zeroblob(length(blob))",  # whole but unreadable
    ],
)
def test_a_damaged_saved_index_is_rebuilt_from_the_stored_vectors(
    store: PlainStore, kb: tuple[int, np.ndarray], damage: str
) -> None:
    kb_id, vectors = kb
    first = IndexCache(store, FaissIndexFactory())  # type: ignore[arg-type]
    found = [hit[0][0] for hit in (first.get(kb_id, DIM).search(v, 1) for v in vectors)]
    saved = store.parts(kb_id)
    assert len(saved) > 2
    store.conn.execute(damage)
    with store.transaction() as tx:
        if "zeroblob" not in damage:
            assert tx.knowledge.load_index(kb_id) is None
    after_restart = IndexCache(store, FaissIndexFactory())  # type: ignore[arg-type]
    index = after_restart.get(kb_id, DIM)
    assert index.count() == COUNT
    assert [index.search(v, 1)[0][0] for v in vectors] == found
    assert store.parts(kb_id) == saved  # the rebuilt index replaced the damaged one


def test_bytes_after_a_whole_index_are_refused_not_ignored() -> None:
    index = FaissVectorIndex(DIM)
    index.add(list(range(COUNT)), unit_vectors(COUNT, seed=2))
    blob = bytes(index.serialize())
    assert FaissVectorIndex.deserialize(bytearray(blob), DIM).count() == COUNT
    with pytest.raises(InputError, match="unreadable"):
        FaissVectorIndex.deserialize(blob + blob, DIM)


class GarbledKnowledge:
    """A repository whose saved index has the current stamp but is not an index."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.rows = [(100 + n, v.tobytes()) for n, v in enumerate(vectors)]
        self.saved: tuple[Any, str] = (b"\x00" * 4096, "current")

    def active_stamp(self, kb_id: int) -> str:
        return "current"

    def load_index(self, kb_id: int) -> tuple[Any, str] | None:
        return self.saved

    def save_index(self, kb_id: int, blob: Any, stamp: str) -> None:
        self.saved = (bytes(blob), stamp)

    def active_embeddings(self, kb_id: int) -> Iterator[tuple[int, bytes]]:
        yield from self.rows


def test_an_unreadable_saved_index_is_rebuilt_and_replaced_not_raised() -> None:
    vectors = unit_vectors(COUNT, seed=3)
    knowledge = GarbledKnowledge(vectors)

    class Store:
        @contextmanager
        def transaction(self) -> Iterator[Any]:
            yield self

    Store.knowledge = knowledge  # type: ignore[attr-defined]
    index = IndexCache(Store(), FaissIndexFactory()).get(1, DIM)  # type: ignore[arg-type]
    assert [index.search(v, 1)[0][0] for v in vectors] == list(range(100, 100 + COUNT))
    assert FaissVectorIndex.deserialize(knowledge.saved[0], DIM).count() == COUNT
