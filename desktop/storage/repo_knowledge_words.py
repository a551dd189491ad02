"""Word search over the active chunks of one knowledge base (``chunk_words``, m0013).

The query's words (normalised content words, weighted: 1.0 as asked, less for the parts
of a compound or a translation) are looked up in the word index, with the same rules as
the trigram search (:mod:`desktop.storage.repo_knowledge_search`): every statistic is
the searched kb's own, a word in more than ``COMMON`` of its chunks is common and only
joins the candidates through a window, and the best ``pool_size(limit)`` candidates are
scored exactly with BM25, term frequencies and lengths counted in words. In how many of
the kb's chunks a word occurs is read from the statistics the kb keeps
(:mod:`desktop.storage.repo_knowledge_stats`), not counted; only a query "word" of
several index words (an expansion such as ``店仕舞 い``), which those statistics do not
hold, is counted through the index, no further than ``COMMON + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.storage import repo_knowledge_search as search
from desktop.storage import repo_knowledge_stats as stats
from desktop.storage.dbapi import Connection, scalar

_SCOPED_HITS = (
    "FROM chunk_words CROSS JOIN chunks AS c INDEXED BY chunks_scope"
    f" ON c.id = chunk_words.rowid WHERE chunk_words MATCH ? AND {search.IN_SCOPE}"
)

Ranked = list[tuple[int, float]]


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    weight: float
    occurrences: int

    @property
    def common(self) -> bool:
        return self.occurrences > search.COMMON


def _occurrences(conn: Connection, kb_id: int, word: str) -> int:
    return int(
        scalar(
            conn,
            f"SELECT count(*) FROM (SELECT 1 {_SCOPED_HITS} LIMIT ?)",
            (search.quoted(word), kb_id, kb_id, search.COMMON + 1),
        )
    )


def _matches(conn: Connection, kb_id: int, words: Sequence[_Word], limit: int) -> list[int]:
    expression = " OR ".join(search.quoted(w.text) for w in words)
    rows = conn.execute(
        f"SELECT chunk_words.rowid {_SCOPED_HITS} ORDER BY chunk_words.rowid LIMIT ?",
        (expression, kb_id, kb_id, limit),
    ).fetchall()
    return [int(row[0]) for row in rows]


def word_search(
    conn: Connection, kb_id: int, words: Sequence[tuple[str, float]], limit: int
) -> Ranked:
    """The kb's active chunks holding any of the words, best first, the best scored 1.0;
    [] when no word is found or ``limit`` < 1."""
    if limit < 1:
        return []
    weights: dict[str, float] = {}
    for text, weight in words:
        if text.strip() and weight > 0.0:
            weights[text] = max(weight, weights.get(text, 0.0))
    kept = stats.word_counts(conn, kb_id, [t for t in weights if len(t.split()) == 1])
    found = [
        _Word(t, w, kept.get(t, 0) if len(t.split()) == 1 else _occurrences(conn, kb_id, t))
        for t, w in weights.items()
    ]
    terms = [w for w in found if w.occurrences > 0]
    if not terms:
        return []
    chunks = stats.active_chunks(conn, kb_id)
    idfs = [t.weight * search.idf(chunks, t.occurrences) for t in terms]
    coarse: dict[int, float] = {}
    for term, weight in zip(terms, idfs, strict=True):
        if not term.common:
            for cid in _matches(conn, kb_id, [term], search.COMMON):
                coarse[cid] = coarse.get(cid, 0.0) + weight
    pool = search.pool_size(limit)
    common = [t for t in terms if t.common]
    if len(coarse) < pool and common:
        for cid in _matches(conn, kb_id, common, search.window_size(limit)):
            coarse.setdefault(cid, 0.0)
    ids = [cid for cid, _ in sorted(coarse.items(), key=lambda i: (-i[1], i[0]))[:pool]]
    marks = ",".join("?" * len(ids))
    tokens = {
        int(cid): str(text).split()
        for cid, text in conn.execute(
            f"SELECT rowid, words FROM chunk_words WHERE rowid IN ({marks})", ids
        ).fetchall()
    }
    scores = search.bm25(tokens, [t.text for t in terms], idfs)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    best = ranked[0][1] if ranked and ranked[0][1] > 0.0 else 1.0
    return [(cid, max(score / best, search.FLOOR)) for cid, score in ranked]


#: Which full-text sources :func:`fulltext` fuses ("trigram", "words"); the benchmark
#: measures each alone against both.
SOURCES: tuple[str, ...] = ("trigram", "words")


def fulltext(
    conn: Connection,
    kb_id: int,
    phrases: Sequence[str],
    short_terms: Sequence[str],
    words: Sequence[tuple[str, float]],
    limit: int,
) -> Ranked:
    """The trigram ranking (substrings as asked) and the word ranking (normalised words)
    fused: a chunk's score is the sum of its two scores (each 0-1), the best scored 1.0.
    Each source looks ``limit`` deep; a chunk only one of them found keeps that score."""
    lists: list[Ranked] = []
    if "trigram" in SOURCES:
        lists.append(search.fulltext(conn, kb_id, phrases, short_terms, limit))
    if "words" in SOURCES:
        lists.append(word_search(conn, kb_id, words, limit))
    total: dict[int, float] = {}
    for ranked in lists:
        for cid, score in ranked:
            total[cid] = total.get(cid, 0.0) + score
    ranked = sorted(total.items(), key=lambda item: (-item[1], item[0]))[:limit]
    best = ranked[0][1] if ranked else 1.0
    return [(cid, score / best) for cid, score in ranked]
