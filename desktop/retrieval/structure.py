"""The blocks a chunker must not cut: Markdown tables and list items.

:func:`blocks` splits a span of text into runs of prose, list items (a marker line
and its indented continuation lines) and Markdown tables (a ``|`` header row, a
``| --- |`` delimiter row, then ``|`` rows). The format readers write every table they
find (.docx, .xlsx, .html) as such a Markdown table, and Markdown files bring their
own, so one rule covers them all. Spans are trimmed: no block starts or ends with
whitespace.

:func:`markdown_table` and its helpers build those tables for the readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

Span = tuple[int, int]

_TABLE_ROW = re.compile(r"[ \t]*\|")
_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_ITEM = re.compile(
    r"[ \t]*(?:[-*+•][ \t]|\d{1,3}[.)][ \t]|\d{1,3}[．）]|[(（]\d{1,3}[)）]"
    r"|[・●○◦▪■□◆◇※①-⑳])"
)


@dataclass(frozen=True, slots=True)
class Block:
    """``kind`` is "text", "item" or "table"; a table's ``header`` is the span of its
    header and delimiter rows, ``rows`` the spans of its body rows."""

    kind: str
    start: int
    end: int
    header: Span = (0, 0)
    rows: tuple[Span, ...] = ()


def blocks(text: str, start: int, end: int) -> Iterator[Block]:
    """Prose runs, list items and tables that tile ``text[start:end]``, in order."""
    lines = list(_lines(text, start, end))
    prose: Span | None = None
    i = 0
    while i < len(lines):
        ls, le = lines[i]
        table_end = _table_end(text, lines, i)
        is_item = table_end == i and _ITEM.match(text, ls, le) is not None
        if table_end == i and not is_item:
            prose = (prose[0] if prose else ls, le)
            i += 1
            continue
        if prose is not None:
            yield Block("text", *prose)
            prose = None
        if table_end > i:
            rows = tuple(s for s in (trim(text, *lines[j]) for j in range(i + 2, table_end)) if s)
            header = (ls, lines[i + 1][1])
            yield Block("table", ls, lines[table_end - 1][1], header, rows)
            i = table_end
            continue
        j = i + 1
        while j < len(lines) and _continues_item(text, lines[j]):
            j += 1
        yield Block("item", ls, lines[j - 1][1])
        i = j
    if prose is not None:
        yield Block("text", *prose)


def _lines(text: str, start: int, end: int) -> Iterator[Span]:
    pos = start
    while pos < end:
        newline = text.find("\n", pos, end)
        line_end = end if newline < 0 else newline
        yield pos, line_end
        pos = line_end + 1


def _table_end(text: str, lines: list[Span], i: int) -> int:
    """The index after the last row of a table that starts at line ``i``, else ``i``."""
    if i + 1 >= len(lines) or not _TABLE_ROW.match(text, *lines[i]):
        return i
    if not _DELIMITER.match(text, *lines[i + 1]) or "|" not in text[slice(*lines[i + 1])]:
        return i
    j = i + 2
    while j < len(lines) and _TABLE_ROW.match(text, *lines[j]):
        j += 1
    return j


def _continues_item(text: str, line: Span) -> bool:
    """An indented, non-blank line that is not a new item or a table row."""
    start, end = line
    return (
        start < end
        and text[start] in " \t"
        and bool(text[start:end].strip())
        and _ITEM.match(text, start, end) is None
        and _TABLE_ROW.match(text, start, end) is None
    )


def trim(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` without the whitespace at either end; None when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def trimmed(text: str, block: Block) -> Span | None:
    """The block's span without surrounding whitespace (None when blank)."""
    return trim(text, block.start, block.end)


# ---------------------------------------------------------------- writing tables


def table_cell(value: str) -> str:
    """A cell's text on one line, its pipes escaped."""
    return " ".join(value.split()).replace("|", "\\|")


def table_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(table_cell(c) for c in cells) + " |"


def table_delimiter(columns: int) -> str:
    return "|" + " --- |" * max(columns, 1)


def markdown_table(rows: Iterable[Sequence[str]]) -> str:
    """Rows as a Markdown table, the first non-empty row as its header; empty rows are
    left out and short rows padded. "" when every row is empty."""
    kept = [list(r) for r in rows if any(c.strip() for c in r)]
    if not kept:
        return ""
    width = max(len(r) for r in kept)
    padded = [r + [""] * (width - len(r)) for r in kept]
    lines = [table_row(padded[0]), table_delimiter(width)]
    lines += [table_row(r) for r in padded[1:]]
    return "\n".join(lines)
