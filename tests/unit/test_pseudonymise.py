"""Placeholders: consistent, in the text's language, restored also while streaming."""

from __future__ import annotations

import pytest

from desktop.core.errors import InputError
from desktop.core.pii import PiiEntity, PiiType
from desktop.core.privacy import Term, TermMatcher, validated
from desktop.core.pseudonymise import (
    Pseudonyms,
    StreamRestorer,
    mask,
    mask_with_offsets,
    merge_entities,
)
from tests.fakes_pii import FakePiiDetector


def _mask(text: str, table: Pseudonyms) -> str:
    return mask(text, FakePiiDetector().detect([text])[0], table)


def test_japanese_text_gets_japanese_placeholders_and_english_text_english_ones() -> None:
    table = Pseudonyms()
    ja = _mask("山田太郎さんの電話は03-1234-5678です。山田太郎さんに連絡", table)
    en = _mask("Call 山田太郎 or Alice Smith at 03-1234-5678", table)
    assert ja == "〔人名1〕さんの電話は〔電話番号1〕です。〔人名1〕さんに連絡"
    assert en == "Call <PERSON_1> or <PERSON_2> at <PHONE_NUMBER_1>"
    assert table.restore(ja + en).count("山田太郎") == 3
    assert table.counts() == {"PERSON": 2, "PHONE_NUMBER": 1}


def test_a_table_survives_storage_and_keeps_numbering_values_the_same_way() -> None:
    table = Pseudonyms()
    _mask("Alice Smith and Bob Jones", table)
    again = Pseudonyms.from_json(table.to_json())
    assert (
        _mask("Bob Jones, then a new one: 佐藤花子", again)
        == "<PERSON_2>, then a new one: <PERSON_3>"
    )
    assert again.counts() == {"PERSON": 2}  # only what this turn masked


def test_one_value_reported_as_two_types_gets_a_placeholder_of_each() -> None:
    table = Pseudonyms()
    first = mask("x 0312345678 y", [PiiEntity(PiiType.PHONE_NUMBER, 2, 12, "0312345678", 1)], table)
    other = mask("Bob Jones", [PiiEntity(PiiType.PERSON, 0, 9, "Bob Jones", 1)], table)
    again = mask("x 0312345678", [PiiEntity(PiiType.CUSTOM, 2, 12, "0312345678", 1)], table)
    assert (first, other, again) == ("x <PHONE_NUMBER_1> y", "<PERSON_1>", "x <CUSTOM_1>")
    assert table.restore(again) == "x 0312345678" and table.restore(other) == "Bob Jones"


def test_unknown_placeholders_are_left_as_the_model_wrote_them() -> None:
    table = Pseudonyms()
    _mask("Alice Smith", table)
    assert (
        table.restore("<PERSON_1>, <PERSON_7>, 〔人名9〕") == "Alice Smith, <PERSON_7>, 〔人名9〕"
    )


@pytest.mark.parametrize("cut", range(1, 30))
def test_a_placeholder_split_across_streamed_pieces_is_never_shown_half(cut: int) -> None:
    table = Pseudonyms()
    _mask("山田太郎 and alice@example.com", table)
    answer = "Dear <PERSON_1>, write to <EMAIL_ADDRESS_1> or 〔人名1〕 < 3 ok"
    shown: list[str] = []
    restorer = StreamRestorer(table, shown.append)
    for i in range(0, len(answer), cut):
        restorer(answer[i : i + cut])
    restorer.flush()
    assert "".join(shown) == table.restore(answer)
    assert all("<PERSON" not in s and "〔人" not in s and "<EMAIL" not in s for s in shown)
    assert "".join(shown) == "Dear 山田太郎, write to alice@example.com or 山田太郎 < 3 ok"


def test_offsets_follow_the_masked_text() -> None:
    text = "ab Alice Smith cd Bob Jones ef"
    masked, offset = mask_with_offsets(text, FakePiiDetector().detect([text])[0], Pseudonyms())
    assert masked == "ab <PERSON_1> cd <PERSON_2> ef"
    assert masked[offset(text.index("cd")) :].startswith("cd")
    assert masked[offset(text.index("ef")) :].startswith("ef")
    assert offset(text.index("Smith")) == masked.index("<PERSON_1>")
    assert offset(len(text)) == len(masked)


def test_workspace_terms_match_in_core_and_win_over_a_shorter_overlap() -> None:
    terms = validated([Term("Project Blue Sky"), Term(r"CUST-\d{6}", regex=True), Term(" ")])
    assert len(terms) == 2
    text = "project blue sky for CUST-004211 (Alice Smith)"
    found = merge_entities(
        TermMatcher(terms).find(text),
        [PiiEntity(PiiType.PERSON, 13, 16, "sky", 0.5), *FakePiiDetector().detect([text])[0]],
    )
    assert [(e.type, e.text) for e in found] == [
        (PiiType.CUSTOM, "project blue sky"),
        (PiiType.CUSTOM, "CUST-004211"),
        (PiiType.PERSON, "Alice Smith"),
    ]


@pytest.mark.parametrize(
    ("term", "code"),
    [
        (Term("([a-z]", regex=True), "privacy.term_bad_pattern"),
        (Term("a*", regex=True), "privacy.term_matches_nothing"),
        (Term("x" * 201), "privacy.term_too_long"),
    ],
)
def test_a_bad_term_is_refused_with_its_reason(term: Term, code: str) -> None:
    with pytest.raises(InputError) as caught:
        validated([term])
    assert caught.value.code == code
