"""Full-text search over the active chunks of one knowledge base (``chunk_fts``).

Two kinds of query terms, because the ``trigram`` tokenizer indexes 3-character
sequences and matches nothing shorter:

- **Phrases** (3+ characters): one FTS5 ``MATCH`` with an ``OR`` of quoted phrases,
  ranked by ``bm25`` (lower is better). Score: ``bm25 / best bm25`` over the results,
  so the best hit scores 1.0 and the others keep their relative distance (FTS5's
  ``bm25`` is always negative). A phrase found in half of all chunks or more gets an
  IDF of ~0 from ``bm25`` (FTS5 clamps it to 1e-6), so it cannot change the ranking;
  when at least one other phrase is more selective it is left out of the ``MATCH``,
  which spares scoring every chunk that holds only a stop word like "the" or "ます".
- **Short terms** (1-2 characters): chunks holding the term as a substring (letters
  compared without case, as the trigram index does). Found through the index, never by
  scanning text: every indexed text ends with two line breaks (``fts_text``), so each
  occurrence of a character starts some trigram, and ``chunk_fts_terms``
  (``fts5vocab``) lists the chunks with a trigram that has the term as prefix. Score:
  the share of the short terms a chunk contains.

Both lists are merged (a chunk keeps its best score), best first, ties by chunk id.
Cost grows with how often the terms occur in the whole database (every kb, every
version): each hit is checked against the kb's active versions through the narrow
``chunks_scope`` index.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.storage.dbapi import Connection, scalar

#: The version ids whose chunks are searchable in the knowledge base ``?``.
ACTIVE_VERSIONS = (
    "SELECT active_version_id FROM documents WHERE kb_id = ? AND active_version_id IS NOT NULL"
)
#: Keep only hits ``c`` in the kb's active versions; ``+`` keeps the planner on the
#: ``chunks_scope`` lookup by id instead of probing it once per active version.
_IN_SCOPE = f"+c.kb_id = ? AND +c.version_id IN ({ACTIVE_VERSIONS})"

#: Trigram and fts5vocab compare terms as UTF-8 bytes: every trigram starting with the
#: prefix sorts below ``prefix + _TOP``.
_TOP = "\U0010ffff"
_TRIGRAM = 3

_PHRASE_QUERY = (
    "SELECT chunk_fts.rowid, bm25(chunk_fts) AS rank FROM chunk_fts"
    " CROSS JOIN chunks AS c INDEXED BY chunks_scope ON c.id = chunk_fts.rowid"
    f" WHERE chunk_fts MATCH ? AND {_IN_SCOPE} ORDER BY rank, chunk_fts.rowid LIMIT ?"
)
_PHRASE_HITS_UP_TO = (
    "SELECT count(*) FROM (SELECT 1 FROM chunk_fts WHERE chunk_fts MATCH ? LIMIT ?)"
)
_TERM_HITS = "SELECT DISTINCT doc FROM chunk_fts_terms WHERE term >= ? AND term < ?"

Ranked = list[tuple[int, float]]


def split_terms(phrases: Sequence[str], short_terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """Unique, non-blank phrases of 3+ characters and terms of 1-2 (a shorter "phrase"
    becomes a term: the trigram index could never match it). Order is kept."""
    long_ones: dict[str, None] = {}
    short: dict[str, None] = {}
    for text in (*phrases, *short_terms):
        if text.strip():
            (long_ones if len(text) >= _TRIGRAM else short)[text] = None
    return list(long_ones), list(short)


def match_expression(phrases: Sequence[str]) -> str:
    """An FTS5 query: any of the phrases, each quoted (``"`` doubled inside)."""
    return " OR ".join('"' + phrase.replace('"', '""') + '"' for phrase in phrases)


def selective_phrases(conn: Connection, phrases: Sequence[str]) -> list[str]:
    """The phrases found in some but fewer than half of all chunks, or all of them when
    none is (see the module docstring: the others have no weight in ``bm25``)."""
    if len(phrases) < 2:
        return list(phrases)
    half = (int(scalar(conn, "SELECT count(*) FROM chunks")) + 1) // 2
    kept = [
        phrase
        for phrase in phrases
        if 0 < int(scalar(conn, _PHRASE_HITS_UP_TO, (match_expression([phrase]), half))) < half
    ]
    return kept or list(phrases)


def phrase_hits(conn: Connection, kb_id: int, phrases: Sequence[str], limit: int) -> Ranked:
    """The ``limit`` best active chunks matching any phrase, scored 0-1 (best = 1)."""
    query = match_expression(selective_phrases(conn, phrases))
    rows = conn.execute(_PHRASE_QUERY, (query, kb_id, kb_id, limit)).fetchall()
    if not rows:
        return []
    best = float(rows[0][1])
    if best >= 0:  # cannot happen with FTS5's bm25; keep the order, score them all 1.0
        return [(int(cid), 1.0) for cid, _ in rows]
    return [(int(cid), float(rank) / best) for cid, rank in rows]


def short_term_hits(conn: Connection, kb_id: int, terms: Sequence[str], limit: int) -> Ranked:
    """The ``limit`` active chunks containing the most of ``terms`` (1-2 characters),
    scored by the share of terms they contain."""
    folded = list(dict.fromkeys(term.lower() for term in terms))
    union = " UNION ALL ".join([_TERM_HITS] * len(folded))
    sql = (
        f"WITH hits (id) AS ({union})"
        " SELECT h.id, count(*) AS matched FROM hits AS h"
        " CROSS JOIN chunks AS c INDEXED BY chunks_scope ON c.id = h.id"
        f" WHERE {_IN_SCOPE} GROUP BY h.id ORDER BY matched DESC, h.id LIMIT ?"
    )
    bounds = [value for term in folded for value in (term, term + _TOP)]
    rows = conn.execute(sql, (*bounds, kb_id, kb_id, limit)).fetchall()
    return [(int(cid), int(matched) / len(folded)) for cid, matched in rows]


def merge(lists: Sequence[Ranked], limit: int) -> Ranked:
    """One list: each chunk with its best score, best first (ties by id), at most ``limit``."""
    best: dict[int, float] = {}
    for ranked in lists:
        for cid, score in ranked:
            best[cid] = max(score, best.get(cid, score))
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]


def fulltext(
    conn: Connection, kb_id: int, phrases: Sequence[str], short_terms: Sequence[str], limit: int
) -> Ranked:
    """See the module docstring; [] when there is nothing to look for or ``limit`` < 1."""
    long_ones, short = split_terms(phrases, short_terms)
    if limit < 1:
        return []
    lists: list[Ranked] = []
    if long_ones:
        lists.append(phrase_hits(conn, kb_id, long_ones, limit))
    if short:
        lists.append(short_term_hits(conn, kb_id, short, limit))
    return merge(lists, limit)


def active_stamp(conn: Connection, kb_id: int) -> str:
    """``count:max:sum:sum of squares mod p`` of the kb's active version ids.

    A version's chunks never change and ids are never reused, so the set of active
    version ids fixes the set of searchable chunks; aggregating the (few) versions is
    much cheaper than aggregating the (many) chunks, and this runs on every search.
    """
    row = conn.execute(
        "SELECT count(*), coalesce(max(v), 0), coalesce(sum(v), 0),"
        " coalesce(sum(v * v % 2147483647), 0)"
        " FROM (SELECT active_version_id AS v FROM documents"
        " WHERE kb_id = ? AND active_version_id IS NOT NULL)",
        (kb_id,),
    ).fetchone()
    return ":".join(str(int(value)) for value in row)
