"""Reading every chunk of many document versions in ordered pages (bulk reads).

Exhaustive answers and the chunk viewer read whole documents: one query per chunk costs
a statement per chunk. Here the versions' chunk ranges are cut into pages of at most
``page`` chunks (consecutive small versions share a page; a large one spans several),
and each page is ONE query that walks the ``(version_id, idx)`` index, so memory stays
one page whatever the size of the knowledge base.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from desktop.core.knowledge_models import StoredChunk
from desktop.storage.dbapi import Connection
from desktop.storage.repo_knowledge_rows import id_list, stored_chunk

#: Chunks per page (one query each).
PAGE = 500

_SPANS = (  # max(idx) of each version straight from the (version_id, idx) index
    "SELECT j.key, (SELECT max(c.idx) FROM chunks AS c WHERE c.version_id = j.value)"
    " FROM json_each(?) AS j ORDER BY j.key"
)
# Each element of ``?`` is [version_id, first idx, end idx]: its chunks in that range.
# No ORDER BY: SQLite's sorter costs ~10 times the read (measured); a page is put in
# order in Python (by span, then chunk index).
_PAGE = (
    'SELECT j.key, c.id, c.kb_id, d.name, v.version, c.idx, c.start, c."end", c.text,'
    " c.heading FROM json_each(?) AS j CROSS JOIN chunks AS c"
    " ON c.version_id = j.value ->> 0 AND c.idx >= j.value ->> 1 AND c.idx < j.value ->> 2"
    " JOIN document_versions AS v ON v.id = c.version_id"
    " JOIN documents AS d ON d.id = v.document_id"
)


def _pages(ends: Sequence[tuple[int, int]], page: int) -> Iterator[list[list[int]]]:
    """Cut the versions' index ranges ``(version_id, end)`` into pages of ``page``."""
    current: list[list[int]] = []
    room = page
    for version_id, end in ends:
        start = 0
        while start < end:
            take = min(room, end - start)
            current.append([version_id, start, start + take])
            start += take
            room -= take
            if room == 0:
                yield current
                current, room = [], page
    if current:
        yield current


def chunks_of_versions(
    conn: Connection, version_ids: Sequence[int], page: int | None = None
) -> Iterator[StoredChunk]:
    """Every chunk of these versions: version by version in the order given, each in
    chunk order (unknown ids skipped). One query per page of ``page`` (default
    :data:`PAGE`) chunks."""
    if not version_ids:
        return
    ids = [int(v) for v in version_ids]
    rows = conn.execute(_SPANS, (id_list(ids),)).fetchall()
    ends = [(ids[int(key)], int(last) + 1) for key, last in rows if last is not None]
    for spans in _pages(ends, max(1, page or PAGE)):
        rows = conn.execute(_PAGE, (json.dumps(spans),)).fetchall()
        rows.sort(key=lambda row: (int(row[0]), int(row[5])))
        for row in rows:
            yield stored_chunk(row[1:])
