"""The self-test (and so ``make package-check``, which runs it frozen) proves English <->
Japanese query expansion: its English question finds the Japanese document only through
the JMdict table."""

from __future__ import annotations

import pytest

from desktop import app
from desktop.core.knowledge_models import KbVisibility
from desktop.core.models import Actor
from desktop.diagnostics import knowledge
from desktop.retrieval import expansion
from tests.fakes import MemorySource


def _first_document(ws: app.Workspace, ada: Actor) -> str | None:
    kb = ws.knowledge.create(ada, "self-test", visibility=KbVisibility.ALL)
    sources = [
        MemorySource(knowledge.DOC_EN, knowledge.TEXT_EN.encode("utf-8")),
        MemorySource(knowledge.DOC_JA, knowledge.TEXT_JA.encode("utf-8")),
    ]
    assert not ws.knowledge.ingest(ada, kb.id, sources).failed
    query, _, mode = knowledge.TRANSLATED
    hits = ws.knowledge.search(ada, kb.id, query, k=2, mode=mode)
    return hits[0].chunk.document if hits else None


def test_the_self_tests_english_question_finds_the_japanese_document(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    assert knowledge.TRANSLATED[1] == knowledge.DOC_JA
    assert _first_document(ws, people["ada"]) == knowledge.DOC_JA


def test_the_self_tests_english_question_finds_nothing_without_the_jmdict_table(
    ws: app.Workspace, people: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(expansion, "_jmdict_db", lambda: None)
    assert _first_document(ws, people["ada"]) is None
