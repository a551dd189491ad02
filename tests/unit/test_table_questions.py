"""A question about one cell of a long .xlsx or .docx table is answered, through the
knowledge service's search, from a chunk holding the table's header row and that row:
the best full-text hit, and the one passage holding the row among the hybrid hits (the
hash embedder's vector ranking is noise, so hybrid's order is not asserted).

Real parser, chunker, FTS5 and FAISS; a hash embedder stands in for the model.
"""

from __future__ import annotations

import io

from desktop import app
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor
from tests.fakes import MemorySource

PARTS_HEADER = "| Part | Weight (kg) | Warehouse | Unit price |"
OFFICES_HEADER = "| 拠点 | 所在地 | 電話 | 責任者 |"


def parts_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Parts"
    sheet.append(["Part", "Weight (kg)", "Warehouse", "Unit price"])
    for n in range(150):
        sheet.append([f"K-{n:04d}", round(n * 0.7, 1), f"W{n % 7}", 1000 + n * 13])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def offices_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("拠点一覧", level=1)
    document.add_paragraph("全国の営業所と責任者の一覧です。")
    table = document.add_table(rows=61, cols=4)
    for c, name in enumerate(["拠点", "所在地", "電話", "責任者"]):
        table.cell(0, c).text = name
    for n in range(1, 61):
        row = [f"第{n}営業所", f"{n}番街{n}丁目", f"03-1234-{n:04d}", f"担当者{n:02d}号"]
        for c, value in enumerate(row):
            table.cell(n, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_xlsx_cell_question_is_answered_from_a_chunk_with_the_header_and_the_row(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "parts", visibility=KbVisibility.ALL)
    report = ws.knowledge.ingest(ada, kb.id, [MemorySource("parts.xlsx", parts_xlsx())])
    assert not report.failed
    [doc] = ws.knowledge.documents(ada, kb.id)
    assert doc.chunks > 3  # the table is long enough to be split
    question = "What is the unit price of part K-0087?"
    row = "| K-0087 | 60.9 | W3 | 2131 |"
    top = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.FULLTEXT)[0]
    assert PARTS_HEADER in top.chunk.text and row in top.chunk.text, top.chunk.text
    hybrid = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.HYBRID)
    assert [h.chunk.index for h in hybrid if row in h.chunk.text] == [top.chunk.index]


def test_docx_table_question_is_answered_from_a_chunk_with_the_header_and_the_row(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "offices", visibility=KbVisibility.ALL)
    report = ws.knowledge.ingest(ada, kb.id, [MemorySource("offices.docx", offices_docx())])
    assert not report.failed
    [doc] = ws.knowledge.documents(ada, kb.id)
    assert doc.chunks > 3
    question = "第37営業所の責任者は誰ですか？"
    row = "| 第37営業所 | 37番街37丁目 | 03-1234-0037 | 担当者37号 |"
    top = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.FULLTEXT)[0]
    assert OFFICES_HEADER in top.chunk.text and row in top.chunk.text, top.chunk.text
    assert top.chunk.heading == "拠点一覧"
    hybrid = ws.knowledge.search(people["mo"], kb.id, question, mode=RetrievalMode.HYBRID)
    assert [h.chunk.index for h in hybrid if row in h.chunk.text] == [top.chunk.index]
