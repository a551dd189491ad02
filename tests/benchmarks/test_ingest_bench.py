"""Ingestion throughput on the Python documentation (Debian python3-doc, HTML).

Total ingest time against the time to embed the same chunks alone, in one run, with the
same warmed-up embedder: everything beyond the embedder is ingestion overhead (parsing,
chunking, hashing, encrypted writes, FTS5, the vector index). Also pages/s and peak RSS.
``KURA_BENCH_PAGES`` limits the number of pages (default: all).
"""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from desktop import app
from desktop.core.knowledge_models import KbVisibility
from tests.benchmarks.kb_support import debian_files, sources, workspace


def test_ingest_python_docs_vs_embedding_alone(tmp_path: Path) -> None:
    # python3-doc depends on the versioned package that holds the pages.
    pages = debian_files("python3-doc", "*.html") or [
        p for v in range(8, 20) for p in debian_files(f"python3.{v}-doc", "*.html")
    ]
    if not pages:
        pytest.skip("python3-doc is not installed (apt-get install python3-doc)")
    limit = int(os.environ.get("KURA_BENCH_PAGES", "0") or 0)
    pages = pages[:limit] if limit else pages
    root = Path(os.path.commonpath([str(p) for p in pages]))
    engines = app.Engines.local()
    with workspace(tmp_path, engines) as (ws, owner):
        kb = ws.knowledge.create(owner, "pydocs", visibility=KbVisibility.ALL)
        embedder = engines.embedder_factory("")
        embedder.embed(["warm up"])
        start = time.perf_counter()
        report = ws.knowledge.ingest(owner, kb.id, sources(pages, root))
        ingest_s = time.perf_counter() - start
        with ws.store.transaction() as tx:
            ids = [cid for cid, _ in tx.knowledge.active_embeddings(kb.id)]
            texts = [c.text for c in tx.knowledge.chunks(ids)]
        start = time.perf_counter()
        for first in range(0, len(texts), 64):
            embedder.embed(texts[first : first + 64])
        embed_s = time.perf_counter() - start
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\ningest {len(pages)} python3-doc pages ({len(report.added)} added, "
        f"{len(report.failed)} failed), {len(texts)} chunks: {ingest_s:.1f}s total vs "
        f"{embed_s:.1f}s embedding alone -> ratio {ingest_s / embed_s:.3f} (goal <= 1.15); "
        f"{len(pages) / ingest_s:.2f} pages/s, {len(texts) / ingest_s:.1f} chunks/s; "
        f"peak RSS {rss_mib:.0f} MiB"
    )
