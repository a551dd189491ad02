"""Answers as Markdown: markdown-it-py with raw HTML off, citation markers ``[n]`` turned
into internal ``kura-cite:n`` links, images shown as their description, code blocks
highlighted with a Copy link each (:mod:`desktop.ui.chat.code_blocks`), and a text
browser that never loads a resource: nothing remote, and no local file, is read because
an answer names it."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QImage, QTextDocument
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget

from desktop.ui.chat.code_blocks import COPY_SCHEME, render_code
from desktop.ui.style import is_dark

CITE_SCHEME = "kura-cite"
_MARKER = re.compile(r"\[(\d{1,4})\]")


def _render_image(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An image is never fetched: show its description in its place."""
    alt = renderer.renderInlineAsText(tokens[idx].children or [], options, env)
    label = (
        QCoreApplication.translate("MarkdownBrowser", "[image: {alt}]").format(alt=alt)
        if alt
        else QCoreApplication.translate("MarkdownBrowser", "[image]")
    )
    return f'<span class="image">{escapeHtml(label)}</span>'


def _cite_tokens(text: str, markers: frozenset[int]) -> list[Token] | None:
    """``text`` split into text and citation-link tokens; None when it cites nothing."""
    out: list[Token] = []
    pos = 0
    for match in _MARKER.finditer(text):
        marker = int(match.group(1))
        if marker not in markers:
            continue
        if match.start() > pos:
            out.append(_text_token(text[pos : match.start()]))
        link = Token("link_open", "a", 1)
        link.attrs = {"href": f"{CITE_SCHEME}:{marker}", "class": "citation"}
        out += [link, _text_token(match.group(0)), Token("link_close", "a", -1)]
        pos = match.end()
    if not out:
        return None
    if pos < len(text):
        out.append(_text_token(text[pos:]))
    return out


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _link_citations(state: StateCore) -> None:
    """Core rule: ``[n]`` in plain text (not in code or an existing link) becomes a link
    when ``n`` is one of the answer's passage markers (``env["citations"]``)."""
    markers = frozenset(state.env.get("citations", ()))
    if not markers:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        depth = 0
        for child in block.children:
            depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            split = _cite_tokens(child.content, markers) if child.type == "text" else None
            children += split if split is not None and depth == 0 else [child]
        block.children = children


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.add_render_rule("image", _render_image)
    md.add_render_rule("fence", render_code)
    md.add_render_rule("code_block", render_code)
    md.core.ruler.push("kura_citations", _link_citations)
    return md


_MD = _parser()


def render_markdown(
    text: str,
    citations: Sequence[int] = (),
    code_blocks: list[str] | None = None,
    *,
    dark: bool = False,
) -> str:
    """HTML for ``text``: raw HTML in it is shown as text, never interpreted. The code of
    each code block is appended to ``code_blocks`` (the target of its Copy link)."""
    env: dict[str, Any] = {"citations": list(citations), "dark": dark}
    if code_blocks is not None:
        env["code_blocks"] = code_blocks
    return str(_MD.render(text, env))


def document_style(dark: bool) -> str:
    """The answer's own style sheet (code background, the code bar) for the palette."""
    code_bg, bar = ("#161b22", "#9aa4b2") if dark else ("#f3f4f6", "#6b7280")
    return (
        f"pre, code {{ font-family: monospace; }} pre {{ background: {code_bg}; }}"
        f" p.codebar {{ color: {bar}; margin-bottom: 0; }}"
        " a.copy { text-decoration: none; }"
        " a.citation { text-decoration: none; font-weight: 600; }"
        " table { border-collapse: collapse; } th, td { padding: 2px 6px; }"
    )


class NoResourceBrowser(QTextBrowser):
    """A text browser that loads nothing, remote or local, and follows no link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Refuse every resource: answers load nothing, remote or local.

        The answer must be an *empty value*, not None: for None, QTextDocument falls back
        to reading ``file:`` URLs from disk itself."""
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return QImage()
        return QByteArray()


class MarkdownBrowser(NoResourceBrowser):
    """A read-only, self-sizing view of one Markdown text. Links are never followed:
    a citation link emits ``citation_clicked``, a code block's Copy link puts that block's
    code on the clipboard (and emits ``code_copied``), any other link ``link_clicked``
    (the view decides; nothing is opened). ``loadResource`` refuses everything."""

    citation_clicked = Signal(int)
    link_clicked = Signal(QUrl)
    code_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.anchorClicked.connect(self._on_browser_anchor_clicked)
        self._markdown = ""
        self.code_blocks: list[str] = []

    def set_markdown(self, text: str, citations: Sequence[int] = ()) -> None:
        self._markdown = text
        dark = is_dark()
        self.document().setDefaultStyleSheet(document_style(dark))
        blocks: list[str] = []
        self.setHtml(render_markdown(text, citations, blocks, dark=dark))
        self.code_blocks = blocks

    def markdown(self) -> str:
        return self._markdown

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self, *_: object) -> None:
        margins = self.contentsMargins()
        height = math.ceil(self.document().size().height()) + margins.top() + margins.bottom()
        if height != self.height():
            self.setFixedHeight(max(height, 8))

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == CITE_SCHEME and url.path().isdigit():
            self.citation_clicked.emit(int(url.path()))
        elif url.scheme() == COPY_SCHEME and url.path().isdigit():
            index = int(url.path())
            if index < len(self.code_blocks):
                QGuiApplication.clipboard().setText(self.code_blocks[index])
                self.code_copied.emit(self.code_blocks[index])
        else:
            self.link_clicked.emit(url)
