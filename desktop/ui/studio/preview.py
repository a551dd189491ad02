"""A small chat beside the editor that talks to the *saved* app on the inference lane.

Answers are rendered from Markdown with raw HTML disabled, into a browser that loads
no resource at all (no remote images, no files), and whose links do not open.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import AppRecord
from desktop.core.services.chat import TurnResult
from desktop.ui.chat.markdown import NoResourceBrowser, render_markdown
from desktop.ui.chat.streaming import send_op
from desktop.ui.chat.variables import variable_label
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.knowledge.widgets import Panel
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, Task
from desktop.ui.widgets import primary_button


@dataclass
class _Turn:
    user: str
    answer: str = ""
    stopped: bool = False


class PreviewChat(Panel):
    """Chat with the saved version of the app being edited."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("previewChat")
        self.app: AppRecord | None = None
        self.dirty = False
        self.conversation_id: int | None = None
        self.turns: list[_Turn] = []
        self._task: Task | None = None
        self._var_edits: dict[str, QLineEdit] = {}
        self._build()
        self._refresh()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_head())
        self.notice = PlainLabel(self)
        self.notice.setObjectName("previewNotice")
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)
        self.variables_box = QWidget(self)
        self.variables_box.setObjectName("previewVariables")
        self._variables_form = QFormLayout(self.variables_box)
        self._variables_form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.variables_box)
        self.transcript = NoResourceBrowser(self)
        self.transcript.setObjectName("previewTranscript")
        self.transcript.setPlaceholderText(self.tr("The preview conversation appears here."))
        layout.addWidget(self.transcript, 1)
        self.suggestions = QWidget(self)
        self.suggestions.setObjectName("previewSuggestions")
        self._suggestions_layout = QVBoxLayout(self.suggestions)
        self._suggestions_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.suggestions)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        layout.addLayout(self._build_input())

    def _build_head(self) -> QHBoxLayout:
        head = QHBoxLayout()
        title = PlainLabel(self.tr("Preview"), self)
        title.setObjectName("sectionTitle")
        self.restart_button = QPushButton(self.tr("Restart"), self)
        self.restart_button.setObjectName("previewRestart")
        self.restart_button.setToolTip(self.tr("Start a new preview conversation"))
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.restart_button)
        self.restart_button.clicked.connect(self.restart)
        return head

    def _build_input(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.input = QLineEdit(self)
        self.input.setObjectName("previewInput")
        self.input.setPlaceholderText(self.tr("Ask the app something…"))
        self.send_button = primary_button(self.tr("Send"), "previewSend", self)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("previewStop")
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.stop_button)
        self.input.returnPressed.connect(self._on_send_clicked)
        self.send_button.clicked.connect(self._on_send_clicked)
        self.stop_button.clicked.connect(self._on_stop_clicked)
        return row

    # ------------------------------------------------------------------ state

    @property
    def streaming(self) -> bool:
        return self._task is not None

    def set_app(self, app: AppRecord | None) -> None:
        """Preview ``app`` (its saved version) from a fresh conversation."""
        self.app = app
        self.dirty = False
        self._build_variables()
        self.restart()

    def set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self._refresh()

    def restart(self) -> None:
        self.teardown()  # a running answer is dropped
        self._task = None
        self.conversation_id = None
        self.turns = []
        self.message.clear_message()
        self._build_suggestions()
        self._refresh()

    def _build_variables(self) -> None:
        while self._variables_form.rowCount():
            self._variables_form.removeRow(0)
        self._var_edits = {}
        labels = self.app.config.labels if self.app else {}
        for name in self.app.config.variables if self.app else ():
            shown = labels.get(name) or variable_label(name)
            edit = QLineEdit(self.variables_box)
            edit.setObjectName(f"previewVar_{name}")
            edit.setPlaceholderText(self.tr("Value for {name}").format(name=shown))
            self._variables_form.addRow(PlainLabel(shown, self.variables_box), edit)
            self._var_edits[name] = edit

    def _build_suggestions(self) -> None:
        while self._suggestions_layout.count():
            item = self._suggestions_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for question in self.app.config.suggested_questions if self.app else ():
            button = QPushButton(question, self.suggestions)
            button.setObjectName("previewSuggestion")
            button.setFlat(True)
            button.clicked.connect(lambda _=False, q=question: self.send(q))
            self._suggestions_layout.addWidget(button)

    def _refresh(self) -> None:
        ready = self.app is not None and not self.dirty
        if self.app is None:
            self.notice.setText(self.tr("Save the app to preview it here."))
        elif self.dirty:
            self.notice.setText(self.tr("Save to preview: the preview uses the saved app."))
        else:
            self.notice.setText(
                self.tr("Previewing version {version}.").format(version=self.app.version)
            )
        self.notice.setProperty("kind", "info" if ready else "warning")
        busy = self.streaming
        self.input.setEnabled(ready)
        self.send_button.setVisible(not busy)
        self.send_button.setEnabled(ready)
        self.stop_button.setVisible(busy)
        self.restart_button.setEnabled(self.app is not None)
        started = self.conversation_id is not None or bool(self.turns)
        self.variables_box.setVisible(bool(self._var_edits) and not started)
        self.suggestions.setVisible(ready and not started)
        self._render()

    def _render(self) -> None:
        parts: list[str] = []
        name = html.escape(self.app.config.name) if self.app else ""
        if self.app is not None and self.app.config.opening_statement.strip():
            parts.append(f"<p><b>{name}</b></p>")
            parts.append(render_markdown(self.app.config.opening_statement))
        you = html.escape(self.tr("You"))
        for turn in self.turns:
            text = html.escape(turn.user).replace("\n", "<br>")
            parts.append(f"<p><b>{you}</b><br>{text}</p>")
            parts.append(f"<p><b>{name}</b></p>")
            parts.append(render_markdown(turn.answer or "…"))
            if turn.stopped:
                parts.append(f"<p><i>{html.escape(self.tr('(stopped)'))}</i></p>")
        self.transcript.setHtml("".join(parts))
        bar = self.transcript.verticalScrollBar()
        bar.setValue(bar.maximum())

    # ------------------------------------------------------------------ sending

    def _on_send_clicked(self) -> None:
        text = self.input.text().strip()
        if text:
            self.send(text)

    def send(self, text: str) -> None:
        if self.app is None or self.dirty or self.streaming:
            return
        variables = {name: edit.text() for name, edit in self._var_edits.items()}
        missing = [name for name, value in variables.items() if not value.strip()]
        if self.conversation_id is None and missing:
            self.message.show_error(self.tr("Fill in: {names}").format(names=", ".join(missing)))
            return
        self.message.clear_message()
        self.input.clear()
        self.turns.append(_Turn(text))
        actor, app_id, conversation_id = self.ctx.actor(), self.app.id, self.conversation_id

        op = send_op(
            actor, app_id, text, conversation_id, variables if conversation_id is None else None
        )
        self._task = self.run(
            Lane.INFERENCE,
            op,
            key="preview",
            on_chunk=self._on_chat_chunk,
            on_done=self._on_chat_done,
            on_failed=self._on_chat_failed,
        )
        self._refresh()

    def _on_chat_chunk(self, text: str) -> None:
        if self.turns:
            self.turns[-1].answer += text
            self._render()

    def _on_chat_done(self, result: TurnResult) -> None:
        self._task = None
        self.conversation_id = result.conversation_id
        if self.turns:
            self.turns[-1].answer = result.turn.answer
            self.turns[-1].stopped = result.turn.stop_reason == "cancelled"
        self._refresh()

    def _on_chat_failed(self, exc: BaseException) -> None:
        self._task = None
        if self.turns:
            failed = self.turns.pop()
            self.input.setText(failed.user)
        self.message.show_error(exc)
        self._refresh()

    def _on_stop_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
