"""Retrieval quality on the Japanese dev set: hit@5 and MRR@10 per retrieval mode.

Corpus and scoring as in shared/eval/README.md: the two Dify articles plus chapters 1-4
of the Japanese Debian Reference, ingested into one knowledge base with the default
embedder; every question goes through the same search the chat uses.
"""

from __future__ import annotations

import json
import time
import unicodedata
from pathlib import Path

import pytest

from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from tests.benchmarks.kb_support import SHARED_EVAL, debian_files, sources, workspace


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _rank(texts: list[str], expect: list[str]) -> int | None:
    wanted = [_norm(e) for e in expect]
    for i, text in enumerate(texts, 1):
        if any(w in _norm(text) for w in wanted):
            return i
    return None


def test_dev_set_hit_at_5_and_mrr_at_10(tmp_path: Path) -> None:
    questions = [
        json.loads(line)
        for line in (SHARED_EVAL / "dev.jsonl").read_text().splitlines()
        if line.strip()
    ]
    chapters = [
        p
        for p in debian_files("debian-reference-ja", "*.ja.html")
        if p.name in {f"ch0{i}.ja.html" for i in range(1, 5)}
    ]
    if len(chapters) != 4:
        pytest.skip("debian-reference-ja is not installed (apt-get install debian-reference-ja)")
    corpus = sorted((SHARED_EVAL / "corpus").glob("*.txt")) + chapters
    with workspace(tmp_path) as (ws, owner):
        kb = ws.knowledge.create(owner, "eval", visibility=KbVisibility.ALL)
        start = time.perf_counter()
        report = ws.knowledge.ingest(owner, kb.id, sources(corpus))
        ingest_s = time.perf_counter() - start
        assert not report.failed, report.failed
        chunks = sum(a["chunks"] for a in report.added)
        lines = [
            f"\nretrieval dev set: {len(questions)} questions, {len(corpus)} documents, "
            f"{chunks} chunks (ingested in {ingest_s:.1f}s)"
        ]
        for mode in RetrievalMode:
            ranks = []
            for q in questions:
                hits = ws.knowledge.search(owner, kb.id, q["question"], k=10, mode=mode)
                ranks.append(_rank([h.chunk.text for h in hits], q["expect"]))
            hit5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
            mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
            misses = [q["id"] for q, r in zip(questions, ranks, strict=True) if not r or r > 5]
            lines.append(f"  {mode.value:<9} hit@5 {hit5:.3f}  MRR@10 {mrr:.3f}  misses {misses}")
    print("\n".join(lines))
