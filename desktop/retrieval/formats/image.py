"""Images (.png, .jpg, .tif...) and scanned PDF pages, read by OCR.

The recognition itself runs in the model host (:class:`~desktop.core.ports.Ocr`); this
module, in Kura's process, only hands it the file's bytes and places the text it gets
back. No image and no text is written anywhere on the way. Without an OCR engine, or
without Tesseract's Japanese data in the host, the file fails with one line naming the
packages to install.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.core.errors import IngestionFailed, InputError
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.ports import Ocr
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def recognise(name: str, ocr: Ocr | None, call: Callable[[Ocr], list[str]]) -> list[str]:
    """``call(ocr)``; a missing engine or language data becomes the file's
    ``knowledge.ocr_unavailable`` with the remedy."""
    shown = display_name(name)
    if ocr is None:
        raise IngestionFailed(
            "knowledge.ocr_unavailable", stage="parse", name=shown, missing="Tesseract"
        )
    try:
        return call(ocr)
    except InputError as exc:
        if exc.code != "knowledge.ocr_missing":
            raise
        raise IngestionFailed(
            "knowledge.ocr_unavailable",
            stage="parse",
            name=shown,
            missing=str(exc.params.get("missing", "Tesseract")),
        ) from exc


def fill_scanned_pages(
    name: str, data: bytes, texts: Sequence[str], ocr: Ocr | None, cancel: CancelToken
) -> list[str]:
    """``texts`` (one per PDF page) with every page that has no text layer OCR'd. When
    OCR is not installed, a PDF with text on other pages keeps that text (its blank
    pages may be blank indeed); one with none fails with the remedy."""
    blank = [index for index, text in enumerate(texts) if not text.strip()]
    filled = list(texts)
    if not blank:
        return filled
    try:
        read = recognise(name, ocr, lambda engine: engine.pdf_pages(data, blank, cancel))
    except IngestionFailed as exc:
        if exc.code == "knowledge.ocr_unavailable" and len(blank) < len(texts):
            return filled
        raise
    for index, text in zip(blank, read, strict=False):
        filled[index] = text
    return filled


def parse_image(
    name: str, data: bytes, limits: ParseLimits, cancel: CancelToken, ocr: Ocr | None = None
) -> ParsedDocument:
    """The recognised text of every frame, frames separated by blank lines;
    ``meta["pages"]`` and ``meta["page_starts"]`` as for a PDF."""
    shown = display_name(name)
    if not data.startswith(_MAGIC):
        raise IngestionFailed("knowledge.image_unreadable", stage="parse", name=shown)
    texts = recognise(name, ocr, lambda engine: engine.image_pages(data, cancel))
    builder = DocBuilder(name, "image", limits)
    starts = [builder.add_block(text, blank_line=True) for text in texts]
    if not builder.has_text():
        raise IngestionFailed("knowledge.image_no_text", stage="parse", name=shown)
    meta: dict[str, Any] = {"pages": len(texts), "page_starts": starts, "ocr": True}
    return builder.build(meta)
