"""Export and verification of a signed bundle over 100k audit events.

Events are chat-turn-sized (a question, an answer, a trace), appended through the real
audit log in the encrypted database; export runs the integrity check and the full chain
verification first, as it always does. Verification is the standard-library verifier
the bundle ships (pure-Python Ed25519 included), run in process on the written file.
``KURA_BENCH_EVENTS`` sets the count.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from desktop.verifier import bundle_verify
from tests.benchmarks.kb_support import workspace

EVENTS = int(os.environ.get("KURA_BENCH_EVENTS", "100000"))
BATCH = 1_000


def test_export_and_verify_100k_events(tmp_path: Path) -> None:
    with workspace(tmp_path) as (ws, owner):
        start = time.perf_counter()
        for first in range(0, EVENTS, BATCH):
            with ws.store.transaction() as tx:
                for n in range(first, min(first + BATCH, EVENTS)):
                    tx.audit.append(
                        actor="analyst",
                        action="chat.turn",
                        obj=f"conversation:{n // 10}",
                        payload={
                            "app_id": 1,
                            "turn_id": n,
                            "input": f"質問 {n}: what does the retention policy say?",
                            "output": "The policy keeps conversations for 90 days. " * 4,
                            "usage": {"prompt_tokens": 412, "completion_tokens": 96},
                            "timings": {"first_token_ms": 180.5, "total_ms": 2412.0},
                        },
                    )
        fill_s = time.perf_counter() - start
        start = time.perf_counter()
        export = ws.logs.export(owner)
        export_s = time.perf_counter() - start
        signers = ws.logs.allowed_signers(owner)
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(export.data)
    start = time.perf_counter()
    report = bundle_verify.verify_bundle(str(bundle), allowed_signers=signers)
    verify_s = time.perf_counter() - start
    assert report.ok, report.reason
    with zipfile.ZipFile(bundle) as z:
        events_bytes = z.getinfo("events.jsonl").file_size
        z.extractall(tmp_path / "x")
    start = time.perf_counter()
    standalone = subprocess.run(
        [sys.executable, "-I", "verify_bundle.py"], cwd=tmp_path / "x", capture_output=True
    )
    standalone_s = time.perf_counter() - start
    assert standalone.returncode == 0, standalone.stdout + standalone.stderr
    print(
        f"\naudit bundle over {export.count} events (appended in {fill_s:.0f}s): export "
        f"{export_s:.1f}s (integrity check + chain verification + build + sign); "
        f"bundle {len(export.data) / 2**20:.1f} MiB zipped ({events_bytes / 2**20:.1f} MiB "
        f"events.jsonl); verify in process {verify_s:.1f}s; python3 -I verify_bundle.py "
        f"{standalone_s:.1f}s"
    )
