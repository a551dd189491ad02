"""Backup and restore of a workspace holding the Python documentation (Debian
python3-doc, HTML; a generated corpus when it is absent), against ``cp`` of the
database file: time and size, printed as ratios (goal: backup <= 2x cp), and sizes
against the original documents.

The pages are embedded with the hash embedder by default (384 dimensions, like the
packaged model): the figures measured are the backup's, not the embedder's.
``KURA_BENCH_PAGES`` sets the number of pages (default 530), ``KURA_BENCH_REAL_EMBEDDER=1``
embeds with the packaged model instead, ``KURA_BENCH_REPEATS`` the rounds (default 5).

Each round runs ``cp``, ``cp`` + fsync, the crypto floor and a backup one after the other;
medians are printed. The floor is the cryptography a re-encrypting copy cannot avoid,
with no I/O and no SQLite: every page decrypted (AES-256-CBC) and authenticated
(HMAC-SHA512), then encrypted and authenticated again under another key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import statistics
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
REPEATS = int(os.environ.get("KURA_BENCH_REPEATS", "5") or 5)


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
    """One copy of ``src`` (``cp``), optionally made durable."""
    dst = folder / f"cp-{sync}.db"
    start = time.perf_counter()
    shutil.copyfile(src, dst)
    if sync:
        with dst.open("rb+") as handle:
            os.fsync(handle.fileno())
    took = time.perf_counter() - start
    dst.unlink()
    return took


def _crypto_floor(data: bytes) -> float:
    """Decrypt + authenticate every 4 KiB page, then encrypt + authenticate it under
    another key (SQLCipher 4's AES-256-CBC and HMAC-SHA512), in C, without I/O."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    page = 4096
    keys = [secrets.token_bytes(32) for _ in range(4)]
    iv = secrets.token_bytes(16)
    start = time.perf_counter()
    for i in range(0, len(data), page):
        hmac.digest(keys[0], data[i : i + page], hashlib.sha512)
    plain = Cipher(algorithms.AES(keys[1]), modes.CBC(iv)).decryptor().update(data)
    sealed = Cipher(algorithms.AES(keys[2]), modes.CBC(iv)).encryptor().update(plain)
    for i in range(0, len(sealed), page):
        hmac.digest(keys[3], sealed[i : i + page], hashlib.sha512)
    return time.perf_counter() - start


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
        data = db.read_bytes()
        times: dict[str, list[float]] = {"cp": [], "cp+fsync": [], "floor": [], "backup": []}
        for i in range(REPEATS):
            times["cp"].append(_cp(db, tmp_path, sync=False))
            times["cp+fsync"].append(_cp(db, tmp_path, sync=True))
            times["floor"].append(_crypto_floor(data))
            out = tmp_path / f"w{i}.kbak"
            times["backup"].append(_timed(lambda: ws.backups.backup(owner, out)))  # noqa: B023
    times["restore"] = [
        _timed(
            lambda: backups.restore_workspace(
                tmp_path / f"w{i}.kbak",  # noqa: B023
                tmp_path / f"restored{i}",  # noqa: B023
                key_store=MemoryKeyStore(),
                recovery_key=init.recovery_key,
            )
        )
        for i in range(min(REPEATS, 3))
    ]
    med = {name: statistics.median(values) for name, values in times.items()}
    cp_s, cp_sync_s = med["cp"], med["cp+fsync"]
    docs = sum(f.size for f in files)
    size = (tmp_path / "w0.kbak").stat().st_size
    print(
        f"\nbackup of {len(report.added)} {corpus} pages ({docs / 2**20:.1f} MiB of documents, "
        f"kura.db {db_size / 2**20:.1f} MiB), medians of {REPEATS} rounds, load average "
        f"{os.getloadavg()[0]:.1f}: cp {cp_s:.3f}s (with fsync {cp_sync_s:.3f}s); "
        f"backup {med['backup']:.2f}s = {med['backup'] / cp_s:.1f}x cp, "
        f"{med['backup'] / cp_sync_s:.1f}x cp+fsync (goal <= 2x); crypto floor of a "
        f"re-encrypting copy {med['floor']:.2f}s = {med['floor'] / cp_s:.1f}x cp "
        f"(backup = {med['backup'] / med['floor']:.1f}x the floor); restore "
        f"{med['restore']:.2f}s = {med['restore'] / cp_s:.1f}x cp, "
        f"{med['restore'] / cp_sync_s:.1f}x cp+fsync; backup file {size / 2**20:.1f} MiB = "
        f"{size / db_size:.3f}x kura.db, {size / docs:.2f}x the documents"
    )
    assert size > db_size // 2  # the backup holds the database (not a measure of speed)
