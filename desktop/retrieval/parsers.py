"""``FileParser``: the :class:`~desktop.core.ports.DocumentParser` for every format
Kura ingests, chosen by file extension.

Every failure is an :class:`~desktop.core.errors.IngestionFailed` whose one-line
message names the file and the remedy; ``stage`` is ``"limits"`` for files over a
ceiling of :class:`ParseLimits` and ``"parse"`` for everything else (empty, binary,
damaged, encrypted, unsupported). :meth:`FileParser.parse` is the one place where
whatever else a reader or its library raises (RuntimeError, zlib.error, UnicodeError,
KeyError, lxml errors, MemoryError, ...) becomes that file's ``knowledge.file_unreadable``,
so one crafted file never aborts a batch. Only :class:`Cancelled` passes through.
Heavy libraries (pypdf, openpyxl) are imported only when a file of their format arrives.
Images, and PDF pages without a text layer, are read by the :class:`~desktop.core.ports.Ocr`
given (Tesseract in the model host); without one, images fail with the remedy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from desktop.core.errors import Cancelled, IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.ports import Ocr
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import MIB, ParseLimits, display_name
from desktop.retrieval.formats.html import parse_html
from desktop.retrieval.formats.image import IMAGE_EXTENSIONS, parse_image
from desktop.retrieval.formats.office import parse_xlsx
from desktop.retrieval.formats.pdf import parse_pdf
from desktop.retrieval.formats.text import parse_csv, parse_json, parse_markdown, parse_txt

__all__ = ["SUPPORTED_EXTENSIONS", "FileParser", "ParseLimits"]

Reader = Callable[[str, bytes, ParseLimits, CancelToken], ParsedDocument]
OcrReader = Callable[[str, bytes, ParseLimits, CancelToken, Ocr | None], ParsedDocument]


def parse_docx(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    from desktop.retrieval.formats.wordml import parse_docx as read  # lxml on demand

    return read(name, data, limits, cancel)


_READERS: dict[str, Reader] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".docx": parse_docx,
    ".xlsx": parse_xlsx,
    ".csv": parse_csv,
    ".json": parse_json,
}
_OCR_READERS: dict[str, OcrReader] = {  # readers that may need the OCR engine
    ".pdf": parse_pdf,
    **dict.fromkeys(IMAGE_EXTENSIONS, parse_image),
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(sorted({*_READERS, *_OCR_READERS}))


class FileParser:
    """Text and headings of a file by its extension, within :class:`ParseLimits`."""

    def __init__(
        self,
        limits: ParseLimits = ParseLimits(),  # noqa: B008 (frozen)
        ocr: Ocr | None = None,
    ) -> None:
        self.limits = limits
        self.ocr = ocr

    @staticmethod
    def supports(name: str) -> bool:
        """Whether ``name`` has an extension this parser reads."""
        suffix = PurePath(name).suffix.lower()
        return suffix in _READERS or suffix in _OCR_READERS

    def _reader(self, suffix: str) -> Reader | None:
        ocr_reader = _OCR_READERS.get(suffix)
        if ocr_reader is None:
            return _READERS.get(suffix)
        ocr = self.ocr
        return lambda name, data, limits, cancel: ocr_reader(name, data, limits, cancel, ocr)

    def parse(self, name: str, data: bytes, cancel: CancelToken | None = None) -> ParsedDocument:
        """The document's text, sections and meta; IngestionFailed when unusable,
        Cancelled as soon as ``cancel`` is set (long readers check it as they go)."""
        shown = display_name(name)
        suffix = PurePath(name).suffix.lower()
        reader = self._reader(suffix)
        if reader is None:
            supported = ", ".join(SUPPORTED_EXTENSIONS)
            if suffix:
                raise IngestionFailed(
                    "knowledge.extension_unsupported",
                    stage="parse",
                    name=shown,
                    suffix=suffix,
                    supported=supported,
                )
            raise IngestionFailed(
                "knowledge.extension_missing", stage="parse", name=shown, supported=supported
            )
        if not data:
            raise IngestionFailed("knowledge.file_empty", stage="parse", name=shown)
        if len(data) > self.limits.max_file_bytes:
            raise IngestionFailed(
                "knowledge.file_too_large",
                stage="limits",
                name=shown,
                size=len(data) / MIB,
                limit=self.limits.max_file_bytes / MIB,
            )
        try:
            return reader(name, data, self.limits, cancel or CancelToken())
        except (IngestionFailed, Cancelled):
            raise
        except Exception as exc:  # any library failure fails only this file
            raise IngestionFailed(
                "knowledge.file_unreadable",
                stage="parse",
                name=shown,
                details=f"{type(exc).__name__}: {exc}",
            ) from exc
