"""PDF text with pypdf: pages joined by blank lines, page starts recorded in meta."""

from __future__ import annotations

import io
from typing import Any, NoReturn

from desktop.core.errors import Cancelled, IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name


def parse_pdf(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """Text of every page; ``meta["pages"]`` and ``meta["page_starts"]`` (offsets)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        _corrupt(name, "no %PDF header")
    try:
        return _extract(name, data, limits, cancel)
    except (IngestionFailed, Cancelled):
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        _corrupt(name, f"{type(exc).__name__}: {exc}", exc)


def _extract(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    import pypdf

    shown = display_name(name)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not _opens_without_password(reader):
        raise IngestionFailed("knowledge.pdf_encrypted", stage="parse", name=shown)
    count = len(reader.pages)
    if count > limits.max_pdf_pages:
        raise IngestionFailed(
            "knowledge.pdf_too_many_pages",
            stage="limits",
            name=shown,
            count=count,
            limit=limits.max_pdf_pages,
        )
    builder = DocBuilder(name, "pdf", limits)
    starts = []
    for page in reader.pages:
        cancel.raise_if_cancelled()
        starts.append(builder.add_block(page.extract_text() or "", blank_line=True))
    if not builder.has_text():
        raise IngestionFailed("knowledge.pdf_no_text", stage="parse", name=shown)
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
        "knowledge.pdf_damaged",
        stage="parse",
        name=display_name(name),
        details=details,
    ) from cause
