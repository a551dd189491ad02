"""Text that users and documents supply shows as text, never as markup.

Qt reads any string that looks like HTML as rich text wherever the format is automatic
(labels, message boxes, input dialogs, tooltips): a name or a comment such as
``<img src="file:///...">`` would load a local file, and ``<a>`` or ``<b>`` could
fake what the window says. So every label in Kura is a :class:`PlainLabel`, every
message box and text prompt comes from here with plain text, and a tooltip that holds
such text goes through :func:`plain_tip`. Answers are the one deliberate exception:
they render as sanitised Markdown (desktop/ui/chat/markdown.py). A test walks each
screen with hostile data, another bans the automatic builders elsewhere in desktop/ui."""

from __future__ import annotations

import html
from typing import overload

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QLineEdit, QMessageBox, QWidget

PLAIN = Qt.TextFormat.PlainText
Button = QMessageBox.StandardButton


class PlainLabel(QLabel):
    """A label whose text is never read as markup (``Qt.TextFormat.PlainText``)."""

    @overload
    def __init__(self, parent: QWidget | None = None, /) -> None: ...
    @overload
    def __init__(self, text: str, parent: QWidget | None = None, /) -> None: ...

    def __init__(
        self, first: str | QWidget | None = None, parent: QWidget | None = None, /
    ) -> None:
        super().__init__(parent if isinstance(first, str) else first)
        self.setTextFormat(PLAIN)  # before the text: it is never parsed as HTML
        self.setText(first if isinstance(first, str) else "")


def plain_tip(text: str) -> str:
    """``text`` as a tooltip that shows it literally. QToolTip reads text that looks like
    HTML as rich text; such text is escaped into a paragraph that keeps its line breaks."""
    if not GuiQt.mightBeRichText(text):
        return text
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: Button = Button.Ok,
) -> QMessageBox:
    """A message box whose text is plain (QMessageBox's static functions use AutoText)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(PLAIN)
    box.setText(text)
    return box


def ask(parent: QWidget | None, title: str, text: str, buttons: Button, default: Button) -> Button:
    """A plain-text question; the button the user chose (``Escape`` gives the escape
    button Qt picks, as QMessageBox.question does)."""
    box = message_box(parent, QMessageBox.Icon.Question, title, text, buttons)
    box.setDefaultButton(default)
    return Button(box.exec())


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A plain-text warning with an OK button."""
    message_box(parent, QMessageBox.Icon.Warning, title, text).exec()


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> tuple[str, bool]:
    """A one-line text prompt with a plain-text label (QInputDialog.getText's is
    AutoText); the text and whether the user accepted."""
    dialog = QInputDialog(parent)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(text)
    return _ask(dialog, title, label)


def ask_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    """A choice from ``items`` (user data: model names...) with a plain-text label; the
    chosen item, or None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    dialog.setComboBoxItems(items)
    dialog.setComboBoxEditable(False)
    value, accepted = _ask(dialog, title, label)
    return value if accepted and value else None


def _ask(dialog: QInputDialog, title: str, label: str) -> tuple[str, bool]:
    """Run an input dialog whose labels show plain text; its value and whether the
    user accepted."""
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(PLAIN)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    value = dialog.textValue()
    dialog.deleteLater()
    return value, accepted
