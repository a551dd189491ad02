"""PDF tables whose cells wrap (a cell's text on two lines or more) and two-column tables
without ruling lines become Markdown tables whose wrapped cell is one cell, and a
question on a row is answered from a chunk holding the header and that row; lists with
hanging indents and notes under a table stay text.

The PDFs are written by tests/docs_factory.py: text shown at given positions, with or
without ruling lines around the cells, as a word processor or a report exporter sets
them. (Their Japanese text has no spaces: the test font's space is a full em wide, as
wide as a column gap.) Real parser, chunker, FTS5 and FAISS; a hash embedder stands in
for the model.
"""

from __future__ import annotations

import io

import pytest

from desktop import app
from desktop.core.knowledge_models import KbVisibility, RetrievalMode
from desktop.core.models import Actor
from desktop.retrieval.formats.pdf_columns import unwrap
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f
from tests.fakes import MemorySource

Cell = str | list[str]  # a cell's text, or its lines when it wraps
Placed = list[tuple[float, float, str]]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows[1:]])


def set_rows(rows: list[list[Cell]], xs: list[float], top: float, pitch: float) -> Placed:
    """Each row's cells at the columns ``xs``, a wrapped cell's lines one ``pitch``
    below the other, the next row below the row's last line."""
    placed: Placed = []
    y = top
    for row in rows:
        lines = [cell if isinstance(cell, list) else [cell] for cell in row]
        for x, cell_lines in zip(xs, lines, strict=True):
            placed += [(x, y - pitch * k, line) for k, line in enumerate(cell_lines)]
        y -= pitch * max(len(cell_lines) for cell_lines in lines)
    return placed


def joined(rows: list[list[Cell]]) -> list[list[str]]:
    return [[unwrap("\n".join(c)) if isinstance(c, list) else c for c in row] for row in rows]


# ---------------------------------------------------------------- ruled, a cell wrapped

USES: list[list[Cell]] = [
    ["部品", "用途", "単価"],
    ["K-0001", ["ポンプの軸封に使う"], "1200"],
    ["K-0002", ["バルブの弁座を交換するときに", "一緒に交換するパッキン"], "3400"],
    ["K-0003", ["ファンの軸受"], "560"],
]


def ruled_pdf(rows: list[list[Cell]]) -> bytes:
    """A grid whose rows are as tall as their wrapped cells, each line 12 points."""
    xs = [72.0, 160.0, 400.0, 500.0]
    placed = [(72.0, 790.0, "部品の用途")]
    rules_y = [772.0]
    y = 760.0
    for row in rows:
        height = max(len(c) if isinstance(c, list) else 1 for c in row)
        placed += set_rows([row], [x + 3 for x in xs[:-1]], y, 12.0)
        y -= 12.0 * height + 4
        rules_y.append(y + 12.0)
    placed.append((72.0, y - 20, "以上。"))
    rules = [(xs[0], ry, xs[-1], ry) for ry in rules_y]
    rules += [(x, rules_y[0], x, rules_y[-1]) for x in xs]
    return f.pdf_placed_bytes([placed], [rules])


def test_a_ruled_pdf_table_keeps_a_wrapped_japanese_cell_as_one_cell() -> None:
    text = FileParser().parse("uses.pdf", ruled_pdf(USES)).text
    assert text == "部品の用途\n\n" + markdown(joined(USES)) + "\n\n以上。"
    assert "| K-0002 | バルブの弁座を交換するときに一緒に交換するパッキン | 3400 |" in text


# ---------------------------------------------------------------- unruled, a cell wrapped

PARTS: list[list[Cell]] = [
    ["Part", "Use", "Price", "Plant"],
    ["K-0001", "shaft seal of the pump", "1200", "Tokyo"],
    ["K-0002", ["packing changed together", "with the valve seat"], "3400", "Osaka"],
    ["K-0003", "fan bearing", "560", "Nagoya"],
    ["K-0004", ["gasket of the filter", "housing, both sides"], "780", ["Fukuoka", "plant 2"]],
    ["K-0005", "drive belt", "910", "Sendai"],
]


def test_an_unruled_pdf_table_keeps_each_wrapped_cell_as_one_cell() -> None:
    page = [(72.0, 790.0, "Spare parts"), (72.0, 776.0, "The parts we keep are these.")]
    page += set_rows(PARTS, [72.0, 160.0, 330.0, 420.0], 740.0, 14.0)
    page.append((72.0, 740.0 - 14 * 9 - 20, "End of list."))
    text = FileParser().parse("parts.pdf", f.pdf_placed_bytes([page])).text
    expected = markdown(joined(PARTS))
    assert "| K-0002 | packing changed together with the valve seat | 3400 | Osaka |" in expected
    assert text == "Spare parts\nThe parts we keep are these.\n\n" + expected + "\n\nEnd of list."


