"""Hostile files from the red-team review, generated in memory (nothing is checked in).

Each one once made Kura spend minutes of CPU or gigabytes of memory on a single file,
or aborted a whole ingest batch. ``HOSTILE`` maps a file name to its generator; the
suite (tests/unit/test_hostile_files.py) and the benchmark
(tests/benchmarks/test_hostile_files_bench.py) both use it.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable

from tests import docs_factory as f

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _replace_member(base: bytes, member: str, payload: bytes | None = None) -> bytes:
    """``base`` rewritten with ``member``'s content replaced (all members deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == member and payload is not None:
                data = payload
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def empty_paragraphs_docx(paragraphs: int = 4_000_000, noise_bytes: int = 1_000_000) -> bytes:
    """A .docx whose body is millions of empty paragraphs. Random bytes in a comment keep
    the member's compression ratio under the zip-bomb limit, so only the number of XML
    elements (and what a reader does per element) makes it hostile."""
    rng = random.Random(15)
    noise = "".join(rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(noise_bytes))
    body = "<w:p/>" * paragraphs
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><!-- {noise} --><w:body>{body}</w:body></w:document>'
    ).encode()
    return _replace_member(f.docx_bytes(), "word/document.xml", xml)


def encrypted_member_docx() -> bytes:
    """A .docx whose document.xml has the zip 'encrypted' flag set (zipfile raises
    RuntimeError: password required)."""
    data = bytearray(f.docx_bytes())
    name = b"word/document.xml"
    for signature, flag_offset, name_offset in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                data[start + flag_offset] |= 0x01
            start = data.find(signature, start + 4)
    return bytes(data)


def corrupt_deflate_docx() -> bytes:
    """A .docx whose document.xml starts with an invalid deflate block (zlib raises
    zlib.error while it inflates)."""
    base = f.docx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename), zipfile.ZIP_DEFLATED)
    data = bytearray(out.getvalue())
    name = b"word/document.xml"
    start = data.find(b"PK\x03\x04")
    while start != -1:
        name_len = int.from_bytes(data[start + 26 : start + 28], "little")
        extra_len = int.from_bytes(data[start + 28 : start + 30], "little")
        if data[start + 30 : start + 30 + name_len] == name:
            body = start + 30 + name_len + extra_len
            data[body : body + 8] = b"\xff" * 8  # an invalid deflate block type
        start = data.find(b"PK\x03\x04", start + 4)
    return bytes(data)


def entity_expansion_docx() -> bytes:
    """A 'billion laughs' document.xml: nested entities that would expand to gigabytes."""
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(levels)}]>'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    return _replace_member(f.docx_bytes(), "word/document.xml", xml)


def undefined_charset_html() -> bytes:
    """An HTML page declaring ``charset="undefined"``: Python's 'undefined' codec raises
    UnicodeError on every decode. Non-UTF-8 bytes make the declared charset matter."""
    return b'<html><head><meta charset="undefined"></head><body><p>caf\xe9</p></body></html>'


def sniffer_trap_csv(repeats: int = 21_000) -> bytes:
    """63 KB of ``,"a`` that never closes its quote: csv.Sniffer's quote regex rescans
    the rest of the sample from every opening quote (quadratic)."""
    return b',"a' * repeats


def deflated_garbage_xlsx() -> bytes:
    """An .xlsx whose first worksheet inflates to bytes that are not XML."""
    return _replace_member(f.xlsx_bytes(), "xl/worksheets/sheet1.xml", b"<not xml" * 1000)


HOSTILE: dict[str, Callable[[], bytes]] = {
    "empty-paragraphs.docx": empty_paragraphs_docx,
    "encrypted-member.docx": encrypted_member_docx,
    "corrupt-deflate.docx": corrupt_deflate_docx,
    "entities.docx": entity_expansion_docx,
    "undefined-charset.html": undefined_charset_html,
    "sniffer-trap.csv": sniffer_trap_csv,
    "bomb.docx": f.zip_bomb_docx,
    "liar.docx": f.lying_zip_docx,
    "garbage-sheet.xlsx": deflated_garbage_xlsx,
}
