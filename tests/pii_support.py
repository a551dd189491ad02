"""The personal-data dev set (shared/eval/pii_dev.jsonl beside the repository) and its
scoring, as its README defines it; used by a test (floors) and a benchmark (figures)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
#: ``shared/eval`` beside the repository (a worktree's checkout sits one folder deeper).
SHARED_EVAL = next(
    (p / "shared" / "eval" for p in REPO.parents[:2] if (p / "shared" / "eval").is_dir()),
    REPO.parent / "shared" / "eval",
)
PII_DEV = SHARED_EVAL / "pii_dev.jsonl"
CHECKED_TYPES = (
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "MY_NUMBER",
    "CORPORATE_NUMBER",
    "CREDIT_CARD",
    "POSTAL_CODE",
    "IP_ADDRESS",
)
MODEL_TYPES = ("PERSON", "ADDRESS")
Span = tuple[str, int, int]  # type, start, end


def load_dev() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PII_DEV.read_text("utf-8").splitlines() if line]


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[2], b[2]) - max(a[1], b[1]))


def score(
    rows: Sequence[dict[str, Any]], detect: Callable[[list[str]], list[list[Span]]]
) -> dict[str, dict[str, float]]:
    """Per type: tp, fp, fn, recall, precision. A detection is a true positive when it
    has the labelled type and overlaps at least half of a labelled span not yet matched;
    one that overlaps no labelled span of its type is a false positive."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    found = detect([row["text"] for row in rows])
    for row, detected in zip(rows, found, strict=True):
        gold: list[Span] = [(e["type"], e["start"], e["end"]) for e in row["entities"]]
        matched: set[int] = set()
        for span in detected:
            hit = next(
                (
                    i
                    for i, g in enumerate(gold)
                    if i not in matched and g[0] == span[0] and _overlap(span, g) * 2 >= g[2] - g[1]
                ),
                None,
            )
            if hit is None:
                counts[span[0]]["fp"] += 1
            else:
                matched.add(hit)
                counts[span[0]]["tp"] += 1
        for i, g in enumerate(gold):
            if i not in matched:
                counts[g[0]]["fn"] += 1
    for c in counts.values():
        c["recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        c["precision"] = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    return dict(counts)


def table(scores: dict[str, dict[str, float]]) -> str:
    rows = [f"{'type':<17} {'tp':>4} {'fp':>4} {'fn':>4} {'recall':>7} {'precision':>9}"]
    for name in sorted(scores):
        c = scores[name]
        rows.append(
            f"{name:<17} {c['tp']:>4.0f} {c['fp']:>4.0f} {c['fn']:>4.0f} "
            f"{c['recall']:>7.3f} {c['precision']:>9.3f}"
        )
    return "\n".join(rows)
