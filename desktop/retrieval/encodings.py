"""Decode the bytes of a text file: BOMs, UTF-8, then detection with a Japanese check.

Order of decisions in :func:`decode_text`:

1. A byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) settles it.
2. NUL bytes mean UTF-16 without a BOM (when one byte of every pair is mostly NUL) or a
   binary file.
3. ISO-2022-JP (7-bit, escape sequences), then strict UTF-8.
4. A declared encoding (an HTML ``<meta charset>``), if it decodes strictly.
5. charset-normalizer's best guess, compared with strict CP932 and EUC-JP decodes.
   charset-normalizer is unreliable on short Japanese texts (it calls 60 bytes of
   EUC-JP "cp949" or "big5"), so every candidate is scored by how plausible its
   non-ASCII characters are (kana and CJK punctuation score high; half-width katakana,
   C1 controls and private-use characters score low) and the best wins. Japanese
   candidates win ties: Japanese is this product's first language.
6. Nothing plausible, or too many control characters: "looks like a binary file".
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterator
from typing import NoReturn

from desktop.core.errors import IngestionFailed
from desktop.core.messages import Term

# (mark, codec for the bytes after it, reported name); UTF-32 LE before UTF-16 LE.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
_JAPANESE = ("cp932", "euc_jp")
# Guesses not taken from the library: the Japanese ones are tried strictly anyway, and
# UTF-16/32 without a BOM and without NUL bytes is almost always a misreading.
_SKIPPED_GUESSES = (*_JAPANESE, "utf_16", "utf_32", "utf-16", "utf-32")
_NOT_TEXT_CODECS = frozenset({"undefined"})
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_SCORE_SAMPLE = 200_000  # characters looked at when scoring a candidate
_MAX_CONTROL_RATIO = 0.01
_MIN_PLAUSIBILITY = 0.3

# (first code point, last code point, weight): how plausible a character is in text.
_WEIGHTS: tuple[tuple[int, int, float], ...] = (
    (0x0080, 0x009F, -1.0),  # C1 controls: a wrong single-byte guess
    (0x00A0, 0x00BF, 0.3),  # Latin-1 symbols
    (0x00C0, 0x024F, 0.9),  # accented Latin letters
    (0x0370, 0x052F, 0.8),  # Greek, Cyrillic
    (0x2000, 0x206F, 0.7),  # general punctuation
    (0x2460, 0x24FF, 0.5),  # circled numbers (CP932 extensions)
    (0x3000, 0x303F, 1.0),  # CJK punctuation
    (0x3040, 0x30FF, 1.0),  # hiragana, katakana
    (0x3130, 0x318F, 0.0),  # Hangul jamo: hiragana read as EUC-KR
    (0x3400, 0x4DBF, 0.1),  # rare CJK extension A
    (0xE000, 0xF8FF, -1.0),  # private use
    (0xF900, 0xFAFF, 0.1),  # CJK compatibility ideographs
    (0xFF01, 0xFF5E, 0.8),  # full-width ASCII
    (0xFF61, 0xFF9F, 0.1),  # half-width katakana: what EUC-JP read as CP932 looks like
    (0xFFFD, 0xFFFD, -1.0),  # replacement character
)
_OTHER_WEIGHT = 0.2


def decode_text(data: bytes, *, name: str = "", declared: str | None = None) -> tuple[str, str]:
    """Return (text, Python codec name). IngestionFailed(stage="parse") for binary data.

    ``name`` only labels the error message; ``declared`` is an encoding the file names
    itself (HTML ``<meta charset>``), used when the bytes are not UTF-8.
    """
    if not data:
        return "", "utf-8"
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _checked(_strict(data[len(bom) :], codec), label, name)
    if b"\x00" in data:
        return _utf16_without_bom(data, name)
    for encoding in _exact_candidates(data, declared):
        text = _strict(data, encoding)
        if text is not None:
            return _checked(text, encoding, name)
    return _checked_pair(_best_guess(data), name)


def _exact_candidates(data: bytes, declared: str | None) -> Iterator[str]:
    if b"\x1b$" in data and data.isascii():
        yield "iso2022_jp"
    yield "utf-8"
    if declared:
        encoding = _codec_name(declared)
        if encoding is not None:
            yield encoding


def _best_guess(data: bytes) -> tuple[str, str] | None:
    """The most plausible decode among charset-normalizer's pick and the Japanese ones."""
    candidates: list[tuple[str, str]] = []
    for encoding in _JAPANESE:
        text = _strict(data, encoding)
        if text is not None:
            candidates.append((text, encoding))
    library = _charset_normalizer_guess(data)
    if library is not None and not library[1].startswith(_SKIPPED_GUESSES):
        candidates.append(library)
    best: tuple[str, str] | None = None
    best_score = _MIN_PLAUSIBILITY
    for text, encoding in candidates:  # Japanese first: they win ties
        score = plausibility(text)
        if score > best_score or (best is None and score >= best_score):
            best, best_score = (text, encoding), score
    return best


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    encoding = _codec_name(match.encoding) or match.encoding
    return str(match), encoding


