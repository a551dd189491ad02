"""The full-text statistics a knowledge base keeps (m0017) always equal a fresh count of
its active chunks, whatever sequence of new versions, rollbacks, document and kb
deletions led there, and word search reads them instead of counting."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.knowledge_models import Chunk
from desktop.storage import create_database, migrate
from desktop.storage import repo_knowledge_stats as stats
from desktop.storage import repo_knowledge_words as words
from desktop.storage.repo_knowledge import SqlKnowledgeRepository
from tests.contract.test_knowledge_repository import KEY, kb_record, trigram_in_stdlib
from tests.fakes import FixedClock

TEXTS = [
    "暗号鍵の管理規程",
    "監査ログの保存期間は一年",
    "鍵管理と監査",
    "the retention policy of audit logs",
    "backup keys are stored offline",
    "アクセス権限の申請と承認",
]


def _kept(conn: Any, kb_id: int) -> tuple[dict[str, int], int]:
    rows = conn.execute(
        "SELECT word, chunks FROM kb_word_counts WHERE kb_id = ?", (kb_id,)
    ).fetchall()
    return {str(w): int(n) for w, n in rows}, stats.active_chunks(conn, kb_id)


def _fresh(conn: Any, kb_id: int) -> tuple[dict[str, int], int]:
    conn.execute("SAVEPOINT fresh")
    try:
        stats.recount(conn, kb_id)
        return _kept(conn, kb_id)
    finally:
        conn.execute("ROLLBACK TO fresh")
        conn.execute("RELEASE fresh")


def _add(tx: Any, kb_id: int, name: str, picks: list[int]) -> None:
    texts = [TEXTS[i] for i in picks]
    tx.knowledge.add_version(
        kb_id=kb_id,
        name=name,
        sha256=f"{hash((name, tuple(picks))) & (2**64 - 1):064x}",
        size=1,
        kind="txt",
        original=b"x",
        text="\n".join(texts),
        meta={},
        chunks=[Chunk(i, 0, len(t), t) for i, t in enumerate(texts)],
        vectors=[b"\0" * 16 for _ in texts],
        added_by="owner",
        now="2026-01-01T00:00:00Z",
    )


_STEP = st.one_of(
    st.tuples(
        st.just("add"),
        st.sampled_from([0, 1]),
        st.sampled_from(["a", "b", "c"]),
        st.lists(st.integers(0, len(TEXTS) - 1), min_size=1, max_size=5),
    ),
    st.tuples(st.just("rollback"), st.sampled_from([0, 1]), st.sampled_from(["a", "b", "c"])),
    st.tuples(st.just("delete"), st.sampled_from([0, 1]), st.sampled_from(["a", "b", "c"])),
)


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(_STEP, max_size=12), drop_kb=st.booleans())
def test_kept_statistics_equal_a_fresh_count(
    tmp_path_factory: Any, steps: list[tuple[Any, ...]], drop_kb: bool
) -> None:
    path: Path = tmp_path_factory.mktemp("stats") / "kura.db"
    store = create_database(path, KEY, clock=FixedClock())
    try:
        with store.transaction() as tx:
            kbs = [tx.knowledge.create_kb(kb_record(n)).id for n in ("one", "two")]
            for step in steps:
                kb_id, name = kbs[step[1]], f"{step[2]}.txt"
                versions = tx.knowledge.versions(kb_id, name)
                if step[0] == "add":
                    _add(tx, kb_id, name, step[3])
                elif step[0] == "rollback" and versions:
                    tx.knowledge.set_active(kb_id, name, versions[0].version)
                elif step[0] == "delete" and versions:
                    tx.knowledge.delete_document(kb_id, name)
            conn = tx.knowledge._conn
            if drop_kb:
                tx.knowledge.delete_kb(kbs[0])
                assert _kept(conn, kbs[0]) == ({}, 0)
                kbs = kbs[1:]
            for kb_id in kbs:
                assert _kept(conn, kb_id) == _fresh(conn, kb_id)
    finally:
        store.close()


def test_word_search_reads_the_kept_counts_instead_of_counting(tmp_path: Path) -> None:
    store = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    try:
        with store.transaction() as tx:
            kb_id = tx.knowledge.create_kb(kb_record("one")).id
            _add(tx, kb_id, "a.txt", [0, 1, 2, 3])
            conn = tx.knowledge._conn
            before = words.word_search(conn, kb_id, [("監査", 1.0), ("鍵", 0.5)], 5)
            assert before
            # Statistics that claim 監査 is in every chunk change its weight, and so the
            # ranking's scores: proof that search reads them.
            conn.execute(
                "UPDATE kb_word_counts SET chunks = 4 WHERE kb_id = ? AND word = '監査'",
                (kb_id,),
            )
            after = dict(words.word_search(conn, kb_id, [("監査", 1.0), ("鍵", 0.5)], 5))
            texts = dict(conn.execute("SELECT id, text FROM chunks WHERE kb_id = ?", (kb_id,)))
            kind = {c: ("監査" in t, "鍵" in t) for c, t in texts.items()}
            assert set(after) == {c for c, _ in before}
            assert sorted(kind[c] for c, _ in before) == [
                (False, True),
                (True, False),
                (True, True),
            ]
            # Scores are relative to the best, the chunk holding both words. 監査 now
            # weighs less: the chunk holding only it falls, the one holding only 鍵 rises.
            for chunk, score in before:
                if kind[chunk] == (True, True):
                    assert after[chunk] == score == 1.0
                elif kind[chunk] == (True, False):
                    assert after[chunk] < score
                else:
                    assert kind[chunk] == (False, True) and after[chunk] > score
    finally:
        store.close()


def test_the_migration_counts_the_chunks_already_stored() -> None:
    """m0017 on a workspace that has knowledge bases: the statistics it counts are those
    the repository would have kept."""
    if not trigram_in_stdlib():
        pytest.skip("the stdlib sqlite3 has no FTS5 trigram tokenizer")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, FixedClock())
        repo = SqlKnowledgeRepository(conn, FixedClock())
        kb_id = repo.create_kb(kb_record("one")).id
        empty = repo.create_kb(kb_record("two")).id
        for name, picks in (("a.txt", [0, 1]), ("a.txt", [2, 3, 4]), ("b.txt", [5, 1])):
            _add(SimpleNamespace(knowledge=repo), kb_id, name, picks)
        kept = _kept(conn, kb_id)
        conn.execute("DROP TABLE kb_word_counts")
        conn.execute("ALTER TABLE knowledge_bases DROP COLUMN active_chunks")
        conn.execute("DELETE FROM schema_migrations WHERE name = 'm0017_kb_word_counts'")
        assert migrate(conn, FixedClock()) == ["m0017_kb_word_counts"]
        assert _kept(conn, kb_id) == kept
        assert kept[1] == 5 and kept[0]["監査"] == 2
        assert _kept(conn, empty) == ({}, 0)
    finally:
        conn.close()
