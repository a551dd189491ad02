"""Text-based formats: plain text, Markdown, CSV and JSON."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from typing import Any

from desktop.core.errors import IngestionFailed
from desktop.core.knowledge_models import ParsedDocument, Section
from desktop.core.tasks import CancelToken
from desktop.retrieval.encodings import decode_text
from desktop.retrieval.formats.base import (
    DocBuilder,
    ParseLimits,
    check_length,
    clean_text,
    display_name,
    heading_path,
    require_text,
)

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CSV_DELIMITERS = ",;\t|"
# csv.Sniffer's quote regex rescans the rest of its sample from every quote it tries
# (quadratic): it sees whole lines up to this many characters, which is plenty.
_SNIFF_CHARS = 8 * 1024
_CANCEL_EVERY = 4096


def decoded(
    name: str, data: bytes, limits: ParseLimits, declared: str | None = None
) -> tuple[str, str]:
    """Cleaned text and its encoding; IngestionFailed for binary or overlong text."""
    text, encoding = decode_text(data, name=display_name(name), declared=declared)
    check_length(name, len(text), limits.max_chars)
    return clean_text(text), encoding


def parse_txt(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """Plain text as it is, without sections."""
    text, encoding = decoded(name, data, limits)
    require_text(name, text)
    return ParsedDocument(text, "txt", (), {"encoding": encoding})


def parse_markdown(
    name: str, data: bytes, limits: ParseLimits, cancel: CancelToken
) -> ParsedDocument:
    """Markdown kept verbatim; ATX (``#``) and setext headings become sections."""
    text, encoding = decoded(name, data, limits)
    require_text(name, text)
    headings = list(_markdown_headings(text))
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    for i, (start, level, title) in enumerate(headings):
        end = headings[i + 1][0] if i + 1 < len(headings) else len(text)
        sections.append(Section(heading_path(stack, level, title), start, end))
    return ParsedDocument(text, "md", tuple(sections), {"encoding": encoding})


def _markdown_headings(text: str) -> Iterator[tuple[int, int, str]]:
    """(line start offset, level, title) of each heading outside fenced code."""
    fence = ""
    offset = 0
    previous: tuple[int, str] | None = None  # a paragraph line that may be a setext title
    for line in text.splitlines(keepends=True):
        bare = line.rstrip("\n")
        opener = _FENCE.match(bare)
        if fence or opener:
            if opener and (not fence or opener.group(1).startswith(fence)):
                fence = "" if fence else opener.group(1)[0] * 3
            previous = None
        elif (atx := _ATX.match(bare)) and (atx.group(2) or "").strip():
            yield offset, len(atx.group(1)), " ".join((atx.group(2) or "").split())
            previous = None
        elif previous is not None and (setext := _SETEXT.match(bare)):
            yield previous[0], 1 if setext.group(1)[0] == "=" else 2, previous[1]
            previous = None
        else:
            previous = (offset, " ".join(bare.split())) if bare.strip() else None
        offset += len(line)


def parse_csv(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """One line per row, cells separated by tabs; the delimiter is sniffed."""
    text, encoding = decoded(name, data, limits)
    require_text(name, text)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sniff_sample(text), delimiters=_CSV_DELIMITERS
        )
    except csv.Error:
        dialect = csv.excel
    builder = DocBuilder(name, "csv", limits)
    rows = 0
    try:
        for row in csv.reader(text.splitlines(), dialect):
            if rows % _CANCEL_EVERY == 0:
                cancel.raise_if_cancelled()
            cells = [" ".join(cell.split()) for cell in row]
            builder.add_block("\t".join(cells).rstrip("\t"))
            rows += 1
    except csv.Error as exc:
        raise IngestionFailed(
            "knowledge.csv_unreadable", stage="parse", name=display_name(name), details=str(exc)
        ) from exc
    return builder.build({"encoding": encoding, "rows": rows, "delimiter": dialect.delimiter})


def sniff_sample(text: str) -> str:
    """The first lines of ``text``, at most ``_SNIFF_CHARS`` characters (one cut line
    if even the first line is longer)."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    return sample


def parse_json(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """One ``key.path: value`` line per leaf value, in document order."""
    text, encoding = decoded(name, data, limits)
    require_text(name, text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestionFailed(
            "knowledge.json_invalid",
            stage="parse",
            name=display_name(name),
            line=exc.lineno,
            column=exc.colno,
            details=str(exc),
        ) from exc
    except RecursionError:
        raise IngestionFailed(
            "knowledge.json_too_deep", stage="parse", name=display_name(name)
        ) from None
    builder = DocBuilder(name, "json", limits)
    for path, leaf in flatten_json(value):
        builder.add_block(f"{path}: {leaf}" if path else leaf)
    return builder.build({"encoding": encoding})


def flatten_json(value: Any) -> Iterator[tuple[str, str]]:
    """(``a.b[0].c``, leaf as text) pairs, depth first, without recursion."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, dict) and item:
            children = [(f"{path}.{key}" if path else str(key), v) for key, v in item.items()]
            stack.extend(reversed(children))
        elif isinstance(item, list) and item:
            stack.extend(reversed([(f"{path}[{i}]", v) for i, v in enumerate(item)]))
        elif isinstance(item, str):
            yield path, item
        else:
            yield path, json.dumps(item, ensure_ascii=False)
