""".docx (WordprocessingML) read as a stream through :class:`BoundedArchive`.

The main document part is parsed with lxml's ``iterparse``: each top-level paragraph
or table is turned into text as soon as it ends and then dropped, so memory stays that
of one block however long the document is. Paragraph styles are looked up in a table
built once from ``styles.xml`` (python-docx resolved every paragraph's style anew,
which took minutes on a file of millions of empty paragraphs). Entities are never
expanded and no DTD or network resource is loaded. The cancel token is checked every
few hundred blocks.

The text matches what python-docx gives: runs and hyperlinks, tabs as ``\\t``, line
breaks as ``\\n``; Title and Heading N styles (English or Japanese names) start
sections; a table becomes a Markdown table (its first row the header), a merged cell
once.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from desktop.core.knowledge_models import ParsedDocument
from desktop.core.tasks import CancelToken
from desktop.retrieval.formats.archive import BoundedArchive
from desktop.retrieval.formats.base import DocBuilder, ParseLimits
from desktop.retrieval.structure import markdown_table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"
_P, _TBL, _TR, _TC, _BODY = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "body"))
_TEXT_TAGS = tuple(f"{_W}{t}" for t in ("t", "tab", "ptab", "br", "cr", "noBreakHyphen"))
_TEXT_OF = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_HEADING_STYLE = re.compile(r"^(?:heading|見出し)\s*(\d)$", re.IGNORECASE)
_CANCEL_EVERY = 512


def _parser_options() -> dict[str, Any]:
    """No entity expansion, no DTD, no network, libxml2's default depth and size caps."""
    return {"resolve_entities": False, "load_dtd": False, "no_network": True, "huge_tree": False}


def parse_docx(name: str, data: bytes, limits: ParseLimits, cancel: CancelToken) -> ParsedDocument:
    """Paragraphs in order; Heading/Title styles become sections; tables as Markdown."""
    builder = DocBuilder(name, "docx", limits)
    with BoundedArchive(name, data, limits, cancel) as archive:
        archive.inflate_all()
        main = _main_part(archive)
        styles = _style_names(archive, "word/styles.xml")
        try:
            counts = _read_body(archive, main, styles, builder, cancel)
        except etree.LxmlError as exc:
            archive.damaged(exc)
    return builder.build(counts)


def _main_part(archive: BoundedArchive) -> str:
    """The main document part named by the package relationships."""
    try:
        root = etree.fromstring(archive.read("_rels/.rels"), etree.XMLParser(**_parser_options()))
    except etree.LxmlError as exc:
        archive.damaged(exc)
    for rel in root.iter(_REL):
        if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT):
            target = (rel.get("Target") or "").lstrip("/")
            if archive.has(target):
                return target
    archive.damaged(KeyError("no main document part"))


def _style_names(archive: BoundedArchive, part: str) -> dict[str, str]:
    """Paragraph style id -> style name, read once."""
    names: dict[str, str] = {}
    if not archive.has(part):
        return names
    try:
        with archive.open(part) as stream:
            for _, style in etree.iterparse(
                stream, events=("end",), tag=f"{_W}style", **_parser_options()
            ):
                name = style.find(f"{_W}name")
                if style.get(f"{_W}type") == "paragraph" and name is not None:
                    names[style.get(f"{_W}styleId") or ""] = name.get(f"{_W}val") or ""
                style.clear()
    except etree.LxmlError as exc:
        archive.damaged(exc)
    return names


def _read_body(
    archive: BoundedArchive,
    part: str,
    styles: dict[str, str],
    builder: DocBuilder,
    cancel: CancelToken,
) -> dict[str, int]:
    counts = {"paragraphs": 0, "tables": 0}
    seen = 0
    with archive.open(part) as stream:
        events = etree.iterparse(stream, events=("end",), tag=(_P, _TBL), **_parser_options())
        for _, block in events:
            seen += 1
            if seen % _CANCEL_EVERY == 0:
                cancel.raise_if_cancelled()
            if block.getparent().tag != _BODY and _nested(block):
                continue  # read with the paragraph or table around it
            if not len(block):  # an empty paragraph (or table): nothing to read
                counts["paragraphs" if block.tag == _P else "tables"] += 1
            elif block.tag == _TBL:
                counts["tables"] += 1
                builder.add_block(markdown_table(_table_rows(block)))
            else:
                counts["paragraphs"] += 1
                _add_paragraph(builder, block, styles)
            block.clear()
            while block.getprevious() is not None:
                del block.getparent()[0]
        if events.root is None or events.root.tag != f"{_W}document":
            archive.damaged(ValueError(f"{part} is not a Word document"))
    return counts


def _nested(block: Any) -> bool:
    """Whether a paragraph or table lies inside another one (a cell, a text box)."""
    for ancestor in block.iterancestors():
        if ancestor.tag == _BODY:
            return False
        if ancestor.tag in (_P, _TBL):
            return True
    return False


def _add_paragraph(builder: DocBuilder, paragraph: Any, styles: dict[str, str]) -> None:
    text = _text(paragraph)
    level = _heading_level(paragraph, styles)
    if level is not None:
        builder.add_heading(text, level)
    else:
        builder.add_block(text)


def _heading_level(paragraph: Any, styles: dict[str, str]) -> int | None:
    """0 for the Title style, N for Heading N (English or Japanese style names), else
    None: a Title stays above the document's headings in their paths."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    if style is None:
        return None
    style_name = styles.get(style.get(f"{_W}val") or "", "").strip()
    if style_name.lower() == "title" or style_name == "表題":
        return 0
    match = _HEADING_STYLE.match(style_name)
    return int(match.group(1)) if match else None


def _text(element: Any) -> str:
    parts: list[str] = []
    for node in element.iter(*_TEXT_TAGS):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}br":
            parts.append("\n" if node.get(f"{_W}type", "textWrapping") == "textWrapping" else "")
        else:
            parts.append(_TEXT_OF[node.tag])
    return "".join(parts)


def _table_rows(table: Any) -> list[list[str]]:
    return [
        [
            " ".join("\n".join(_text(p) for p in cell.iter(_P)).split())
            for cell in row.iterchildren(_TC)
        ]
        for row in table.iterchildren(_TR)
    ]
