"""Full-text search over the active chunks of one knowledge base (``chunk_fts``): BM25
over the query's terms, found as substrings through the ``trigram`` index.

Every query term becomes an FTS5 expression:

- a **phrase** (3+ characters) is itself: ``"phrase"`` (``"`` doubled inside);
- a **short term** (1-2 characters, which the trigram tokenizer cannot match) is the
  ``OR`` of the indexed trigrams that start with it, listed by ``chunk_fts_terms``
  (``fts5vocab``). Every indexed text is NFKC-normalised and ends with two line breaks
  (``search_text``, migrations m0003 and m0005), so
  each occurrence of a character, the last ones included, starts a trigram: this
  finds exactly the chunks holding the term as a substring (letters compared without
  case, as the index does). A term followed by more than ``MAX_VARIANTS`` different
  characters (anywhere in the index) is instead looked for in the text of the kb's
  active chunks, stopping once it is common there: the same chunks, found another way.
  That reading is bounded: past ``SCAN`` chunks without having become common, the
  term's count is estimated from the share of the chunks read that hold it, and only
  the holders among those chunks are candidates (such a term, one or two characters
  followed by many others, is rarely rare; the word index and the vectors still find
  the chunks further on). A kb of at most ``SCAN`` chunks is read whole: exact. In a
  kb of more than ``SCAN`` chunks, a short term that is none of the kb's words (its
  statistics do not hold it, e.g. 障産, which Sudachi reads as 障 + 産) goes the same
  way without looking at the vocabulary at all: the range scan over ``chunk_fts_terms``
  reads the whole list of every trigram the term begins, 80-115 ms at a million chunks.

**Statistics are the kb's own.** The index is shared by every knowledge base, but every
count behind a score (chunks, and chunks holding a term) is of the searched kb's active
chunks: another kb's documents, which its reader may not be allowed to see, never move
a score or a ranking here.

Phrases and short terms are then ranked alike, which matters for Japanese, where the
content words of a question are often two kanji (``帯域``, ``制限``):

1. Each term's weight is its BM25 inverse document frequency, from the number of
   the kb's active chunks it occurs in. A term in more than ``COMMON`` of them is
   **common** (stop words such as "the" or "設定" in a big kb): its matches
   are not enumerated, since that would cost a pass over every chunk holding it.
2. **Candidates**: every active chunk of the kb matching a rare term, scored by the
   summed weights of the rare terms it holds. When fewer than ``pool_size(limit)``
   are found and common terms exist, the first matches of the common terms
   (``window_size``, in id order) join them.
3. The best ``pool_size(limit)`` candidates are **scored exactly** with BM25 (k1 1.2,
   b 0.75) over every term, rare and common: term frequencies are counted in the
   chunk's text (NFKC, casefolded), lengths in characters against the pool's mean.

Scores are divided by the best one, so the top hit scores 1.0. Costs stay bounded by
``COMMON``, the window and the pool however frequent the terms are; every hit is
checked against the kb's active versions through the narrow ``chunks_scope`` index.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop.storage import repo_knowledge_stats as stats
from desktop.storage.dbapi import Connection

#: A term found in more chunks than this is common (see the module docstring).
COMMON = 1024
#: A short term followed by more distinct characters than this is common.
MAX_VARIANTS = 64
#: How many of the kb's chunks such a term is looked for in, at most.
SCAN = 256
#: The most matches of common terms that join the candidates (``window_size``).
MAX_WINDOW = 1024

#: The version ids whose chunks are searchable in the knowledge base ``?``.
ACTIVE_VERSIONS = (
    "SELECT active_version_id FROM documents WHERE kb_id = ? AND active_version_id IS NOT NULL"
)
#: Keep only hits ``c`` in the kb's active versions; ``+`` keeps the planner on the
#: ``chunks_scope`` lookup by id instead of probing it once per active version.
IN_SCOPE = f"+c.kb_id = ? AND +c.version_id IN ({ACTIVE_VERSIONS})"
_SCOPED_HITS = (
    "FROM chunk_fts CROSS JOIN chunks AS c INDEXED BY chunks_scope ON c.id = chunk_fts.rowid"
    f" WHERE chunk_fts MATCH ? AND {IN_SCOPE}"
)
#: Trigrams compare as UTF-8 bytes: all those starting with a prefix sort below this.
_TOP = "\U0010ffff"
_TRIGRAM = 3
#: BM25's term-frequency saturation and length normalisation.
_K1 = 1.2
_B = 0.75
FLOOR = 1e-6

Ranked = list[tuple[int, float]]


@dataclass(frozen=True, slots=True)
class Term:
    """A query term, its FTS5 expression, in how many of the kb's active chunks it
    occurs (capped at COMMON + 1, or estimated), and ``found``: the first of those
    chunks, in id order (up to COMMON + 1). A short term with too many followers has no
    expression: its chunks were read from their text."""

    text: str
    expression: str
    short: bool
    occurrences: int
    found: tuple[int, ...] | None = None

    @property
    def common(self) -> bool:
        return self.occurrences > COMMON


def split_terms(phrases: Sequence[str], short_terms: Sequence[str]) -> tuple[list[str], list[str]]:
    """Unique, non-blank phrases of 3+ characters and terms of 1-2 (a shorter "phrase"
    becomes a term: the trigram index could never match it). Order is kept."""
    long_ones: dict[str, None] = {}
    short: dict[str, None] = {}
    for text in (*phrases, *short_terms):
        if text.strip():
            (long_ones if len(text) >= _TRIGRAM else short)[text] = None
    return list(long_ones), list(short)


def quoted(text: str) -> str:
    """An FTS5 phrase: ``"text"`` with ``"`` doubled inside."""
    return '"' + text.replace('"', '""') + '"'


