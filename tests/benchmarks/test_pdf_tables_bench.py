"""PDF parsing with table finding on and off, side by side in one run.

A text-only PDF (no drawn lines: the table finder is skipped) and a PDF of pages each
holding a ruled 40-row table (every page read again by pdfplumber). "off" replaces the
table step by one that returns pypdf's text unchanged. ``KURA_BENCH_PDF_PAGES`` sets
the page count.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import pytest

from desktop.retrieval.formats import pdf as pdf_format
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f

PAGES = int(os.environ.get("KURA_BENCH_PDF_PAGES", "50"))


def _text_pdf() -> bytes:
    return f.pdf_bytes(
        [
            "\n".join(f"{p}ページ目の{n}行目の本文です。Kura keeps line {n}." for n in range(45))
            for p in range(PAGES)
        ]
    )


def _table_pdf() -> bytes:
    import io

    import pypdf

    table = [["Part", "Weight (kg)", "Unit price"]]
    table += [[f"K-{n:04d}", f"{n * 0.7:.1f}", str(1000 + n * 13)] for n in range(40)]
    writer = pypdf.PdfWriter()
    page = pypdf.PdfReader(io.BytesIO(f.pdf_table_bytes(["Parts"], table, ["End."]))).pages[0]
    for _ in range(PAGES):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _seconds(data: bytes) -> float:
    parser = FileParser()
    start = time.perf_counter()
    parser.parse("bench.pdf", data)
    return time.perf_counter() - start


def test_pdf_parse_time_with_table_finding_on_and_off(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = {"text only": _text_pdf(), "a table a page": _table_pdf()}
    on = {label: _seconds(data) for label, data in documents.items()}

    def unchanged(_: bytes, texts: Sequence[str], *__: Any) -> list[str]:
        return list(texts)

    monkeypatch.setattr(pdf_format, "tables_as_markdown", unchanged)
    off = {label: _seconds(data) for label, data in documents.items()}
    for label in documents:
        print(
            f"\n{label}, {PAGES} pages: tables on {on[label]:.2f} s "
            f"({PAGES / on[label]:.0f} pages/s), off {off[label]:.2f} s "
            f"({PAGES / off[label]:.0f} pages/s), on/off throughput "
            f"{off[label] / on[label]:.2f}"
        )
