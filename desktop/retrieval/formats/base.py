"""Shared pieces of the format readers: limits, error helpers and the text builder.

Every reader turns bytes into a :class:`ParsedDocument` through :class:`DocBuilder`,
which cleans each piece of text *before* it is placed, so section offsets are exact
character positions in the final text.

Sections tile the document: a section starts at its heading line and ends where the
next heading starts. ``Section.heading`` is the heading path (``"Guide > Install"``)
so a chunk far below a heading still knows its context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument, Section
from desktop.retrieval.chunking import HEADING_PATH_SEPARATOR

MIB = 1024 * 1024
MAX_HEADING_CHARS = 200

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Ceilings that protect ingestion from oversized or hostile files."""

    max_file_bytes: int = 50 * MIB
    max_unzipped_bytes: int = 200 * MIB  # .docx / .xlsx, all members together
    max_member_bytes: int = 100 * MIB  # .docx / .xlsx, any one member
    max_zip_ratio: float = 200.0  # uncompressed / compressed, per member over 1 MiB
    max_zip_members: int = 10_000
    max_xml_tags: int = 4_000_000  # .docx / .xlsx, "<" in all XML members together
    max_pdf_pages: int = 2000
    max_pdf_page_edges: int = 20_000  # ruling lines on one PDF page searched for tables
    max_pdf_table_cells: int = 20_000  # one PDF table; a larger one stays plain text
    max_cells: int = 10_000_000  # .xlsx, all sheets together, empty ones included
    max_chars: int = 20_000_000  # extracted text


def display_name(name: str) -> str:
    """The file name made safe for a one-line message."""
    cleaned = _CONTROL.sub("?", name.replace("\n", " ").replace("\r", " "))
    return cleaned or "(unnamed file)"


def clean_text(text: str) -> str:
    """Newlines to ``\\n``, control characters (NUL included) removed, NFC."""
    text = _NEWLINES.sub("\n", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def heading_path(stack: list[tuple[int, str]], level: int, title: str) -> str:
    """Update ``stack`` (level, title) with a new heading and return its path."""
    while stack and stack[-1][0] >= level:
        stack.pop()
    stack.append((level, title))
    path = HEADING_PATH_SEPARATOR.join(t for _, t in stack)
    while len(path) > MAX_HEADING_CHARS and HEADING_PATH_SEPARATOR in path:
        path = path.split(HEADING_PATH_SEPARATOR, 1)[1]
    return path[:MAX_HEADING_CHARS]


class DocBuilder:
    """Assembles cleaned text blocks and heading sections for one document."""

    def __init__(self, name: str, kind: str, limits: ParseLimits) -> None:
        self._name = name
        self._kind = kind
        self._max_chars = limits.max_chars
        self._parts: list[str] = []
        self._length = 0
        self._stack: list[tuple[int, str]] = []
        self._open: tuple[str, int] | None = None  # (heading path, start)
        self._sections: list[Section] = []

    def _append(self, piece: str) -> None:
        self._parts.append(piece)
        self._length += len(piece)
        check_length(self._name, self._length, self._max_chars)

    def _separate(self, blank_line: bool) -> None:
        if not self._parts:
            return
        tail = self._parts[-1]
        wanted = "\n\n" if blank_line else "\n"
        if not tail.endswith(wanted):
            self._append("\n" if tail.endswith("\n") else wanted)

    @property
    def length(self) -> int:
        """Characters so far."""
        return self._length

    def has_text(self) -> bool:
        return any(part.strip() for part in self._parts)

    def add_block(self, text: str, *, blank_line: bool = False) -> int:
        """A paragraph, list item or table row on its own line(s); ``blank_line``
        separates it from the previous block by an empty line. Returns its offset."""
        text = clean_text(text).strip("\n")
        if not text.strip():
            return self._length
        self._separate(blank_line=blank_line)
        start = self._length
        self._append(text)
        return start

    def add_heading(self, title: str, level: int, line: str | None = None) -> None:
        """Start a section; ``line`` is the literal heading line (default: ``title``)."""
        title = self.start_section(title, level)
        if title:
            self._append(clean_text(line).strip() if line is not None else title)

    def start_section(self, title: str, level: int) -> str:
        """Start a section at the next block without writing a heading line (a PDF's
        bookmarks name sections whose titles are already in the page text); returns the
        cleaned title ("" when there is none, and no section starts)."""
        title = " ".join(clean_text(title).split())
        if title:
            self._separate(blank_line=True)
            self._close_section()
            self._open = (heading_path(self._stack, level, title), self._length)
        return title

    def _close_section(self) -> None:
        if self._open is not None:
            heading, start = self._open
            self._sections.append(Section(heading, start, self._length))
            self._open = None

    def build(self, meta: dict[str, Any] | None = None) -> ParsedDocument:
        """The finished document; IngestionFailed when it holds no text at all."""
        self._close_section()
        text = "".join(self._parts)
        require_text(self._name, text)
        return ParsedDocument(text, self._kind, tuple(self._sections), dict(meta or {}))


def check_length(name: str, length: int, max_chars: int) -> None:
    """Refuse extracted text longer than ``max_chars`` (stage "limits")."""
    if length > max_chars:
        raise IngestionFailed(
            "knowledge.text_too_long", stage="limits", name=display_name(name), limit=max_chars
        )


def require_text(name: str, text: str) -> None:
    """Refuse a document whose extracted text is empty or only whitespace."""
    if not text.strip():
        raise IngestionFailed("knowledge.no_text", stage="parse", name=display_name(name))
