"""allowed_signers principal patterns in the shipped verifier: OpenSSH ``match_pattern``
semantics (``*``, ``?``, ``!`` negation, comma lists), matched without backtracking."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.verifier import bundle_verify as bv


def reference_match(value: str, pattern: str) -> bool:
    """A plain dynamic-programming wildcard matcher, the specification in a few lines."""

    @functools.cache
    def at(i: int, j: int) -> bool:
        if j == len(pattern):
            return i == len(value)
        if pattern[j] == "*":
            return at(i, j + 1) or (i < len(value) and at(i + 1, j))
        return i < len(value) and pattern[j] in ("?", value[i]) and at(i + 1, j + 1)

    return at(0, 0)


@pytest.mark.parametrize(
    ("value", "pattern", "expected"),
    [
        ("owner@kura.example", "owner@kura.example", True),
        ("owner@kura.example", "*@kura.example", True),
        ("owner@kura.example", "owner@*", True),
        ("owner@kura.example", "o?ner@kura.exampl?", True),
        ("owner@kura.example", "*", True),
        ("", "*", True),
        ("", "", True),
        ("", "?", False),
        ("owner@kura.example", "Owner@kura.example", False),  # case-sensitive, as OpenSSH
        ("owner@kura.example", "*@other.example", False),
        ("owner@kura.example", "owner", False),
        ("ab", "a*b*", True),
        ("aXbYb", "a*b", True),
        ("abcabd", "*ab?", True),
        ("abcab", "*abc*ab", True),
        ("abcab", "*abc*abc", False),
        ("a.b", "a.b", True),
        ("axb", "a.b", False),  # no regex meaning for "."
        ("a+b", "a+b", True),
        ("a\nb", "a*b", True),
    ],
)
def test_match_pattern_follows_openssh_semantics(value: str, pattern: str, expected: bool) -> None:
    assert bv.match_pattern(value, pattern) is expected


def test_match_pattern_list_negation_and_comma_lists() -> None:
    assert bv.match_pattern_list("alice@x", "bob@x,alice@x")
    assert bv.match_pattern_list("alice@x", "*@x,!bob@x")
    assert not bv.match_pattern_list("bob@x", "*@x,!bob@x")
    assert not bv.match_pattern_list("bob@x", "!bob@x,*@x")  # a negated match always wins
    assert not bv.match_pattern_list("carol@y", "!bob@x")  # only negations: no positive


@settings(max_examples=400, deadline=None)
@given(st.text("ab.", max_size=10), st.text("ab.*?", max_size=8))
def test_match_pattern_agrees_with_the_reference(value: str, pattern: str) -> None:
    assert bv.match_pattern(value, pattern) is reference_match(value, pattern)


def test_many_stars_against_a_long_non_matching_identity_return_false() -> None:
    # The former regex translation backtracked exponentially here (12 stars: tens of
    # seconds on a short identity); the segment matcher places each piece once.
    identity = "a" * 5_000
    assert not bv.match_pattern_list(identity, "*a" * 40 + "b")
    assert not bv.match_pattern_list(identity, "*a?" * 40 + "b*")
    assert bv.match_pattern_list(identity + "b", "*a" * 40 + "b")
    assert not bv.match_pattern_list(identity, ("*a" * 40 + "b,") * 20 + "!x")
