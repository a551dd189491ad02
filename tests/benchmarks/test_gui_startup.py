"""Cold start of the GUI: process launch to the first painted window (median of 5).

Two cases: a first run (no workspace yet, the wizard) and an existing workspace (the
sign-in screen). Each run is a new Python process, so imports count, as for a user.
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
DRIVER = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
from desktop.ui.launch import main
def painted():
    print(f"PAINTED {time.time() - t0:.4f}", flush=True)
    QApplication.instance().quit()
main(on_first_paint=painted)
"""


def _cold_start(env: dict[str, str]) -> float:
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, repr(t0)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("PAINTED "))
    return float(line.split()[1])


def test_cold_start_to_first_paint(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    app.init_workspace(existing, "owner", "a long enough passphrase", key_store=MemoryKeyStore())
    results: dict[str, list[float]] = {"first run (wizard)": [], "existing workspace": []}
    with display() as screen:
        base = {**os.environ, **screen}
        for _ in range(RUNS):
            for label, data_dir in (
                ("first run (wizard)", tmp_path / "none"),
                ("existing workspace", existing),
            ):
                env = {**base, "KURA_DATA_DIR": str(data_dir)}
                results[label].append(_cold_start(env))
    print(f"\nGUI cold start to first paint ({screen['QT_QPA_PLATFORM']}, {RUNS} runs):")
    for label, times in results.items():
        print(
            f"  {label}: median {statistics.median(times) * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
        )
