"""The JMdict table ``make jmdict`` builds against the full JMdict it is made from: build
time and size, lookup time, and hit@5 / MRR@10 on the dev set with each (the same corpus
and questions as test_retrieval_quality.py, one ingest, every mode searched twice).

Prints figures; asserts that both dictionaries score the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.retrieval import expansion
from tests.benchmarks.kb_support import REPO, SHARED_EVAL, debian_files, sources, workspace
from tests.benchmarks.retrieval_eval import rank
from tests.unit.test_jmdict_subset import full_jmdict, full_to_english, full_to_japanese

#: The dev set's folder (shared/eval beside the repository unless this names another).
EVAL = Path(os.environ.get("KURA_EVAL_DIR", SHARED_EVAL))
_WORDS_EN = ["password", "image", "install", "package", "delete", "company", "xyzzy"]
_WORDS_JA = ["画像", "パスワード", "監査", "削除", "保存", "会社", "存在しない語"]


def _per_lookup_us(lookup: Callable[[str], list[str]], words: list[str]) -> float:
    lookup(words[0])  # opened once per process: not part of a lookup
    started = time.perf_counter()
    for _ in range(50):
        for word in words:
            lookup(word)
    return (time.perf_counter() - started) * 1e6 / (50 * len(words))


def test_jmdict_table_build_size_lookup_time_and_dev_set_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = full_jmdict()
    if full is None:
        pytest.skip("jamdict-data is not installed")
    table = tmp_path / "jmdict-subset.sqlite"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "packaging" / "jmdict_subset.py"), str(table)],
        check=True,
        capture_output=True,
    )
    build_s = time.perf_counter() - started
    full_mib = Path(full.execute("PRAGMA database_list").fetchone()[2]).stat().st_size / 2**20
    monkeypatch.setattr(expansion, "JMDICT_FILE", table)
    expansion._jmdict_db.cache_clear()
    lines = [
        f"\njmdict table: built in {build_s:.1f}s, {table.stat().st_size / 2**20:.1f} MiB"
        f" (the full JMdict it is made from: {full_mib:.0f} MiB)",
        f"  lookup en->ja: table {_per_lookup_us(expansion.to_japanese, _WORDS_EN):.0f} us,"
        f" full {_per_lookup_us(lambda w: full_to_japanese(full, w), _WORDS_EN):.0f} us",
        f"  lookup ja->en: table {_per_lookup_us(expansion.to_english, _WORDS_JA):.0f} us,"
        f" full {_per_lookup_us(lambda w: full_to_english(full, w), _WORDS_JA):.0f} us",
    ]
    if not (EVAL / "dev.jsonl").is_file():
        print("\n".join(lines))
        pytest.skip(f"no dev set in {EVAL} (KURA_EVAL_DIR names another folder)")
    questions = [json.loads(x) for x in (EVAL / "dev.jsonl").read_text().splitlines() if x]
    chapters = [
        p
        for p in debian_files("debian-reference-ja", "*.ja.html")
        if p.name in {f"ch0{i}.ja.html" for i in range(1, 5)}
    ]
    if len(chapters) != 4:
        pytest.skip("debian-reference-ja is not installed (apt-get install debian-reference-ja)")
    corpus = sorted((EVAL / "corpus").glob("*.txt")) + chapters
    scores: dict[str, list[tuple[float, float]]] = {}
    with workspace(tmp_path / "w") as (ws, owner):
        kb = ws.knowledge.create(owner, "eval", visibility=KbVisibility.ALL)
        assert not ws.knowledge.ingest(owner, kb.id, sources(corpus)).failed
        for name in ("table", "full JMdict"):
            if name == "full JMdict":
                monkeypatch.setattr(expansion, "to_japanese", lambda w: full_to_japanese(full, w))
                monkeypatch.setattr(expansion, "to_english", lambda w: full_to_english(full, w))
            for mode in RetrievalMode:
                ranks = []
                for q in questions:
                    hits = ws.knowledge.search(owner, kb.id, q["question"], k=10, mode=mode)
                    ranks.append(rank([h.chunk.text for h in hits], q["expect"]))
                hit5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
                mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
                scores.setdefault(name, []).append((hit5, mrr))
                lines.append(f"  {name:<11} {mode.value:<9} hit@5 {hit5:.3f}  MRR@10 {mrr:.3f}")
    full.close()
    print("\n".join(lines))
    assert scores["table"] == scores["full JMdict"]
