"""Tables on PDF pages as Markdown tables, found by pdfplumber (on pdfminer.six, pure
Python): grids drawn with ruling lines, and columns of text that line up without any
(:mod:`.pdf_columns`).

pypdf reads a table row by row into lines of cell texts run together, so which value
belongs to which column is lost. A page that may hold a table is handed to pdfplumber;
a page where a table is found is rebuilt from pdfplumber's characters: the words
outside every table, in the order the page draws them, and each table as a Markdown
table (:func:`desktop.retrieval.structure.markdown_table`, its first row the header)
where its first character is drawn (a cell's text wrapped on several lines joined
into one, :func:`.pdf_columns.unwrap`). The chunker then keeps the table whole or splits it
by rows with the header repeated.

A table that ends one page (a page number after it aside) and begins the next with as
many columns is one table: the next page's rows follow on without a header (its repeat
of the header, if any, dropped), and the page is marked in :attr:`PdfText.continued` so
the reader joins it with a line break, not a blank line.

pdfminer reads a page about ten times slower than pypdf, so only pages whose content
stream draws lines or rectangles (or forms, which may; :func:`may_hold_table`, a scan
of pypdf's decoded stream) or whose text lines up in columns
(:class:`.pdf_columns.ColumnSniffer`) are handed to it. Pages without a table keep
pypdf's text. Anything that goes wrong on a page (a damaged content stream, more ruling
lines or cells than :class:`ParseLimits` allows, glyphs pdfminer cannot map) leaves
that page's pypdf text as it was: a table costs at most its own structure, never the
page's words. Nothing is rendered (pdfplumber's page images need pdfium, which stays in
the model host) and nothing is written anywhere.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import ParseLimits
from desktop.retrieval.formats.pdf_columns import TEXT, Box, unruled_tables, unwrap
from desktop.retrieval.structure import markdown_table, table_row

_UNMAPPED = "(cid:"  # pdfminer's stand-in for a glyph without a Unicode mapping
# "x y w h re" (a rectangle), "x y l" (a line to), "/Name Do" (a form or an image)
_DRAWS = re.compile(rb"[\d.]\s+(?:re|l)(?:\s|\Z)|\sDo(?:\s|\Z)")
# a page number alone on its line: "12", "- 12 -", "12 / 40", "p. 12", "Page 12", "12ページ"
_PAGE_NUMBER = re.compile(
    r"[-\u2013\u2014(]?\s*(?:p\.?|page)?\s*\d{1,4}\s*(?:/\s*\d{1,4})?\s*(?:\u30da\u30fc\u30b8)?\s*[-\u2013\u2014)]?",
    re.I,
)


def may_hold_table(page: Any) -> bool:
    """Whether a pypdf page draws lines, rectangles or forms: a table's grid needs them."""
    try:
        contents = page.get_contents()
        return contents is not None and _DRAWS.search(contents.get_data()) is not None
    except Exception:  # an unreadable stream: pypdf's text is all there is
        return False


@dataclass(frozen=True, slots=True)
class PdfText:
    """Each page's text; ``continued``: the pages whose text begins with more rows of
    the table that ends the page before (no header: join them with one line break)."""

    texts: list[str]
    continued: frozenset[int] = frozenset()


@dataclass(slots=True)
class _Piece:
    """A line of text, or a table (``rows``, the first its header unless ``continues``)
    at its place in the page's drawing order."""

    order: int
    text: str = ""
    rows: list[list[str]] | None = None
    continues: bool = False

    def render(self) -> str:
        if self.rows is None:
            return self.text
        if not self.continues:
            return markdown_table(self.rows)
        width = max(len(row) for row in self.rows)
        return "\n".join(table_row(row + [""] * (width - len(row))) for row in self.rows)


def tables_as_markdown(
    data: bytes,
    texts: Sequence[str],
    candidates: Iterable[int],
    limits: ParseLimits,
    cancel: CancelToken,
    breaks: Collection[int] = (),
) -> PdfText:
    """``texts`` (pypdf's, one per page) with every page among ``candidates`` that holds
    a table rebuilt with the table as Markdown; pages without a text layer (scans) are
    not looked at. A table that ends one page and begins the next with as many columns
    becomes one table (the next page's repeat of the header dropped), unless the next
    page is among ``breaks`` (a section starts there)."""
    wanted = [index for index in sorted(set(candidates)) if texts[index].strip()]
    if not wanted:
        return PdfText(list(texts))
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception:  # pdfminer cannot open what pypdf could: the text stays as read
        return PdfText(list(texts))
    layouts: dict[int, list[_Piece]] = {}
    with pdf:
        for index in wanted:
            cancel.raise_if_cancelled()
            if index >= len(pages):
                break
            page = pages[index]
            try:
                pieces = _page_pieces(page, limits)
            except Exception:  # a broken table never loses the page's text
                pieces = None
            finally:
                page.close()
            if pieces and (_UNMAPPED not in _join(pieces) or _UNMAPPED in texts[index]):
                layouts[index] = pieces
    continued = _join_across_pages(layouts, set(breaks))
    out = list(texts)
    for index, pieces in layouts.items():
        out[index] = _join(pieces)
    return PdfText(out, frozenset(continued))


