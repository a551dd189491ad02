"""A conversation leaves Kura only when its user asks: as Markdown (a save dialog) or
through Qt's printer, to paper or straight to a PDF file the user chose. Nothing passes
through a temporary file, and the file dialogs are Qt's own (no recent-files record)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMenu, QToolButton, QWidget

from desktop.core.chat_models import Turn
from desktop.ui.chat.markdown import document_style, render_markdown
from desktop.ui.file_dialogs import save_file


def conversation_markdown(title: str, turns: Sequence[Turn], you: str, assistant: str) -> str:
    """The conversation as Markdown: a heading, then each message under its speaker."""
    parts = [f"# {title}"]
    for turn in turns:
        quoted = "\n".join(f"> {line}" if line else ">" for line in turn.user_text.splitlines())
        parts += [f"**{you}:**\n\n{quoted}", f"**{assistant}:**\n\n{turn.answer}"]
    return "\n\n".join(parts) + "\n"


def print_markdown(text: str, printer: QPrinter) -> None:
    document = QTextDocument()
    document.setDefaultStyleSheet(document_style(False))
    document.setHtml(render_markdown(text))
    document.print_(printer)


class ExportButton(QToolButton):
    """Export ▾: Markdown, PDF, print. ``source`` gives (title, turns) to export."""

    def __init__(
        self, source: Callable[[], tuple[str, Sequence[Turn]]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportButton")
        self.setText(self.tr("Export"))
        self.setToolTip(self.tr("Save this conversation as Markdown or PDF, or print it"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._source = source
        menu = QMenu(self)
        menu.addAction(self.tr("Markdown…"), self.export_markdown)
        menu.addAction(self.tr("PDF…"), self.export_pdf)
        menu.addAction(self.tr("Print…"), self.print_conversation)
        self.setMenu(menu)

    def _markdown(self) -> tuple[str, str]:
        title, turns = self._source()
        text = conversation_markdown(title, turns, self.tr("You"), self.tr("Assistant"))
        return title, text

    def export_markdown(self) -> None:
        title, text = self._markdown()
        path = save_file(self, self.tr("Export as Markdown"), f"{title}.md", "Markdown (*.md)")
        if path:
            Path(path).write_text(text, encoding="utf-8")

    def export_pdf(self) -> None:
        title, text = self._markdown()
        path = save_file(self, self.tr("Export as PDF"), f"{title}.pdf", "PDF (*.pdf)")
        if path:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
            print_markdown(text, printer)

    def print_conversation(self) -> None:
        _title, text = self._markdown()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_markdown(text, printer)


def export_source(owner: QObject) -> Callable[[], tuple[str, Sequence[Turn]]]:
    """(title, turns) of the conversation ``owner`` (a ConversationView) shows."""

    def source() -> tuple[str, Sequence[Turn]]:
        app = getattr(owner, "_app", None)
        title = app.config.name if app is not None else "Kura"
        return title, list(getattr(owner, "_turns", []))

    return source