def _hits(conn: Connection, kb_id: int, expression: str) -> tuple[int, ...]:
    """The kb's active chunks the expression matches, in id order, no further than
    COMMON + 1 (or a full window): how many there are (capped) and the candidates, for
    a rare term all of them, in one pass over the index."""
    rows = conn.execute(
        f"SELECT chunk_fts.rowid {_SCOPED_HITS} ORDER BY chunk_fts.rowid LIMIT ?",
        (expression, kb_id, kb_id, max(COMMON, MAX_WINDOW) + 1),
    ).fetchall()
    return tuple(int(row[0]) for row in rows)


def _term(text: str, expression: str, short: bool, hits: tuple[int, ...]) -> Term:
    return Term(text, expression, short, min(len(hits), COMMON + 1), hits)


def phrase_term(conn: Connection, kb_id: int, phrase: str) -> Term:
    """The term for a phrase of 3+ characters."""
    expression = quoted(phrase)
    return _term(phrase, expression, False, _hits(conn, kb_id, expression))


def short_term(conn: Connection, kb_id: int, text: str) -> Term | None:
    """The term for 1-2 characters: the trigrams starting with them (or, past
    MAX_VARIANTS of them, the kb's chunks holding the text); None when none is
    indexed."""
    prefix = text.lower()
    rows = conn.execute(
        "SELECT term FROM chunk_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
        (prefix, prefix + _TOP, MAX_VARIANTS + 1),
    ).fetchall()
    if not rows:
        return None
    if len(rows) > MAX_VARIANTS:
        found, occurrences = _holding(conn, kb_id, _normalised(text))
        return Term(text, "", True, occurrences, tuple(found))
    expression = " OR ".join(quoted(str(trigram)) for (trigram,) in rows)
    return _term(text, expression, True, _hits(conn, kb_id, expression))


def _holding(conn: Connection, kb_id: int, text: str) -> tuple[list[int], int]:
    """(Ids of the kb's active chunks whose text holds ``text``, in how many of the kb's
    chunks it occurs): read until COMMON + 1 hold it or SCAN were read; the count is
    exact when the kb was read whole, else estimated from the share read."""
    rows = conn.execute(
        "SELECT id FROM (SELECT id, instr(lower(search_text), ?) > 0 AS holds FROM chunks"
        f" WHERE version_id IN ({ACTIVE_VERSIONS}) LIMIT ?) WHERE holds LIMIT ?",
        (text, kb_id, SCAN, max(COMMON, MAX_WINDOW) + 1),
    ).fetchall()
    found = sorted(int(row[0]) for row in rows)
    if len(found) > COMMON:
        return found, COMMON + 1
    total = stats.active_chunks(conn, kb_id)
    return found, len(found) if total <= SCAN else round(len(found) * total / SCAN)


def _common_word(
    conn: Connection, kb_id: int, text: str, short: bool, words: dict[str, int], window: int
) -> Term | None:
    """The term for ``text`` when it is a word of the word index that more than COMMON
    of the kb's chunks hold (its statistics say so), else None. Nearly every chunk holding
    the word holds the text (one whose word only normalises to it, 附属 for 付属, joins the
    window with a zero score), so the term is common: its count is the word's (a truer
    weight than a capped count), its first ``window`` matches come from the word
    index, and the trigram index, whose lists for such a term are long, is not read."""
    occurrences = words.get(_normalised(text), 0)
    if occurrences <= COMMON:
        return None
    rows = conn.execute(
        "SELECT chunk_words.rowid FROM chunk_words CROSS JOIN chunks AS c INDEXED BY"
        f" chunks_scope ON c.id = chunk_words.rowid WHERE chunk_words MATCH ? AND {IN_SCOPE}"
        " ORDER BY chunk_words.rowid LIMIT ?",
        (quoted(_normalised(text)), kb_id, kb_id, window),
    ).fetchall()
    return Term(text, "", short, occurrences, tuple(int(row[0]) for row in rows))


