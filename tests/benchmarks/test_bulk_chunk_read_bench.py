"""Reading every chunk of a knowledge base of ~20,000 chunks: one query per chunk (the
old way, ``version_chunk``) against the bulk read (``chunks_of_versions``, one query per
page). Exhaustive answers and the chunk viewer read whole documents this way.

Prints figures; asserts only that both ways read the same chunks, never wall clock.
The chunks are stored straight through the repository (no ingestion, no analyser) in an
encrypted database, as the app stores them.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from desktop.core.knowledge_models import Chunk, KbSettings, KbVisibility, KnowledgeBase
from desktop.core.ports import Store
from desktop.storage import create_database
from desktop.storage.repo_knowledge_pages import PAGE
from tests.fakes import FixedClock

DOCUMENTS = 200
PER_DOCUMENT = 100  # 20,000 chunks
ROUNDS = 3
KEY = bytes(range(32))
TEXT = (
    "第{d}章 第{i}節 保守点検の手順。作業者は毎朝の始業時に設備を点検し、異常があれば記録する。"
    "Operators check the plant at the start of each shift and note anything unusual; "
    "the seal is replaced when it leaks and the part number is written in the log. "
) * 2
NOW = "2026-01-02T03:04:05.000000Z"


def _seed(store: Store) -> int:
    with store.transaction() as tx:
        kb = tx.knowledge.create_kb(
            KnowledgeBase(0, "bench", "", KbVisibility.ALL, (), (), KbSettings(), "owner", NOW, NOW)
        )
        for d in range(DOCUMENTS):
            chunks, pos = [], 0
            for i in range(PER_DOCUMENT):
                text = TEXT.format(d=d, i=i)
                chunks.append(Chunk(i, pos, pos + len(text), text, f"第{d}章 › 第{i}節"))
                pos += len(text)
            tx.knowledge.add_version(
                kb_id=kb.id,
                name=f"manual-{d:03d}.txt",
                sha256=f"{d:064x}",
                size=pos,
                kind="txt",
                original=b"",
                text="",
                meta={},
                chunks=chunks,
                vectors=[bytes(1536)] * len(chunks),
                added_by="owner",
                now=NOW,
            )
    return kb.id


def _one_by_one(store: Store, kb_id: int) -> list[tuple[int, int]]:
    """The old way: every chunk by (document, version, index), one query each."""
    out = []
    with store.transaction() as tx:
        for doc in tx.knowledge.list_documents(kb_id):
            for index in range(doc.chunks):
                chunk = tx.knowledge.version_chunk(kb_id, doc.name, doc.version, index)
                assert chunk is not None
                out.append((chunk.id, len(chunk.text)))
    return out


def _bulk(store: Store, kb_id: int) -> list[tuple[int, int]]:
    """The new way: the documents' versions in pages."""
    with store.transaction() as tx:
        versions = [doc.id for doc in tx.knowledge.list_documents(kb_id)]
        return [(c.id, len(c.text)) for c in tx.knowledge.chunks_of_versions(versions)]


def test_reading_every_chunk_of_20k_one_query_each_against_pages(tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3")
    store = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    try:
        started = time.perf_counter()
        kb_id = _seed(store)
        seed_s = time.perf_counter() - started
        assert _one_by_one(store, kb_id) == _bulk(store, kb_id)  # same chunks, same order
        old: list[float] = []
        new: list[float] = []
        for _ in range(ROUNDS):  # alternate, so both see the same caches
            started = time.perf_counter()
            _one_by_one(store, kb_id)
            old.append(time.perf_counter() - started)
            started = time.perf_counter()
            _bulk(store, kb_id)
            new.append(time.perf_counter() - started)
    finally:
        store.close()
    old_s, new_s = statistics.median(old), statistics.median(new)
    chunks = DOCUMENTS * PER_DOCUMENT
    print(
        f"\nreading every chunk of {chunks} ({DOCUMENTS} documents, SQLCipher, seeded in "
        f"{seed_s:.1f} s), median of {ROUNDS}:\n"
        f"  one query per chunk   {old_s * 1000:8.1f} ms  ({chunks / old_s:,.0f} chunks/s)\n"
        f"  pages of {PAGE:<4} chunks   {new_s * 1000:8.1f} ms  ({chunks / new_s:,.0f} chunks/s)\n"
        f"  ratio old / new       {old_s / new_s:8.1f}x"
    )
