"""One chat turn's full trace: what was asked (and with which app, model and settings),
the passages retrieved for it, what was answered, the user's feedback, and the
reviewers' annotations with an editor for a new one."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage, describe
from desktop.ui.logs.model import when
from desktop.ui.pii_words import PiiWords
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane
from desktop.ui.widgets import primary_button


def _text_box(text: str, name: str, parent: QWidget, height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text, parent)
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box.setMinimumHeight(height)
    box.setMaximumHeight(height * 3)
    return box


def _value(text: object, parent: QWidget) -> QLabel:
    label = PlainLabel(str(text), parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TraceDialog(QDialog):
    """Read-only sections over an annotation editor; ``annotation_did_save(turn_id)``
    fires after ``LogService.annotate`` stored a new one."""

    annotation_did_save = Signal(int)

    def __init__(
        self, ctx: UiContext, trace: dict[str, Any], app_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.trace = trace
        self.body: dict[str, Any] = trace.get("trace") or {}
        self.turn_id: int | None = self.body.get("turn_id")
        self.setObjectName("traceDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Turn {id}").format(id=self.turn_id or "?"))
        self.resize(760, 720)
        self.finished.connect(self._on_finished)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._build_sections(scroll, app_name))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def _build_sections(self, scroll: QScrollArea, app_name: str) -> QWidget:
        inner = QWidget(scroll)
        column = QVBoxLayout(inner)
        column.setSpacing(12)
        if self.trace.get("purged"):
            note = _value(
                self.tr(
                    "Retention removed this turn's content; only its place in the audit "
                    "chain remains."
                ),
                inner,
            )
            note.setObjectName("emptyState")
            column.addWidget(note)
        else:
            column.addWidget(self._input_section(inner, app_name))
            column.addWidget(self._retrieved_section(inner))
            column.addWidget(self._output_section(inner))
            column.addWidget(self._feedback_section(inner))
            column.addWidget(self._annotation_section(inner))
        column.addStretch(1)
        return inner

    # ------------------------------------------------------------------ sections

    def _input_section(self, parent: QWidget, app_name: str) -> QGroupBox:
        box = QGroupBox(self.tr("Input"), parent)
        form = QFormLayout(box)
        body = self.body
        model = body.get("model") or {}
        form.addRow(self.tr("When"), _value(when(str(self.trace.get("ts", ""))), box))
        form.addRow(self.tr("User"), _value(self.trace.get("user", ""), box))
        app = self.tr("{name}, version {version}").format(
            name=app_name, version=body.get("app_version", "?")
        )
        form.addRow(self.tr("App"), _value(app, box))
        form.addRow(self.tr("Model"), _value(model.get("name", ""), box))
        if model.get("template"):
            form.addRow(self.tr("Chat template"), _value(self._template(model["template"]), box))
        form.addRow(self.tr("Parameters"), _value(self._params(), box))
        if body.get("variables"):
            variables = json.dumps(body["variables"], ensure_ascii=False)
            form.addRow(self.tr("Variables"), _value(variables, box))
        if body.get("dropped_turns"):
            dropped = self.tr("{n} earlier turns left out to fit the context")
            form.addRow(self.tr("Context"), _value(dropped.format(n=body["dropped_turns"]), box))
        if isinstance(body.get("pii"), dict):
            form.addRow(self.tr("Personal data"), self._pii_value(body["pii"], box))
        form.addRow(self.tr("Message"), _text_box(str(body.get("input", "")), "traceInput", box))
        return box

    def _pii_value(self, pii: dict[str, Any], parent: QWidget) -> QLabel:
        """The turn's policies and how many values of each type were masked (no values)."""
        words = PiiWords(parent)
        label = _value(
            self.tr("{masked} (minimise logs {minimise}, pseudonymise {pseudonymise})").format(
                masked=words.masked(dict(pii.get("masked") or {})),
                minimise=words.policy(bool(pii.get("minimise_logs"))),
                pseudonymise=words.policy(bool(pii.get("pseudonymise"))),
            ),
            parent,
        )
        label.setObjectName("tracePii")
        return label

    def _template(self, kind: str) -> str:
        names = {
            "model": self.tr("the model's own"),
            "plain": self.tr("built-in: plain question and answer text (base model)"),
            "chatml": self.tr("built-in: ChatML"),
        }
        return names.get(kind, kind)

    def _params(self) -> str:
        names = {
            "temperature": self.tr("Temperature"),
            "top_p": self.tr("Top-p"),
            "top_k": self.tr("Top-k"),
            "max_tokens": self.tr("Max answer tokens"),
            "repeat_penalty": self.tr("Repeat penalty"),
            "seed": self.tr("Seed"),
            "seed_used": self.tr("Seed used"),
        }
        params = self.body.get("params") or {}
        return ", ".join(
            f"{names.get(key, key)} {value}" for key, value in params.items() if value is not None
        )

    def _stop_reason(self) -> str:
        reason = str(self.body.get("stop_reason", ""))
        names = {
            "stop": self.tr("the answer was complete"),
            "length": self.tr("the length limit"),
            "cancelled": self.tr("stopped by the user"),
            "failed": self.tr("the model failed"),
        }
        return names.get(reason, reason)

    def _retrieved_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Retrieved passages"), parent)
        layout = QVBoxLayout(box)
        hits = self.body.get("retrieved") or []
        if not hits:
            none = self.tr("No passages: the app has no knowledge base, or nothing matched.")
            layout.addWidget(_value(none, box))
            return box
        headers = [
            self.tr("Document"),
            self.tr("Version"),
            self.tr("Passage"),
            self.tr("Characters"),
            self.tr("Score"),
            self.tr("Cited"),
        ]
        table = QTableWidget(len(hits), len(headers), box)
        table.setObjectName("retrievedTable")
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        hidden = self.tr("(a knowledge base you may not read)")
        for row, hit in enumerate(hits):
            span = hit.get("span") or ["", ""]
            marker = f"[{hit.get('marker', row + 1)}]"
            cited = "✓" if hit.get("cited") else ""
            cells = (
                [hidden, "", marker, "", "", cited]
                if hit.get("hidden")
                else [
                    hit.get("document", ""),
                    hit.get("version", ""),
                    f"{marker} #{hit.get('chunk', '')}",
                    f"{span[0]}–{span[1]}",
                    f"{float(hit.get('score', 0.0)):.3f}",
                    cited,
                ]
            )
            for col, cell in enumerate(cells):
                table.setItem(row, col, QTableWidgetItem(str(cell)))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(min(60 + 30 * len(hits), 220))
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        layout.addWidget(table)
        self.passage_text = _text_box(self.tr("Loading the passage text…"), "passageText", box)
        layout.addWidget(self.passage_text)
        self._hits = hits
        self._passages: dict[int, Any] = {}
        table.currentCellChanged.connect(self._on_table_current_changed)
        self._retrieved_table = table
        self._load_passages()
        return box

    def _load_passages(self) -> None:
        if self.turn_id is None:
            return
        actor, turn_id = self.ctx.actor(), int(self.turn_id)
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.logs.trace_passages(actor, turn_id),
            on_done=self._on_passages_loaded,
            on_failed=lambda exc: self.passage_text.setPlainText(describe(exc) or ""),
            owner=self,
            key="passages",
        )

    def _on_passages_loaded(self, passages: list[Any]) -> None:
        self._passages = {p.marker: p for p in passages}
        self._retrieved_table.setCurrentCell(0, 0)
        self._on_table_current_changed(0, 0, -1, -1)

    def _on_table_current_changed(self, row: int, _col: int, _prev: int, _pcol: int) -> None:
        if not 0 <= row < len(self._hits):
            return
        marker = int(self._hits[row].get("marker", row + 1))
        passage = self._passages.get(marker)
        if passage is None and self._hits[row].get("hidden"):
            self.passage_text.setPlainText(
                self.tr("This passage is from a knowledge base you may not read.")
            )
            return
        if passage is None:
            self.passage_text.setPlainText(
                self.tr("The text of this passage is no longer stored (its document was removed).")
            )
            return
        current = self.tr("current version") if passage.active else self.tr("older version")
        head = self.tr("[{marker}] {document} · version {version} ({state})").format(
            marker=marker, document=passage.document, version=passage.version, state=current
        )
        self.passage_text.setPlainText(f"{head}\n\n{passage.text}")

    def _output_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Output"), parent)
        form = QFormLayout(box)
        body = self.body
        usage = body.get("usage") or {}
        timings = body.get("timings") or {}
        answer = _text_box(str(body.get("output", "")), "traceOutput", box, 100)
        form.addRow(self.tr("Answer"), answer)
        tokens = self.tr("{prompt} prompt + {completion} answer").format(
            prompt=usage.get("prompt_tokens", 0), completion=usage.get("completion_tokens", 0)
        )
        form.addRow(self.tr("Tokens"), _value(tokens, box))
        timing = self.tr("first token {ttft} ms, total {total} ms, {rate} tokens/s").format(
            ttft=timings.get("ttft_ms", "?"),
            total=timings.get("total_ms", "?"),
            rate=timings.get("tokens_per_s", "?"),
        )
        form.addRow(self.tr("Timing"), _value(timing, box))
        form.addRow(self.tr("Stopped because"), _value(self._stop_reason(), box))
        return box

    def _feedback_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Feedback"), parent)
        form = QFormLayout(box)
        feedback = self.trace.get("feedback")
        if not feedback:
            form.addRow(_value(self.tr("The user has not rated this answer."), box))
            return box
        rating = {"up": self.tr("Helpful"), "down": self.tr("Not helpful")}
        label = _value(rating.get(str(feedback.get("rating")), ""), box)
        label.setObjectName("traceRating")
        form.addRow(self.tr("Rating"), label)
        form.addRow(self.tr("Comment"), _value(feedback.get("comment") or "—", box))
        return box

    def _annotation_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Annotations"), parent)
        layout = QVBoxLayout(box)
        self.annotations = PlainLabel(box)
        self.annotations.setObjectName("annotationList")
        self.annotations.setWordWrap(True)
        self.annotations.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.annotations)
        self._show_annotations(list(self.trace.get("annotations") or []))
        self.editor = QPlainTextEdit(box)
        self.editor.setObjectName("annotationEditor")
        self.editor.setPlaceholderText(self.tr("Write the answer the app should have given…"))
        self.editor.setMaximumHeight(120)
        layout.addWidget(self.editor)
        self.message = InlineMessage(box)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = primary_button(self.tr("Save annotation"), "saveAnnotation", box)
        self.save_button.clicked.connect(self._on_save_clicked)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        return box

    def _show_annotations(self, annotations: list[dict[str, Any]]) -> None:
        self.annotations.setText(
            "\n\n".join(
                self.tr("{author}, {at}:\n{answer}").format(
                    author=a.get("author", ""), at=when(str(a.get("at", ""))), answer=a["answer"]
                )
                for a in annotations
            )
            or self.tr("No annotations yet.")
        )
        self._annotations = annotations

    # ------------------------------------------------------------------ saving

    def _on_save_clicked(self) -> None:
        answer = self.editor.toPlainText().strip()
        if not answer:
            self.message.show_error(self.tr("Write the improved answer first."))
            return
        if self.turn_id is None:
            return
        try:
            actor = self.ctx.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        turn_id = int(self.turn_id)
        self.save_button.setEnabled(False)
        self.message.clear_message()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.logs.annotate(actor, turn_id, answer),
            owner=self,
            key="annotate",
            on_done=lambda _change: self._on_annotation_saved(actor.username, answer),
            on_failed=self.message.show_error,
            on_finally=lambda: self.save_button.setEnabled(True),
        )

    def _on_annotation_saved(self, author: str, answer: str) -> None:
        now = self.ctx.backend.clock.now().strftime("%Y-%m-%dT%H:%M")
        added = {"author": author, "at": now, "answer": answer}
        self._show_annotations([*self._annotations, added])
        self.editor.clear()
        self.message.show_info(self.tr("Annotation saved."))
        if self.turn_id is not None:
            self.annotation_did_save.emit(int(self.turn_id))

    def _on_finished(self, _result: int) -> None:
        self.ctx.runner.cancel_owner(self)
