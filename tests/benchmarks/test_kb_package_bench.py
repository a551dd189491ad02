"""Knowledge-base packages on the Python documentation (Debian python3-doc, HTML, with
the real packaged embedder): export time and size, import time into a workspace with the
same embedding model (the vectors are reused) and into one whose model differs (every
passage is embedded again), against the time to ingest the pages and their size.

``KURA_BENCH_PAGES`` limits the number of pages (default: all). The "other" model is the
same embedder under another fingerprint, so re-embedding costs what a real second model
of that size would.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from desktop import app
from desktop.core.ports import Embedder
from tests.benchmarks.kb_support import debian_files, sources, workspace


class _Renamed:
    """The same embedder under another model fingerprint (forces a re-embedding)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner

    def model_id(self) -> str:
        return "renamed-" + self._inner.model_id()

    def dimension(self) -> int:
        return self._inner.dimension()

    def languages(self) -> tuple[str, ...] | None:
        return self._inner.languages()

    def warm_up(self) -> None:
        self._inner.warm_up()

    def embed(self, texts: Sequence[str]) -> Any:
        return self._inner.embed(texts)


def test_export_and_import_python_docs(tmp_path: Path) -> None:
    pages = debian_files("python3-doc", "*.html") or [
        p for v in range(8, 20) for p in debian_files(f"python3.{v}-doc", "*.html")
    ]
    if not pages:
        pytest.skip("python3-doc is not installed (apt-get install python3-doc)")
    limit = int(os.environ.get("KURA_BENCH_PAGES", "0") or 0)
    pages = pages[:limit] if limit else pages
    root = Path(os.path.commonpath([str(p) for p in pages]))
    pages_bytes = sum(p.stat().st_size for p in pages)
    local = app.Engines.local()
    renamed = dataclasses.replace(
        local, embedder_factory=lambda folder: _Renamed(local.embedder_factory(folder))
    )
    with ExitStack() as stack:
        a, a_owner = stack.enter_context(workspace(tmp_path / "a", local))
        b, b_owner = stack.enter_context(workspace(tmp_path / "b", local))
        c, c_owner = stack.enter_context(workspace(tmp_path / "c", renamed))
        local.embedder_factory("").embed(["warm up"])
        kb = a.knowledge.create(a_owner, "pydocs")
        start = time.perf_counter()
        report = a.knowledge.ingest(a_owner, kb.id, sources(pages, root))
        ingest_s = time.perf_counter() - start
        print(f"\ningested {len(pages)} pages in {ingest_s:.1f}s", flush=True)
        recipients = [w.kb_packages.keys.public_key(o) for w, o in ((b, b_owner), (c, c_owner))]
        for w, o in ((b, b_owner), (c, c_owner)):
            w.kb_packages.keys.trust(o, a.logs.allowed_signers(a_owner))
        written: list[bytes] = []
        start = time.perf_counter()
        exported = a.kb_packages.export(a_owner, kb.id, written.append, recipients=recipients)
        export_s = time.perf_counter() - start
        print(f"exported in {export_s:.2f}s", flush=True)
        timings = {}
        for name, w, o in (("same model", b, b_owner), ("re-embedding", c, c_owner)):
            start = time.perf_counter()
            done = w.kb_packages.import_package(o, written[0])
            timings[name] = time.perf_counter() - start
            print(f"imported ({name}) in {timings[name]:.2f}s", flush=True)
            assert done.added == len(report.added)
            assert done.reembedded == (name == "re-embedding")
    size = len(written[0])
    counts = exported.counts
    print(
        f"\nkb package of {len(pages)} python3-doc pages ({pages_bytes / 2**20:.1f} MiB of HTML, "
        f"{counts['versions']} versions, {counts['chunks']} chunks): ingest {ingest_s:.1f}s; "
        f"export {export_s:.2f}s ({export_s / ingest_s:.3f} x ingest), package "
        f"{size / 2**20:.1f} MiB ({size / pages_bytes:.2f} x the pages); import with the same "
        f"model {timings['same model']:.2f}s ({timings['same model'] / ingest_s:.3f} x ingest), "
        f"re-embedding {timings['re-embedding']:.1f}s "
        f"({timings['re-embedding'] / ingest_s:.3f} x ingest)"
    )
