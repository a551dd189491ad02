"""``SentenceChunker``: sentence-aware chunks for Japanese and English text.

Sentences end at Japanese full stops (。！？．), at English ``. ! ?`` followed by
whitespace (``!`` and ``?`` also next to Japanese text, which has no spaces), and at
every line break. Sentences are packed into chunks of at most ``size`` characters; a
sentence is split only when it alone is longer than ``size``, preferably after a comma
or a space. Each new chunk repeats the previous chunk's last sentences, up to
``overlap`` characters. Chunks never cross a section boundary, and a chunk's text
starts with its section's heading path (only the parents' part when the chunk already
starts with the heading line), while ``Chunk.start``/``Chunk.end`` are the exact span of the body in
``doc.text``: ``doc.text[chunk.start:chunk.end]`` is the cited passage.

Structure is kept (see :mod:`desktop.retrieval.structure`): a list item or a Markdown
table that fits in ``size`` is never cut; a longer table is split between rows, and
every piece after the first carries the table's header rows in its text (between the
heading path and the body), so each row is read with its column names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from desktop.core.knowledge_models import Chunk, ParsedDocument
from desktop.retrieval.structure import Block, blocks, trim, trimmed

HEADING_PATH_SEPARATOR = " > "

_CLOSERS = "」』）)\\]】〉》〕\"'”’"
_JA = "\u3040-\u30ff\u4e00-\u9fff"
_BOUNDARY = re.compile(
    rf"[。！？．]+[{_CLOSERS}]*"
    rf"|[!?]+[{_CLOSERS}]*(?=\s|$|[{_JA}])"
    rf"|(?<=[{_JA}])[!?]+[{_CLOSERS}]*"
    rf"|\.+[{_CLOSERS}]*(?=\s|$)"
    r"|\n"
)
_SOFT_BREAKS = frozenset("、，,;；:：)）」』 \t")

Span = tuple[int, int]


class SentenceChunker:
    """The :class:`~desktop.core.ports.TextChunker` for every format (sizes in characters)."""

    def chunk(self, doc: ParsedDocument, size: int, overlap: int) -> list[Chunk]:
        """Chunks of ``doc`` numbered from 0, in document order; none empty."""
        if size < 1 or not 0 <= overlap < size:
            raise ValueError(f"need size >= 1 and 0 <= overlap < size, got {size}, {overlap}")
        chunks: list[Chunk] = []
        for start, end, heading in regions(doc):
            for body_start, body_end, header in region_spans(doc.text, start, end, size, overlap):
                body = doc.text[body_start:body_end]
                text = with_heading(heading, f"{header}\n{body}" if header else body)
                chunks.append(Chunk(len(chunks), body_start, body_end, text, heading))
        return chunks


def region_spans(
    text: str, start: int, end: int, size: int, overlap: int
) -> Iterator[tuple[int, int, str]]:
    """(start, end, table header to repeat or "") of each chunk in one region.

    List items and tables that fit in ``size`` are packed whole, like sentences; a
    longer item falls back to its sentences; a longer table is split by rows, each
    piece after the first repeating the header rows (see :func:`table_pieces`).
    """
    units: list[Span] = []
    for block in blocks(text, start, end):
        span = trimmed(text, block)
        if span is None:
            continue
        if block.kind == "table" and span[1] - span[0] > size:
            packed = list(pack(units, size, overlap))
            lead = None
            if packed and block.rows and block.rows[0][1] - packed[-1][0] <= size:
                lead = packed.pop()[0]  # the text just before the table joins its first piece
            yield from ((s, e, "") for s, e in packed)
            yield from table_pieces(text, block, size, lead)
            units = []
        elif block.kind != "text" and span[1] - span[0] <= size:
            units.append(span)
        else:
            units += sentences(text, span[0], span[1], size)
    yield from ((s, e, "") for s, e in pack(units, size, overlap))


def table_pieces(
    text: str, table: Block, size: int, lead: int | None = None
) -> Iterator[tuple[int, int, str]]:
    """A long table in pieces of whole rows. The first piece holds the header rows (and
    starts at ``lead``, the text before the table, when given); every later piece
    repeats them in its text, its span holding its rows only. A row longer than
    ``size`` is a piece of its own: a row is never cut."""
    header_start, header_end = trim(text, *table.header) or table.header
    header = text[header_start:header_end]
    piece_start = header_start if lead is None else lead
    piece_end, budget, repeat, has_rows = header_end, size, "", False
    for row_start, row_end in table.rows:
        if has_rows and row_end - piece_start > budget:
            yield piece_start, piece_end, repeat
            piece_start, repeat, budget = row_start, header, max(size - len(header) - 1, 1)
        piece_end, has_rows = row_end, True
    yield piece_start, piece_end, repeat


def regions(doc: ParsedDocument) -> Iterator[tuple[int, int, str]]:
    """(start, end, heading) spans that tile ``doc.text``: its sections, and the text
    outside them with an empty heading. Overlapping sections are clipped. A section that
    holds nothing but its heading line (a chapter title followed at once by its first
    sub-heading) joins the region after it, so no chunk is a bare heading."""
    held: int | None = None  # where a heading-only section began
    for start, end, heading in _tiles(doc):
        if heading and doc.text[start:end].strip() == heading.rsplit(HEADING_PATH_SEPARATOR)[-1]:
            held = start if held is None else held
            continue
        yield (start if held is None else held), end, heading
        held = None
    if held is not None:  # the document ends with headings: they stay searchable
        yield held, len(doc.text), ""


def _tiles(doc: ParsedDocument) -> Iterator[tuple[int, int, str]]:
    cursor = 0
    length = len(doc.text)
    for section in sorted(doc.sections, key=lambda s: (s.start, s.end)):
        start, end = max(section.start, cursor), min(section.end, length)
        if start >= end:
            continue
        if cursor < start:
            yield cursor, start, ""
        yield start, end, section.heading
        cursor = end
    if cursor < length:
        yield cursor, length, ""


def sentences(text: str, start: int, end: int, size: int) -> list[Span]:
    """Trimmed sentence spans within [start, end), none longer than ``size``."""
    spans: list[Span] = []
    cursor = start
    for match in _BOUNDARY.finditer(text, start, end):
        _add_sentence(spans, text, cursor, match.end(), size)
        cursor = match.end()
    _add_sentence(spans, text, cursor, end, size)
    return spans


def _add_sentence(spans: list[Span], text: str, start: int, end: int, size: int) -> None:
    span = trim(text, start, end)
    if span is None:
        return
    start, end = span
    while end - start > size:
        cut = _cut_point(text, start, size)
        piece = trim(text, start, cut)
        if piece is not None:
            spans.append(piece)
        start = cut
        rest = trim(text, start, end)
        if rest is None:
            return
        start = rest[0]
    spans.append((start, end))


def _cut_point(text: str, start: int, size: int) -> int:
    """Where to split an over-long sentence: after the last soft break in the second
    half of the window, else exactly ``size`` characters in."""
    limit = start + size
    for pos in range(limit - 1, start + size // 2 - 1, -1):
        if text[pos] in _SOFT_BREAKS:
            return pos + 1
    return limit


def pack(spans: list[Span], size: int, overlap: int) -> Iterator[Span]:
    """Greedy packing of sentence spans into chunk spans of at most ``size`` characters.

    A new chunk begins with the previous chunk's trailing sentences that fit in
    ``overlap`` characters, never its first one, so starts and ends both increase.
    """
    i = 0
    previous_first = -1
    while i < len(spans):
        first = i
        if previous_first >= 0 and overlap > 0:
            while first - 1 > previous_first and spans[i - 1][1] - spans[first - 1][0] <= overlap:
                first -= 1
            while first < i and spans[i][1] - spans[first][0] > size:
                first += 1
        last = i
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= size:
            last += 1
        yield spans[first][0], spans[last][1]
        previous_first = first
        i = last + 1


def with_heading(heading: str, body: str) -> str:
    """The text to embed and index: the heading path, then the body.

    When the body already starts with the heading's own line (the first chunk of a
    section), only the parent path is added, so the heading is not repeated.
    """
    if not heading:
        return body
    first_line = body.split("\n", 1)[0].lstrip("#").strip()
    if first_line == heading:
        return body
    if first_line and heading.endswith(HEADING_PATH_SEPARATOR + first_line):
        return f"{heading[: -len(HEADING_PATH_SEPARATOR + first_line)]}\n{body}"
    return f"{heading}\n{body}"
