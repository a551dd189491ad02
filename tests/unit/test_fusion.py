"""Reciprocal rank fusion: ordering, weights, ties, normalisation and the scores dict."""

from __future__ import annotations

import pytest

from desktop.core.errors import InputError
from desktop.retrieval.fusion import reciprocal_rank_fusion

VECTOR = [(1, 0.9), (2, 0.8), (3, 0.7)]
FULLTEXT = [(3, 0.95), (4, 0.5), (1, 0.4)]


def _ids(fused: list[tuple[int, float, dict[str, float]]]) -> list[int]:
    return [chunk_id for chunk_id, _, _ in fused]


def test_found_by_both_beats_found_by_one() -> None:
    fused = reciprocal_rank_fusion({"vector": VECTOR, "fulltext": FULLTEXT})
    # 1: ranks 1 and 3; 3: ranks 3 and 1 -> equal sums, tie broken by id
    assert _ids(fused) == [1, 3, 2, 4]
    assert fused[0][1] == fused[1][1]


def test_scores_are_normalised_to_the_best_possible() -> None:
    top = reciprocal_rank_fusion({"vector": [(5, 0.3)], "fulltext": [(5, 0.1)]}, k=10)
    assert [(c, s) for c, s, _ in top] == [(5, 1.0)]
    fused = reciprocal_rank_fusion({"vector": VECTOR, "fulltext": FULLTEXT}, k=60)
    best = 2 / 61
    for _, score, scores in fused:
        assert 0.0 < score <= 1.0
        assert score == pytest.approx(scores["rrf"] / best)
    assert fused[0][1] == pytest.approx((1 / 61 + 1 / 63) / best)


def test_scores_dict_holds_original_scores_ranks_and_rrf() -> None:
    fused = {c: s for c, _, s in reciprocal_rank_fusion({"vector": VECTOR, "fulltext": FULLTEXT})}
    assert fused[1] == {
        "vector": 0.9,
        "vector_rank": 1.0,
        "fulltext": 0.4,
        "fulltext_rank": 3.0,
        "rrf": pytest.approx(1 / 61 + 1 / 63),
    }
    assert fused[2] == {"vector": 0.8, "vector_rank": 2.0, "rrf": pytest.approx(1 / 62)}
    assert set(fused[4]) == {"fulltext", "fulltext_rank", "rrf"}


def test_weights_shift_the_order() -> None:
    lists = {"vector": [(1, 0.9), (2, 0.8)], "fulltext": [(2, 0.9), (1, 0.8)]}
    assert _ids(reciprocal_rank_fusion(lists, weights={"vector": 2.0})) == [1, 2]
    assert _ids(reciprocal_rank_fusion(lists, weights={"fulltext": 2.0})) == [2, 1]
    weighted = reciprocal_rank_fusion(lists, k=1, weights={"vector": 3.0, "fulltext": 1.0})
    assert weighted[0][1] == pytest.approx((3 / 2 + 1 / 3) / (3 / 2 + 1 / 2))


def test_zero_weight_keeps_scores_but_not_rank() -> None:
    fused = reciprocal_rank_fusion(
        {"vector": [(1, 0.9)], "fulltext": [(2, 0.9)]}, weights={"fulltext": 0.0}
    )
    assert _ids(fused) == [1, 2]
    assert fused[0][1] == 1.0
    assert fused[1][1] == 0.0
    assert fused[1][2]["fulltext"] == 0.9


def test_an_empty_source_does_not_cap_the_scores() -> None:
    fused = reciprocal_rank_fusion({"vector": VECTOR, "fulltext": []})
    assert _ids(fused) == [1, 2, 3]
    assert fused[0][1] == 1.0


def test_single_source_keeps_its_order() -> None:
    fused = reciprocal_rank_fusion({"vector": VECTOR})
    assert _ids(fused) == [1, 2, 3]
    assert [round(s, 6) for _, s, _ in fused] == [1.0, round(61 / 62, 6), round(61 / 63, 6)]


def test_ties_are_broken_by_id_whatever_the_input_order() -> None:
    a = reciprocal_rank_fusion({"a": [(9, 1.0)], "b": [(4, 1.0)], "c": [(7, 1.0)]})
    assert _ids(a) == [4, 7, 9]
    three = {
        "a": [(1, 0.0), (2, 0.0), (3, 0.0)],
        "b": [(2, 0.0), (3, 0.0), (1, 0.0)],
        "c": [(3, 0.0), (1, 0.0), (2, 0.0)],
    }
    assert _ids(reciprocal_rank_fusion(three)) == [1, 2, 3]
    assert len({round(s, 12) for _, s, _ in reciprocal_rank_fusion(three)}) == 1


def test_a_repeated_id_counts_once_at_its_best_rank() -> None:
    fused = reciprocal_rank_fusion({"vector": [(1, 0.9), (2, 0.8), (1, 0.1)]})
    assert _ids(fused) == [1, 2]
    assert fused[0][2]["vector"] == 0.9
    assert fused[0][2]["vector_rank"] == 1.0


def test_nothing_in_nothing_out() -> None:
    assert reciprocal_rank_fusion({}) == []
    assert reciprocal_rank_fusion({"vector": [], "fulltext": []}) == []


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(InputError):
        reciprocal_rank_fusion({"vector": VECTOR}, k=0)
    with pytest.raises(InputError):
        reciprocal_rank_fusion({"vector": VECTOR}, weights={"vector": -1.0})
    with pytest.raises(InputError):
        reciprocal_rank_fusion({"vector": VECTOR}, weights={"vector": float("nan")})


def test_deterministic_across_runs() -> None:
    lists = {"vector": VECTOR, "fulltext": FULLTEXT}
    assert reciprocal_rank_fusion(lists) == reciprocal_rank_fusion(dict(reversed(lists.items())))
