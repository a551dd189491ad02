"""Export time of a signed bundle over 1,000 chat-turn-sized audit events, plain and
pseudonymised (the deterministic fake detector, so the figure is the bundle side's cost:
walking payloads, batching, commitments, placeholders, the verifier's extra checks; the
real detector's own time adds to it). Both exports run on the same workspace, alternated
over several rounds; the medians are printed. ``KURA_BENCH_EVENTS`` sets the count."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from desktop import app
from tests.benchmarks.kb_support import workspace
from tests.fakes import FakeChatModel, FakeInspector
from tests.fakes_pii import FakePiiDetector

EVENTS = int(os.environ.get("KURA_BENCH_EVENTS", "1000"))
ROUNDS = 5


def test_pseudonymised_export_time_against_plain(tmp_path: Path) -> None:
    detector = FakePiiDetector()
    engines = app.Engines(FakeInspector(), FakeChatModel(), pii_detector=detector)
    with workspace(tmp_path, engines) as (ws, owner):
        with ws.store.transaction() as tx:
            for n in range(EVENTS):
                tx.audit.append(
                    actor="analyst",
                    action="chat.turn",
                    obj=f"conversation:{n // 10}",
                    payload={
                        "app_id": 1,
                        "turn_id": n,
                        "input": f"質問 {n}: 山田太郎さん (マイナンバー {100000000000 + n}) の"
                        f" 連絡先 taro{n % 50}@example.co.jp について",
                        "output": "The policy keeps conversations for 90 days. " * 4,
                        "usage": {"prompt_tokens": 412, "completion_tokens": 96},
                        "timings": {"first_token_ms": 180.5, "total_ms": 2412.0},
                    },
                )
        plain_s, pseudo_s = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            plain = ws.logs.export(owner)
            plain_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            pseudo = ws.logs.export(owner, pseudonymise=True)
            pseudo_s.append(time.perf_counter() - start)
    assert pseudo.pseudonymised >= EVENTS
    p, q = statistics.median(plain_s), statistics.median(pseudo_s)
    print(
        f"\nexport of {plain.count} events (median of {ROUNDS}): plain {p * 1000:.0f} ms,"
        f" pseudonymised {q * 1000:.0f} ms (x{q / p:.2f}, +{(q - p) * 1000:.0f} ms);"
        f" {pseudo.pseudonymised} events pseudonymised; bundle {len(plain.data)} vs"
        f" {len(pseudo.data)} bytes; detector calls {detector.calls // ROUNDS} per export"
    )
