"""A conversation leaves Kura only when its user asks: as Markdown (a save dialog) or
through Qt's printer, to paper or straight to a PDF file the user chose. Nothing passes
through a temporary file, and the file dialogs are Qt's own (no recent-files record)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

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


#: ``fetch(target, then)``: read (title, turns) of the conversation on show through the
#: service, which audits the export, and call ``then(title, turns)`` on the GUI thread.
Fetch = Callable[[str, Callable[[str, Sequence[Turn]], None]], None]


def file_name(title: str, suffix: str) -> str:
    """A file name proposed from a conversation's title (no folder separators)."""
    cleaned = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in title).strip()
    return f"{cleaned[:80] or 'Kura'}{suffix}"


class ExportButton(QToolButton):
    """Export ▾: Markdown, PDF, print. ``fetch`` reads the conversation (audited)."""

    def __init__(
        self, fetch: Fetch, ready: Callable[[], bool], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportButton")
        self.setText(self.tr("Export"))
        self.setToolTip(self.tr("Save this conversation as Markdown or PDF, or print it"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMinimumWidth(self.sizeHint().width() + 16)  # room for the menu arrow
        self._fetch = fetch
        self.title: Callable[[], str] = lambda: ""  # proposed as the file name
        menu = QMenu(self)
        menu.addAction(self.tr("Markdown…"), self.export_markdown)
        menu.addAction(self.tr("PDF…"), self.export_pdf)
        menu.addAction(self.tr("Print…"), self.print_conversation)
        # nothing to export before the first answer is stored (or while one streams)
        self._ready = ready
        menu.aboutToShow.connect(self._enable_actions)
        self.setMenu(menu)

    def _enable_actions(self) -> None:
        ready = self._ready()
        for action in self.menu().actions():
            action.setEnabled(ready)

    def _markdown(self, title: str, turns: Sequence[Turn]) -> str:
        return conversation_markdown(title, turns, self.tr("You"), self.tr("Assistant"))

    def export_markdown(self) -> None:
        name = file_name(self.title(), ".md")
        path = save_file(self, self.tr("Export as Markdown"), name, "Markdown (*.md)")
        if path:

            def write(title: str, turns: Sequence[Turn]) -> None:
                Path(path).write_text(self._markdown(title, turns), encoding="utf-8")

            self._fetch("markdown", write)

    def export_pdf(self) -> None:
        name = file_name(self.title(), ".pdf")
        path = save_file(self, self.tr("Export as PDF"), name, "PDF (*.pdf)")
        if path:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(path)
            self._fetch("pdf", lambda t, turns: print_markdown(self._markdown(t, turns), printer))

    def print_conversation(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._fetch("print", lambda t, turns: print_markdown(self._markdown(t, turns), printer))
