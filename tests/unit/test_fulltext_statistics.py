"""Full-text search reads its knowledge base's statistics without a pass over the kb's
chunks: counting a million chunks on every query cost about 300 ms in the encrypted
database, three times the whole hybrid-search budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.core.knowledge_models import Chunk
from desktop.storage import create_database
from desktop.storage import repo_knowledge_search as search
from desktop.storage import repo_knowledge_stats as stats
from tests.contract.test_knowledge_repository import KEY, kb_record
from tests.fakes import FixedClock


def _add(tx: Any, kb_id: int, name: str, texts: list[str]) -> None:
    tx.knowledge.add_version(
        kb_id=kb_id,
        name=name,
        sha256="0" * 64,
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


def _steps(conn: Any, kb_id: int) -> tuple[list[tuple[int, float]], int]:
    """The hits for "needle" and how many SQLite VM instructions finding them took."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn.set_progress_handler(count, 1)
    try:
        hits = search.fulltext(conn, kb_id, ["needle"], [], 5)
    finally:
        conn.set_progress_handler(None, 1)
    return hits, steps[0]


def test_fulltext_work_does_not_grow_with_the_chunks_a_query_does_not_match(
    tmp_path: Path,
) -> None:
    store = create_database(tmp_path / "kura.db", KEY, clock=FixedClock())
    try:
        with store.transaction() as tx:
            small, big = (tx.knowledge.create_kb(kb_record(n)) for n in ("small", "big"))
            for kb, fillers in ((small, 10), (big, 3000)):
                _add(
                    tx,
                    kb.id,
                    "a.txt",
                    ["the needle is here", *(f"hay {n}" for n in range(fillers))],
                )
                _add(tx, kb.id, "b.txt", ["more hay", "and hay"])
            conn = tx.knowledge._conn
            small_hits, small_steps = _steps(conn, small.id)
            big_hits, big_steps = _steps(conn, big.id)
            assert len(small_hits) == len(big_hits) == 1
            assert big_steps < 2 * small_steps, (small_steps, big_steps)
            assert stats.active_chunks(conn, big.id) == 3003
            assert stats.active_chunks(conn, small.id) == 13
    finally:
        store.close()
