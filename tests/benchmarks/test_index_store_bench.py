"""Save and load time of a large IVF,SQ4 vector index in the encrypted database.

Opt-in (``benchmark``); ``KURA_INDEX_VECTORS`` sets the size (100k by default, quick;
1,000,000 for the issue's figures). The index is built like the one ``fit`` makes
(``IVF{ivf_lists(n)},SQ4``, inner product, 384 dimensions) from synthetic unit vectors,
but each vector is put in a random list (``add_core`` with the assignment given) instead
of its nearest one: only the size and layout of the saved bytes matter here, and
assigning a million vectors to their lists takes minutes on two cores. Figures: the
serialized size, the time of ``serialize`` + ``save_index`` + commit, of ``load_index``
+ ``deserialize`` (the first search's load after a restart), and the peak resident
memory each step adds.
"""

from __future__ import annotations

import ctypes
import gc
import os
import resource
import threading
import time
from pathlib import Path

import numpy as np

from desktop.retrieval import vector_index
from desktop.retrieval.vector_index import FaissVectorIndex
from desktop.storage import create_database, open_database
from tests.contract.test_knowledge_repository import kb_record
from tests.fakes import FixedClock

VECTORS = int(os.environ.get("KURA_INDEX_VECTORS", "100000"))
DIM = 384
BLOCK = 65_536
KEY = bytes(range(32))


def _ivf(count: int) -> FaissVectorIndex:
    faiss = vector_index._faiss()
    lists = vector_index.ivf_lists(count)
    rng = np.random.default_rng(0)
    index = faiss.index_factory(DIM, f"IVF{lists},SQ4", faiss.METRIC_INNER_PRODUCT)
    train = rng.standard_normal((lists * 40, DIM), dtype=np.float32)
    train /= np.linalg.norm(train, axis=1, keepdims=True)
    index.cp.niter = 1
    index.train(train)
    for start in range(0, count, BLOCK):
        n = min(BLOCK, count - start)
        rows = rng.standard_normal((n, DIM), dtype=np.float32)
        rows /= np.linalg.norm(rows, axis=1, keepdims=True)
        ids = np.arange(start, start + n, dtype=np.int64)
        assign = rng.integers(0, lists, n).astype(np.int64)
        index.add_core(n, faiss.swig_ptr(rows), faiss.swig_ptr(ids), faiss.swig_ptr(assign))
    out = FaissVectorIndex(DIM)
    out._index = index
    out._ids = set(range(count))
    return out


def _rss_mib() -> float:
    """Resident memory now (Linux ``/proc``)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


class PeakRss:
    """The highest resident memory seen while the block runs (sampled every 5 ms)."""

    def __enter__(self) -> PeakRss:
        gc.collect()
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # give freed heap back, for a fair base
        self.base = self.peak = _rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mib())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mib())

    @property
    def added(self) -> float:
        return self.peak - self.base


def test_save_and_load_time_of_a_large_ivf_index(tmp_path: Path) -> None:
    index = _ivf(VECTORS)
    path = tmp_path / "kura.db"
    store = create_database(path, KEY, clock=FixedClock())
    with store.transaction() as tx:
        kb_id = tx.knowledge.create_kb(kb_record()).id
    with PeakRss() as save_rss:
        started = time.perf_counter()
        blob = index.serialize()
        serialized = time.perf_counter() - started
        size = len(blob)
        with store.transaction() as tx:
            tx.knowledge.save_index(kb_id, blob, "stamp")
        saved = time.perf_counter() - started
        del blob
    store.close()
    del index
    gc.collect()

    store = open_database(path, KEY, clock=FixedClock())
    with PeakRss() as load_rss:
        started = time.perf_counter()
        with store.transaction() as tx:
            found = tx.knowledge.load_index(kb_id)
        read = time.perf_counter() - started
        assert found is not None
        loaded = FaissVectorIndex.deserialize(found[0], DIM)
        took = time.perf_counter() - started
        del found
    store.close()
    assert loaded.count() == VECTORS and loaded.kind() == "ivf"
    print(
        f"\nIVF,SQ4 index of {VECTORS:,} vectors ({DIM} dims): {size / 2**20:,.0f} MiB;"
        f" save {saved:.2f} s (serialize {serialized:.2f} s), peak RSS"
        f" +{save_rss.added:,.0f} MiB; load {took:.2f} s (database read {read:.2f} s), peak"
        f" RSS +{load_rss.added:,.0f} MiB (the loaded index included); load average"
        f" {os.getloadavg()[0]:.1f}"
    )
