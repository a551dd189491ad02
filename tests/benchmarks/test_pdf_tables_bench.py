"""PDF parsing with table finding on and off, side by side in one run.

* text only: prose, no drawn lines and no aligned columns (the finder only looks);
* a ruled table a page: a 40-row grid on every page (every page read by pdfplumber);
* an unruled table a page: the same 40 rows set in aligned columns without lines;
* three-column prose: pages set in columns, which the cheap look passes to pdfplumber
  and the column finder then refuses (the worst case for prose);
* a two-column table a page: 40 settings without lines, every fourth value wrapped;
* a numbered list: markers and items in two columns, which the cheap look passes by.

"off" reads each page with pypdf alone (no look for lines or columns) and leaves the
text as pypdf read it. ``KURA_BENCH_PDF_PAGES`` sets the page count; ``KURA_BENCH_PDF_RUNS``
how many times each is timed, on and off in turn (the best of each is kept).
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Sequence
from typing import Any

import pytest

from desktop.retrieval.formats import pdf as pdf_format
from desktop.retrieval.formats.pdf_tables import PdfText
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f

PAGES = int(os.environ.get("KURA_BENCH_PDF_PAGES", "50"))
RUNS = int(os.environ.get("KURA_BENCH_PDF_RUNS", "3"))
ROWS = [["Part", "Weight (kg)", "Unit price"]]
ROWS += [[f"K-{n:04d}", f"{n * 0.7:.1f}", str(1000 + n * 13)] for n in range(40)]


def _text_pdf() -> bytes:
    return f.pdf_bytes(
        [
            "\n".join(f"{p}ページ目の{n}行目の本文です。Kura keeps line {n}." for n in range(45))
            for p in range(PAGES)
        ]
    )


def _repeated(page_pdf: bytes) -> bytes:
    import pypdf

    writer = pypdf.PdfWriter()
    page = pypdf.PdfReader(io.BytesIO(page_pdf)).pages[0]
    for _ in range(PAGES):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _ruled_pdf() -> bytes:
    return _repeated(f.pdf_table_bytes(["Parts"], ROWS, ["End."]))


def _unruled_pdf() -> bytes:
    cells = [
        (x, 760.0 - 16 * r, value)
        for r, row in enumerate(ROWS)
        for x, value in zip((72.0, 220.0, 370.0), row, strict=True)
    ]
    return _repeated(f.pdf_placed_bytes([[(72.0, 790.0, "Parts"), *cells]]))


def _columns_pdf() -> bytes:
    words = "the report sets out how each office keeps its records and when they are read"
    vocabulary = words.split()
    lines = [" ".join(vocabulary[(n + k) % len(vocabulary)] for k in range(4)) for n in range(50)]
    page = [(x, 790.0 - 14 * n, line) for n, line in enumerate(lines) for x in (72.0, 230.0, 390.0)]
    return _repeated(f.pdf_placed_bytes([page]))


def _two_column_pdf() -> bytes:
    """Settings as a two-column table without lines, every fourth value wrapped."""
    cells = []
    y = 770.0
    for n in range(40):
        value = [f"value {n} of the setting"]
        if n % 4 == 0:
            value = [f"value {n} of the setting, kept", "until the next review"]
        cells += [(72.0, y, f"Setting {n}")] + [(220.0, y - 14 * k, v) for k, v in enumerate(value)]
        y -= 14 * len(value)
    return _repeated(f.pdf_placed_bytes([cells]))


def _numbered_pdf() -> bytes:
    steps = ["Keep the key in the keyring", "Sign the log", "Export the bundle", "Verify it"]
    page = [
        (x, 780.0 - 14 * n, value)
        for n in range(50)
        for x, value in ((72.0, f"{n + 1}."), (100.0, steps[n % 4]))
    ]
    return _repeated(f.pdf_placed_bytes([page]))


def _seconds(data: bytes) -> float:
    start = time.perf_counter()
    FileParser().parse("bench.pdf", data)
    return time.perf_counter() - start


def test_pdf_parse_time_with_table_finding_on_and_off(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = {
        "text only": _text_pdf(),
        "a ruled table a page": _ruled_pdf(),
        "an unruled table a page": _unruled_pdf(),
        "three-column prose": _columns_pdf(),
        "a two-column table a page": _two_column_pdf(),
        "a numbered list (hanging indents)": _numbered_pdf(),
    }

    def unchanged(_: bytes, texts: Sequence[str], *__: Any, **___: Any) -> PdfText:
        return PdfText(list(texts))

    def pypdf_only(page: Any) -> tuple[str, bool]:
        return page.extract_text() or "", False

    finder = (pdf_format.tables_as_markdown, pdf_format._page_text)
    on = dict.fromkeys(documents, float("inf"))
    off = dict.fromkeys(documents, float("inf"))
    for _ in range(RUNS):  # on and off in turn, so a busy machine slows both alike
        for label, data in documents.items():
            monkeypatch.setattr(pdf_format, "tables_as_markdown", finder[0])
            monkeypatch.setattr(pdf_format, "_page_text", finder[1])
            on[label] = min(on[label], _seconds(data))
            monkeypatch.setattr(pdf_format, "tables_as_markdown", unchanged)
            monkeypatch.setattr(pdf_format, "_page_text", pypdf_only)
            off[label] = min(off[label], _seconds(data))
    for label in documents:
        print(
            f"\n{label}, {PAGES} pages: tables on {on[label]:.2f} s "
            f"({PAGES / on[label]:.0f} pages/s), off {off[label]:.2f} s "
            f"({PAGES / off[label]:.0f} pages/s), on/off throughput "
            f"{off[label] / on[label]:.2f}"
        )
