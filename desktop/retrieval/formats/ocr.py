"""OCR with Tesseract through tesserocr, in memory: it runs in the model host process.

Tesseract's C API gets each image as bytes in memory (tesserocr hands a Pillow image to
Leptonica through a memory buffer); nothing is written anywhere, unlike the command-line
wrappers, which write the image and the text to temporary files. PDF pages are rendered
in memory with pdfium (pypdfium2). Japanese is read horizontally and vertically
(``jpn`` + ``jpn_vert``) and English (``eng``); Tesseract's page layout analysis finds
the vertical blocks.

tesserocr's wheel bundles libtesseract but not the trained data, and its built-in data
path is relative to the working directory, so :func:`tessdata_dir` finds the system's
(Debian/Ubuntu ``tesseract-ocr-jpn`` ...) and the engine always passes it explicitly.
Without tesserocr or the data, :class:`TesseractOcr` raises ``knowledge.ocr_missing``;
Kura's process turns that into the file's one-line message with the remedy.
"""

from __future__ import annotations

import glob
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop.core.errors import InputError
from desktop.core.tasks import CancelToken

LANGUAGES = ("jpn", "jpn_vert", "eng")
RENDER_DPI = 300
MAX_PAGE_PIXELS = 40_000_000  # a rendered page or an image frame; larger ones are scaled down
MAX_IMAGE_PIXELS = 200_000_000  # an image file larger than this is refused (decompression bomb)
MAX_FRAMES = 2000  # frames of a multi-page TIFF
_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
_CJK = r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


def tessdata_dir() -> Path | None:
    """The folder holding every trained data file of :data:`LANGUAGES`, or None:
    ``TESSDATA_PREFIX`` first, then the places Linux distributions and Homebrew use."""
    candidates: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        candidates += [Path(prefix), Path(prefix) / "tessdata"]
    for pattern in _TESSDATA_GLOBS:
        candidates += [Path(found) for found in sorted(glob.glob(pattern), reverse=True)]
    for folder in candidates:
        if all((folder / f"{lang}.traineddata").is_file() for lang in LANGUAGES):
            return folder
    return None


def tidy(text: str) -> str:
    """Tesseract's text with the spaces it puts between Japanese characters removed."""
    lines = (_CJK_GAP.sub("", line).rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class TesseractOcr:
    """One Tesseract engine (loaded on first use, then reused) for images and PDF pages."""

    def __init__(self) -> None:
        self._api: Any = None

    def _engine(self) -> Any:
        if self._api is None:
            folder = tessdata_dir()
            if folder is None:
                raise InputError("knowledge.ocr_missing", missing="+".join(LANGUAGES))
            try:
                import tesserocr
            except ImportError:
                raise InputError("knowledge.ocr_missing", missing="tesserocr") from None
            self._api = tesserocr.PyTessBaseAPI(
                path=str(folder) + os.sep, lang="+".join(LANGUAGES), psm=tesserocr.PSM.AUTO
            )
        return self._api

    def read(self, image: Any, dpi: float) -> str:
        """The text of one Pillow image scanned at ``dpi`` (Tesseract's own guess from a
        page with little text on it can be far off, and then it reads nothing right)."""
        api = self._engine()
        fitted = _fit(image)
        api.SetImage(fitted)
        api.SetSourceResolution(max(70, round(dpi * fitted.width / max(image.width, 1))))
        try:
            return tidy(api.GetUTF8Text() or "")
        finally:
            api.Clear()

    def image_pages(self, data: bytes, cancel: CancelToken) -> list[str]:
        """The text of each frame of an image file (one for PNG/JPEG, several for TIFF)."""
        self._engine()  # a missing Tesseract is reported before the image is decoded
        texts = []
        for frame in _frames(data):
            cancel.raise_if_cancelled()
            texts.append(self.read(frame, _dpi(frame)))
        return texts

    def pdf_pages(self, data: bytes, pages: list[int], cancel: CancelToken) -> list[str]:
        """The text of the given PDF pages (0-based), each rendered in memory."""
        import pypdfium2

        self._engine()
        document = pypdfium2.PdfDocument(data)
        try:
            texts = []
            for index in pages:
                cancel.raise_if_cancelled()
                page = document[index]
                try:
                    width, height = page.get_size()
                    scale = min(RENDER_DPI / 72, (MAX_PAGE_PIXELS / max(width * height, 1)) ** 0.5)
                    bitmap = page.render(scale=scale, grayscale=True)
                    texts.append(self.read(bitmap.to_pil(), 72 * scale))
                finally:
                    page.close()
            return texts
        finally:
            document.close()

    def close(self) -> None:
        if self._api is not None:
            self._api.End()
            self._api = None


def _fit(image: Any) -> Any:
    """The image in a mode Tesseract takes, scaled down to :data:`MAX_PAGE_PIXELS`."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    pixels = image.width * image.height
    if pixels > MAX_PAGE_PIXELS:
        ratio = (MAX_PAGE_PIXELS / pixels) ** 0.5
        image = image.resize((max(1, int(image.width * ratio)), max(1, int(image.height * ratio))))
    return image


def _dpi(image: Any) -> float:
    """The resolution an image file records, else the usual scan's (300 dpi)."""
    recorded = image.info.get("dpi")
    try:
        value = float(recorded[0]) if recorded else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 70 <= value <= 1200 else float(RENDER_DPI)


def _frames(data: bytes) -> Iterator[Any]:
    """The frames of an image file, decoded in memory, at most :data:`MAX_FRAMES`."""
    from PIL import Image, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2  # over twice this: DecompressionBombError
    with Image.open(io.BytesIO(data)) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image)):
            if number >= MAX_FRAMES:
                break
            yield frame.copy()
