"""kill -9 during a burst of audited writes leaves a sound, verifiable database."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.services.accounts import AccountService
from desktop.security.passwords import Argon2PasswordHasher
from desktop.storage.db import create_database, open_database
from tests.fakes import FixedClock

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 20


@pytest.mark.slow
def test_kill_9_during_audited_writes(tmp_path: Path) -> None:
    key = os.urandom(32)
    db = tmp_path / "kura.db"
    store = create_database(db, key, clock=FixedClock())
    hasher = Argon2PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    AccountService(store, hasher, FixedClock()).bootstrap_owner(
        "owner", "a long enough passphrase", workspace_id="w"
    )
    store.close()
    rng = random.Random(1234)
    counts = []
    for run in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.burst_writer", str(db), str(run)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPO,
            text=True,
        )
        assert child.stdin and child.stdout
        child.stdin.write(key.hex() + "\n")
        child.stdin.close()
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.005, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        reopened = open_database(db, key, clock=FixedClock())
        try:
            assert reopened.integrity_check() == []
            report = reopened.verify_audit()
            assert report.ok, report.error
            counts.append(report.count)
        finally:
            reopened.close()
    assert counts == sorted(counts) and counts[-1] > counts[0]  # writes really happened
