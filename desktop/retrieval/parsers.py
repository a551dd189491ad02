"""``FileParser``: the :class:`~desktop.core.ports.DocumentParser` for every format
Kura ingests, chosen by file extension.

Every failure is an :class:`~desktop.core.errors.IngestionFailed` whose one-line
message names the file and the remedy; ``stage`` is ``"limits"`` for files over a
ceiling of :class:`ParseLimits` and ``"parse"`` for everything else (empty, binary,
damaged, encrypted, unsupported). Heavy libraries (pypdf, python-docx, openpyxl) are
imported only when a file of their format arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from desktop.core.knowledge_models import ParsedDocument
from desktop.retrieval.formats.base import MIB, ParseLimits, display_name, fail
from desktop.retrieval.formats.html import parse_html
from desktop.retrieval.formats.office import parse_docx, parse_xlsx
from desktop.retrieval.formats.pdf import parse_pdf
from desktop.retrieval.formats.text import parse_csv, parse_json, parse_markdown, parse_txt

__all__ = ["SUPPORTED_EXTENSIONS", "FileParser", "ParseLimits"]

Reader = Callable[[str, bytes, ParseLimits], ParsedDocument]

_READERS: dict[str, Reader] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
    ".xlsx": parse_xlsx,
    ".csv": parse_csv,
    ".json": parse_json,
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(sorted(_READERS))


class FileParser:
    """Text and headings of a file by its extension, within :class:`ParseLimits`."""

    def __init__(self, limits: ParseLimits = ParseLimits()) -> None:  # noqa: B008 (frozen)
        self.limits = limits

    @staticmethod
    def supports(name: str) -> bool:
        """Whether ``name`` has an extension this parser reads."""
        return PurePath(name).suffix.lower() in _READERS

    def parse(self, name: str, data: bytes) -> ParsedDocument:
        """The document's text, sections and meta; IngestionFailed when unusable."""
        shown = display_name(name)
        suffix = PurePath(name).suffix.lower()
        reader = _READERS.get(suffix)
        if reader is None:
            kind = f"'{suffix}' files" if suffix else "files without an extension"
            fail(
                f"{shown}: {kind} are not supported; convert it to one of "
                f"{', '.join(SUPPORTED_EXTENSIONS)}"
            )
        if not data:
            fail(f"{shown} is empty: add a file that has content")
        if len(data) > self.limits.max_file_bytes:
            fail(
                f"{shown} is {len(data) / MIB:,.1f} MiB, over the "
                f"{self.limits.max_file_bytes / MIB:,.0f} MiB file size limit: "
                "split it into smaller files",
                stage="limits",
            )
        return reader(name, data, self.limits)
