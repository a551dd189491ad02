"""The held-out retrieval set (tests/benchmarks/heldout) is well formed: every question
has the dev set's fields, and every ``expect`` phrase occurs in its source document as
Kura parses it, after the README's normalisation (NFKC, lower case, no whitespace)."""

from __future__ import annotations

from collections import Counter

import pytest

from desktop.retrieval.parsers import FileParser
from tests.benchmarks.heldout import corpus, questions
from tests.benchmarks.retrieval_eval import norm

FIELDS = {"id", "question", "expect", "source", "lang", "kind"}
KINDS = {"literal", "paraphrase", "variant", "cross-lingual"}


def test_heldout_questions_have_the_dev_set_format() -> None:
    qs = questions()
    assert len(qs) >= 40
    assert len({q["id"] for q in qs}) == len(qs)
    for q in qs:
        assert set(q) == FIELDS, q["id"]
        assert q["lang"] in {"ja", "en"}, q["id"]
        assert q["kind"] in KINDS, q["id"]
        assert q["question"].strip(), q["id"]
        assert q["expect"] and all(2 <= len(norm(e)) <= 48 for e in q["expect"]), q["id"]
    on_japanese = Counter(q["lang"] for q in qs if q["source"].endswith(".ja.html"))
    assert on_japanese["ja"] >= 28 and on_japanese["en"] >= 6
    assert sum(1 for q in qs if not q["source"].endswith(".ja.html")) >= 6


def test_every_heldout_expect_phrase_occurs_in_its_source_document() -> None:
    files, missing = corpus()
    if missing:
        pytest.skip(missing)
    parser = FileParser()
    texts = {p.name: norm(parser.parse(p.name, p.read_bytes()).text) for p in files}
    absent = [
        (q["id"], phrase)
        for q in questions()
        for phrase in q["expect"]
        if norm(phrase) not in texts[q["source"]]
    ]
    assert absent == []
