"""The saved vector index of a knowledge base, in parts (m0014).

A serialized FAISS index can pass SQLite's limit on one value (``SQLITE_MAX_LENGTH``,
1 GB; SQLCipher the same): an IVF,SQ4 index at about 5M vectors, a flat one at about
650k. So ``kb_index`` holds the stamp and the total size, and ``kb_index_part`` the
bytes, cut into parts of at most ``INDEX_PART_BYTES``, all written in the caller's
transaction. Reading fills one buffer of the total size part by part (never the whole
index twice), after checking the parts' numbers and lengths add up: a missing,
truncated or extra part means no saved index (the caller rebuilds it from the stored
vectors), never a wrong one.
"""

from __future__ import annotations

from desktop.core.ports.retrieval import IndexBytes
from desktop.storage.dbapi import Connection

#: The most bytes one part holds: far under SQLite's 1 GB value limit. Writing a part
#: holds it twice more (SQLite copies the bound value, then builds the record), reading
#: one twice (SQLite's copy and Python's), so the part size adds to the peak memory of
#: a save or load: at 1M vectors (375 MiB) 256 MiB parts made a save peak at +943 MiB.
INDEX_PART_BYTES = 32 * 2**20


def load_index(conn: Connection, kb_id: int) -> tuple[bytearray, str] | None:
    """The serialized index and its stamp; None when there is none or its parts do not
    add up to the size saved with it."""
    row = conn.execute("SELECT size, stamp FROM kb_index WHERE kb_id = ?", (kb_id,)).fetchone()
    if row is None:
        return None
    size, stamp = int(row[0]), str(row[1])
    lengths = conn.execute(  # length() of a BLOB reads no content
        "SELECT part, length(blob) FROM kb_index_part WHERE kb_id = ? ORDER BY part", (kb_id,)
    ).fetchall()
    if [int(part) for part, _ in lengths] != list(range(len(lengths))):
        return None
    if sum(int(length) for _, length in lengths) != size or (size and not lengths):
        return None
    buffer = bytearray(size)
    view = memoryview(buffer)
    offset = 0
    for part in range(len(lengths)):  # one part in memory at a time
        blob = conn.execute(
            "SELECT blob FROM kb_index_part WHERE kb_id = ? AND part = ?", (kb_id, part)
        ).fetchone()[0]
        view[offset : offset + len(blob)] = blob
        offset += len(blob)
    view.release()
    return buffer, stamp


def save_index(
    conn: Connection,
    kb_id: int,
    blob: IndexBytes,
    stamp: str,
    saved_at: str,
    part_bytes: int = INDEX_PART_BYTES,
) -> None:
    """Insert or replace the kb's serialized index, in parts of at most ``part_bytes``
    (slices of ``blob``, not copies of it)."""
    if part_bytes < 1:
        raise ValueError(f"part size {part_bytes} is not positive")
    view = memoryview(blob).cast("B")
    conn.execute(
        "INSERT INTO kb_index (kb_id, size, stamp, saved_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (kb_id) DO UPDATE SET size = excluded.size, stamp = excluded.stamp,"
        " saved_at = excluded.saved_at",
        (kb_id, len(view), stamp, saved_at),
    )
    conn.execute("DELETE FROM kb_index_part WHERE kb_id = ?", (kb_id,))
    for part, start in enumerate(range(0, max(len(view), 1), part_bytes)):
        conn.execute(
            "INSERT INTO kb_index_part (kb_id, part, blob) VALUES (?, ?, ?)",
            (kb_id, part, view[start : start + part_bytes]),
        )
