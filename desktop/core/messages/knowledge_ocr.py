"""Messages of the knowledge area about reading scans and images by OCR (codes start
with ``knowledge.``)."""

from __future__ import annotations

from desktop.core.messages import Entry, Text

AREA = "knowledge"

_PACKAGES = "tesseract-ocr, tesseract-ocr-jpn and tesseract-ocr-jpn-vert"

MESSAGES: dict[str, Entry] = {
    "knowledge.ocr_unavailable": Entry(
        Text(
            en="{name} needs OCR (a scan or an image), but it is not installed ({missing} "
            f"missing): install the packages {_PACKAGES}, then add the file again",
            ja="「{name}」の読み取りには OCR が必要ですが、インストールされていません"
            f"（{{missing}} がありません）。パッケージ {_PACKAGES} をインストールしてから、"
            "もう一度追加してください",
        )
    ),
    "knowledge.ocr_missing": Entry(
        Text(
            en=f"OCR is not installed ({{missing}} missing): install the packages {_PACKAGES}",
            ja="OCR がインストールされていません（{missing} がありません）。"
            f"パッケージ {_PACKAGES} をインストールしてください",
        )
    ),
    "knowledge.scan_no_text": Entry(
        Text(
            en="{name}: OCR found no text on its scanned pages: scan it again at 300 dpi or "
            "more, upright and in focus, and add it again",
            ja="「{name}」のスキャンしたページから OCR で文字を読み取れませんでした。"
            "300 dpi 以上で、まっすぐ鮮明にスキャンし直してから、もう一度追加してください",
        )
    ),
    "knowledge.image_no_text": Entry(
        Text(
            en="{name}: OCR found no text in the image: use a sharper image (about 300 dpi) "
            "and add it again",
            ja="「{name}」の画像から OCR で文字を読み取れませんでした。より鮮明な画像"
            "（300 dpi 程度）にしてから、もう一度追加してください",
        )
    ),
    "knowledge.image_unreadable": Entry(
        Text(
            en="{name} is not a PNG, JPEG or TIFF image: save it again in one of these "
            "formats and add it again",
            ja="「{name}」は PNG・JPEG・TIFF のどの画像でもありません。いずれかの形式で"
            "保存し直してから、もう一度追加してください",
        )
    ),
}
