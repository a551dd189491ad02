"""Small dialogs of the chat screen: a cited passage with its document version,
feedback (thumbs up or down with an optional comment) on an answer, and the model a
quick chat talks to."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.services.passages import CitedPassage
from desktop.ui.plain import PlainLabel, ask_item
from desktop.ui.widgets import page_title


class CitationDialog(QDialog):
    """The passage behind ``[n]``: its knowledge base, document, version and text."""

    def __init__(self, passage: CitedPassage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("citationDialog")
        self.setWindowTitle(self.tr("Source [{n}]").format(n=passage.marker))
        self.resize(560, 420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        title = page_title(passage.document, self)
        layout.addWidget(title)
        self.version_label = PlainLabel(self._version_text(passage), self)
        self.version_label.setObjectName("citationVersion")
        self.version_label.setWordWrap(True)
        layout.addWidget(self.version_label)
        if passage.heading:
            heading = PlainLabel(
                self.tr("Section: {heading}").format(heading=passage.heading), self
            )
            heading.setWordWrap(True)
            layout.addWidget(heading)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("passageText")
        self.text.setReadOnly(True)
        self.text.setPlainText(passage.text)
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _version_text(self, passage: CitedPassage) -> str:
        where = self.tr("Knowledge base “{kb}”, version {version}").format(
            kb=passage.kb_name, version=passage.version
        )
        if passage.active:
            return self.tr("{where} (the current version)").format(where=where)
        return self.tr("{where} — a newer version has replaced it since this answer").format(
            where=where
        )


class FeedbackDialog(QDialog):
    """Confirms a thumbs up or down and takes an optional comment."""

    def __init__(self, rating: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackDialog")
        self.rating = rating
        up = rating == "up"
        self.setWindowTitle(self.tr("Helpful answer") if up else self.tr("Unhelpful answer"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        prompt = (
            self.tr("What was good about this answer? (optional)")
            if up
            else self.tr("What was wrong with this answer? (optional)")
        )
        layout.addWidget(PlainLabel(prompt, self))
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("feedbackComment")
        self.comment.setPlaceholderText(self.tr("Add a comment for whoever reviews the logs"))
        layout.addWidget(self.comment)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        send = buttons.button(QDialogButtonBox.StandardButton.Ok)
        send.setText(self.tr("Send feedback"))
        send.setObjectName("sendFeedback")
        send.setProperty("primary", True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()


def choose_model(parent: QWidget, names: list[str]) -> str | None:
    """Ask which model a quick chat talks to; None when cancelled."""
    if not names:
        return None
    title = QCoreApplication.translate("QuickChat", "New quick chat")
    label = QCoreApplication.translate("QuickChat", "Chat with model:")
    return ask_item(parent, title, label, names)