def _sampled(conn: Connection, kb_id: int, text: str) -> Term:
    """A short term that is no word of the kb, in a kb of more than SCAN chunks: read
    from a bounded sample of its chunks (see ``_holding``), not the trigram vocabulary,
    whose scan reads the full lists of every trigram the term begins."""
    found, occurrences = _holding(conn, kb_id, _normalised(text))
    return Term(text, "", True, occurrences, tuple(found))


def _scoped_matches(terms: Sequence[Term], limit: int) -> list[int]:
    """Ids of the kb's active chunks matching any of the terms, in id order, at most
    ``limit``: from the hits each term was found with (its first COMMON + 1, in id
    order, so the first ``limit`` of their union are the first ``limit`` matches)."""
    return sorted({cid for term in terms for cid in term.found or ()})[:limit]


def idf(chunks: int, occurrences: int) -> float:
    """BM25's inverse document frequency (the variant that is never negative)."""
    total = max(chunks, occurrences)
    return math.log(1.0 + (total - occurrences + 0.5) / (occurrences + 0.5))


def pool_size(limit: int) -> int:
    """How many candidates are scored exactly for ``limit`` results."""
    return min(max(3 * limit, 60), 1024)


def window_size(limit: int) -> int:
    """How many matches of common terms join the candidates for ``limit`` results."""
    return min(max(4 * limit, 64), MAX_WINDOW)


def candidates(
    conn: Connection, kb_id: int, terms: Sequence[Term], weights: Sequence[float], limit: int
) -> list[int]:
    """Step 2 of the module docstring: the best ``pool_size(limit)`` candidate ids."""
    coarse: dict[int, float] = {}
    for term, weight in zip(terms, weights, strict=True):
        if not term.common:
            for cid in _scoped_matches([term], COMMON):
                coarse[cid] = coarse.get(cid, 0.0) + weight
    pool = pool_size(limit)
    common = [t for t in terms if t.common]
    if len(coarse) < pool and common:
        for cid in _scoped_matches(common, window_size(limit)):
            coarse.setdefault(cid, 0.0)
    best = sorted(coarse.items(), key=lambda item: (-item[1], item[0]))
    return [cid for cid, _ in best[:pool]]


def bm25(
    texts: Mapping[int, str | Sequence[str]], terms: Sequence[str], weights: Sequence[float]
) -> dict[int, float]:
    """BM25 of each text (already normalised) for the (normalised) terms: a text is a
    string (a term counts as each place it occurs in it, trigram search) or a list of
    words (a term counts as each word equal to it, the word index)."""
    if not texts:
        return {}
    mean = max(1.0, sum(len(t) for t in texts.values()) / len(texts))
    scores: dict[int, float] = {}
    for cid, text in texts.items():
        norm = _K1 * (1.0 - _B + _B * len(text) / mean)
        score = 0.0
        for term, weight in zip(terms, weights, strict=True):
            tf = text.count(term)
            if tf:
                score += weight * tf * (_K1 + 1.0) / (tf + norm)
        scores[cid] = score
    return scores


def folded(text: str) -> str | None:
    """What ``chunks.folded`` holds for ``text``: its NFKC form, or None when that is
    ``text`` itself (see m0005)."""
    normal = unicodedata.normalize("NFKC", text)
    return None if normal == text else normal


def _normalised(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def fulltext(
    conn: Connection, kb_id: int, phrases: Sequence[str], short_terms: Sequence[str], limit: int
) -> Ranked:
    """See the module docstring; [] when there is nothing to look for or ``limit`` < 1."""
    long_ones, short = split_terms(phrases, short_terms)
    if limit < 1:
        return []
    words = stats.word_counts(
        conn, kb_id, [w for t in (*long_ones, *short) if len((w := _normalised(t)).split()) == 1]
    )
    window = window_size(limit)
    found: list[Term | None] = [
        _common_word(conn, kb_id, p, False, words, window) or phrase_term(conn, kb_id, p)
        for p in long_ones
    ]
    big = stats.active_chunks(conn, kb_id) > SCAN
    found += [
        _common_word(conn, kb_id, s, True, words, window)
        or (_sampled(conn, kb_id, s) if big and _normalised(s) not in words else None)
        or short_term(conn, kb_id, s)
        for s in short
    ]
    terms = [t for t in found if t is not None and t.occurrences > 0]
    if not terms:
        return []
    weights = [idf(stats.active_chunks(conn, kb_id), t.occurrences) for t in terms]
    ids = candidates(conn, kb_id, terms, weights, limit)
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    texts = {
        int(cid): _normalised(str(text))
        for cid, text in conn.execute(
            f"SELECT id, text FROM chunks WHERE id IN ({marks})", ids
        ).fetchall()
    }
    scores = bm25(texts, [_normalised(t.text) for t in terms], weights)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
    best = ranked[0][1] if ranked and ranked[0][1] > 0.0 else 1.0
    # A match the index saw in a form NFKC and casefold spell differently (rare) scores
    # zero here, yet it matched: it stays, last, with the smallest positive score.
    return [(cid, max(score / best, FLOOR)) for cid, score in ranked]


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
