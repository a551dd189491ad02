"""The conversation as widgets: a bubble per message. While an answer streams only its
own bubble re-renders; the rest of the history stays as it was drawn."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import StopReason, Turn
from desktop.ui.chat.markdown import MarkdownBrowser
from desktop.ui.plain import PlainLabel, plain_tip

COPIED_FEEDBACK_MS = 1500
USER_BUBBLE_MAX_WIDTH = 620


def _tool(parent: QWidget, name: str, text: str, tip: str) -> QToolButton:
    button = QToolButton(parent)
    button.setObjectName(name)
    button.setText(text)
    button.setToolTip(plain_tip(tip))
    button.setAutoRaise(True)
    return button


class UserBubble(QWidget):
    """The user's message (plain text, never Markdown), right-aligned, with Edit (which
    sends an edited version in its place)."""

    edit_requested = Signal(str)

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userRow")
        self.text = text
        row = QHBoxLayout(self)
        row.setContentsMargins(48, 0, 0, 0)
        row.addStretch(1)
        self.edit_button = _tool(
            self,
            "editButton",
            self.tr("Edit"),
            self.tr("Edit this message and send it again in its place"),
        )
        self.edit_button.clicked.connect(lambda: self.edit_requested.emit(self.text))
        row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignBottom)
        bubble = self.bubble = QFrame(self)
        bubble.setObjectName("userMessage")
        bubble.setMaximumWidth(USER_BUBBLE_MAX_WIDTH)
        inner = QVBoxLayout(bubble)
        inner.setContentsMargins(12, 8, 12, 8)
        self.label = PlainLabel(text, bubble)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(self.label)
        row.addWidget(bubble)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A word-wrapped label asks for a narrow, tall box (it wrapped at ~150 px): the
        text gets the width it needs on one line, up to most of the conversation's."""
        super().resizeEvent(event)
        room = min(USER_BUBBLE_MAX_WIDTH, int(self.width() * 0.8)) - 24
        room -= self.edit_button.sizeHint().width() + 48
        if room <= 0:
            return
        metrics = self.label.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        needed = metrics.boundingRect(QRect(0, 0, room, 100_000), flags, self.text).width()
        self.label.setMinimumWidth(min(needed + 2, room))

    def set_editing(self, editing: bool) -> None:
        """Mark the message being edited in the box below."""
        self.bubble.setProperty("editing", editing)
        self.bubble.style().unpolish(self.bubble)
        self.bubble.style().polish(self.bubble)


