"""Hostile text for the GUI's plain-text tests, and the check that a window shows it as
text: wherever ``SPOOF`` is visible, the literal markup around it is visible too.

The canary names a real (large) local image so that a label or tooltip which read it
as rich text would load that file and grow to its size: an interpreted ``<img>`` is
seen, not guessed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTextEdit, QWidget

SPOOF = "SPOOF"
MARK = f"<b>{SPOOF}"  # a user name may hold no space or slash: this much it can
IMAGE_SIDE = 400


def canary_image(folder: Path) -> Path:
    """A large local PNG that hostile text names."""
    path = folder / "canary.png"
    image = QImage(IMAGE_SIDE, IMAGE_SIDE, QImage.Format.Format_ARGB32)
    image.fill(QColor("red"))
    assert image.save(str(path))
    return path


def hostile(image: Path, tag: str = "") -> str:
    """Free text (a comment, a title) that is markup through and through."""
    return f'{tag}<img src="{image.as_uri()}">{MARK}</b><a href="https://x.test">click</a>'


def hostile_name(tag: str = "") -> str:
    """A name (of an app, a knowledge base, a file) that is markup, short enough for any
    name's length limit."""
    return f'{tag}{MARK}</b><a href="x">x</a>'


def shown(text: str) -> str:
    """What Qt shows for ``text`` where the format is automatic: the text itself unless
    it looks like rich text, else the document it makes."""
    if not GuiQt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def label_shows(label: QLabel) -> str:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    if label.textFormat() in (Qt.TextFormat.RichText, Qt.TextFormat.MarkdownText):
        doc = QTextDocument()
        doc.setHtml(label.text())
        return doc.toPlainText()
    return shown(label.text())


def _item_texts(view: QAbstractItemView) -> list[tuple[str, str]]:
    """(role, text) of the first rows' display texts and tooltips."""
    model = view.model()
    if model is None:
        return []
    texts: list[tuple[str, str]] = []
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)
    for row in range(min(model.rowCount(root), 200)):
        for col in range(columns):
            index = model.index(row, col, root)
            for role, name in ((Qt.ItemDataRole.DisplayRole, "item"), (TIP, "item tooltip")):
                value = index.data(role)
                if isinstance(value, str):
                    texts.append((name, value))
    return texts


TIP = Qt.ItemDataRole.ToolTipRole


def _walk(root: QWidget) -> tuple[list[str], int]:
    """Every place under ``root`` (labels, tooltips, items, text views) where ``SPOOF``
    shows without its markup, and how many places showed ``SPOOF`` at all."""
    spots: list[str] = []
    met = 0

    def check(where: str, text: str) -> None:
        nonlocal met
        met += SPOOF in text
        if SPOOF in text and MARK not in text:
            spots.append(f"{where}: {text[:80]!r}")

    for widget in [root, *root.findChildren(QWidget)]:
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel):
            check(f"label {name}", label_shows(widget))
            if widget.sizeHint().height() >= IMAGE_SIDE:
                spots.append(f"label {name} loaded an image")
        if widget.toolTip():
            check(f"tooltip of {name}", shown(widget.toolTip()))
        if isinstance(widget, QAbstractItemView):
            for kind, text in _item_texts(widget):
                # item views paint display text as it is; tooltips are automatic
                check(f"{kind} in {name}", text if kind == "item" else shown(text))
        if isinstance(widget, QTextEdit):
            check(f"text view {name}", widget.toPlainText())
    return spots, met


def markup_spots(root: QWidget) -> list[str]:
    """Where hostile text under ``root`` was interpreted as markup (none, if all is well)."""
    return _walk(root)[0]


def spoof_count(root: QWidget) -> int:
    """How many places under ``root`` show hostile text (so a walk proves it looked)."""
    return _walk(root)[1]
