"""Full-text statistics per knowledge base: how many of its active chunks hold each word
of the word index (``kb_word_counts``) and how many active chunks it has
(``knowledge_bases.active_chunks``), both from migration m0017.

Word search weighs each query word by its BM25 inverse document frequency, which must
be the searched kb's own (another kb's documents never move a score). Counting them at
search time cost a capped pass over the word's hits for every query word (several
milliseconds each at a million chunks); here they are kept up to date instead, by the
knowledge repository, in the same transaction as the change: :func:`activate` when a
document's active version changes (a new version, a rollback), :func:`deactivate`
before a document is deleted. A word counts once per chunk holding it, as the words
``chunk_words`` holds for the chunk (whitespace-separated).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from desktop.storage.dbapi import Connection, execute_many, scalar

_UPSERT = (
    "INSERT INTO kb_word_counts (kb_id, word, chunks) VALUES (?, ?, ?)"
    " ON CONFLICT (kb_id, word) DO UPDATE SET chunks = chunks + excluded.chunks"
)
_DROP_EMPTY = "DELETE FROM kb_word_counts WHERE kb_id = ? AND word = ? AND chunks <= 0"


def _counted(rows: Iterable[Sequence[object]]) -> tuple[Counter[str], int]:
    counts: Counter[str] = Counter()
    chunks = 0
    for (words,) in rows:
        counts.update(set(str(words or "").split()))
        chunks += 1
    return counts, chunks


def version_counts(conn: Connection, version_id: int | None) -> tuple[Counter[str], int]:
    """(in how many of the version's chunks each word occurs, how many chunks it has)."""
    if version_id is None:
        return Counter(), 0
    return _counted(
        conn.execute(
            "SELECT w.words FROM chunks AS c JOIN chunk_words AS w ON w.rowid = c.id"
            " WHERE c.version_id = ?",
            (version_id,),
        ).fetchall()
    )


def _apply(conn: Connection, kb_id: int, delta: dict[str, int], chunks: int) -> None:
    changed = [(kb_id, word, n) for word, n in delta.items() if n]
    execute_many(conn, _UPSERT, changed)
    execute_many(conn, _DROP_EMPTY, [(kb_id, word) for _, word, n in changed if n < 0])
    if chunks:
        conn.execute(
            "UPDATE knowledge_bases SET active_chunks = active_chunks + ? WHERE id = ?",
            (chunks, kb_id),
        )


def activate(conn: Connection, kb_id: int, old: int | None, new: int | None) -> None:
    """Move the kb's statistics from version ``old`` being active to ``new`` (either may
    be None: no active version)."""
    before, before_chunks = version_counts(conn, old)
    after, after_chunks = version_counts(conn, new)
    delta = {word: after.get(word, 0) - before.get(word, 0) for word in before.keys() | after}
    _apply(conn, kb_id, delta, after_chunks - before_chunks)


def deactivate(conn: Connection, kb_id: int, version_id: int | None) -> None:
    """Take version ``version_id``'s chunks out of the kb's statistics."""
    activate(conn, kb_id, version_id, None)


def recount(conn: Connection, kb_id: int) -> None:
    """Count the kb's statistics afresh from its active chunks (the migration; tests
    compare the kept statistics against it)."""
    counts, chunks = _counted(
        conn.execute(
            "SELECT w.words FROM documents AS d JOIN chunks AS c"
            " ON c.version_id = d.active_version_id"
            " JOIN chunk_words AS w ON w.rowid = c.id WHERE d.kb_id = ?",
            (kb_id,),
        ).fetchall()
    )
    conn.execute("DELETE FROM kb_word_counts WHERE kb_id = ?", (kb_id,))
    execute_many(conn, _UPSERT, [(kb_id, word, n) for word, n in counts.items()])
    conn.execute("UPDATE knowledge_bases SET active_chunks = ? WHERE id = ?", (chunks, kb_id))


def word_counts(conn: Connection, kb_id: int, words: Sequence[str]) -> dict[str, int]:
    """In how many of the kb's active chunks each word occurs (absent: none)."""
    found: dict[str, int] = {}
    for start in range(0, len(words), 500):
        part = list(words[start : start + 500])
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT word, chunks FROM kb_word_counts WHERE kb_id = ? AND word IN ({marks})",
            (kb_id, *part),
        ).fetchall()
        found.update((str(word), max(0, int(n))) for word, n in rows)
    return found


def active_chunks(conn: Connection, kb_id: int) -> int:
    """How many chunks the kb's active versions hold (0 for an unknown kb)."""
    return int(
        scalar(conn, "SELECT active_chunks FROM knowledge_bases WHERE id = ?", (kb_id,)) or 0
    )
