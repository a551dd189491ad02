"""Cold start of the GUI: process launch to the first painted window (median of 5).

Two cases: a first run (no workspace yet, the wizard) and an existing workspace (the
sign-in screen). Each run is a new process, so imports count, as for a user. The window
reports its first paint when KURA_PROBE_FIRST_PAINT=1 (and quits). When a frozen build
exists (build/dist/kura/kura, from `make package`), it is measured side by side with the
virtual environment.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from desktop import app
from tests.benchmarks.gui_support import display
from tests.fakes import MemoryKeyStore

RUNS = 5
FROZEN = Path(__file__).resolve().parents[2] / "build" / "dist" / "kura" / "kura"


def _cold_start(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("KURA_FIRST_PAINT"):
            elapsed = time.perf_counter() - started
            break
    else:
        raise AssertionError("the window never reported its first paint")
    assert proc.wait(timeout=60) == 0
    return elapsed


def test_cold_start_to_first_paint(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    app.init_workspace(existing, "owner", "a long enough passphrase", key_store=MemoryKeyStore())
    builds = {"venv": [sys.executable, "-m", "desktop"]}
    if FROZEN.exists():
        builds["frozen"] = [str(FROZEN)]
    cases = {"first run (wizard)": tmp_path / "none", "existing workspace": existing}
    results: dict[tuple[str, str], list[float]] = {}
    with display() as screen:
        base = {**os.environ, **screen, "KURA_PROBE_FIRST_PAINT": "1"}
        for _ in range(RUNS):
            for build, command in builds.items():
                for case, data_dir in cases.items():
                    env = {**base, "KURA_DATA_DIR": str(data_dir)}
                    results.setdefault((build, case), []).append(_cold_start(command, env))
    print(f"\nGUI cold start to first paint ({screen['QT_QPA_PLATFORM']}, {RUNS} runs each):")
    for (build, case), times in results.items():
        print(
            f"  {build:<7}{case:<22} median {statistics.median(times) * 1000:5.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
        )
    if FROZEN.exists():
        for case in cases:
            ratio = statistics.median(results[("frozen", case)]) / statistics.median(
                results[("venv", case)]
            )
            print(f"  frozen / venv, {case}: {ratio:.2f}")
