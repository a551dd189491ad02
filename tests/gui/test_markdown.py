"""Answers render as Markdown with raw HTML shown as text, citation markers become
internal links, and nothing an answer names is ever loaded (remote or local)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from desktop.ui.chat.markdown import MarkdownBrowser, render_markdown


class RecordingBrowser(MarkdownBrowser):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, Any]] = []

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        result = super().loadResource(kind, url)
        self.asked.append((QUrl(url).toString(), result))
        return result


def test_markdown_renders_without_raw_html() -> None:
    html = render_markdown("**bold** <b onclick='x'>raw</b>\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<strong>bold</strong>" in html and "&lt;b onclick" in html
    assert "<table>" in html


def test_citation_markers_link_only_to_known_passages() -> None:
    html = render_markdown("See [1] and [7], `[1]` and [a [1]](https://x.test).", [1])
    assert html.count('href="kura-cite:1"') == 1
    assert "[7]" in html and "<code>[1]</code>" in html


def test_images_in_answers_load_nothing(qtbot: Any, tmp_path: Path) -> None:
    local = tmp_path / "secret.png"
    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    image.fill(QColor("red"))
    assert image.save(str(local))
    browser = RecordingBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown(f"![x](http://example.com/a.png) ![y]({local.as_uri()})")
    assert "<img" not in render_markdown("![x](http://example.com/a.png)")
    assert "[image: x]" in browser.toPlainText() and browser.asked == []

    # Even HTML that names images (which the renderer never writes) loads nothing.
    browser.setHtml(f'<img src="http://example.com/a.png"><img src="{local.as_uri()}">')
    with qtbot.waitExposed(browser):
        browser.show()  # laying out asks for the images
    browser.close()
    assert {url for url, _ in browser.asked} == {"http://example.com/a.png", local.as_uri()}
    assert all(result.isNull() for _, result in browser.asked)
    # What the layout engine asks for: nothing, not even the local file (for a None
    # answer QTextDocument would read file: URLs from disk itself).
    kind = int(QTextDocument.ResourceType.ImageResource.value)
    assert browser.document().resource(kind, QUrl(local.as_uri())).isNull()


def test_links_are_never_followed(qtbot: Any) -> None:
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    cited: list[int] = []
    links: list[str] = []
    browser.citation_clicked.connect(cited.append)
    browser.link_clicked.connect(lambda url: links.append(url.toString()))
    browser.set_markdown("Read [1] or [this](https://example.com).", [1])
    browser.anchorClicked.emit(QUrl("kura-cite:1"))
    browser.anchorClicked.emit(QUrl("https://example.com"))
    assert cited == [1] and links == ["https://example.com"]
    assert "Read [1]" in browser.toPlainText() and browser.source().isEmpty()


def test_code_blocks_are_highlighted_with_a_copy_link_per_block(qtbot: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    text = "Two blocks:\n\n```python\ndef f():\n    return 1\n```\n\n```sh\necho hi\n```\n"
    browser.set_markdown(text)
    html = render_markdown(text)
    assert html.count('href="kura-copy:') == 2
    assert "style=" in html and "color" in html  # Pygments' inline colours
    keyword = browser.document().find("def")
    assert not keyword.isNull() and keyword.charFormat().foreground().color() != QColor("black")
    copied: list[str] = []
    browser.code_copied.connect(copied.append)
    browser.anchorClicked.emit(QUrl("kura-copy:1"))
    assert copied == ["echo hi"] and QGuiApplication.clipboard().text() == "echo hi"
    browser.anchorClicked.emit(QUrl("kura-copy:0"))
    assert QGuiApplication.clipboard().text() == "def f():\n    return 1"
