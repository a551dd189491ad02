"""Tables on PDF pages become Markdown tables in place of their jumbled text lines, so a
question about one cell is answered from a chunk holding the header and the row; a
broken or oversized table keeps the page's text as pypdf read it.

The PDFs are written by tests/docs_factory.py: ruled grids with each cell's text inside,
the way a word processor prints a table. Real parser, chunker, FTS5 and FAISS; a hash
embedder stands in for the model.
"""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest

from desktop import app
from desktop.core.errors import Cancelled
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.base import ParseLimits
from desktop.retrieval.formats.pdf import parse_pdf
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f
from tests.fakes import MemorySource

OFFICES_HEADER = "| 拠点 | 所在地 | 電話 | 責任者 |"
PRICES = [
    ["Part", "Weight (kg)", "Unit price"],
    ["K-0001", "0.7", "1013"],
    ["K-0002", "1.4", "1026"],
]
PRICES_MARKDOWN = (
    "| Part | Weight (kg) | Unit price |\n| --- | --- | --- |\n"
    "| K-0001 | 0.7 | 1013 |\n| K-0002 | 1.4 | 1026 |"
)


def offices_pdf() -> bytes:
    table = [["拠点", "所在地", "電話", "責任者"]]
    for n in range(1, 41):
        table.append([f"第{n}営業所", f"{n}番街{n}丁目", f"03-1234-{n:04d}", f"担当者{n:02d}号"])
    return f.pdf_table_bytes(["拠点一覧", "全国の営業所と責任者の一覧です。"], table, ["以上。"])


def prices_pdf() -> bytes:
    return f.pdf_table_bytes(["Price list", "Prices are per unit."], PRICES, ["Valid in 2025."])


def plain_text(data: bytes) -> str:
    import pypdf

    return str(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text())


def test_pdf_table_question_is_answered_from_a_chunk_with_the_header_and_the_row(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "offices", visibility=KbVisibility.ALL)
    report = ws.knowledge.ingest(ada, kb.id, [MemorySource("offices.pdf", offices_pdf())])
    assert not report.failed
    [doc] = ws.knowledge.documents(ada, kb.id)
    assert doc.chunks > 2  # the table is long enough to be split by rows
    question = "第37営業所の責任者は誰ですか？"
    row = "| 第37営業所 | 37番街37丁目 | 03-1234-0037 | 担当者37号 |"
    top = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.FULLTEXT)[0]
    assert OFFICES_HEADER in top.chunk.text and row in top.chunk.text, top.chunk.text
    hybrid = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.HYBRID)
    assert [h.chunk.index for h in hybrid if row in h.chunk.text] == [top.chunk.index]


def test_pdf_table_replaces_its_text_lines_between_the_text_around_it() -> None:
    doc = FileParser().parse("prices.pdf", prices_pdf())
    assert doc.text == (
        "Price list\nPrices are per unit.\n\n" + PRICES_MARKDOWN + "\n\nValid in 2025."
    )


def test_pdf_pages_without_a_table_keep_pypdfs_text() -> None:
    data = f.pdf_bytes(["First page.\nSecond line.", "Next page."])
    assert FileParser().parse("plain.pdf", data).text == "First page.\nSecond line.\n\nNext page."


def test_a_broken_pdf_table_keeps_the_pages_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber.page

    def broken(*_: Any, **__: Any) -> Any:
        raise ValueError("damaged table")

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", broken)
    data = prices_pdf()
    assert FileParser().parse("prices.pdf", data).text == plain_text(data)


def test_a_pdf_table_over_the_cell_limit_stays_plain_text() -> None:
    data = prices_pdf()
    doc = FileParser(ParseLimits(max_pdf_table_cells=8)).parse("prices.pdf", data)
    assert doc.text == plain_text(data)
    assert FileParser(ParseLimits(max_pdf_table_cells=9)).parse("p.pdf", data).text != doc.text


def test_a_pdf_page_with_more_ruling_lines_than_the_limit_is_not_searched() -> None:
    data = prices_pdf()  # 4 horizontal and 4 vertical lines
    doc = FileParser(ParseLimits(max_pdf_page_edges=7)).parse("prices.pdf", data)
    assert doc.text == plain_text(data)


def test_pdf_table_finding_stops_when_cancelled() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        parse_pdf("prices.pdf", prices_pdf(), ParseLimits(), token)


def test_pdf_table_finding_never_loads_pdfium_into_kuras_process() -> None:
    """pdfplumber draws page images with pdfium; only the model host may load it."""
    script = (
        "import sys\n"
        "from desktop.retrieval.parsers import FileParser\n"
        "from tests.unit.test_pdf_tables import PRICES_MARKDOWN, prices_pdf\n"
        "assert PRICES_MARKDOWN in FileParser().parse('p.pdf', prices_pdf()).text\n"
        "assert 'pypdfium2' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_pdf_pages_that_draw_no_lines_are_not_read_again_for_tables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pdfminer reads a page about ten times slower than pypdf: text-only pages skip it."""
    import pdfplumber

    opened: list[int] = []
    real_open = pdfplumber.open

    def counting_open(*args: Any, **kwargs: Any) -> Any:
        opened.append(1)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(pdfplumber, "open", counting_open)
    FileParser().parse("plain.pdf", f.pdf_bytes(["Only text.", "More text."]))
    assert opened == []
    FileParser().parse("prices.pdf", prices_pdf())
    assert opened == [1]
