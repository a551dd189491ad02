"""PDF text with pypdf: pages joined by blank lines, page starts recorded in meta. A page
with no text layer (a scan) is read by OCR in the model host (:mod:`.image`).

The document outline (bookmarks), where there is one, gives the headings: a bookmark
starts a section at the top of the page it points to, its path made of the bookmarks
above it, so chunks of that page carry it as their context.

Tables, drawn as ruled grids or set as columns of text that line up, are written as
Markdown tables in place of their text lines (:mod:`.pdf_tables`, pdfplumber), so a
chunk holding a row also holds the header; a table that runs on to the next page stays
one table, its page start inside it."""

from __future__ import annotations

import io
from typing import Any, NoReturn

from desktop.core.errors import Cancelled, IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.core.ports import Ocr
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import DocBuilder, ParseLimits, display_name
from desktop.retrieval.formats.image import fill_scanned_pages
from desktop.retrieval.formats.pdf_columns import ColumnSniffer
from desktop.retrieval.formats.pdf_tables import may_hold_table, tables_as_markdown

_MAX_BOOKMARKS = 10_000
_MAX_BOOKMARK_DEPTH = 6


def parse_pdf(
    name: str, data: bytes, limits: ParseLimits, cancel: CancelToken, ocr: Ocr | None = None
) -> ParsedDocument:
    """Text of every page; ``meta["pages"]`` and ``meta["page_starts"]`` (offsets);
    ``meta["ocr_pages"]``: the pages read by OCR (0-based)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        _corrupt(name, "no %PDF header")
    try:
        return _extract(name, data, limits, cancel, ocr)
    except (IngestionFailed, Cancelled):
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        _corrupt(name, f"{type(exc).__name__}: {exc}", exc)


def _extract(
    name: str, data: bytes, limits: ParseLimits, cancel: CancelToken, ocr: Ocr | None
) -> ParsedDocument:
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
    texts = []
    tabular = []
    for number, page in enumerate(reader.pages):
        cancel.raise_if_cancelled()
        text, may_hold = _page_text(page)
        texts.append(text)
        if may_hold:
            tabular.append(number)
    scanned = [index for index, text in enumerate(texts) if not text.strip()]
    bookmarks = _bookmarks(reader)
    found = tables_as_markdown(data, texts, tabular, limits, cancel, breaks=bookmarks)
    texts = found.texts
    if scanned and ocr is not None:  # without an engine (tests' fakes): as before
        texts = fill_scanned_pages(name, data, texts, ocr, cancel)
    starts = []
    for number, text in enumerate(texts):
        for title, level in bookmarks.get(number, ()):
            builder.start_section(title, level)
        starts.append(builder.add_block(text, blank_line=number not in found.continued))
    if not builder.has_text():
        if ocr is not None:
            raise IngestionFailed("knowledge.scan_no_text", stage="parse", name=shown)
        raise IngestionFailed("knowledge.pdf_no_text", stage="parse", name=shown)
    meta: dict[str, Any] = {"pages": count, "page_starts": starts, "ocr_pages": scanned}
    return builder.build(meta)


def _page_text(page: Any) -> tuple[str, bool]:
    """pypdf's text of a page, and whether the page may hold a table: it draws lines, or
    three consecutive lines show text in three or more columns."""
    columns = ColumnSniffer()
    text = page.extract_text(visitor_text=columns) or ""
    return text, may_hold_table(page) or columns.has_columns()


def _bookmarks(reader: Any) -> dict[int, list[tuple[str, int]]]:
    """Page number -> (title, level) of the outline entries pointing at it, in outline
    order; none when the outline is missing or unreadable."""
    found: dict[int, list[tuple[str, int]]] = {}
    budget = [_MAX_BOOKMARKS]

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            budget[0] -= 1
            if budget[0] < 0:
                return
            if isinstance(item, list):
                if level < _MAX_BOOKMARK_DEPTH:
                    walk(item, level + 1)
                continue
            page = reader.get_destination_page_number(item)
            if page is not None and str(item.title or "").strip():
                found.setdefault(page, []).append((str(item.title), level))

    try:
        walk(reader.outline, 1)
    except Exception:  # a damaged outline costs the headings, never the text
        return {}
    return found


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
