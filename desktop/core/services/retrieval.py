"""Retrieval over one or several knowledge bases: vector, full-text or hybrid.

Hybrid search fuses the vector and full-text rankings (reciprocal rank fusion); an
optional cross-encoder re-orders the best candidates. The vector ranking weighs as much
as the embedding model can read of the question and of the passages it found
(:mod:`desktop.core.scripts`), and not at all below ``TRUST_FLOOR``: an English-only
model's ranking of Japanese text is left out, a multilingual model's counts fully. (Rank
fusion is flat near the top: even a lightly weighted list of noise reorders the
full-text ranking, so a half-read ranking is dropped rather than down-weighted.)

Only chunks of active document versions are ever candidates, and callers pass only
knowledge bases the user may read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.core.knowledge_models import KnowledgeBase, RetrievalMode, SearchHit
from desktop.core.models import Actor
from desktop.core.ports import Embedder, Reranker, Store
from desktop.core.scripts import coverage, scripts_for
from desktop.core.services.kb_index import IndexCache
from desktop.core.services.knowledge_access import app_may_use, can_read

Ranked = list[tuple[int, float]]
Fused = list[tuple[int, float, dict[str, float]]]
#: A question's (phrases, short terms, weighted words) for full-text search.
TermSplitter = Callable[[str], tuple[Sequence[str], Sequence[str], Sequence[tuple[str, float]]]]
#: How many of the vector hits are read to judge whether the model could read them.
TRUST_SAMPLE = 10
#: Below this share of readable letters the vector ranking is left out of hybrid search.
TRUST_FLOOR = 0.5


class Fuser(Protocol):
    """Rank fusion: ranked lists by source name, optional weights by source name."""

    def __call__(
        self,
        ranked_lists: Mapping[str, Sequence[tuple[int, float]]],
        *,
        weights: Mapping[str, float],
    ) -> list[tuple[int, float, dict[str, float]]]: ...


RerankerFactory = Callable[[str], Reranker]


@dataclass(frozen=True, slots=True)
class TextTools:
    """The retrieval adapter's text functions: query terms for full-text search, rank
    fusion, and (optionally) a reranker by model folder."""

    terms: TermSplitter
    fuse: Fuser
    reranker_for: RerankerFactory | None = None


class Retriever:
    def __init__(
        self,
        store: Store,
        embedder_for: Callable[[KnowledgeBase], Embedder],
        indexes: IndexCache,
        tools: TextTools,
    ) -> None:
        self._store = store
        self._embedder_for = embedder_for
        self._indexes = indexes
        self._tools = tools
        self._rerankers: dict[str, Reranker] = {}
        self._lock = threading.Lock()

    def search(
        self, kb: KnowledgeBase, query: str, *, k: int, mode: RetrievalMode
    ) -> list[SearchHit]:
        candidates = max(k * 4, 20)
        lists: dict[str, Ranked] = {}
        if mode in (RetrievalMode.VECTOR, RetrievalMode.HYBRID):
            embedder = self._embedder_for(kb)
            lists["vector"] = self._vector(kb, embedder, query, candidates)
        if mode in (RetrievalMode.FULLTEXT, RetrievalMode.HYBRID):
            lists["fulltext"] = self._fulltext(kb, query, candidates)
        if mode is RetrievalMode.HYBRID:
            trust = self.vector_trust(embedder, query, lists["vector"])
            if trust == 0.0:  # left out: at weight 0 its hits would still trail the list
                del lists["vector"]
            fused = self._tools.fuse(lists, weights={"vector": trust})
        else:
            ((name, ranked),) = lists.items()
            fused = [(cid, score, {name: score}) for cid, score in ranked]
        fused = [f for f in fused if f[1] >= kb.settings.score_threshold]
        if kb.settings.reranker and self._tools.reranker_for is not None:
            fused = self._rerank(kb, query, fused[: k * 2])
        return self._hits(fused[:k])

    def _vector(self, kb: KnowledgeBase, embedder: Embedder, query: str, limit: int) -> Ranked:
        vector = embedder.embed([query])[0]
        return self._indexes.get(kb.id, embedder.dimension()).search(
            vector, limit, self._stored_vectors
        )

    def _stored_vectors(self, chunk_ids: Sequence[int]) -> list[tuple[int, bytes]]:
        with self._store.transaction() as tx:
            return tx.knowledge.embeddings(chunk_ids)

    def vector_trust(self, embedder: Embedder, query: str, ranked: Ranked) -> float:
        """0..1: the share of the question's letters the model reads, times the mean
        share of the letters of its first TRUST_SAMPLE hits, or 0 when that is below
        TRUST_FLOOR; 1.0 for a model whose languages are unknown or many."""
        scripts = scripts_for(embedder.languages())
        if scripts is None or not ranked:
            return 1.0
        asked = coverage(query, scripts)
        if asked < TRUST_FLOOR:
            return 0.0
        with self._store.transaction() as tx:
            found = tx.knowledge.chunks([cid for cid, _ in ranked[:TRUST_SAMPLE]])
        read = [coverage(chunk.text, scripts) for chunk in found]
        trust = asked * (sum(read) / len(read) if read else 1.0)
        return trust if trust >= TRUST_FLOOR else 0.0

    def _fulltext(self, kb: KnowledgeBase, query: str, limit: int) -> Ranked:
        phrases, short, words = self._tools.terms(query)
        with self._store.transaction() as tx:
            return tx.knowledge.fulltext(kb.id, phrases, short, limit, words=words)

    def _rerank(self, kb: KnowledgeBase, query: str, fused: Fused) -> Fused:
        with self._store.transaction() as tx:
            chunks = tx.knowledge.chunks([f[0] for f in fused])
        scores = self._reranker(kb.settings.reranker).scores(query, [c.text for c in chunks])
        by_id = {f[0]: f for f in fused}
        ranked = sorted(zip(chunks, scores, strict=True), key=lambda p: -p[1])
        return [(c.id, s, {**by_id[c.id][2], "rerank": s}) for c, s in ranked]

    def _reranker(self, folder: str) -> Reranker:
        """One reranker per model folder, kept loaded between searches."""
        assert self._tools.reranker_for is not None
        with self._lock:
            if folder not in self._rerankers:
                self._rerankers[folder] = self._tools.reranker_for(folder)
            return self._rerankers[folder]

    def _hits(self, fused: Fused) -> list[SearchHit]:
        with self._store.transaction() as tx:
            chunks = {c.id: c for c in tx.knowledge.chunks([f[0] for f in fused])}
        return [
            SearchHit(chunks[cid], score, scores) for cid, score, scores in fused if cid in chunks
        ]

    def for_chat(
        self, actor: Actor, app_id: int, kb_ids: Sequence[int], query: str
    ) -> list[SearchHit]:
        """Passages for a chat turn from the app's linked knowledge bases that this user
        may read and that allow this app; best first across them."""
        with self._store.transaction() as tx:
            kbs = [
                kb
                for kb in (tx.knowledge.get_kb(i) for i in kb_ids)
                if kb is not None and can_read(actor, kb) and app_may_use(kb, app_id)
            ]
        hits: list[SearchHit] = []
        for kb in kbs:
            hits += self.search(kb, query, k=kb.settings.top_k, mode=kb.settings.mode)
        limit = max((kb.settings.top_k for kb in kbs), default=0)
        return sorted(hits, key=lambda h: -h.score)[:limit]


def citation_block(hits: Sequence[SearchHit]) -> str:
    """The passages as the model sees them, numbered for citation markers."""
    lines = [
        "Answer using the numbered passages below when they are relevant, and cite "
        "them as [1], [2]. If they do not contain the answer, say so.",
        "",
    ]
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        lines.append(f"[{n}] ({c.document}, version {c.version})\n{c.text}\n")
    return "\n".join(lines)


def citations(hits: Sequence[SearchHit], answer: str) -> list[dict[str, Any]]:
    """What a turn stores: every passage given to the model, marked when the answer cites
    it."""
    out = []
    for n, hit in enumerate(hits, 1):
        c = hit.chunk
        out.append(
            {
                "marker": n,
                "cited": f"[{n}]" in answer,
                "kb_id": c.kb_id,
                "document": c.document,
                "version": c.version,
                "chunk": c.index,
                "heading": c.heading,
                "span": [c.start, c.end],
                "score": round(hit.score, 6),
                "scores": {k: round(v, 6) for k, v in hit.scores.items()},
            }
        )
    return out
