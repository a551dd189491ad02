"""Passages as plain text for people: the Markdown a chunk carries (``## Leave``,
``**bold**``, links, lists) read by markdown-it-py and given back as its words, one
block a line, so no raw ``##`` reaches the screen. Raw HTML is kept as text."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markdown_it.token import Token


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


def _inline_text(children: list[Token]) -> str:
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
        elif child.type == "image":
            out.append(_inline_text(child.children or []))
    return "".join(out)


def plain_passage(text: str) -> str:
    """``text`` (Markdown or plain) as plain words, one block (heading, paragraph, list
    item, code line) a line; blank lines dropped."""
    lines: list[str] = []
    for token in _parser().parse(text):
        if token.type == "inline":
            lines.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block", "html_block"):
            lines.extend(token.content.splitlines())
    return "\n".join(line.strip() for line in lines if line.strip())
