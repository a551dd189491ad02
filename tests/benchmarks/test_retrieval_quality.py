"""Retrieval quality on the Japanese dev set: hit@5 and MRR@10 per retrieval mode.

Corpus and scoring as in shared/eval/README.md: the two Dify articles plus chapters 1-4
of the Japanese Debian Reference, ingested into one knowledge base with the default
embedder; every question goes through the same search the chat uses.

Full-text search fuses the trigram index and the Sudachi word index (m0013); each is also
measured alone. Ingest throughput is measured with the word analyser on and off (the
SQL function that fills the word index returning nothing).
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from desktop.core.knowledge_models import RetrievalMode
from desktop.storage import repo_knowledge_words
from tests.benchmarks.kb_support import SHARED_EVAL, debian_files, workspace
from tests.benchmarks.retrieval_eval import hit_at_5_and_mrr, ingest, rank

#: The module (its package re-exports the migration function under the same name).
WORD_MIGRATION = importlib.import_module("desktop.storage.migrations.m0013_word_index")


def test_dev_set_hit_at_5_and_mrr_at_10(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not (SHARED_EVAL / "dev.jsonl").is_file():
        pytest.skip(f"no dev set at ../shared/eval beside the repository ({SHARED_EVAL})")
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
    size = sum(p.stat().st_size for p in corpus) / 1e6
    with monkeypatch.context() as off:
        off.setattr(WORD_MIGRATION, "_words", lambda text: "")
        with workspace(tmp_path / "off") as ws_owner:
            _, off_s = ingest(corpus, ws_owner)
    with workspace(tmp_path / "on") as (ws, owner):
        kb_id, on_s = ingest(corpus, (ws, owner))
        lines = [
            f"\nretrieval dev set: {len(questions)} questions, {len(corpus)} documents"
            f" ({size:.1f} MB)",
            f"  ingest: analyser on {size / on_s:.3f} MB/s ({on_s:.1f}s), off {size / off_s:.3f}"
            f" MB/s ({off_s:.1f}s), on/off throughput {off_s / on_s:.2f}",
        ]
        for sources_used in (("trigram",), ("words",), ("trigram", "words")):
            monkeypatch.setattr(repo_knowledge_words, "SOURCES", sources_used)
            for mode in RetrievalMode:
                ranks = []
                for q in questions:
                    hits = ws.knowledge.search(owner, kb_id, q["question"], k=10, mode=mode)
                    ranks.append(rank([h.chunk.text for h in hits], q["expect"]))
                hit5, mrr = hit_at_5_and_mrr(ranks)
                misses = [q["id"] for q, r in zip(questions, ranks, strict=True) if not r or r > 5]
                lines.append(
                    f"  {'+'.join(sources_used):<13} {mode.value:<9} hit@5 {hit5:.3f}"
                    f"  MRR@10 {mrr:.3f}  misses {misses}"
                )
    print("\n".join(lines))
