"""PDF text with pypdf: pages joined by blank lines, page starts recorded in meta."""

from __future__ import annotations

import io
from typing import Any, NoReturn

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name, fail


def parse_pdf(name: str, data: bytes, limits: ParseLimits) -> ParsedDocument:
    """Text of every page; ``meta["pages"]`` and ``meta["page_starts"]`` (offsets)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        _corrupt(name, "no %PDF header")
    try:
        return _extract(name, data, limits)
    except IngestionFailed:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        _corrupt(name, f"{type(exc).__name__}: {exc}", exc)


def _extract(name: str, data: bytes, limits: ParseLimits) -> ParsedDocument:
    import pypdf

    shown = display_name(name)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not _opens_without_password(reader):
        fail(f"{shown} is encrypted: remove the password and add it again")
    count = len(reader.pages)
    if count > limits.max_pdf_pages:
        fail(
            f"{shown} has {count:,} pages, over the limit of {limits.max_pdf_pages:,}: "
            "split it into smaller files",
            stage="limits",
        )
    builder = DocBuilder(name, "pdf", limits)
    starts = [
        builder.add_block(page.extract_text() or "", blank_line=True) for page in reader.pages
    ]
    if not builder.has_text():
        fail(f"{shown} has no extractable text (scanned images?): run OCR on it and add it again")
    meta: dict[str, Any] = {"pages": count, "page_starts": starts}
    return builder.build(meta)


def _opens_without_password(reader: Any) -> bool:
    """True for PDFs that only restrict printing or copying (empty user password)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a missing crypto backend or an unsupported scheme
        return False


def _corrupt(name: str, details: str, cause: BaseException | None = None) -> NoReturn:
    raise IngestionFailed(
        f"{display_name(name)} is not a readable PDF (damaged or truncated): "
        "export it again and add it",
        stage="parse",
        details=details,
    ) from cause
