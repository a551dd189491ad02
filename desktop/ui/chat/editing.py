"""Editing an earlier message: its text goes back in the box, the message is marked, and
a note says that sending replaces it and everything after it (the replaced turns stay in
the log). Cancel edit or Esc leaves the conversation as it is."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor

from desktop.core.chat_models import Turn
from desktop.ui.chat.pane import ChatPane


class MessageEdit(QObject):
    """Which message of the transcript is being edited, if any."""

    def __init__(self, pane: ChatPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.turn: Turn | None = None
        self.index = -1
        pane.cancel_edit_button.clicked.connect(self._on_cancel_clicked)

    @property
    def active(self) -> bool:
        return self.turn is not None

    def begin(self, index: int, turn: Turn, text: str) -> None:
        """Edit message ``index`` (stored as ``turn``), starting from ``text``."""
        self.turn, self.index = turn, index
        composer = self._pane.composer
        composer.setPlainText(text)
        composer.moveCursor(QTextCursor.MoveOperation.End)
        composer.setFocus()
        self._pane.transcript.mark_editing(index)
        self._pane.set_editing(True)
        self._pane.composer_message.show_info(
            self.tr(
                "Editing message {n}: sending replaces it and everything after it. "
                "Cancel edit (or Esc) keeps the conversation as it is."
            ).format(n=index + 1)
        )

    def end(self, *, clear_box: bool) -> None:
        """Stop editing; ``clear_box`` also empties the message box."""
        if self.turn is None:
            return
        self.turn, self.index = None, -1
        self._pane.transcript.mark_editing(None)
        self._pane.set_editing(False)
        self._pane.composer_message.clear_message()
        if clear_box:
            self._pane.composer.clear()

    def _on_cancel_clicked(self) -> None:
        self.end(clear_box=True)
        self._pane.composer.setFocus()