def plausibility(text: str) -> float:
    """Mean weight of the non-ASCII characters (1.0 for pure ASCII); higher is likelier."""
    sample = _NON_ASCII.findall(text[:_SCORE_SAMPLE])
    if not sample:
        return 1.0
    return sum(_weight(ord(ch)) for ch in sample) / len(sample)


@functools.lru_cache(maxsize=8192)
def _weight(code: int) -> float:
    if 0x4E00 <= code <= 0x9FFF:
        return _ideograph_weight(chr(code))
    if 0xAC00 <= code <= 0xD7A3:  # Hangul: the 2,350 syllables of KS X 1001 are common
        encoded = _encodes(chr(code), "euc_kr")  # others take 8-byte sequences
        return 0.9 if encoded is not None and len(encoded) == 2 else 0.1
    for first, last, weight in _WEIGHTS:
        if code < first:
            break
        if code <= last:
            return weight
    return _OTHER_WEIGHT


def _ideograph_weight(ch: str) -> float:
    """Common kanji (JIS level 1) score high, rare ones low: wrong decodes of CJK
    double-byte text land mostly on rare characters."""
    encoded = _encodes(ch, "euc_jp")
    if encoded is not None and len(encoded) == 2:  # JIS X 0208 level 1 / level 2
        return 0.8 if encoded[0] < 0xD0 else 0.35
    encoded = _encodes(ch, "gb2312")
    if encoded is not None and encoded[0] < 0xD8:  # GB 2312 level 1 (simplified)
        return 0.6
    return 0.2


def _encodes(ch: str, encoding: str) -> bytes | None:
    try:
        return ch.encode(encoding)
    except UnicodeEncodeError:
        return None


def _utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """Text in UTF-16 without a BOM has NULs in one byte of most ASCII pairs."""
    if len(data) % 2 == 0:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        half = len(data) // 2
        encoding = "utf-16-le" if odd > even else "utf-16-be"
        if max(even, odd) >= 0.3 * half and min(even, odd) == 0:
            text = _strict(data, encoding)
            if text is not None and plausibility(text) >= _MIN_PLAUSIBILITY:
                return _checked(text, encoding, name)
    _refuse(name)


def _checked_pair(pair: tuple[str, str] | None, name: str) -> tuple[str, str]:
    if pair is None:
        _refuse(name)
    return _checked(pair[0], pair[1], name)


def _checked(text: str | None, encoding: str, name: str) -> tuple[str, str]:
    if text is None:
        _refuse(name)
    sample = text[:_SCORE_SAMPLE]
    if sample and len(_BAD_CONTROL.findall(sample)) > _MAX_CONTROL_RATIO * len(sample):
        _refuse(name)
    return text, encoding


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeError, LookupError):  # UnicodeError: the 'undefined' codec, for one
        return None


def _codec_name(label: str) -> str | None:
    """Python's name for a text encoding label (None for an unknown label, and for the
    codecs that are no text encoding a file could use: 'undefined', 'rot13', 'base64');
    Shift_JIS labels mean CP932 in practice."""
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT_CODECS:
        return None
    return "cp932" if info.name in {"shift_jis", "ms932"} else info.name


def _refuse(name: str) -> NoReturn:
    label = " ".join(name.split())
    raise IngestionFailed(
        "knowledge.binary_or_unknown_encoding",
        stage="parse",
        name=label or Term("knowledge.the_file"),
    )
