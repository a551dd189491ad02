"""Workspace figures: open time, and SQLCipher overhead against plain SQLite.

Run with ``make bench``. Both sides of each ratio run in the same process, alternating,
with identical repository code; only the connection differs.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop import app
from desktop.core.audit import verify_chain
from desktop.core.clock import SystemClock
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.migrations import migrate
from desktop.storage.repositories import transaction
from tests.fakes import MemoryKeyStore

EVENTS = 10_000
PW = "a long enough passphrase"


def _key_store() -> tuple[Any, str]:
    if os.environ.get("KURA_TEST_SECRET_SERVICE") == "1":
        return app.default_key_store(), "real Secret Service"
    return MemoryKeyStore(), "in-memory key store (no Secret Service in this run)"


def test_open_workspace_median_of_20(tmp_path: Path) -> None:
    key_store, label = _key_store()
    fast = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    app.init_workspace(tmp_path / "w", "owner", PW, key_store=key_store, hasher=fast)
    samples = []
    for _ in range(20):
        start = time.perf_counter()
        ws = app.open_workspace(tmp_path / "w", key_store=key_store, hasher=fast)
        samples.append(time.perf_counter() - start)
        ws.close()
    print(
        f"\nopen workspace ({label}): median {statistics.median(samples) * 1e3:.1f} ms, "
        f"min {min(samples) * 1e3:.1f} ms, max {max(samples) * 1e3:.1f} ms over 20"
    )


def _plain(path: Path) -> Any:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "temp_store=MEMORY",
        "secure_delete=ON",
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
    ):
        conn.execute(f"PRAGMA {pragma}")
    migrate(conn, SystemClock())
    return conn


def _encrypted(path: Path) -> Any:
    from desktop.storage.db import create_database

    return create_database(path, os.urandom(32), clock=SystemClock())._conn


def _encrypted_without_memory_security(path: Path) -> Any:
    """For attribution only: how much of the overhead is cipher_memory_security=ON."""
    conn = _encrypted(path)
    conn.execute("PRAGMA cipher_memory_security = OFF")
    return conn


def _mix(conn: Any, per_tx: int) -> tuple[float, float]:
    clock = SystemClock()
    start = time.perf_counter()
    for batch in range(EVENTS // per_tx):
        with transaction(conn, clock) as tx:
            for i in range(per_tx):
                n = batch * per_tx + i
                tx.audit.append(
                    actor="analyst",
                    action="chat.turn",
                    obj=f"conv:{n % 97}",
                    payload={"n": n, "input": "質問 " * 20, "output": "answer " * 40},
                )
    written = time.perf_counter() - start
    start = time.perf_counter()
    with transaction(conn, clock) as tx:
        report = verify_chain(tx.audit.iter_events())
    assert report.ok and report.count == EVENTS
    return written, time.perf_counter() - start


def _side_by_side(tmp_path: Path, per_tx: int, rounds: int) -> None:
    sides: dict[str, Callable[[Path], Any]] = {
        "sqlcipher": _encrypted,
        "sqlite": _plain,
        "sqlcipher-memsec-off": _encrypted_without_memory_security,
    }
    timings: dict[str, list[tuple[float, float]]] = {k: [] for k in sides}
    for r in range(rounds):
        for name, opener in sides.items():
            conn = opener(tmp_path / f"{name}-{per_tx}-{r}.db")
            try:
                timings[name].append(_mix(conn, per_tx))
            finally:
                if name != "sqlite":
                    conn.execute("PRAGMA cipher_memory_security = ON")  # process-wide
                conn.close()
    med = {
        k: (statistics.median(w for w, _ in v), statistics.median(rd for _, rd in v))
        for k, v in timings.items()
    }
    enc, plain, nomem = med["sqlcipher"], med["sqlite"], med["sqlcipher-memsec-off"]
    print(
        f"\n{EVENTS} audit events, {per_tx}/transaction, median of {rounds}: "
        f"write {enc[0]:.2f}s vs {plain[0]:.2f}s (x{enc[0] / plain[0]:.2f}); "
        f"read+verify {enc[1]:.3f}s vs {plain[1]:.3f}s (x{enc[1] / plain[1]:.2f}); "
        f"total x{sum(enc) / sum(plain):.2f}  [SQLCipher vs plain SQLite]; "
        f"with cipher_memory_security=OFF the total would be x{sum(nomem) / sum(plain):.2f}"
    )


def test_sqlcipher_overhead_one_event_per_transaction(tmp_path: Path) -> None:
    """How services write: every event commits (fsync with synchronous=FULL)."""
    _side_by_side(tmp_path, per_tx=1, rounds=3)


def test_sqlcipher_overhead_batched(tmp_path: Path) -> None:
    """CPU cost of the encryption alone: 500 events per commit."""
    _side_by_side(tmp_path, per_tx=500, rounds=5)
