"""FileParser and decode_text: every format and encoding, and every refusal."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument
from desktop.retrieval.encodings import decode_text
from desktop.retrieval.formats.base import clean_text
from desktop.retrieval.parsers import SUPPORTED_EXTENSIONS, FileParser, ParseLimits
from tests import docs_factory as f

PARSER = FileParser()

# Real Japanese sentences of roughly 50-200 bytes in Shift_JIS / EUC-JP.
JA_SENTENCES = (
    "今日は良い天気ですね。散歩に行きましょう。",
    "東京都千代田区の会議室で打ち合わせを行いました。",
    "この記事では、セキュリティ対策を分かりやすく解説します。",
    "仮想端末は六つまで切り替えて使えます。",
    "ワークスペースのメンバーには四段階の権限ロールがあります。",
    "日本語",
    "ログは30日間保存されます",
    "通信はTLS1.2以降で暗号化され、保存データもAES-256で保護されています。",
    "カタカナだけのテキスト",
    "ｶﾀｶﾅ半角テキストも時々あります。",
    "申し訳ございませんが、本日の営業は終了いたしました。またのご来店をお待ちしております。",
)


def section_texts(doc: ParsedDocument) -> list[tuple[str, str]]:
    return [(s.heading, doc.text[s.start : s.end]) for s in doc.sections]


def refusal(name: str, data: bytes, parser: FileParser = PARSER) -> IngestionFailed:
    with pytest.raises(IngestionFailed) as caught:
        parser.parse(name, data)
    error = caught.value
    assert "\n" not in error.message, "messages are one line"
    assert name in error.message, "messages name the file"
    return error


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8-sig"),
        ("utf-16-le", True, "utf-16-le"),
        ("utf-16-be", True, "utf-16-be"),
        ("utf-32-le", True, "utf-32-le"),
        ("shift_jis", False, "cp932"),
        ("euc_jp", False, "euc_jp"),
        ("iso2022_jp", False, "iso2022_jp"),
    ],
)
def test_text_file_in_every_encoding(encoding: str, bom: bool, expected: str) -> None:
    doc = PARSER.parse("notes.txt", f.text_bytes(f.JA_TEXT, encoding, bom=bom))
    assert doc.text == f.JA_TEXT
    assert doc.kind == "txt"
    assert doc.meta["encoding"] == expected


def test_cp932_only_characters() -> None:
    doc = PARSER.parse("maru.txt", f.CP932_TEXT.encode("cp932"))
    assert doc.text == f.CP932_TEXT
    assert doc.meta["encoding"] == "cp932"


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp"])
@pytest.mark.parametrize("sentence", JA_SENTENCES)
def test_short_japanese_is_detected(sentence: str, encoding: str) -> None:
    text, used = decode_text(sentence.encode(encoding))
    assert text == sentence
    assert used == encoding


def test_utf16_without_bom_is_read() -> None:
    text, used = decode_text(f.EN_TEXT.encode("utf-16-le"))
    assert (text, used) == (f.EN_TEXT, "utf-16-le")


def test_crlf_and_nul_are_normalised() -> None:
    assert clean_text("a\r\nb\rc\x00d\x0ce") == "a\nb\ncd\ne"
    assert clean_text("か\u3099") == "が"  # NFC
    doc = PARSER.parse("crlf.txt", "一行目。\r\n二行目。\r\n".encode())
    assert doc.text == "一行目。\n二行目。\n"


# ---------------------------------------------------------------- formats


def test_markdown_headings_become_sections() -> None:
    doc = PARSER.parse("guide.md", f.markdown_bytes())
    assert doc.kind == "md"
    assert doc.text.startswith("Preamble line")
    sections = section_texts(doc)
    assert [h for h, _ in sections] == ["概要", "概要 > 導入", "Setext Title"]
    assert sections[0][1].startswith("# 概要\n\nKuraは社内文書")
    assert "# not a heading inside a fence" in sections[1][1]
    assert sections[2][1].rstrip().endswith("Under the setext heading.")


@pytest.mark.parametrize("charset", ["utf-8", "shift_jis", "euc-jp"])
def test_html_text_sections_and_noise(charset: str) -> None:
    doc = PARSER.parse("page.html", f.html_bytes(charset=charset))
    assert doc.kind == "html"
    assert doc.meta["title"] == "Kura ガイド"
    for noise in ("secret", "color", "ホーム", "Prev"):
        assert noise not in doc.text
    assert "セキュリティ & 運用" in doc.text  # entities decoded
    assert "データは暗号化されます。\n鍵は OS の" in doc.text  # <br> is a line break
    assert "| 項目 | 値 |\n| --- | --- |\n| 保持 | 30日 |" in doc.text  # &#26085; decoded
    assert "line one\n  indented line" in doc.text  # <pre> keeps its whitespace
    headings = [h for h, _ in section_texts(doc)]
    assert headings == ["セキュリティ & 運用", "セキュリティ & 運用 > 表"]


def test_html_without_declared_charset_is_detected() -> None:
    doc = PARSER.parse("old.htm", f.html_bytes(charset="shift_jis", declare=False))
    assert "データは暗号化されます。" in doc.text
    assert doc.meta["encoding"] == "cp932"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_rows_with_sniffed_delimiter(delimiter: str) -> None:
    doc = PARSER.parse("roles.csv", f.csv_bytes(delimiter))
    assert doc.text == "名前\t役割\tメモ\n佐藤\t管理者\t鍵, 監査\nSmith\tEditor\tok"
    assert doc.meta["rows"] == 3


def test_json_is_flattened_to_key_paths() -> None:
    doc = PARSER.parse("conf.json", f.json_bytes())
    assert doc.text.splitlines() == [
        "product: Kura",
        "settings.retention_days: 30",
        "settings.tls: 1.2以上",
        "settings.flags[0]: true",
        "settings.flags[1]: null",
        "roles[0].name: Owner",
        "roles[1].name: Editor",
    ]


def test_invalid_json_names_the_position() -> None:
    error = refusal("bad.json", b'{"a": 1,\n "b": }')
    assert error.stage == "parse"
    assert "line 2" in error.message


def test_pdf_pages_in_ascii_and_japanese() -> None:
    data = f.pdf_bytes(["Hello PDF world.\nSecond line.", "日本語のページです。\n二行目。"])
    doc = PARSER.parse("report.pdf", data)
    assert doc.kind == "pdf"
    assert doc.meta["pages"] == 2
    assert "Hello PDF world." in doc.text
    assert "日本語のページです。" in doc.text
    second = doc.meta["page_starts"][1]
    assert doc.text[second:].startswith("日本語のページです。")


def test_pdf_with_only_an_owner_password_opens() -> None:
    doc = PARSER.parse("restricted.pdf", f.encrypted_pdf_bytes(user_password=""))
    assert "Secret" in doc.text


def test_docx_headings_paragraphs_and_tables() -> None:
    doc = PARSER.parse("kb.docx", f.docx_bytes())
    assert doc.kind == "docx"
    sections = section_texts(doc)
    assert [h for h, _ in sections] == [
        "Kura 手引き",
        "Kura 手引き > ナレッジベース",
        "Kura 手引き > ナレッジベース > 制限",
    ]
    assert sections[1][1].startswith("ナレッジベース\n文書は暗号化")
    assert (
        "| 形式 | 上限 |\n| --- | --- |\n| PDF | 2000ページ |\nAfter the table." in sections[2][1]
    )
    assert doc.meta == {"paragraphs": 6, "tables": 1}


def test_xlsx_sheets_become_sections() -> None:
    doc = PARSER.parse("prices.xlsx", f.xlsx_bytes())
    assert doc.kind == "xlsx"
    assert doc.meta["sheets"] == ["料金", "Notes"]
    sections = section_texts(doc)
    assert [h for h, _ in sections] == ["料金", "Notes"]
    assert sections[0][1].startswith(
        "## 料金\n| プラン | 月額 | 備考 |\n| --- | --- | --- |\n"
        "| 無償 | 0 |  |\n| Pro | 59 | 年払いあり |"
    )
    assert sections[1][1] == "## Notes\n| free text |\n| --- |"


def test_every_supported_extension_has_a_fixture() -> None:
    assert set(SUPPORTED_EXTENSIONS) == {
        ".csv", ".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".txt", ".xlsx",
        ".jpeg", ".jpg", ".png", ".tif", ".tiff",
    }  # fmt: skip
    assert FileParser.supports("A.PDF")
    assert not FileParser.supports("a.exe")


# ---------------------------------------------------------------- refusals


def test_empty_file() -> None:
    error = refusal("empty.txt", b"")
    assert error.stage == "parse"
    assert "is empty" in error.message


def test_whitespace_only_file() -> None:
    assert "contains no text" in refusal("blank.md", b" \n\t\n").message


@pytest.mark.parametrize("name", ["photo.txt", "photo.md", "photo.csv", "photo.html"])
def test_binary_renamed_to_text(name: str) -> None:
    error = refusal(name, f.binary_bytes())
    assert error.stage == "parse"
    assert "looks like a binary file" in error.message


def test_random_bytes_without_nul_are_binary() -> None:
    noise = bytes(b for b in random.Random(7).randbytes(4000) if b)
    assert "binary" in refusal("noise.txt", noise).message


def test_corrupt_pdf() -> None:
    error = refusal("broken.pdf", f.corrupt_pdf_bytes())
    assert error.stage == "parse"
    assert "not a readable PDF" in error.message
    assert error.details  # the library's reason, for the log


def test_not_a_pdf_at_all() -> None:
    assert "not a readable PDF" in refusal("fake.pdf", b"hello world").message


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_pdf_parses_or_fails_cleanly(cut: float) -> None:
    data = f.pdf_bytes(["First page text.", "Second page text."])
    try:
        PARSER.parse("cut.pdf", data[: int(len(data) * cut)])
    except IngestionFailed as error:
        assert error.stage == "parse"


def test_encrypted_pdf() -> None:
    error = refusal("locked.pdf", f.encrypted_pdf_bytes())
    assert error.stage == "parse"
    assert error.message == "locked.pdf is encrypted: remove the password and add it again"


def test_pdf_without_text() -> None:
    assert "no extractable text" in refusal("scan.pdf", f.pdf_bytes([""])).message


def test_pdf_over_the_page_limit() -> None:
    parser = FileParser(ParseLimits(max_pdf_pages=1))
    error = refusal("long.pdf", f.pdf_bytes(["one", "two"]), parser)
    assert error.stage == "limits"
    assert "2 pages" in error.message


def test_zip_bomb_docx_by_total_size() -> None:
    error = refusal("bomb.docx", f.zip_bomb_docx())
    assert error.stage == "limits"
    assert "zip bomb" in error.message


def test_zip_bomb_docx_by_ratio() -> None:
    error = refusal("dense.docx", f.zip_bomb_docx(20 * 1024 * 1024))
    assert error.stage == "limits"
    assert "times its compressed size" in error.message


def test_zip_lying_about_its_size_is_caught_while_reading() -> None:
    error = refusal("liar.docx", f.lying_zip_docx())
    assert error.stage in {"parse", "limits"}


def test_xlsx_over_the_cell_limit() -> None:
    parser = FileParser(ParseLimits(max_cells=5))
    assert "cells" in refusal("wide.xlsx", f.xlsx_bytes(), parser).message


def test_unzipped_limit_applies_to_xlsx() -> None:
    parser = FileParser(ParseLimits(max_unzipped_bytes=1000))
    assert refusal("big.xlsx", f.xlsx_bytes(), parser).stage == "limits"


@pytest.mark.parametrize("name", ["broken.docx", "broken.xlsx"])
def test_corrupt_office_files(name: str) -> None:
    assert refusal(name, b"PK\x03\x04 definitely not a zip").stage == "parse"
    assert refusal(name, f.csv_bytes()).stage == "parse"


def test_docx_that_is_a_zip_but_not_a_document() -> None:
    xlsx_named_docx = f.xlsx_bytes()
    assert refusal("wrong.docx", xlsx_named_docx).stage == "parse"


def test_file_over_the_size_limit() -> None:
    parser = FileParser(ParseLimits(max_file_bytes=100))
    error = refusal("big.txt", b"a" * 101, parser)
    assert error.stage == "limits"
    assert "file size limit" in error.message


@pytest.mark.parametrize(
    ("name", "data"),
    [("long.txt", "あ" * 60), ("long.docx", None), ("long.json", '{"k": "' + "x" * 60 + '"}')],
)
def test_extracted_text_over_the_character_limit(name: str, data: str | None) -> None:
    parser = FileParser(ParseLimits(max_chars=50))
    raw = f.docx_bytes() if data is None else data.encode()
    assert refusal(name, raw, parser).stage == "limits"


def test_unknown_extension_lists_the_supported_ones() -> None:
    error = refusal("setup.exe", b"MZ")
    assert error.stage == "parse"
    assert "'.exe' files are not supported" in error.message
    assert ".docx" in error.message and ".txt" in error.message
    assert "without an extension" in refusal("README", b"text").message


def test_names_with_control_characters_stay_on_one_line() -> None:
    with pytest.raises(IngestionFailed) as caught:
        PARSER.parse("bad\nname.txt", b"")
    assert "\n" not in caught.value.message


def test_heavy_libraries_load_lazily() -> None:
    code = (
        "import sys, desktop.retrieval.parsers, desktop.retrieval.chunking, "
        "desktop.retrieval.query; "
        "print(sorted(m for m in ('pypdf', 'docx', 'openpyxl', 'charset_normalizer') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