class AnswerBubble(QFrame):
    """An answer: Markdown, its sources, and copy / regenerate / feedback actions."""

    copy_requested = Signal()
    regenerate_requested = Signal()
    rate_requested = Signal(str)
    citation_requested = Signal(int)
    link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answerMessage")
        self.turn: Turn | None = None
        self.rating: str | None = None
        self.streamed = ""
        self._progress = ""  # an exhaustive answer's batch, kept while items arrive
        self._finished = False
        self._last = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 24, 4)
        layout.setSpacing(4)
        self.body = MarkdownBrowser(self)
        self.body.setObjectName("answerBody")
        self.body.citation_clicked.connect(self.citation_requested)
        self.body.link_clicked.connect(self.link_clicked)
        layout.addWidget(self.body)
        self.sources = QWidget(self)
        self.sources.setObjectName("answerSources")
        self._sources_row = QHBoxLayout(self.sources)
        self._sources_row.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sources)
        layout.addLayout(self._actions())

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.meta = PlainLabel(self)
        self.meta.setObjectName("answerMeta")
        row.addWidget(self.meta)
        row.addStretch(1)
        self.copy_button = _tool(self, "copyButton", self.tr("Copy"), self.tr("Copy the answer"))
        self.regenerate_button = _tool(
            self, "regenerateButton", self.tr("Regenerate"), self.tr("Answer this message again")
        )
        self.up_button = _tool(
            self, "rateUpButton", self.tr("Helpful"), self.tr("Rate this answer as helpful")
        )
        self.down_button = _tool(
            self, "rateDownButton", self.tr("Not helpful"), self.tr("Rate this answer as unhelpful")
        )
        for button in (self.up_button, self.down_button):
            button.setCheckable(True)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.regenerate_button.clicked.connect(self.regenerate_requested)
        self.up_button.clicked.connect(lambda: self._on_rate_clicked("up"))
        self.down_button.clicked.connect(lambda: self._on_rate_clicked("down"))
        for button in (
            self.copy_button,
            self.regenerate_button,
            self.up_button,
            self.down_button,
        ):
            row.addWidget(button)
        return row

    # ------------------------------------------------------------------ streaming

    def start_stream(self) -> None:
        self.streamed = ""
        self._progress = ""
        self.body.set_markdown(self.tr("…"))
        self._set_sources(())
        self.meta.setText(self.tr("Thinking…"))
        self._finished = False
        self._update_actions()

    def show_status(self, text: str) -> None:
        """What happens before the first word (the model loading)."""
        self.meta.setText(text)

    def show_progress(self, text: str) -> None:
        """How far an answer that reads every document has got ("Reading batch 3 of
        12…"); it stays on show while that batch's items arrive."""
        self._progress = text
        self.meta.setText(text)

    def append(self, text: str) -> None:
        """Add a streamed batch and re-render this answer only."""
        self.streamed += text
        self.body.set_markdown(self.streamed)
        self.meta.setText(self._progress or self.tr("Writing…"))

    def finish(self, turn: Turn, *, last: bool) -> None:
        """Show the stored answer (the authority, also after Stop) with its sources; a
        different turn (a regenerated answer) starts unrated."""
        if self.turn is None or self.turn.id != turn.id:
            self.set_rating(None)
        self.turn = turn
        self._progress = ""
        markers = [int(c["marker"]) for c in turn.citations if "marker" in c]
        self.body.set_markdown(turn.answer, markers)
        self._set_sources(turn.citations)
        self.meta.setText(self._meta_text(turn))
        self._finished = True
        self.set_last(last)

    def set_last(self, last: bool) -> None:
        """Only the last answer of a conversation can be regenerated."""
        self._last = last
        self._update_actions()

    def set_rating(self, rating: str | None) -> None:
        """Show the stored rating (a thumb stays checked only once it is stored)."""
        self.rating = rating
        self.up_button.setChecked(rating == "up")
        self.down_button.setChecked(rating == "down")

    def plain_answer(self) -> str:
        return self.turn.answer if self.turn is not None else self.streamed

    # ------------------------------------------------------------------ helpers

    def _meta_text(self, turn: Turn) -> str:
        parts = []
        if turn.stop_reason == StopReason.CANCELLED:
            parts.append(self.tr("Stopped"))
        elif turn.stop_reason == StopReason.LENGTH:
            parts.append(self.tr("Cut off at the length limit"))
        elif turn.stop_reason == StopReason.FAILED:
            parts.append(self.tr("Incomplete: the model stopped part-way"))
        ttft = turn.timings.get("ttft_ms")
        if ttft is not None:
            wait = f"{ttft:.0f} ms" if ttft < 1000 else f"{ttft / 1000:.1f} s"
            parts.append(self.tr("First token after {wait}").format(wait=wait))
        rate = turn.timings.get("tokens_per_s")
        if rate:
            parts.append(self.tr("{rate} tokens/s").format(rate=f"{rate:.1f}"))
        return " · ".join(parts)

    def _set_sources(self, citations: Sequence[dict[str, object]]) -> None:
        while self._sources_row.count():
            item = self._sources_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        shown = [c for c in citations if c.get("cited")] or list(citations)
        for cite in shown:
            marker = int(str(cite["marker"]))
            chip = QPushButton(
                self.tr("[{n}] {document} · v{version}").format(
                    n=marker, document=cite.get("document", ""), version=cite.get("version", "")
                ),
                self.sources,
            )
            chip.setObjectName("citationChip")
            chip.setFlat(True)
            tip = self.tr("Open the passage and its document version")
            if cite.get("heading"):
                section = self.tr("Section: {heading}").format(heading=cite["heading"])
                tip = f"{section}\n{tip}"
            chip.setToolTip(plain_tip(tip))  # the heading is the document's text
            chip.clicked.connect(lambda _=False, m=marker: self.citation_requested.emit(m))
            self._sources_row.addWidget(chip)
        self._sources_row.addStretch(1)
        self.sources.setVisible(bool(shown))

    def _update_actions(self) -> None:
        for button in (self.copy_button, self.up_button, self.down_button):
            button.setVisible(self._finished)
        self.regenerate_button.setVisible(self._finished and self._last)

    def _on_copy_clicked(self) -> None:
        self.copy_requested.emit()
        self.copy_button.setText(self.tr("Copied"))
        QTimer.singleShot(
            COPIED_FEEDBACK_MS, self, lambda: self.copy_button.setText(self.tr("Copy"))
        )

    def _on_rate_clicked(self, rating: str) -> None:
        self.set_rating(self.rating)  # undo the click's own toggle until it is stored
        self.rate_requested.emit(rating)


class IntroPanel(QFrame):
    """An empty conversation: the app's opening statement and suggested questions."""

    question_clicked = Signal(str)

    def __init__(
        self, opening: str, questions: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chatIntro")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self.opening = MarkdownBrowser(self)
        self.opening.setObjectName("openingStatement")
        self.opening.set_markdown(opening)
        self.opening.setVisible(bool(opening.strip()))
        layout.addWidget(self.opening)
        if not opening.strip() and not questions:
            hint = PlainLabel(self.tr("Ask anything to start the conversation."), self)
            hint.setObjectName("emptyState")
            layout.addWidget(hint)
        self.buttons: list[QPushButton] = []
        for question in questions:
            button = QPushButton(question, self)
            button.setObjectName("suggestedQuestion")
            button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _=False, q=question: self.question_clicked.emit(q))
            layout.addWidget(button)
            self.buttons.append(button)
