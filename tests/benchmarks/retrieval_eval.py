"""Scoring shared by the retrieval-quality benchmarks (dev set and held-out set).

A retrieved chunk is a hit when, after NFKC normalisation, lower-casing and removing all
whitespace on both sides, it contains one of the question's ``expect`` phrases
(shared/eval/README.md).
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path
from typing import Any

from desktop.core.knowledge_models import KbVisibility
from tests.benchmarks.kb_support import sources


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def rank(texts: list[str], expect: list[str]) -> int | None:
    """1-based rank of the first text holding an expected phrase, None if none does."""
    wanted = [norm(e) for e in expect]
    for i, text in enumerate(texts, 1):
        if any(w in norm(text) for w in wanted):
            return i
    return None


def ingest(corpus: list[Path], ws_owner: Any) -> tuple[int, float]:
    """A new knowledge base holding ``corpus``: its id and the seconds ingestion took."""
    ws, owner = ws_owner
    kb = ws.knowledge.create(owner, "eval", visibility=KbVisibility.ALL)
    start = time.perf_counter()
    report = ws.knowledge.ingest(owner, kb.id, sources(corpus))
    seconds = time.perf_counter() - start
    assert not report.failed, report.failed
    return kb.id, seconds


def hit_at_5_and_mrr(ranks: list[int | None]) -> tuple[float, float]:
    hit5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return hit5, mrr
