"""OCR for real: Tesseract in the model host reads a scanned Japanese PDF (made here from
rendered text, no text layer) and a vertical image; the canary on the scan is searchable
and never reaches disk outside the test's own input file."""

from __future__ import annotations

import io
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest

from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.ocr import tessdata_dir
from tests.integration.cli_support import workspace_with_owner

pytestmark = [pytest.mark.slow]

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CANARY = "KAMOME42"
SENTENCE = f"倉庫の鍵は総務部の金庫に保管します。合言葉は{CANARY}です。"
PW = "correct horse battery staple"


def _require_ocr() -> None:
    """Skip without Tesseract (found, not imported: Kura's process must never import it)."""
    if find_spec("tesserocr") is None or find_spec("PIL") is None:
        pytest.skip("tesserocr and Pillow are not installed")
    if tessdata_dir() is None or not FONT.is_file():
        pytest.skip("needs tesseract-ocr-jpn, -jpn-vert, -eng and fonts-noto-cjk (.ci/run)")


def _page(lines: list[str], *, vertical: bool = False) -> Any:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 48)
    if vertical:  # one column, top to bottom, as a vertical Japanese page sets it
        image = Image.new("L", (400, 1400), 255)
        draw = ImageDraw.Draw(image)
        for row, char in enumerate(lines[0]):
            draw.text((170, 80 + row * 60), char, font=font, fill=0)
        return image
    image = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((200, 300 + row * 90), line, font=font, fill=0)
    return image


def scanned_pdf(lines: list[str]) -> bytes:
    """An image-only PDF (no text layer), made in memory."""
    out = io.BytesIO()
    _page(lines).save(out, "PDF", resolution=300)
    return out.getvalue()


@pytest.fixture
def ocr_host() -> Any:
    _require_ocr()
    from desktop.modelhost.adapters import HostedOcr
    from desktop.modelhost.client import OCR_REMEDY, HostProcess

    host = HostProcess("ocr-test", OCR_REMEDY)
    yield HostedOcr(host)
    host.close()


def test_ocr_runs_in_the_model_host_not_in_kuras_process(ocr_host: Any) -> None:
    from desktop.retrieval.parsers import FileParser

    doc = FileParser(ocr=ocr_host).parse("scan.pdf", scanned_pdf([SENTENCE]))
    assert CANARY in doc.text and "総務部の金庫" in doc.text
    assert doc.meta["ocr_pages"] == [0]
    assert "tesserocr" not in sys.modules and "pypdfium2" not in sys.modules
    assert ocr_host.host.pid is not None


def test_vertical_japanese_is_read(ocr_host: Any) -> None:
    from PIL import Image

    out = io.BytesIO()
    image: Image.Image = _page(["縦書きの文章を読みます"], vertical=True)
    image.save(out, "PNG", dpi=(300, 300))
    texts = ocr_host.image_pages(out.getvalue(), CancelToken())
    assert "縦書きの文章を読みます" in "".join(texts)


def test_a_scanned_japanese_pdf_is_searchable_and_its_canary_never_reaches_disk(
    tmp_path: Path,
) -> None:
    _require_ocr()
    home = tmp_path / "home"
    home.mkdir()
    kura = workspace_with_owner(tmp_path, "owner", PW)
    kura.env["HOME"] = str(home)
    src = tmp_path / "src"
    src.mkdir()
    (src / "scan.pdf").write_bytes(scanned_pdf(["社内規程 第三章", SENTENCE]))
    auth = ("--user", "owner", "--password-stdin")
    made = kura("kb", "create", "--name", "docs", "--visibility", "all", *auth, stdin=PW + "\n")
    assert made.code == 0, made.err
    added = kura("kb", "add", "docs", str(src), *auth, stdin=PW + "\n")
    assert added.code == 0, added.err
    found = kura("kb", "search", "docs", "総務部の金庫", "--json", *auth, stdin=PW + "\n")
    assert found.code == 0, found.err
    assert any(CANARY in hit["text"] for hit in found.json()["results"][:5]), found.out
    (src / "scan.pdf").unlink()  # the user's own input file: the only place it may be
    needles = {CANARY.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")}
    needles |= {"総務部の金庫".encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")}
    for folder in (kura.data_dir, kura.tmp_dir, home, tmp_path):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(n in data for n in needles), path
