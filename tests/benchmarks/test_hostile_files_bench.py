"""Time and peak memory of ``FileParser.parse`` on each hostile file, one child process
per file (so each peak is that file's own), under an address-space cap and a time cap.

Prints one line per file: the outcome (refused with which error, or parsed), seconds,
and the child's peak RSS. ``KURA_BENCH_HOSTILE_TIMEOUT`` (seconds, default 150) and
``KURA_BENCH_HOSTILE_AS_GIB`` (default 3) set the caps; a child past either is reported
as stopped. To measure older code, put its checkout first on PYTHONPATH.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hostile_files import HOSTILE, empty_paragraphs_docx

_CHILD = """
import resource, sys, time
limit = int(sys.argv[3])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from desktop.retrieval.parsers import FileParser
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
try:
    FileParser().parse(sys.argv[1], data)
    outcome = "parsed"
except Exception as exc:
    outcome = type(exc).__name__ + ": " + str(exc)[:90]
status = open("/proc/self/status").read().split("VmHWM:")[1]
peak = int(status.split()[0]) / 1024  # this program's own peak (ru_maxrss spans exec)
print(f"{time.perf_counter() - start:.2f}|{peak:.0f}|{outcome}")
"""

CASES: dict[str, Callable[[], bytes]] = {
    **HOSTILE,
    "empty-paragraphs-400k.docx": lambda: empty_paragraphs_docx(400_000),
    "empty-paragraphs-under-limit.docx": lambda: empty_paragraphs_docx(3_900_000),
}


def _peak_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), read before it is stopped."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def _measure(name: str, path: Path, timeout: float, cap: int) -> str:
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, name, str(path), str(cap)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=path.parent,  # not the checkout: PYTHONPATH decides which code is measured
    )
    stopped: list[float] = []

    def stop() -> None:
        stopped.append(_peak_mib(child.pid))
        child.kill()

    timer = threading.Timer(timeout, stop)
    start = time.perf_counter()
    timer.start()
    out, err = child.communicate()
    timer.cancel()
    wall = time.perf_counter() - start
    if stopped:
        return f"{name:36} STOPPED at the {timeout:.0f}s cap; peak RSS {stopped[0]:6.0f} MiB so far"
    if child.returncode != 0 or out.count("|") < 2:
        reason = (err.strip().splitlines() or ["?"])[-1]
        return f"{name:36} DIED after {wall:6.1f}s ({reason[:80]})"
    seconds, peak, outcome = out.strip().split("|", 2)
    return f"{name:36} {float(seconds):7.2f}s  peak RSS {float(peak):6.0f} MiB  {outcome}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_time_and_peak_memory(name: str, tmp_path: Path) -> None:
    timeout = float(os.environ.get("KURA_BENCH_HOSTILE_TIMEOUT", "150"))
    cap = int(float(os.environ.get("KURA_BENCH_HOSTILE_AS_GIB", "3")) * 2**30)
    path = tmp_path / name
    path.write_bytes(CASES[name]())
    print(f"\n{_measure(name, path, timeout, cap)}  [{path.stat().st_size / 1e6:.2f} MB]")
