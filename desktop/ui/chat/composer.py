"""The message box: Enter sends, Shift+Enter starts a new line, Esc stops an answer; a
file dropped on it is offered to the conversation (``files_dropped``), not pasted as
its path.

An input method (Japanese, Chinese, Korean) composes text in a pre-edit area first; the
Enter that confirms a conversion belongs to the input method and never sends. Qt reports
the pre-edit through ``inputMethodEvent``, so the box remembers whether one is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QInputMethodEvent,
    QKeyEvent,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ComposerEdit(QPlainTextEdit):
    """``send_requested`` on Enter (outside an IME conversion); ``stop_requested`` on Esc."""

    send_requested = Signal()
    stop_requested = Signal()
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setTabChangesFocus(True)
        self._preediting = False

    @property
    def preediting(self) -> bool:
        """Whether an input method is composing text (its Enter confirms, not sends)."""
        return self._preediting

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        self._preediting = bool(event.preeditString())
        super().inputMethodEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape and not self._preediting:
            self.stop_requested.emit()
            event.accept()
            return
        if key not in _ENTER:
            super().keyPressEvent(event)
            return
        if self._preediting:  # the input method's own confirmation: not ours to act on
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.insertPlainText("\n")
        else:
            self.send_requested.emit()
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._preediting = False  # Qt commits or resets the input method when focus leaves
        super().focusOutEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if _local_files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)
        else:
            super().dropEvent(event)


def _local_files(event: QDropEvent | QDragMoveEvent | QDragEnterEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
