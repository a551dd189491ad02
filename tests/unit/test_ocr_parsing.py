"""Scanned PDF pages and images go to the OCR port; without OCR, one line with the remedy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop.core.errors import IngestionFailed, InputError
from desktop.core.messages import Language
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.ocr import tidy
from desktop.retrieval.parsers import FileParser
from tests import docs_factory as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32  # only the magic matters to the fake


class FakeOcr:
    """Records what it was asked to read; answers with fixed text."""

    def __init__(self, text: str = "スキャンした本文 CANARY-ocr", missing: str = "") -> None:
        self.text, self.missing = text, missing
        self.pdf_calls: list[list[int]] = []
        self.image_calls = 0

    def _check(self) -> None:
        if self.missing:
            raise InputError("knowledge.ocr_missing", missing=self.missing)

    def image_pages(self, data: bytes, cancel: CancelToken) -> list[str]:
        self._check()
        self.image_calls += 1
        return [self.text]

    def pdf_pages(self, data: bytes, pages: Sequence[int], cancel: CancelToken) -> list[str]:
        self._check()
        self.pdf_calls.append(list(pages))
        return [f"{self.text} {n}" if self.text else "" for n in pages]


def test_a_pdf_page_without_a_text_layer_is_read_by_ocr() -> None:
    ocr = FakeOcr()
    doc = FileParser(ocr=ocr).parse("mixed.pdf", f.pdf_bytes(["Typed page.", "", "Last page."]))
    assert ocr.pdf_calls == [[1]]
    assert "Typed page." in doc.text and "CANARY-ocr 1" in doc.text
    assert doc.meta["ocr_pages"] == [1]
    assert doc.text.index("スキャンした本文") == doc.meta["page_starts"][1]


def test_a_pdf_with_a_text_layer_on_every_page_never_calls_ocr() -> None:
    ocr = FakeOcr()
    FileParser(ocr=ocr).parse("typed.pdf", f.pdf_bytes(["One.", "Two."]))
    assert ocr.pdf_calls == []


@pytest.mark.parametrize("name", ["scan.png", "photo.JPG", "fax.tif", "fax.tiff", "a.jpeg"])
def test_images_are_ingested_by_ocr(name: str) -> None:
    ocr = FakeOcr()
    data = {"png": PNG, "jpg": b"\xff\xd8\xff\xe0", "jpeg": b"\xff\xd8\xff\xe0"}.get(
        name.rsplit(".", 1)[1].lower(), b"II*\x00" + b"\x00" * 8
    )
    doc = FileParser(ocr=ocr).parse(name, data)
    assert ocr.image_calls == 1
    assert doc.kind == "image" and "CANARY-ocr" in doc.text


def test_an_image_without_an_ocr_engine_is_refused_in_one_line_with_the_remedy() -> None:
    with pytest.raises(IngestionFailed) as caught:
        FileParser().parse("scan.png", PNG)
    error = caught.value
    assert error.code == "knowledge.ocr_unavailable" and error.stage == "parse"
    assert "\n" not in error.message and "tesseract-ocr-jpn" in error.message
    japanese = error.render(Language.JA)
    assert "インストール" in japanese and "scan.png" in japanese


def test_tesseract_missing_in_the_host_names_the_file_and_the_packages() -> None:
    with pytest.raises(IngestionFailed) as caught:
        FileParser(ocr=FakeOcr(missing="jpn+jpn_vert+eng")).parse("scan.pdf", f.pdf_bytes([""]))
    assert caught.value.code == "knowledge.ocr_unavailable"
    assert "scan.pdf" in caught.value.message and "jpn+jpn_vert+eng" in caught.value.message


def test_without_tesseract_a_pdf_keeps_the_text_of_its_typed_pages() -> None:
    doc = FileParser(ocr=FakeOcr(missing="tesserocr")).parse(
        "mixed.pdf", f.pdf_bytes(["Typed page.", ""])
    )
    assert "Typed page." in doc.text


def test_a_scan_where_ocr_finds_nothing_says_so() -> None:
    with pytest.raises(IngestionFailed) as caught:
        FileParser(ocr=FakeOcr(text="")).parse("blank.pdf", f.pdf_bytes([""]))
    assert caught.value.code == "knowledge.scan_no_text"


def test_a_file_named_png_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(IngestionFailed) as caught:
        FileParser(ocr=FakeOcr()).parse("notes.png", b"just text")
    assert caught.value.code == "knowledge.image_unreadable"


def test_tidy_joins_japanese_characters_tesseract_spaced_out() -> None:
    assert tidy("縦 書 き の 文 章 を 読み ます\n\n\n\nKura OCR 2 件") == (
        "縦書きの文章を読みます\n\nKura OCR 2 件"
    )


def test_the_engine_without_japanese_data_raises_ocr_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from desktop.retrieval.formats import ocr

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    monkeypatch.setattr(ocr, "_TESSDATA_GLOBS", ())
    assert ocr.tessdata_dir() is None
    with pytest.raises(InputError) as caught:
        ocr.TesseractOcr().image_pages(PNG, CancelToken())
    assert caught.value.code == "knowledge.ocr_missing"
    assert "jpn" in caught.value.message and "tesseract-ocr-jpn" in caught.value.message
