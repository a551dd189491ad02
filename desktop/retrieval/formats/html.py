"""HTML to text with the standard library's ``html.parser``.

Headings h1-h6 become sections; paragraphs, list items and ``<br>`` become line breaks;
a table becomes a Markdown table (its first row the header; a nested table's text stays
in its cell, a caption goes on the line above); ``<pre>`` keeps its whitespace.
Scripts, styles and navigation (``<nav>``, ``role="navigation"``, and the navigation
and table-of-contents blocks documentation generators emit) are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name
from desktop.retrieval.formats.text import decoded
from desktop.retrieval.structure import markdown_table

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "svg"})
_SKIP_CLASSES = frozenset(
    {
        "navheader",
        "navfooter",
        "navbar",
        "navigation",
        "breadcrumb",
        "breadcrumbs",
        "sphinxsidebar",
        "related",
        "toc",
        "footer",
        "skip-link",
        "headerlink",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details",
        "div", "dl", "dt", "figcaption", "figure", "footer", "form", "header", "hr", "li",
        "main", "ol", "p", "section", "summary", "table", "tbody", "tfoot", "thead", "tr",
        "ul",
    }
)  # fmt: skip
_FEED_CHARS = 1 << 20  # the cancel token is checked between pieces this long
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def declared_charset(data: bytes) -> str | None:
    """The encoding named by ``<meta charset>``, ``http-equiv`` or ``<?xml encoding?>``."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def parse_html(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """Readable text of an HTML page, headings as sections, ``<title>`` in meta."""
    text, encoding = decoded(name, data, limits, declared_charset(data))
    reader = _TextReader(DocBuilder(name, "html", limits))
    try:
        for start in range(0, len(text), _FEED_CHARS):
            cancel.raise_if_cancelled()
            reader.feed(text[start : start + _FEED_CHARS])
        reader.close()
    except (AssertionError, ValueError) as exc:  # html.parser's own failures
        raise IngestionFailed(
            "knowledge.html_unreadable", stage="parse", name=display_name(name), details=str(exc)
        ) from exc
    reader.flush()
    meta = {"encoding": encoding}
    if reader.title:
        meta["title"] = reader.title
    return reader.builder.build(meta)


class _TextReader(HTMLParser):
    """Streams text into a DocBuilder as blocks and headings."""

    def __init__(self, builder: DocBuilder) -> None:
        super().__init__(convert_charrefs=True)
        self.builder = builder
        self.title = ""
        self._buffer: list[str] = []
        self._skip: tuple[str, int] | None = None  # (tag, nesting depth)
        self._heading = 0
        self._pre = 0
        self._in_title = False
        self._tables = 0  # <table> nesting depth
        self._rows: list[list[str]] = []  # the outermost table's cells
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if self._skip is not None:
            if tag == self._skip[0]:
                self._skip = (tag, self._skip[1] + 1)
            return
        if tag in _SKIP_TAGS or _is_noise(attrs):
            self._skip = (tag, 1)
        elif tag == "table" or self._tables:
            self._table_start(tag)
        elif tag in _HEADINGS or tag in _BLOCK_TAGS:
            self.flush()
            self._heading = _HEADINGS.get(tag, 0)
        elif tag == "br":
            self._buffer.append("\n")
        elif tag == "pre":
            self.flush()
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._skip is not None:
            if tag == self._skip[0]:
                depth = self._skip[1] - 1
                self._skip = (tag, depth) if depth else None
            return
        if self._tables:
            self._table_end(tag)
        elif tag in _HEADINGS or tag in _BLOCK_TAGS:
            self.flush()
        elif tag == "pre" and self._pre:
            self.flush()
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = " ".join((self.title + " " + data).split())
        elif self._skip is not None:
            return
        elif self._caption is not None:
            self._caption.append(data)
        elif self._tables:
            if self._rows and self._rows[-1]:
                self._rows[-1][-1] += data
        else:
            self._buffer.append(data if self._pre else re.sub(r"\s+", " ", data))

    def _table_start(self, tag: str) -> None:
        """Cells of the outermost table; a nested table's text joins its cell."""
        if tag == "table":
            if not self._tables:
                self.flush()
                self._rows = []
            self._tables += 1
        elif self._tables > 1:
            pass
        elif tag == "tr":
            self._rows.append([])
        elif tag in {"td", "th"}:
            if not self._rows:
                self._rows.append([])
            self._rows[-1].append("")
        elif tag == "caption":
            self._caption = []
        elif self._rows and self._rows[-1]:
            self._rows[-1][-1] += " "  # <br>, <p>, <li>... inside a cell

    def _table_end(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.builder.add_block(" ".join("".join(self._caption).split()))
            self._caption = None
        elif tag == "table":
            self._tables -= 1
            if not self._tables:
                self.builder.add_block(markdown_table(self._rows))
                self._rows = []

    def flush(self) -> None:
        """Emit the buffered text as a heading or a block."""
        raw = "".join(self._buffer)
        self._buffer.clear()
        if self._heading:
            self.builder.add_heading(raw, self._heading)
            self._heading = 0
        elif self._pre:
            self.builder.add_block(raw.strip("\n"))
        else:
            self.builder.add_block("\n".join(line.strip() for line in raw.split("\n")))


def _is_noise(attrs: list[tuple[str, str | None]]) -> bool:
    values = dict(attrs)
    if (values.get("role") or "").lower() == "navigation":
        return True
    classes = set((values.get("class") or "").lower().split())
    return bool(classes & _SKIP_CLASSES)