def test_a_wrapped_first_cell_set_closer_than_the_rows_stays_one_cell() -> None:
    """Rows 18 points apart, a wrapped cell's lines 11: the first column's next line
    is the same cell, not a row of its own."""
    rows: list[list[Cell]] = [
        ["Plant", "Part", "Price"],
        ["Tokyo", "K-0001", "1200"],
        [["Nagoya east", "annex"], "K-0002", "3400"],
        ["Osaka", "K-0003", "560"],
        ["Sendai", "K-0004", "910"],
    ]
    page: Placed = []
    y = 740.0
    for row in rows:
        for x, cell in zip([72.0, 200.0, 330.0], row, strict=True):
            lines = cell if isinstance(cell, list) else [cell]
            page += [(x, y - 11 * k, text) for k, text in enumerate(lines)]
        y -= 18 + 11 * (max(len(c) if isinstance(c, list) else 1 for c in row) - 1)
    text = FileParser().parse("plants.pdf", f.pdf_placed_bytes([page])).text
    assert text == markdown(joined(rows))
    assert "| Nagoya east annex | K-0002 | 3400 |" in text


def test_a_heading_across_the_columns_between_two_unruled_tables_parts_them() -> None:
    """Set at the tables' own pitch, the heading is not a wrapped cell: it crosses
    from the first column into the second, so it stays text between two tables."""
    second: list[list[Cell]] = [["Part", "Use", "Price", "Plant"]]
    second += [[f"K-01{n:02d}", "spare seal", str(200 + n), "Kobe"] for n in range(3)]
    page = set_rows(PARTS[:4], [72.0, 160.0, 330.0, 420.0], 740.0, 14.0)
    page.append((72.0, 740.0 - 14 * 5, "Second floor spares, kept in the east store"))
    page += set_rows(second, [72.0, 160.0, 330.0, 420.0], 740.0 - 14 * 6, 14.0)
    text = FileParser().parse("parts.pdf", f.pdf_placed_bytes([page])).text
    assert text == (
        markdown(joined(PARTS[:4]))
        + "\n\nSecond floor spares, kept in the east store\n\n"
        + markdown(joined(second))
    )


def test_a_note_set_right_under_an_unruled_table_stays_text() -> None:
    page = set_rows(PARTS[:4], [72.0, 160.0, 330.0, 420.0], 740.0, 14.0)
    page.append((72.0, 740.0 - 14 * 5, "Prices exclude tax."))  # the next line, column 1
    text = FileParser().parse("parts.pdf", f.pdf_placed_bytes([page])).text
    assert text == markdown(joined(PARTS[:4])) + "\n\nPrices exclude tax."


# ---------------------------------------------------------------- two columns, unruled

SETTINGS: list[list[Cell]] = [
    ["項目", "設定値"],
    ["ホスト名", "kura-prod-01"],
    ["ポート", "8443"],
    ["保存期間", ["監査ログは7年、チャットは", "1年で削除する"]],
    ["管理者", "情報システム部"],
]


def test_an_unruled_two_column_table_becomes_a_markdown_table() -> None:
    page = [(72.0, 790.0, "サーバー設定"), (72.0, 776.0, "本番環境の設定値は次のとおりです。")]
    page += set_rows(SETTINGS, [72.0, 200.0], 740.0, 14.0)
    page.append((72.0, 740.0 - 14 * 6 - 20, "以上。"))
    text = FileParser().parse("settings.pdf", f.pdf_placed_bytes([page])).text
    table = markdown(joined(SETTINGS))
    assert "| 保存期間 | 監査ログは7年、チャットは1年で削除する |" in table
    assert text == "サーバー設定\n本番環境の設定値は次のとおりです。\n\n" + table + "\n\n以上。"


def test_an_english_two_column_table_with_a_wrapped_value_is_found() -> None:
    rows: list[list[Cell]] = [
        ["Setting", "Value"],
        ["Host", "kura-prod-01"],
        ["Port", "8443"],
        ["Retention", ["audit log seven years, chats", "one year"]],
        ["Owner", "IT department"],
    ]
    page = set_rows(rows, [72.0, 200.0], 740.0, 14.0)
    text = FileParser().parse("settings.pdf", f.pdf_placed_bytes([page])).text
    assert text == markdown(joined(rows))
    assert "| Retention | audit log seven years, chats one year |" in text