def _page_pieces(page: Any, limits: ParseLimits) -> list[_Piece] | None:
    """The page's lines and tables in drawing order; None when it has no table."""
    edges = len(page.lines) + len(page.rects) + len(page.curves)
    if edges > limits.max_pdf_page_edges:
        return None
    tables: list[tuple[Box, list[list[str]]]] = []
    for table in page.find_tables() if edges else ():
        rows = [[unwrap(cell or "") for cell in row] for row in table.extract(**TEXT)]
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue  # a frame around a paragraph is not a table
        if sum(len(row) for row in rows) > limits.max_pdf_table_cells:
            continue
        tables.append((table.bbox, rows))
    ruled = [box for box, _ in tables]
    outside = _without(page, ruled) if ruled else page
    tables += unruled_tables(outside, limits.max_pdf_table_cells)
    if not tables:
        return None
    chars = page.chars
    order = {id(char): position for position, char in enumerate(chars)}
    boxes = [box for box, _ in tables]
    pieces = []
    for box, rows in tables:
        inside = [order[id(c)] for c in chars if _centre_in(c, box)]
        pieces.append(_Piece(min(inside, default=len(chars)), rows=rows))
    rest = _without(page, boxes)
    for line in rest.extract_text_lines(use_text_flow=True, return_chars=True, **TEXT):
        drawn = [order[id(c)] for c in line["chars"] if id(c) in order]
        pieces.append(_Piece(min(drawn, default=len(chars)), text=line["text"]))
    return sorted(pieces, key=lambda piece: piece.order)


def _without(page: Any, boxes: list[Box]) -> Any:
    """The page without the characters inside ``boxes``."""
    return page.filter(
        lambda obj: obj.get("object_type") != "char" or not any(_centre_in(obj, b) for b in boxes)
    )


def _join_across_pages(layouts: dict[int, list[_Piece]], breaks: set[int]) -> set[int]:
    """Where a page ends with a table (a page number after it aside) and the next page
    begins with one of as many columns, the second continues the first: its repeat of
    the header is dropped, and so are the page numbers between. Returns those pages."""
    continued = set()
    for index in sorted(layouts):
        after = layouts.get(index + 1)
        if after is None or index + 1 in breaks:
            continue
        pieces = layouts[index]
        end = _edge_table(pieces, reversed(range(len(pieces))))
        begin = _edge_table(after, range(len(after)))
        if end is None or begin is None:
            continue
        first, second = pieces[end], after[begin]
        assert first.rows is not None and second.rows is not None
        if _width(first.rows) != _width(second.rows):
            continue
        header = _header(layouts, index, end)
        if _cells(second.rows[0]) == _cells(header):
            second.rows = second.rows[1:]
        second.continues = True
        del pieces[end + 1 :]
        del after[:begin]
        continued.add(index + 1)
    for index in continued:
        if not layouts[index][0].rows:
            del layouts[index][0]  # only the header was repeated
    return continued


def _edge_table(pieces: list[_Piece], positions: Iterable[int]) -> int | None:
    """The position of the table at one end of a page, only page numbers beyond it."""
    for position in positions:
        piece = pieces[position]
        if piece.rows is not None:
            return position
        if not _PAGE_NUMBER.fullmatch(piece.text.strip()):
            return None
    return None


def _header(layouts: dict[int, list[_Piece]], index: int, position: int) -> list[str]:
    """The header row of the table at ``position`` on page ``index``, followed back
    through the pages it continues."""
    piece = layouts[index][position]
    while piece.continues and index - 1 in layouts:
        index -= 1
        piece = layouts[index][-1]
    assert piece.rows is not None
    return piece.rows[0] if piece.rows else []


def _width(rows: list[list[str]]) -> int:
    return max((len(row) for row in rows), default=0)


def _cells(row: Sequence[str]) -> list[str]:
    return [" ".join(cell.split()) for cell in row]


def _join(pieces: list[_Piece]) -> str:
    """Lines one per line; a table set apart from the text around it by blank lines."""
    parts: list[str] = []
    previous_table = False
    for piece in pieces:
        text = piece.render()
        if not text:
            continue
        is_table = piece.rows is not None
        if parts:
            parts.append("\n\n" if is_table or previous_table else "\n")
        parts.append(text)
        previous_table = is_table
    return "".join(parts)


def _centre_in(obj: dict[str, Any], box: Box) -> bool:
    x = (float(obj["x0"]) + float(obj["x1"])) / 2
    y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
