"""The right-hand side of the chat screen: the app's name and model (with the memory it
will need), the transcript, the variable form, the message box with Send and Stop, and
the context gauge. "Read every document" beside Send asks the next question of every
passage of the app's documents (exhaustive mode) or not, whatever the app's setting."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QToolButton, QVBoxLayout, QWidget

from desktop.core.chat_models import AUTO, AppConfig, ModelRecord, Turn
from desktop.core.model_memory import estimate_memory
from desktop.ui.chat.composer import ComposerEdit
from desktop.ui.chat.export import ExportButton, Fetch
from desktop.ui.chat.gauge import ContextGauge
from desktop.ui.chat.transcript import Transcript
from desktop.ui.chat.variables import VariableForm
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.widgets import page_title, primary_button

COMPOSER_HEIGHT = 84


class ChatPane(QWidget):
    """Widgets only; the view decides what they show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPane")
        main = QVBoxLayout(self)
        main.setContentsMargins(16, 12, 16, 12)
        main.setSpacing(8)
        self.app_title = page_title("", self)
        title_row = QHBoxLayout()
        title_row.addWidget(self.app_title, 1)
        self.export_button = ExportButton(self._exported, self._export_ready, self)
        title_row.addWidget(self.export_button)
        main.addLayout(title_row)
        # set by the view: reads the conversation on show through the service (audited)
        self.export_fetch: Fetch = lambda _target, _then: None
        self.export_ready: Callable[[], bool] = lambda: False
        self.export_title: Callable[[], str] = lambda: ""  # proposed as the file name
        self.model_label = PlainLabel(self)
        self.model_label.setObjectName("modelLabel")
        main.addWidget(self.model_label)
        self.model: ModelRecord | None = None
        self.app_description = PlainLabel(self)
        self.app_description.setObjectName("appDescription")
        self.app_description.setWordWrap(True)
        main.addWidget(self.app_description)
        self.message = InlineMessage(self)
        main.addWidget(self.message)
        self.empty = PlainLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        main.addWidget(self.empty, 1)
        self.empty_action = QPushButton(self)
        self.empty_action.setObjectName("emptyStateAction")
        self.empty_action.hide()
        main.addWidget(self.empty_action, 0, Qt.AlignmentFlag.AlignHCenter)
        main.addSpacing(24)
        self.transcript = Transcript(self)
        main.addWidget(self.transcript, 1)
        self.variables = VariableForm(self)
        main.addWidget(self.variables)
        main.addLayout(self._composer_row())
        self.composer_message = InlineMessage(self)
        main.addWidget(self.composer_message)
        self.gauge = ContextGauge(self)
        main.addWidget(self.gauge)

    def _composer_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.composer = ComposerEdit(self)
        self.composer.setFixedHeight(COMPOSER_HEIGHT)
        self.composer.setPlaceholderText(
            self.tr("Type a message — Enter sends, Shift+Enter starts a new line")
        )
        row.addWidget(self.composer, 1)
        self.cancel_edit_button = QPushButton(self.tr("Cancel edit"), self)
        self.cancel_edit_button.setObjectName("cancelEditButton")
        self.cancel_edit_button.setToolTip(self.tr("Keep the conversation as it is (Esc)"))
        self.cancel_edit_button.hide()
        row.addWidget(self.cancel_edit_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.read_all_button = QToolButton(self)
        self.read_all_button.setObjectName("readAllButton")
        self.read_all_button.setText(self.tr("Read every document"))
        self.read_all_button.setCheckable(True)
        self.read_all_button.setToolTip(
            self.tr(
                "Have the model read every passage of this chat's documents for the "
                "question, in batches: slower, for questions like “list every …” or "
                "“how many …”"
            )
        )
        self.read_all_button.hide()
        self._read_all_offered = False
        row.addWidget(self.read_all_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.send_button = primary_button(self.tr("Send"), "sendButton", self)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc); what was written is kept"))
        self.stop_button.hide()
        row.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignBottom)
        return row

    def offer_read_all(self, offered: bool, checked: bool | None = None) -> None:
        """Show "Read every document" only when the chat has documents to read (the
        app's knowledge bases, files dropped on it); ``checked``: its state, if given."""
        self._read_all_offered = offered
        self.read_all_button.setVisible(offered)
        if checked is not None:
            self.read_all_button.setChecked(checked)

    def read_all(self) -> bool | None:
        """The choice for the next question: None (the app's setting) when not offered."""
        return self.read_all_button.isChecked() if self._read_all_offered else None

    def show_app(self, config: AppConfig, model: ModelRecord | None) -> None:
        self.app_title.setText(config.name)
        self.app_description.setText(config.description)
        self.app_description.setVisible(bool(config.description))
        self.model = model
        self.gauge.set_context_length(model.settings.n_ctx if model is not None else None)
        if model is not None:
            self.model_label.setText(
                self.tr("Model: {name} · {memory}").format(
                    name=model.name, memory=self.memory_text()
                )
            )
        self.model_label.setVisible(model is not None)

    def memory_text(self) -> str:
        """What the model will need once loaded (RAM, and VRAM when layers go to a GPU)."""
        model = self.model
        if model is None:
            return ""
        layers = model.settings.n_gpu_layers
        need = estimate_memory(
            model.size, model.info, model.settings.n_ctx, 0 if layers == AUTO else int(layers)
        )
        if need.vram_bytes:
            return self.tr("needs about {ram} of memory and {vram} of GPU memory").format(
                ram=_size(need.ram_bytes), vram=_size(need.vram_bytes)
            )
        return self.tr("needs about {ram} of memory").format(ram=_size(need.ram_bytes))

    def loading_text(self, percent: int) -> str:
        """The answer's status while its model loads."""
        name = self.model.name if self.model is not None else ""
        return self.tr("Loading {model}: {percent}% · {memory}").format(
            model=name, percent=percent, memory=self.memory_text()
        )

    def _exported(self, target: str, then: Callable[[str, Sequence[Turn]], None]) -> None:
        self.export_fetch(target, then)

    def _export_ready(self) -> bool:
        return self.export_ready()

    def set_usable(self, usable: bool, empty_text: str, action: str = "") -> None:
        """Without an app to chat with, only the empty-state text shows, with a button
        (``action``, its label) when there is something the user can do about it."""
        self.empty.setText(empty_text)
        self.empty.setVisible(not usable)
        self.empty_action.setText(action)
        self.empty_action.setVisible(not usable and bool(action))
        for widget in (self.transcript, self.app_title, self.gauge, self.export_button):
            widget.setVisible(usable)
        self.model_label.setVisible(usable and self.model is not None)
        self.app_description.setVisible(usable and bool(self.app_description.text()))
        self.composer.setEnabled(usable)
        self.composer.setVisible(usable)
        self.send_button.setEnabled(usable)
        self.send_button.setVisible(usable)
        self.read_all_button.setVisible(usable and self._read_all_offered)
        if not usable:
            self.variables.hide()

    def set_streaming(self, streaming: bool) -> None:
        """Stop replaces Send while an answer streams; the box stays editable."""
        self.send_button.setVisible(not streaming)
        self.stop_button.setVisible(streaming)
        self.stop_button.setEnabled(True)
        self.stop_button.setText(self.tr("Stop"))
        self.read_all_button.setEnabled(not streaming)
        self.variables.setEnabled(not streaming)
        if streaming:
            self.gauge.show_streaming()

    def set_editing(self, editing: bool) -> None:
        """While an earlier message is being edited, Send replaces it and Cancel shows."""
        self.cancel_edit_button.setVisible(editing)
        self.send_button.setText(self.tr("Send edit") if editing else self.tr("Send"))

    def set_stopping(self) -> None:
        self.stop_button.setEnabled(False)
        self.stop_button.setText(self.tr("Stopping…"))


def _size(count: int) -> str:
    """Bytes as GB with one decimal (MB below 1 GB)."""
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GB"
    return f"{max(1, round(count / (1 << 20)))} MB"
