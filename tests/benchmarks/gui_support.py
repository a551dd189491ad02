"""A display for GUI benchmarks: Xvfb when installed (what users see), else offscreen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def display() -> Iterator[dict[str, str]]:
    """Environment variables that put Qt on a real X server (Xvfb) or offscreen."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
    number = 90 + os.getpid() % 50
    proc = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = f"/tmp/.X11-unix/X{number}"
        for _ in range(100):
            if os.path.exists(socket):
                break
            time.sleep(0.05)
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
