"""Backup and restore of a workspace holding the Python documentation (Debian
python3-doc, HTML; a generated corpus when it is absent), against ``cp`` of the
database file: time and size, printed as ratios (goal: backup <= 2x cp), and sizes
against the original documents.

The pages are embedded with the hash embedder by default (384 dimensions, like the
packaged model): the figures measured are the backup's, not the embedder's.
``KURA_BENCH_PAGES`` sets the number of pages (default 530), ``KURA_BENCH_REAL_EMBEDDER=1``
embeds with the packaged model instead.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from desktop import app, backups
from desktop.core.knowledge_models import KbVisibility
from desktop.files import FileSource
from desktop.security.passwords import Argon2PasswordHasher
from tests.benchmarks.kb_support import PW, debian_files, sources
from tests.fakes import FakeChatModel, FakeInspector, FixedClock, MemoryKeyStore
from tests.fakes_retrieval import HashEmbedder

PAGES = int(os.environ.get("KURA_BENCH_PAGES", "530") or 530)


def _corpus(tmp: Path) -> tuple[list[FileSource], str]:
    pages = debian_files("python3-doc", "*.html") or [
        p for v in range(8, 20) for p in debian_files(f"python3.{v}-doc", "*.html")
    ]
    if pages:
        pages = pages[:PAGES]
        root = Path(os.path.commonpath([str(p) for p in pages]))
        return sources(pages, root), "python3-doc"
    folder = tmp / "corpus"
    folder.mkdir()
    for i in range(PAGES):
        text = " ".join(
            f"Section {i}.{j}: the storehouse keeps record {i * 97 + j}." for j in range(400)
        )
        (folder / f"page{i:04}.txt").write_text(text)
    return sources(sorted(folder.iterdir())), "generated"


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cp(src: Path, folder: Path, *, sync: bool) -> float:
    """The best of three copies of ``src`` (``cp``), optionally made durable."""
    best = float("inf")
    for i in range(3):
        dst = folder / f"cp-{sync}-{i}.db"
        start = time.perf_counter()
        shutil.copyfile(src, dst)
        if sync:
            with dst.open("rb+") as handle:
                os.fsync(handle.fileno())
        best = min(best, time.perf_counter() - start)
        dst.unlink()
    return best


def test_backup_and_restore_against_cp(tmp_path: Path) -> None:
    files, corpus = _corpus(tmp_path)
    engines = (
        app.Engines.local()
        if os.environ.get("KURA_BENCH_REAL_EMBEDDER") == "1"
        else app.Engines(
            FakeInspector(), FakeChatModel(), embedder_factory=lambda _: HashEmbedder(384)
        )
    )
    keys, clock = MemoryKeyStore(), FixedClock()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    init = app.init_workspace(tmp_path / "w", "owner", PW, key_store=keys, hasher=fast, clock=clock)
    with app.open_workspace(
        tmp_path / "w", key_store=keys, hasher=fast, clock=clock, engines=engines
    ) as ws:
        owner = ws.accounts.authenticate("owner", PW)
        kb = ws.knowledge.create(owner, "pydocs", visibility=KbVisibility.ALL)
        report = ws.knowledge.ingest(owner, kb.id, files)
        ws.store.checkpoint()
        db = ws.layout.db
        db_size = db.stat().st_size
        cp_s, cp_sync_s = _cp(db, tmp_path, sync=False), _cp(db, tmp_path, sync=True)
        out = tmp_path / "w.kbak"
        backup_s = _timed(lambda: ws.backups.backup(owner, out))
    restore_s = _timed(
        lambda: backups.restore_workspace(
            out, tmp_path / "restored", key_store=MemoryKeyStore(), recovery_key=init.recovery_key
        )
    )
    docs = sum(f.size for f in files)
    size = out.stat().st_size
    print(
        f"\nbackup of {len(report.added)} {corpus} pages ({docs / 2**20:.1f} MiB of documents, "
        f"kura.db {db_size / 2**20:.1f} MiB): cp {cp_s:.2f}s (with fsync {cp_sync_s:.2f}s); "
        f"backup {backup_s:.2f}s = {backup_s / cp_s:.1f}x cp, {backup_s / cp_sync_s:.1f}x cp+fsync "
        f"(goal <= 2x); restore {restore_s:.2f}s = {restore_s / cp_s:.1f}x cp, "
        f"{restore_s / cp_sync_s:.1f}x cp+fsync; backup file {size / 2**20:.1f} MiB = "
        f"{size / db_size:.3f}x kura.db, {size / docs:.2f}x the documents"
    )
    assert size > db_size // 2  # the backup holds the database (not a measure of speed)
