"""Structure-aware chunks: Markdown tables kept whole or split by rows with their
header, list items never cut, tables from .docx / .xlsx / .html as Markdown."""

from __future__ import annotations

import io

from desktop.core.knowledge_models import ParsedDocument, Section
from desktop.retrieval.chunking import SentenceChunker
from desktop.retrieval.parsers import FileParser
from desktop.retrieval.structure import blocks, markdown_table

CHUNKER = SentenceChunker()
PARSER = FileParser()
HEADER = "| 型番 | 重量 | 色 |\n| --- | --- | --- |"


def table_text(rows: int) -> str:
    body = "\n".join(f"| K-{n:04d} | {n * 3} kg | 色{n} |" for n in range(rows))
    return f"{HEADER}\n{body}"


def test_a_small_table_stays_whole_in_one_chunk() -> None:
    text = "前置きの文です。\n" + table_text(3) + "\n後ろの文です。"
    chunks = CHUNKER.chunk(ParsedDocument(text, "md"), 200, 0)
    tables = [c for c in chunks if "| --- |" in c.text]
    assert len(tables) == 1
    assert table_text(3) in tables[0].text


def test_a_small_table_is_not_cut_by_the_chunk_size_of_the_text_around_it() -> None:
    prose = "あ" * 50 + "。"
    text = prose + "\n" + table_text(3)
    size = len(table_text(3)) + 10
    chunks = CHUNKER.chunk(ParsedDocument(text, "md"), size, 0)
    assert any(table_text(3) in c.text for c in chunks)


def test_a_long_table_is_split_by_rows_with_its_header_in_every_piece() -> None:
    text = "## 部品表\n" + table_text(40)
    doc = ParsedDocument(text, "md", (Section("部品表", 0, len(text)),))
    chunks = CHUNKER.chunk(doc, 200, 40)
    assert len(chunks) > 3
    rows = [line for line in text.splitlines() if line.startswith("| K-")]
    seen = []
    for chunk in chunks:
        assert HEADER in chunk.text, chunk.text
        body = doc.text[chunk.start : chunk.end]
        assert chunk.text.endswith(body)
        lines = body.splitlines()
        assert all(line in rows or line in HEADER or line == "## 部品表" for line in lines)
        seen += [line for line in lines if line in rows]
    assert seen == rows  # every row once, in order, none cut
    assert chunks[0].text.startswith("## 部品表\n" + HEADER)
    assert chunks[1].text.startswith("部品表\n" + HEADER + "\n| K-")


def test_a_row_longer_than_the_chunk_size_is_kept_whole() -> None:
    long_row = "| K-9999 | " + "長い説明" * 40 + " | 赤 |"
    text = f"{table_text(2)}\n{long_row}\n| K-0005 | 15 kg | 青 |"
    chunks = CHUNKER.chunk(ParsedDocument(text, "md"), 100, 0)
    assert any(c.text.endswith(long_row) and HEADER in c.text for c in chunks)


def test_list_items_are_not_cut_mid_item() -> None:
    items = [
        f"- 手順{n}です。まず設定を開きます。次に保存します。\n  補足: 再起動は不要です。"
        for n in range(8)
    ]
    text = "手順の一覧。\n" + "\n".join(items)
    chunks = CHUNKER.chunk(ParsedDocument(text, "md"), 90, 20)
    for chunk in chunks:
        body = text[chunk.start : chunk.end]
        for item in items:
            begin = text.find(item)
            inside = chunk.start <= begin and begin + len(item) <= chunk.end
            apart = begin + len(item) <= chunk.start or begin >= chunk.end
            assert inside or apart, (item, body)


def test_blocks_tell_tables_items_and_prose_apart() -> None:
    text = (
        "本文。\n- 項目一\n  続き\n・項目二\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| 2 | 3 |\n終わり"
    )
    kinds = [(b.kind, text[b.start : b.end]) for b in blocks(text, 0, len(text))]
    assert kinds == [
        ("text", "本文。"),
        ("item", "- 項目一\n  続き"),
        ("item", "・項目二"),
        ("table", "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 2 | 3 |"),
        ("text", "終わり"),
    ]


def test_pipes_without_a_delimiter_row_are_prose() -> None:
    text = "| not | a table |\n| still | not |"
    assert [b.kind for b in blocks(text, 0, len(text))] == ["text"]


def test_markdown_table_escapes_pipes_pads_and_skips_empty_rows() -> None:
    assert markdown_table([["a", "b|c"], ["", ""], ["1"]]) == (
        "| a | b\\|c |\n| --- | --- |\n| 1 |  |"
    )
    assert markdown_table([["", ""]]) == ""


# ---------------------------------------------------------------- formats


def test_docx_table_becomes_a_markdown_table() -> None:
    import docx

    document = docx.Document()
    document.add_heading("仕様", level=1)
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("形式", "上限"), ("PDF", "2000ページ"), ("XLSX", "1千万セル")]):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    buffer = io.BytesIO()
    document.save(buffer)
    doc = PARSER.parse("spec.docx", buffer.getvalue())
    assert "| 形式 | 上限 |\n| --- | --- |\n| PDF | 2000ページ |\n| XLSX | 1千万セル |" in doc.text


def test_xlsx_sheet_becomes_a_markdown_table() -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "料金"
    for row in (["プラン", "月額", "備考"], ["無償", 0], ["Pro", 59, "年払い|あり"]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    doc = PARSER.parse("prices.xlsx", buffer.getvalue())
    assert doc.text == (
        "## 料金\n| プラン | 月額 | 備考 |\n| --- | --- | --- |\n| 無償 | 0 |  |\n"
        "| Pro | 59 | 年払い\\|あり |"
    )


def test_html_table_becomes_a_markdown_table() -> None:
    page = (
        "<html><body><h1>表</h1><p>前の段落</p><table><caption>保持期間</caption>"
        "<thead><tr><th>項目</th><th>値</th></tr></thead>"
        "<tbody><tr><td>保持</td><td><p>30日</p><p>延長可</p></td></tr>"
        "<tr><td>監査</td><td>1年</td></tr></tbody></table><p>後の段落</p></body></html>"
    )
    doc = PARSER.parse("page.html", page.encode())
    assert doc.text == (
        "表\n前の段落\n保持期間\n| 項目 | 値 |\n| --- | --- |\n| 保持 | 30日 延長可 |\n"
        "| 監査 | 1年 |\n後の段落"
    )


def test_pdf_bookmarks_become_each_pages_heading_path() -> None:
    import pypdf

    from tests import docs_factory as f

    source = f.pdf_bytes(["Cover page.", "Install steps here.", "Backup steps here."])
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source)))
    guide = writer.add_outline_item(title="Guide", page_number=0)
    writer.add_outline_item(title="Install", page_number=1, parent=guide)
    writer.add_outline_item(title="Backup", page_number=2, parent=guide)
    buffer = io.BytesIO()
    writer.write(buffer)
    doc = PARSER.parse("guide.pdf", buffer.getvalue())
    assert doc.text == "Cover page.\n\nInstall steps here.\n\nBackup steps here."
    sections = [(s.heading, doc.text[s.start : s.end].strip()) for s in doc.sections]
    assert sections == [
        ("Guide", "Cover page."),
        ("Guide > Install", "Install steps here."),
        ("Guide > Backup", "Backup steps here."),
    ]
    chunks = CHUNKER.chunk(doc, 600, 0)
    assert [c.heading for c in chunks] == ["Guide", "Guide > Install", "Guide > Backup"]
    assert chunks[2].text == "Guide > Backup\nBackup steps here."
