"""What query expansion costs: the first query's load of the synonym table and JMdict
(time and resident memory, each in a fresh process) and the time per query after that.

Prints figures; asserts only that the dictionaries answered.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
QUERIES = [
    "監査ログの保存期間は何日ですか?",
    "How do I change my password?",
    "閉店の時間",
    "Where are uploaded images stored?",
    "パッケージを削除するにはどうすればよいですか",
]
_PROBE = """
import json, resource, sys, time
from desktop.analysis import content_words
from desktop.retrieval import expansion, query
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
content_words("準備")  # Sudachi loaded first: its cost is not the dictionaries'
before, t = rss(), time.perf_counter()
expand = sys.argv[1] == "on"
if not expand:
    expansion.synonyms = expansion.to_japanese = expansion.to_english = lambda w: []
query.fulltext_terms(sys.argv[2])
first = time.perf_counter() - t
t = time.perf_counter()
n = 0
for q in json.loads(sys.argv[3]) * 4:
    n += len(query.fulltext_terms(q)[2])
print(json.dumps({"first_s": first, "per_query_ms": (time.perf_counter() - t) * 1000 / 20,
                  "rss_mib": rss(), "delta_mib": rss() - before, "words": n}))
"""


def _probe(mode: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, mode, QUERIES[0], json.dumps(QUERIES)],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_query_expansion_load_time_memory_and_latency() -> None:
    off, on = _probe("off"), _probe("on")
    for name, row in (("expansion off", off), ("expansion on", on)):
        print(
            f"\n{name}: first query {row['first_s'] * 1000:.0f} ms, then"
            f" {row['per_query_ms']:.1f} ms/query, RSS {row['rss_mib']:.0f} MiB"
            f" (+{row['delta_mib']:.1f} MiB over Sudachi), {row['words']:.0f} words"
        )
    assert on["words"] > off["words"]
