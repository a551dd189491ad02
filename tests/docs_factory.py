"""Generators for document fixtures: every format and encoding Kura ingests, plus the
files it must refuse. Everything is built in memory from code; nothing is checked in.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

JA_PARAGRAPHS = (
    "Difyのワークスペースでは、メンバーの権限ロールを四段階で管理します。",
    "操作ログは無償プランで三十日間保存されます。監査の際に役立ちます！",
    "通信はTLS1.2以降で暗号化されていますか？はい、強制されています。",
)
JA_TEXT = "\n".join(JA_PARAGRAPHS) + "\n"
# Characters only CP932 has (NEC and IBM extensions), absent from plain Shift_JIS.
CP932_TEXT = "①から⑩までの手順を確認してください。㈱と№も使います。\n"
EN_TEXT = "Kura keeps knowledge bases private.\nEvery passage is cited with its version.\n"


# ---------------------------------------------------------------- plain text


def text_bytes(text: str, encoding: str, *, bom: bool = False) -> bytes:
    """``text`` encoded; ``bom`` prefixes the byte-order mark (UTF-8/16/32 only)."""
    marks = {
        "utf-8": b"\xef\xbb\xbf",
        "utf-16-le": b"\xff\xfe",
        "utf-16-be": b"\xfe\xff",
        "utf-32-le": b"\xff\xfe\x00\x00",
        "utf-32-be": b"\x00\x00\xfe\xff",
    }
    return (marks[encoding] if bom else b"") + text.encode(encoding)


def markdown_bytes() -> bytes:
    return (
        "Preamble line before any heading.\n\n"
        "# 概要\n\nKuraは社内文書を暗号化して保存します。検索も速いです。\n\n"
        "## 導入\n\nインストールは簡単です。\n\n"
        "```\n# not a heading inside a fence\n```\n\n"
        "Setext Title\n============\n\nUnder the setext heading.\n"
    ).encode()


def html_bytes(*, charset: str = "utf-8", declare: bool = True) -> bytes:
    head = f'<meta charset="{charset}">' if declare else ""
    page = (
        f"<!DOCTYPE html><html><head>{head}<title>Kura ガイド</title>"
        "<style>body { color: red; }</style><script>var secret = 1;</script></head><body>"
        '<nav><a href="/">ホーム</a> | <a href="/x">次へ</a></nav>'
        "<h1>セキュリティ &amp; 運用</h1><p>データは暗号化されます。<br>鍵は OS の"
        "キーリングに&nbsp;あります。</p>"
        "<h2>表</h2><table><tr><th>項目</th><th>値</th></tr>"
        "<tr><td>保持</td><td>30&#26085;</td></tr></table>"
        "<pre>line one\n  indented line</pre>"
        '<div class="navfooter">Prev | Next</div>'
        "</body></html>"
    )
    return page.encode(charset)


def csv_bytes(delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(
        [["名前", "役割", "メモ"], ["佐藤", "管理者", "鍵, 監査"], ["Smith", "Editor", "ok"]]
    )
    return out.getvalue().encode("utf-8")


def json_bytes() -> bytes:
    data: dict[str, Any] = {
        "product": "Kura",
        "settings": {"retention_days": 30, "tls": "1.2以上", "flags": [True, None]},
        "roles": [{"name": "Owner"}, {"name": "Editor"}],
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------- office formats


def docx_bytes() -> bytes:
    """A .docx with a title heading, two levels of headings, paragraphs and a table."""
    import docx

    document = docx.Document()
    document.add_heading("Kura 手引き", level=0)  # the Title style
    document.add_heading("ナレッジベース", level=1)
    document.add_paragraph("文書は暗号化されたデータベースに保存されます。")
    document.add_heading("制限", level=2)
    document.add_paragraph("ファイルサイズには上限があります。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "形式"
    table.cell(0, 1).text = "上限"
    table.cell(1, 0).text = "PDF"
    table.cell(1, 1).text = "2000ページ"
    document.add_paragraph("After the table.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """Two sheets; the first has a number, a float, an empty cell and a formula."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "料金"
    sheet.append(["プラン", "月額", "備考"])
    sheet.append(["無償", 0, None])
    sheet.append(["Pro", 59.0, "年払いあり"])
    other = workbook.create_sheet("Notes")
    other.append(["free text"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb_docx(uncompressed_bytes: int = 300 * 1024 * 1024) -> bytes:
    """A real .docx plus one member of zeros with a compression ratio near 1000:1."""
    base = docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        bomb = zipfile.ZipInfo("word/media/bomb.bin")
        bomb.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(bomb, "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(uncompressed_bytes // len(block)):
                member.write(block)
    return out.getvalue()


def lying_zip_docx(real_bytes: int = 5 * 1024 * 1024, claimed_bytes: int = 1000) -> bytes:
    """A .docx whose headers claim a member inflates to ``claimed_bytes`` while it
    really inflates to ``real_bytes``: only reading it reveals the truth."""
    base = docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        dst.writestr("word/media/big.bin", bytes(real_bytes), compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(out.getvalue())
    name = b"word/media/big.bin"
    claimed = claimed_bytes.to_bytes(4, "little")
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + size_offset : start + size_offset + 4] = claimed
            start = data.find(signature, start + 4)
    return bytes(data)


# ---------------------------------------------------------------- PDF


def pdf_bytes(pages: Sequence[str]) -> bytes:
    """A minimal valid PDF, one text line per entry of ``pages`` (lines split on \\n).

    ASCII text uses the standard Helvetica font. Other text uses a Type0 font with
    Identity-H encoding whose CIDs are the Unicode code points, plus a ToUnicode CMap,
    which is how real PDFs carry Japanese text for extraction.
    """
    return _pdf_from_contents([_content(text) for text in pages], "".join(pages))


def pdf_table_bytes(
    before: Sequence[str], table: Sequence[Sequence[str]], after: Sequence[str]
) -> bytes:
    """A one-page PDF: the lines of ``before``, then ``table`` (first row the header)
    drawn as a ruled grid with each cell's text inside it, then the lines of ``after``,
    the way a word processor prints a table (fonts as in :func:`pdf_bytes`)."""
    ops: list[bytes] = []
    y = 800.0

    def text_at(x: float, y: float, value: str) -> None:
        ops.append(b"BT " + f"{x:.1f} {y:.1f} Td ".encode() + _show(value) + b" ET")

    for line in before:
        text_at(72, y, line)
        y -= 16
    columns = max(len(row) for row in table)
    width, height, left = 450 / columns, 16.0, 72.0
    top = y - 4
    bottom = top - height * len(table)
    ops.append(b"0.5 w")
    for r in range(len(table) + 1):
        ops.append(
            f"{left} {top - r * height:.1f} m {left + 450} {top - r * height:.1f} l S".encode()
        )
    for c in range(columns + 1):
        ops.append(
            f"{left + c * width:.1f} {top} m {left + c * width:.1f} {bottom:.1f} l S".encode()
        )
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            text_at(left + c * width + 3, top - (r + 1) * height + 4, value)
    y = bottom - 20
    for line in after:
        text_at(72, y, line)
        y -= 16
    everything = "".join([*before, *after, *(cell for row in table for cell in row)])
    return _pdf_from_contents([b"\n".join(ops)], everything)


def pdf_placed_bytes(
    pages: Sequence[Sequence[tuple[float, float, str]]],
    rules: Sequence[Sequence[tuple[float, float, float, float]]] = (),
) -> bytes:
    """A PDF whose pages show each ``(x, y, text)`` where it says (points from the
    bottom left of an A4 page): how reports set tables without ruling lines, by columns
    of text that line up (fonts as in :func:`pdf_bytes`). ``rules``, per page, draws
    lines ``(x0, y0, x1, y1)`` too (a grid whose rows are as tall as their text)."""
    contents = []
    for n, page in enumerate(pages):
        drawn = [
            f"{x0:.1f} {y0:.1f} m {x1:.1f} {y1:.1f} l S".encode()
            for x0, y0, x1, y1 in (rules[n] if n < len(rules) else ())
        ]
        shown = [b"BT " + f"{x:.1f} {y:.1f} Td ".encode() + _show(t) + b" ET" for x, y, t in page]
        contents.append(b"\n".join(([b"0.5 w", *drawn] if drawn else []) + shown))
    return _pdf_from_contents(contents, "".join(text for page in pages for _, _, text in page))


def _pdf_from_contents(contents: Sequence[bytes], text: str) -> bytes:
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree (filled in below)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")  # 3
    # every character, ASCII included: a non-ASCII line shows its digits in the CID font
    cmap = _to_unicode_cmap(sorted({ord(c) for c in text if ord(c) >= 32}))
    objects.append(_stream(cmap))  # 4: ToUnicode
    objects.append(  # 5: descendant CID font
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /KuraTestCID "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 1000 >>"
    )
    objects.append(
        b"<< /Type /FontDescriptor /FontName /KuraTestCID /Flags 4 "
        b"/FontBBox [0 0 1000 1000] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 700 /StemV 80 >>"
    )
    objects.append(  # 7: Type0 font
        b"<< /Type /Font /Subtype /Type0 /BaseFont /KuraTestCID /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 4 0 R >>"
    )
    kids = []
    for content in contents:
        content_id = len(objects) + 1
        objects.append(_stream(content))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R /F2 7 0 R >> >> "
            + f"/Contents {content_id} 0 R >>".encode()
        )
        kids.append(f"{content_id + 1} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    return _assemble(objects)


def _show(line: str, size: int = 10) -> bytes:
    """The operators that show one line: Helvetica for ASCII, the CID font otherwise."""
    if line.isascii():
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"/F1 %d Tf (" % size + escaped.encode("latin-1") + b") Tj"
    hexed = "".join(f"{ord(c):04X}" for c in line)
    return b"/F2 %d Tf <" % size + hexed.encode() + b"> Tj"


def _content(text: str) -> bytes:
    ops = [b"BT", b"14 TL", b"72 770 Td"]
    for line in text.split("\n"):
        if line.isascii():
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(b"/F1 12 Tf (" + escaped.encode("latin-1") + b") Tj T*")
        else:
            hexed = "".join(f"{ord(c):04X}" for c in line)
            ops.append(b"/F2 12 Tf <" + hexed.encode() + b"> Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def _to_unicode_cmap(codes: list[int]) -> bytes:
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Kura-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
    ]
    for i in range(0, len(codes), 100):
        block = codes[i : i + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{c:04X}> <{c:04X}>" for c in block)
        lines.append("endbfchar")
    lines += ["endcmap CMapName currentdict /CMap defineresource pop end end"]
    return "\n".join(lines).encode()


def _stream(payload: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def encrypted_pdf_bytes(user_password: str = "secret") -> bytes:
    """A PDF that needs ``user_password`` to open (pypdf's writer, AES-128)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_bytes(["Secret"]))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def corrupt_pdf_bytes() -> bytes:
    """A PDF header followed by garbage: no objects, no xref, no trailer."""
    return b"%PDF-1.7\n" + bytes(range(1, 256)) * 8 + b"\n%%EOF\n"


# ---------------------------------------------------------------- refusals


def binary_bytes() -> bytes:
    """What a PNG renamed to .txt looks like: a header and plenty of NUL bytes."""
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16
