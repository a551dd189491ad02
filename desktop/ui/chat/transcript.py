"""The scrolling column of messages. It follows a streaming answer down unless the user
has scrolled up to read something earlier."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from desktop.core.chat_models import Turn
from desktop.ui.chat.messages import AnswerBubble, IntroPanel, UserBubble

FOLLOW_SLACK_PX = 24


class Transcript(QScrollArea):
    """Messages top to bottom; signals carry what the view needs to act."""

    question_clicked = Signal(str)
    edit_requested = Signal(int, str)  # (index of the message, its text)
    copy_requested = Signal(str)
    regenerate_requested = Signal()
    rate_requested = Signal(object, str)  # (AnswerBubble, "up" | "down")
    citation_requested = Signal(int, int)  # (turn id, marker)
    link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcript")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setObjectName("transcriptBody")
        self._column = QVBoxLayout(body)
        self._column.setContentsMargins(24, 16, 24, 16)
        self._column.setSpacing(12)
        self._column.addStretch(1)
        self.setWidget(body)
        self.intro: IntroPanel | None = None
        self.answers: list[AnswerBubble] = []
        self.questions: list[UserBubble] = []
        self._follow = True
        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_scrollbar_range_changed)
        bar.valueChanged.connect(self._on_scrollbar_value_changed)

    # ------------------------------------------------------------------ content

    def clear(self) -> None:
        for widget in [self.intro, *self.questions, *self.answers]:
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()
        self.intro = None
        self.questions, self.answers = [], []
        self._follow = True

    def show_intro(self, opening: str, questions: Sequence[str]) -> None:
        self.clear()
        self.intro = IntroPanel(opening, questions, self.widget())
        self.intro.question_clicked.connect(self.question_clicked)
        self._insert(self.intro)

    def show_turns(self, turns: Sequence[Turn], ratings: Mapping[int, str] | None = None) -> None:
        """The stored turns, each answer with the user's own rating of it, if any."""
        self.clear()
        for i, turn in enumerate(turns):
            self._add_question(turn.user_text)
            answer = self._add_answer()
            answer.finish(turn, last=i == len(turns) - 1)
            answer.set_rating((ratings or {}).get(turn.id))
        self._follow = True

    def ratings(self) -> dict[int, str]:
        """The rating shown on each rated answer, by turn id."""
        return {a.turn.id: a.rating for a in self.answers if a.turn is not None and a.rating}

    def add_exchange(self, question: str) -> AnswerBubble:
        """A new question and its (streaming) answer at the end."""
        if self.intro is not None:
            self.intro.setParent(None)
            self.intro.deleteLater()
            self.intro = None
        if self.answers:
            self.answers[-1].set_last(False)
        self._add_question(question)
        answer = self._add_answer()
        answer.start_stream()
        self._follow = True
        return answer

    def drop_last_exchange(self) -> None:
        """Remove the last question and answer (the turn failed and was not kept)."""
        for items in (self.questions, self.answers):
            if items:
                widget = items.pop()
                widget.setParent(None)
                widget.deleteLater()
        if self.answers:
            self.answers[-1].set_last(True)

    def hide_from(self, index: int) -> None:
        """Hide message ``index`` and everything after it (an edit is replacing them)."""
        for widget in [*self.questions[index:], *self.answers[index:]]:
            widget.hide()

    def unhide_all(self) -> None:
        for widget in [*self.questions, *self.answers]:
            widget.show()

    def mark_editing(self, index: int | None) -> None:
        """Mark message ``index`` as the one being edited (None: no message)."""
        for i, question in enumerate(self.questions):
            question.set_editing(i == index)

    def last_answer(self) -> AnswerBubble | None:
        return self.answers[-1] if self.answers else None

    # ------------------------------------------------------------------ helpers

    def _insert(self, widget: QWidget) -> None:
        self._column.insertWidget(self._column.count() - 1, widget)

    def _add_question(self, text: str) -> None:
        bubble = UserBubble(text, self.widget())
        bubble.edit_requested.connect(
            lambda text: self.edit_requested.emit(self.questions.index(bubble), text)
        )
        self.questions.append(bubble)
        self._insert(bubble)

    def _add_answer(self) -> AnswerBubble:
        bubble = AnswerBubble(self.widget())
        bubble.copy_requested.connect(lambda: self.copy_requested.emit(bubble.plain_answer()))
        bubble.regenerate_requested.connect(self.regenerate_requested)
        bubble.rate_requested.connect(lambda rating: self.rate_requested.emit(bubble, rating))
        bubble.citation_requested.connect(lambda marker: self._on_answer_citation(bubble, marker))
        bubble.link_clicked.connect(self.link_clicked)
        self.answers.append(bubble)
        self._insert(bubble)
        return bubble

    def _on_answer_citation(self, bubble: AnswerBubble, marker: int) -> None:
        if bubble.turn is not None:
            self.citation_requested.emit(bubble.turn.id, marker)

    def _on_scrollbar_range_changed(self, _low: int, high: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(high)

    def _on_scrollbar_value_changed(self, value: int) -> None:
        self._follow = value >= self.verticalScrollBar().maximum() - FOLLOW_SLACK_PX
