"""Code blocks in answers: highlighted with Pygments (inline colours, which Qt's rich
text understands), each under a small bar with the language and a Copy link
(``kura-copy:n``) that copies only that block's code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.util import ClassNotFound
from PySide6.QtCore import QCoreApplication

COPY_SCHEME = "kura-copy"
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"


def highlighted(code: str, language: str, *, dark: bool) -> str:
    """``code`` as HTML spans with inline colours (unknown languages: plain text)."""
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    formatter = HtmlFormatter(
        nowrap=True, noclasses=True, style=DARK_STYLE if dark else LIGHT_STYLE
    )
    return str(highlight(code, lexer, formatter))


def render_code(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A fenced or indented code block: its bar (language, Copy) and its coloured code.
    The code itself is kept in ``env["code_blocks"]`` for the Copy link."""
    token = tokens[idx]
    code = token.content
    language = token.info.strip().split()[0] if token.info.strip() else ""
    blocks: list[str] = env.setdefault("code_blocks", [])
    blocks.append(code.rstrip("\n"))
    copy = QCoreApplication.translate("MarkdownBrowser", "Copy code")
    label = f"{escapeHtml(language)} · " if language else ""
    body = highlighted(code, language, dark=bool(env.get("dark")))
    return (
        f'<p class="codebar">{label}<a class="copy" href="{COPY_SCHEME}:{len(blocks) - 1}">'
        f"{escapeHtml(copy)}</a></p><pre>{body}</pre>\n"
    )
