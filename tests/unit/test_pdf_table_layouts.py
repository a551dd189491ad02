"""PDF tables without ruling lines (columns of text that line up) and tables that run on
to the next page: both become one Markdown table with its header, while prose and pages
set in columns stay text.

The PDFs are written by tests/docs_factory.py: text shown at given positions, the way a
report or a spreadsheet exported to PDF sets a table without lines, and ruled grids
(:func:`tests.docs_factory.pdf_table_bytes`) put on consecutive pages. Real parser,
chunker, FTS5 and FAISS; a hash embedder stands in for the model.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from desktop import app
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor
from desktop.retrieval.formats.pdf_columns import unruled_tables
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f
from tests.fakes import MemorySource

COLUMNS = (72.0, 190.0, 300.0, 420.0)
PARTS_HEADER = ["部品", "重さ (kg)", "単価", "産地"]
PLACES = ["東京", "大阪", "名古屋", "福岡"]


def part(n: int) -> list[str]:
    return [f"K-{n:04d}", f"{n * 0.7:.1f}", str(1000 + n * 13), PLACES[n % 4] + "工場"]


def placed_table(rows: list[list[str]], top: float) -> list[tuple[float, float, str]]:
    """``rows`` set in aligned columns, one line every 14 points from ``top`` down."""
    return [
        (x, top - r * 14, value)
        for r, row in enumerate(rows)
        for x, value in zip(COLUMNS, row, strict=False)
    ]


def unruled_pdf() -> bytes:
    rows = [PARTS_HEADER] + [part(n) for n in range(1, 11)]
    page = [(72.0, 760.0, "部品一覧"), (72.0, 744.0, "各部品の重さと単価は次のとおりです。")]
    page += placed_table(rows, 700)
    page.append((72.0, 700 - 14 * len(rows) - 20, "以上。"))
    return f.pdf_placed_bytes([page])


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def pypdf_text(data: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n\n".join(page.extract_text() for page in reader.pages)


def test_an_unruled_pdf_table_becomes_a_markdown_table_between_its_text() -> None:
    doc = FileParser().parse("parts.pdf", unruled_pdf())
    table = markdown(PARTS_HEADER, [part(n) for n in range(1, 11)])
    assert doc.text == ("部品一覧\n各部品の重さと単価は次のとおりです。\n\n" + table + "\n\n以上。")


def test_an_unruled_pdf_table_question_is_answered_with_the_header_and_the_row(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    rows = [PARTS_HEADER] + [part(n) for n in range(1, 49)]
    data = f.pdf_placed_bytes([[(72.0, 790.0, "部品一覧"), *placed_table(rows, 760)]])
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "parts", visibility=KbVisibility.ALL)
    assert not ws.knowledge.ingest(ada, kb.id, [MemorySource("parts.pdf", data)]).failed
    assert ws.knowledge.documents(ada, kb.id)[0].chunks > 1  # split by rows
    top = ws.knowledge.search(ada, kb.id, "K-0041 の単価は？", mode=RetrievalMode.FULLTEXT)[0]
    assert "| 部品 | 重さ (kg) | 単価 | 産地 |" in top.chunk.text
    assert "| K-0041 | 28.7 | 1533 | 大阪工場 |" in top.chunk.text, top.chunk.text


def test_an_unruled_table_whose_rows_are_padded_with_spaces_is_found() -> None:
    """Each row one line of text, its columns set apart by runs of spaces."""
    header = ["Part", "Weight", "Price", "Plant"]
    plants = ["Tokyo", "Osaka", "Nagoya"]
    rows = [[f"K-{n:04d}", f"{n * 0.7:.1f}", str(1000 + n * 13), plants[n % 3]] for n in range(8)]
    page = [
        (72.0, 700.0 - 14 * r, "".join(cell.ljust(14) for cell in row).rstrip())
        for r, row in enumerate([header, *rows])
    ]
    text = FileParser().parse("padded.pdf", f.pdf_placed_bytes([page])).text
    assert text == markdown(header, rows)


def test_words_set_close_together_keep_their_spaces_on_a_page_rebuilt_for_a_table() -> None:
    """Tight typesetting without space glyphs: 2.5-point gaps between words at 10 points
    (pdfplumber's default tolerance, 3 points, would run them together)."""
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS["Helvetica"][1]
    x, sentence, words = 72.0, [], "Read and write access for users of the disk group."
    for word in words.split(" "):
        sentence.append((x, 780.0, word))
        x += sum(widths[c] for c in word) / 100 + 2.5  # 10 points: width / 1000 * 10
    data = f.pdf_placed_bytes([sentence + placed_table([PARTS_HEADER, part(1), part(2)], 700)])
    text = FileParser().parse("tight.pdf", data).text
    assert text.startswith("Read and write access for users of the disk group.\n\n| 部品 |")


def prose_lines(count: int, width: int) -> list[str]:
    words = "the report sets out how each office keeps its records and when they are read"
    vocabulary = words.split()
    return [
        " ".join(vocabulary[(n + k) % len(vocabulary)] for k in range(width)) for n in range(count)
    ]


def test_prose_is_not_read_again_for_tables_nor_cut_into_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One run of text a line: pdfplumber is never opened, pypdf's text is kept."""
    import pdfplumber

    opened: list[int] = []
    real_open = pdfplumber.open
    monkeypatch.setattr(pdfplumber, "open", lambda *a, **k: opened.append(1) or real_open(*a, **k))
    lines = prose_lines(30, 12) + ["日本語の段落も一行ずつ続きます。" * 2] * 10
    data = f.pdf_placed_bytes([[(72.0, 780.0 - 14 * n, line) for n, line in enumerate(lines)]])
    assert FileParser().parse("prose.pdf", data).text == pypdf_text(data)
    columns = [
        (x, 780.0 - 14 * n, line)
        for n, line in enumerate(prose_lines(40, 4))
        for x in (72, 230, 390)
    ]
    data = f.pdf_placed_bytes([columns])  # three columns of a few words a line
    assert FileParser().parse("columns.pdf", data).text == pypdf_text(data)
    assert opened == []


@pytest.mark.parametrize(
    ("columns", "lines"),
    [
        ((72.0, 310.0), prose_lines(40, 6)),  # two columns, English
        ((72.0, 230.0, 390.0), prose_lines(40, 4)),  # three columns, English, ragged
        ((72.0, 230.0, 390.0), prose_lines(40, 3)),  # narrower
        ((72.0, 230.0, 390.0), ["段組みの本文は行の幅いっぱい"] * 40),  # Japanese, justified
    ],
    ids=["two-columns", "three-columns", "three-narrow-columns", "three-columns-japanese"],
)
def test_a_page_set_in_columns_of_prose_is_not_a_table(
    columns: tuple[float, ...], lines: list[str]
) -> None:
    import pdfplumber

    page = [
        (x, 780.0 - 14 * n, f"{line} {c}" if line.isascii() else line)
        for n, line in enumerate(lines)
        for c, x in enumerate(columns)
    ]
    data = f.pdf_placed_bytes([page])
    text = FileParser().parse("columns.pdf", data).text
    assert "|" not in text
    assert text == pypdf_text(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # past the cheap look, too
        assert unruled_tables(pdf.pages[0], max_cells=10_000) == []


def test_a_page_of_vertical_japanese_text_is_not_a_table() -> None:
    import pdfplumber

    column = "縦書きの本文は右の行から左の行へと読み進めます"
    page = [
        (500.0 - 20 * c, 780.0 - 12 * n, char)
        for c in range(12)
        for n, char in enumerate(column[c:] + column[:c])
    ]
    data = f.pdf_placed_bytes([page])
    assert "|" not in FileParser().parse("tate.pdf", data).text
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert unruled_tables(pdf.pages[0], max_cells=10_000) == []


def test_a_ruled_table_and_an_unruled_one_on_the_same_page_are_both_found() -> None:
    import pypdf

    ruled = f.pdf_table_bytes(["Price list"], [["Part", "Price"], ["A-1", "100"]], [])
    unruled = f.pdf_placed_bytes([placed_table([PARTS_HEADER, part(1), part(2)], 500)])
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(ruled))
    writer.pages[0].merge_page(pypdf.PdfReader(io.BytesIO(unruled)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    text = FileParser().parse("both.pdf", out.getvalue()).text
    assert "| Part | Price |\n| --- | --- |\n| A-1 | 100 |" in text
    assert markdown(PARTS_HEADER, [part(1), part(2)]) in text


# ---------------------------------------------------------------- across pages

OFFICE_HEADER = ["拠点", "所在地", "電話", "責任者"]


def office(n: int) -> list[str]:
    return [f"第{n}営業所", f"{n}番街{n}丁目", f"03-1234-{n:04d}", f"担当者{n:02d}号"]


def ruled_pages(repeat_header: bool) -> bytes:
    """Offices 1-44 fill page 1 to its foot; 45-60 continue on page 2."""
    import pypdf

    first = f.pdf_table_bytes(["拠点一覧"], [OFFICE_HEADER] + [office(n) for n in range(1, 45)], [])
    rest = [office(n) for n in range(45, 61)]
    second = f.pdf_table_bytes([], [OFFICE_HEADER, *rest] if repeat_header else rest, ["以上。"])
    writer = pypdf.PdfWriter()
    for data in (first, second):
        writer.add_page(pypdf.PdfReader(io.BytesIO(data)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("repeat_header", [True, False], ids=["header-repeated", "no-header"])
def test_a_pdf_table_across_two_pages_becomes_one_table_with_one_header(
    repeat_header: bool,
) -> None:
    doc = FileParser().parse("offices.pdf", ruled_pages(repeat_header))
    table = markdown(OFFICE_HEADER, [office(n) for n in range(1, 61)])
    assert doc.text == "拠点一覧\n\n" + table + "\n\n以上。"
    second_page = doc.meta["page_starts"][1]
    assert doc.text[second_page:].startswith("| 第45営業所 |")


def test_a_row_on_the_second_page_is_answered_with_the_header_from_the_first(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "offices", visibility=KbVisibility.ALL)
    source = MemorySource("offices.pdf", ruled_pages(repeat_header=False))
    assert not ws.knowledge.ingest(ada, kb.id, [source]).failed
    question = "第57営業所の責任者は誰ですか？"
    row = "| 第57営業所 | 57番街57丁目 | 03-1234-0057 | 担当者57号 |"
    for mode in (RetrievalMode.FULLTEXT, RetrievalMode.HYBRID):
        hits = ws.knowledge.search(people["mo"], kb.id, question, mode=mode)
        holding = [h.chunk.text for h in hits if row in h.chunk.text]
        assert holding and "| 拠点 | 所在地 | 電話 | 責任者 |" in holding[0], holding


def test_an_unruled_table_across_pages_with_a_page_number_between_is_joined() -> None:
    first = placed_table([PARTS_HEADER] + [part(n) for n in range(1, 6)], 200)
    second = placed_table([PARTS_HEADER] + [part(n) for n in range(6, 10)], 800)
    data = f.pdf_placed_bytes([[*first, (280.0, 40.0, "- 1 -")], [*second, (280.0, 40.0, "- 2 -")]])
    text = FileParser().parse("parts.pdf", data).text
    assert text == markdown(PARTS_HEADER, [part(n) for n in range(1, 10)]) + "\n\n- 2 -"


def test_tables_of_different_widths_on_consecutive_pages_stay_apart() -> None:
    import pypdf

    writer = pypdf.PdfWriter()
    for table in ([["A", "B"], ["1", "2"]], [["C", "D", "E"], ["3", "4", "5"]]):
        page = f.pdf_table_bytes([], table, [])
        writer.add_page(pypdf.PdfReader(io.BytesIO(page)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    doc = FileParser().parse("two.pdf", out.getvalue())
    assert doc.text == (
        "| A | B |\n| --- | --- |\n| 1 | 2 |\n\n| C | D | E |\n| --- | --- | --- |\n| 3 | 4 | 5 |"
    )


def test_a_section_starting_on_the_next_page_keeps_the_tables_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop.retrieval.formats import pdf as pdf_format

    def bookmarks(_: Any) -> dict[int, list[tuple[str, int]]]:
        return {1: [("続き", 1)]}

    monkeypatch.setattr(pdf_format, "_bookmarks", bookmarks)
    doc = FileParser().parse("offices.pdf", ruled_pages(repeat_header=True))
    assert doc.text.count("| 拠点 | 所在地 | 電話 | 責任者 |") == 2
