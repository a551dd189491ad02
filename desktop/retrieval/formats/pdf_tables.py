"""Tables on PDF pages as Markdown tables, found by pdfplumber (on pdfminer.six, pure
Python) from the lines that draw their grid.

pypdf reads a table row by row into lines of cell texts run together, so which value
belongs to which column is lost. Every page with a text layer and drawn lines is handed
to pdfplumber's table finder; a page where it finds a table is rebuilt from pdfplumber's
characters: the words outside every table, in the order the page draws them, and each
table as a Markdown table (:func:`desktop.retrieval.structure.markdown_table`, its first
row the header) where its first character is drawn. The chunker then keeps the table
whole or splits it by rows with the header repeated.

pdfminer reads a page about ten times slower than pypdf, so only pages whose content
stream draws lines or rectangles (or forms, which may) are handed to it
(:func:`may_hold_table`, a scan of pypdf's decoded stream). Pages without a table keep
pypdf's text. Anything that goes wrong on a page (a damaged
content stream, more ruling lines or cells than :class:`ParseLimits` allows, glyphs
pdfminer cannot map) leaves that page's pypdf text as it was: a table costs at most its
own structure, never the page's words. Nothing is rendered (pdfplumber's page images
need pdfium, which stays in the model host) and nothing is written anywhere.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import ParseLimits
from desktop.retrieval.structure import markdown_table

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's)

_UNMAPPED = "(cid:"  # pdfminer's stand-in for a glyph without a Unicode mapping
# "x y w h re" (a rectangle), "x y l" (a line to), "/Name Do" (a form or an image)
_DRAWS = re.compile(rb"[\d.]\s+(?:re|l)(?:\s|\Z)|\sDo(?:\s|\Z)")


def may_hold_table(page: Any) -> bool:
    """Whether a pypdf page draws lines, rectangles or forms: a table's grid needs them."""
    try:
        contents = page.get_contents()
        return contents is not None and _DRAWS.search(contents.get_data()) is not None
    except Exception:  # an unreadable stream: pypdf's text is all there is
        return False


def tables_as_markdown(
    data: bytes,
    texts: Sequence[str],
    candidates: Iterable[int],
    limits: ParseLimits,
    cancel: CancelToken,
) -> list[str]:
    """``texts`` (pypdf's, one per page) with every page among ``candidates`` that holds
    a table rebuilt with the table as Markdown; pages without a text layer (scans) are
    not looked at."""
    out = list(texts)
    wanted = [index for index in sorted(set(candidates)) if texts[index].strip()]
    if not wanted:
        return out
    try:
        import pdfplumber

        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception:  # pdfminer cannot open what pypdf could: the text stays as read
        return out
    with pdf:
        for index in wanted:
            cancel.raise_if_cancelled()
            if index >= len(pages):
                break
            page = pages[index]
            try:
                rebuilt = _page_text(page, limits)
            except Exception:  # a broken table never loses the page's text
                rebuilt = None
            finally:
                page.close()
            if rebuilt and (_UNMAPPED not in rebuilt or _UNMAPPED in texts[index]):
                out[index] = rebuilt
    return out


def _page_text(page: Any, limits: ParseLimits) -> str | None:
    """The page's text with its tables as Markdown; None when it has no table."""
    edges = len(page.lines) + len(page.rects) + len(page.curves)
    if not edges or edges > limits.max_pdf_page_edges:
        return None
    tables: list[tuple[Box, str]] = []
    for table in page.find_tables():
        rows = [[cell or "" for cell in row] for row in table.extract()]
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue  # a frame around a paragraph is not a table
        if sum(len(row) for row in rows) > limits.max_pdf_table_cells:
            continue
        markdown = markdown_table(rows)
        if markdown:
            tables.append((table.bbox, markdown))
    if not tables:
        return None
    chars = page.chars
    order = {id(char): position for position, char in enumerate(chars)}
    boxes = [box for box, _ in tables]
    pieces: list[tuple[int, bool, str]] = []  # (drawing order, is a table, text)
    for box, markdown in tables:
        inside = [order[id(c)] for c in chars if _centre_in(c, box)]
        pieces.append((min(inside, default=len(chars)), True, markdown))
    rest = page.filter(
        lambda obj: obj.get("object_type") != "char" or not any(_centre_in(obj, b) for b in boxes)
    )
    for line in rest.extract_text_lines(use_text_flow=True, return_chars=True):
        drawn = [order[id(c)] for c in line["chars"] if id(c) in order]
        pieces.append((min(drawn, default=len(chars)), False, line["text"]))
    return _join(sorted(pieces, key=lambda piece: piece[0]))


def _join(pieces: list[tuple[int, bool, str]]) -> str:
    """Lines one per line; a table set apart from the text around it by blank lines."""
    parts: list[str] = []
    previous_table = False
    for _, is_table, text in pieces:
        if parts:
            parts.append("\n\n" if is_table or previous_table else "\n")
        parts.append(text)
        previous_table = is_table
    return "".join(parts)


def _centre_in(obj: dict[str, Any], box: Box) -> bool:
    x = (float(obj["x0"]) + float(obj["x1"])) / 2
    y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
