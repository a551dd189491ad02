"""The shipped verifier against hostile input: allowed_signers patterns with many stars
(the former regex translation, kept here as the baseline, against the segment matcher)
and the peak memory of verifying a signed 300 MiB events.jsonl bomb in a child."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from desktop.verifier import bundle_verify as bv
from tests.unit.test_verifier_limits import BOMB_MIB, fingerprint
from tests.unit.test_verifier_limits import test_signed_events_bomb_is_streamed_not_held as bomb


def regex_match(value: str, pattern: str) -> bool:
    """The matcher as it was: '*' became '.*' and the regex engine backtracked."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, value, re.DOTALL) is not None


def _timed(match: object, value: str, pattern: str) -> float:
    start = time.perf_counter()
    assert callable(match) and match(value, pattern) is False
    return time.perf_counter() - start


def test_many_star_patterns_before_and_after() -> None:
    lines = []
    for stars in (8, 10, 12):
        value, pattern = "a" * 30, "*a" * stars + "b"
        before = _timed(regex_match, value, pattern)
        after = _timed(bv.match_pattern, value, pattern)
        lines.append(f"{stars} stars, 30 chars: regex {before:.3f}s, segments {after * 1e6:.0f}us")
    value, pattern = "a" * 100_000, "*a" * 1_000 + "b"
    lines.append(
        f"1000 stars, 100000 chars: segments {_timed(bv.match_pattern, value, pattern):.4f}s"
    )
    print("\n" + "\n".join(lines))


def test_peak_memory_of_a_signed_events_bomb(tmp_path: Path) -> None:
    bomb(tmp_path)  # builds tmp_path/b.zip and checks it is refused under the cap
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-I", "-S", bv.__file__, str(tmp_path / "b.zip"),
         "--fingerprint", fingerprint()],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"\nsigned {BOMB_MIB} MiB events.jsonl bomb: {run.stdout.strip()[:70]}...;"
        f" {seconds:.1f}s, peak RSS of the children so far {peak:.0f} MiB"
    )
