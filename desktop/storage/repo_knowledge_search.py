"""Full-text search over the active chunks of one knowledge base (``chunk_fts``).

Every query term becomes an FTS5 expression over the ``trigram`` index:

- a **phrase** (3+ characters) is itself: ``"phrase"`` (``"`` doubled inside);
- a **short term** (1-2 characters, which the trigram tokenizer cannot match) is the
  ``OR`` of the indexed trigrams that start with it, listed by ``chunk_fts_terms``
  (``fts5vocab``). Every indexed text ends with two line breaks (``fts_text``), so
  each occurrence of a character, the last ones included, starts a trigram: this
  finds exactly the chunks holding the term as a substring (letters compared without
  case, as the index does), and never scans chunk text. A term followed by more than
  ``MAX_VARIANTS`` different characters is common, and only its first followers (in
  byte order) are looked up.

Terms are then sorted by how many chunks (of all kbs and versions) they occur in:

- **rare** (in 1 to ``COMMON`` chunks): ranked exactly. Phrases by ``bm25`` (lower is
  better), scored ``bm25 / best bm25`` so the best hit scores 1.0 and the others keep
  their relative distance (FTS5's ``bm25`` is always negative); short terms by the
  share of the rare short terms a chunk holds. A chunk keeps its best score.
- **common** (in more than ``COMMON`` chunks): ranking them would mean scoring every
  chunk that holds them (``bm25`` is a pass over all matches), which stop words such
  as "model" or "設定" in a big kb make slow. They are left out of the exact ranking,
  like stop words; when it finds fewer than ``limit`` chunks, the first few matches of
  the common terms (``window_size``, in id order) are ranked by the share of all terms
  they match, and follow, scored below every exact hit.

Costs stay bounded by ``COMMON`` and the window however frequent the terms are; every
hit is checked against the kb's active versions through the narrow ``chunks_scope``
index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.storage.dbapi import Connection, scalar

#: A term found in more chunks than this is common (see the module docstring).
COMMON = 1024
#: A short term followed by more distinct characters than this is common.
MAX_VARIANTS = 64

#: The version ids whose chunks are searchable in the knowledge base ``?``.
ACTIVE_VERSIONS = (
    "SELECT active_version_id FROM documents WHERE kb_id = ? AND active_version_id IS NOT NULL"
)
#: Keep only hits ``c`` in the kb's active versions; ``+`` keeps the planner on the
#: ``chunks_scope`` lookup by id instead of probing it once per active version.
_IN_SCOPE = f"+c.kb_id = ? AND +c.version_id IN ({ACTIVE_VERSIONS})"
_SCOPED_HITS = (
    "FROM chunk_fts CROSS JOIN chunks AS c INDEXED BY chunks_scope ON c.id = chunk_fts.rowid"
    f" WHERE chunk_fts MATCH ? AND {_IN_SCOPE}"
)
#: Trigrams compare as UTF-8 bytes: all those starting with a prefix sort below this.
_TOP = "\U0010ffff"
_TRIGRAM = 3

Ranked = list[tuple[int, float]]


@dataclass(frozen=True, slots=True)
class Term:
    """A query term, its FTS5 expression and in how many chunks it occurs (capped)."""

    text: str
    expression: str
    short: bool
    occurrences: int

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


def any_of(terms: Sequence[Term]) -> str:
    """An FTS5 expression matching any of the terms."""
    return " OR ".join(f"({term.expression})" for term in terms)


def _occurrences(conn: Connection, expression: str) -> int:
    """In how many chunks the expression matches, counting no further than COMMON + 1."""
    return int(
        scalar(
            conn,
            "SELECT count(*) FROM (SELECT 1 FROM chunk_fts WHERE chunk_fts MATCH ? LIMIT ?)",
            (expression, COMMON + 1),
        )
    )


def phrase_term(conn: Connection, phrase: str) -> Term:
    """The term for a phrase of 3+ characters."""
    expression = quoted(phrase)
    return Term(phrase, expression, False, _occurrences(conn, expression))


def short_term(conn: Connection, text: str) -> Term | None:
    """The term for 1-2 characters: the trigrams starting with them; None when none is
    indexed. Per-trigram chunk counts often settle rare/common without a count."""
    prefix = text.lower()
    rows = conn.execute(
        "SELECT term, doc FROM chunk_fts_terms WHERE term >= ? AND term < ? LIMIT ?",
        (prefix, prefix + _TOP, MAX_VARIANTS + 1),
    ).fetchall()
    if not rows:
        return None
    expression = " OR ".join(quoted(str(trigram)) for trigram, _ in rows)
    counts = [int(doc) for _, doc in rows]
    if len(rows) > MAX_VARIANTS or max(counts) > COMMON:
        return Term(text, expression, True, COMMON + 1)
    if sum(counts) <= COMMON:
        return Term(text, expression, True, sum(counts))
    return Term(text, expression, True, _occurrences(conn, expression))


def ranked_phrases(conn: Connection, kb_id: int, terms: Sequence[Term], limit: int) -> Ranked:
    """The ``limit`` best active chunks matching any of the phrases, by ``bm25``."""
    rows = conn.execute(
        f"SELECT chunk_fts.rowid, bm25(chunk_fts) AS rank {_SCOPED_HITS}"
        " ORDER BY rank, chunk_fts.rowid LIMIT ?",
        (any_of(terms), kb_id, kb_id, limit),
    ).fetchall()
    if not rows:
        return []
    best = float(rows[0][1])
    if best >= 0:  # cannot happen with FTS5's bm25; keep the order, score them all 1.0
        return [(int(cid), 1.0) for cid, _ in rows]
    return [(int(cid), float(rank) / best) for cid, rank in rows]


def ranked_short_terms(conn: Connection, kb_id: int, terms: Sequence[Term], limit: int) -> Ranked:
    """The ``limit`` active chunks holding the most of the short terms, scored by the
    share of them they hold."""
    union = " UNION ALL ".join(["SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH ?"] * len(terms))
    rows = conn.execute(
        f"WITH hits (id) AS ({union}) SELECT h.id, count(*) AS held FROM hits AS h"
        " CROSS JOIN chunks AS c INDEXED BY chunks_scope ON c.id = h.id"
        f" WHERE {_IN_SCOPE} GROUP BY h.id ORDER BY held DESC, h.id LIMIT ?",
        (*(term.expression for term in terms), kb_id, kb_id, limit),
    ).fetchall()
    return [(int(cid), int(held) / len(terms)) for cid, held in rows]


def common_window(
    conn: Connection, kb_id: int, common: Sequence[Term], terms: Sequence[Term], limit: int
) -> Ranked:
    """The first ``window_size(limit)`` active chunks matching any ``common`` term, the
    best ``limit`` of them first by the share of all ``terms`` they match."""
    rows = conn.execute(
        f"SELECT chunk_fts.rowid {_SCOPED_HITS} ORDER BY chunk_fts.rowid LIMIT ?",
        (any_of(common), kb_id, kb_id, window_size(limit)),
    ).fetchall()
    if not rows:
        return []
    held = dict.fromkeys((int(row[0]) for row in rows), 0)
    low, high = min(held), max(held)
    for term in terms:  # each term's matches among the window's ids: a short range
        for (cid,) in conn.execute(
            "SELECT rowid FROM chunk_fts WHERE chunk_fts MATCH ? AND rowid BETWEEN ? AND ?",
            (term.expression, low, high),
        ).fetchall():
            if cid in held:
                held[cid] += 1
    best = sorted(held.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [(cid, max(count, 1) / len(terms)) for cid, count in best]


def window_size(limit: int) -> int:
    """How many matches of common terms are ranked for ``limit`` results."""
    return min(max(4 * limit, 64), 1024)


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
    found = [phrase_term(conn, p) for p in long_ones] + [short_term(conn, s) for s in short]
    terms = [t for t in found if t is not None and t.occurrences > 0]
    rare = [t for t in terms if not t.common]
    lists = []
    if any(not t.short for t in rare):
        lists.append(ranked_phrases(conn, kb_id, [t for t in rare if not t.short], limit))
    if any(t.short for t in rare):
        lists.append(ranked_short_terms(conn, kb_id, [t for t in rare if t.short], limit))
    exact = merge(lists, limit)
    common = [t for t in terms if t.common]
    if len(exact) >= limit or not common:
        return exact
    floor = exact[-1][1] / 2 if exact else 1.0
    seen = {cid for cid, _ in exact}
    window = common_window(conn, kb_id, common, terms, limit)
    extra = [(cid, share * floor) for cid, share in window if cid not in seen]
    return exact + extra[: limit - len(exact)]


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