def test_a_two_column_table_whose_values_are_sentences_is_found() -> None:
    rows: list[list[Cell]] = [["Setting", "Meaning"]]
    for n in range(1, 9):
        value: Cell = f"how long item {n} is kept"
        if n % 3 == 0:
            value = [f"how long item {n} is kept before", "the nightly purge removes it"]
        rows.append([f"keep_{n}", value])
    page = set_rows(rows, [72.0, 200.0], 740.0, 14.0)
    text = FileParser().parse("settings.pdf", f.pdf_placed_bytes([page])).text
    assert text == markdown(joined(rows))
    assert "| keep_6 | how long item 6 is kept before the nightly purge removes it |" in text


def test_headings_in_the_margin_beside_justified_paragraphs_are_not_a_table() -> None:
    line = "本文は行の幅いっぱいに組まれて続きます"  # every line as wide: justified
    page: Placed = []
    for n in range(16):
        if n % 4 == 0:
            page.append((72.0, 740.0 - 14 * n, f"第{n // 4 + 1}節"))
        page.append((160.0, 740.0 - 14 * n, line))
    data = f.pdf_placed_bytes([page])
    text = FileParser().parse("margin.pdf", data).text
    assert "|" not in text
    assert text == pypdf_text(data)


def test_a_numbered_list_with_hanging_indents_is_not_a_two_column_table() -> None:
    items = ["Keep the key", "Sign the log", "Export the bundle", "Verify it offline"]
    page = [
        (x, 740.0 - 14 * n, value)
        for n, item in enumerate(items)
        for x, value in ((72.0, f"{n + 1}."), (100.0, item))
    ]
    data = f.pdf_placed_bytes([page])
    text = FileParser().parse("steps.pdf", data).text
    assert "|" not in text
    assert text == pypdf_text(data)


def pypdf_text(data: bytes) -> str:
    import pypdf

    return "\n\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


# ---------------------------------------------------------------- questions on a row


def warehouses() -> list[list[Cell]]:
    rows: list[list[Cell]] = [["倉庫", "保管規則"]]
    for n in range(1, 41):
        rule: Cell = f"書類は{n}年保管する"
        if n % 5 == 0:
            rule = [f"書類は{n}年保管し、期限後は", "シュレッダーで廃棄する"]
        rows.append([f"第{n}倉庫", rule])
    return rows


@pytest.mark.parametrize("mode", [RetrievalMode.FULLTEXT, RetrievalMode.HYBRID])
def test_a_question_on_a_wrapped_row_of_a_two_column_table_finds_header_and_row(
    ws: app.Workspace, people: dict[str, Actor], mode: RetrievalMode
) -> None:
    rows = warehouses()
    page = [(72.0, 800.0, "倉庫ごとの保管規則"), *set_rows(rows, [72.0, 200.0], 780.0, 14.0)]
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "rules", visibility=KbVisibility.ALL)
    source = MemorySource("rules.pdf", f.pdf_placed_bytes([page]))
    assert not ws.knowledge.ingest(ada, kb.id, [source]).failed
    assert ws.knowledge.documents(ada, kb.id)[0].chunks > 1  # split by rows
    hits = ws.knowledge.search(people["mo"], kb.id, "第35倉庫の書類は何年保管しますか？", mode=mode)
    row = "| 第35倉庫 | 書類は35年保管し、期限後はシュレッダーで廃棄する |"
    holding = [h.chunk.text for h in hits[:3] if row in h.chunk.text]
    assert holding and "| 倉庫 | 保管規則 |" in holding[0], [h.chunk.text for h in hits]


def test_a_question_on_a_wrapped_row_of_an_unruled_table_finds_header_and_row(
    ws: app.Workspace, people: dict[str, Actor]
) -> None:
    rows: list[list[Cell]] = [["Part", "Use", "Price", "Plant"]]
    for n in range(1, 36):
        use: Cell = f"spare for line {n}"
        if n % 4 == 0:
            use = [f"packing for line {n}, changed", "with the valve seat"]
        rows.append([f"K-{n:04d}", use, str(1000 + n * 13), f"Plant {n % 5}"])
    page = set_rows(rows, [72.0, 160.0, 330.0, 420.0], 800.0, 14.0)
    ada = people["ada"]
    kb = ws.knowledge.create(ada, "parts", visibility=KbVisibility.ALL)
    assert not ws.knowledge.ingest(
        ada, kb.id, [MemorySource("p.pdf", f.pdf_placed_bytes([page]))]
    ).failed
    assert ws.knowledge.documents(ada, kb.id)[0].chunks > 1
    top = ws.knowledge.search(ada, kb.id, "K-0028 price?", mode=RetrievalMode.FULLTEXT)[0]
    assert "| Part | Use | Price | Plant |" in top.chunk.text
    row = "| K-0028 | packing for line 28, changed with the valve seat | 1364 | Plant 3 |"
    assert row in top.chunk.text, top.chunk.text
