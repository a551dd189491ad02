"""Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): pure functions.

Each source (``"vector"``, ``"fulltext"``...) gives its hits best first. A chunk earns
``weight / (k + rank)`` from every source that found it (rank counts from 1), and the
fused score is the sum, divided by the best sum possible, the one a chunk ranked first
by every source that returned anything would get. So fused scores lie in 0..1 whatever
``k``, the weights or the number of sources, and a score threshold keeps its meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from desktop.core.errors import InputError

DEFAULT_K = 60
RRF_KEY = "rrf"
# Fused scores are rounded this far before ordering, so chunks whose rank-sums are
# equal in exact arithmetic tie (and are ordered by id) whatever the summation order.
_TIE_DIGITS = 12

Fused = tuple[int, float, dict[str, float]]


def _check_weights(
    ranked_lists: Mapping[str, Sequence[tuple[int, float]]],
    weights: Mapping[str, float] | None,
) -> dict[str, float]:
    resolved = {source: 1.0 for source in ranked_lists}
    for source, weight in (weights or {}).items():
        if not weight >= 0.0:  # also refuses NaN
            raise InputError("knowledge.fusion_weight_negative", source=source)
        if source in resolved:
            resolved[source] = float(weight)
    return resolved


def reciprocal_rank_fusion(
    ranked_lists: Mapping[str, Sequence[tuple[int, float]]],
    k: int = DEFAULT_K,
    weights: Mapping[str, float] | None = None,
) -> list[Fused]:
    """Fuse ranked lists of (id, score) into (id, fused score 0..1, per-source scores).

    The per-source dict holds, for each source that found the chunk, its original score
    under the source's name and its 1-based rank under ``<source>_rank``, plus ``"rrf"``:
    the raw, unnormalised weighted sum. Best first; equal fused scores go by ascending
    id. A source's repeated id counts once, at its best rank. Sources missing from
    ``weights`` weigh 1.0; a weight of 0 leaves a source's scores in the dict but out of
    the fused score.
    """
    if k < 1:
        raise InputError("knowledge.fusion_k_invalid")
    resolved = _check_weights(ranked_lists, weights)
    sums: dict[int, float] = {}
    details: dict[int, dict[str, float]] = {}
    best_possible = 0.0
    for source in sorted(ranked_lists):
        weight, seen = resolved[source], set[int]()
        for rank, (chunk_id, score) in enumerate(ranked_lists[source], start=1):
            if chunk_id in seen:
                continue
            seen.add(chunk_id)
            sums[chunk_id] = sums.get(chunk_id, 0.0) + weight / (k + rank)
            entry = details.setdefault(chunk_id, {})
            entry[source] = float(score)
            entry[f"{source}_rank"] = float(rank)
        if seen:
            best_possible += weight / (k + 1)
    fused: list[Fused] = []
    for chunk_id, total in sums.items():
        normalised = min(1.0, total / best_possible) if best_possible > 0 else 0.0
        details[chunk_id][RRF_KEY] = total
        fused.append((chunk_id, normalised, details[chunk_id]))
    fused.sort(key=lambda item: (-round(item[1], _TIE_DIGITS), item[0]))
    return fused
