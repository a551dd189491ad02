"""Stored UTC times appear in the computer's own time zone, with the zone named."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta, timezone
from pathlib import Path

from desktop.ui.times import local_time

STORED = "2026-01-02T03:04:05.000000Z"


def test_local_time_shows_a_utc_time_in_the_given_zone_with_its_name() -> None:
    tokyo = timezone(timedelta(hours=9), "JST")
    assert local_time(STORED, tokyo) == "2026-01-02 12:04 JST"
    assert local_time("", tokyo) == ""
    assert local_time("not a time", tokyo) == "not a time"


def test_the_trace_list_shows_times_in_the_systems_zone() -> None:
    root = Path(__file__).resolve().parents[2]
    code = f"from desktop.ui.logs.model import when; print(when({STORED!r}))"
    env = {**os.environ, "TZ": "Asia/Tokyo", "PYTHONPATH": str(root)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "2026-01-02 12:04 JST"
