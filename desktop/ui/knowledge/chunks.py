"""How a document was split: its chunks in order, each with its number, heading context
and length, and the selected chunk's text read-only and plain."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.knowledge_models import StoredChunk
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.tasks import Lane
from desktop.ui.widgets import row_table


class ChunksDialog(QDialog):
    def __init__(self, ctx: UiContext, kb_id: int, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.kb_id, self.name = ctx, kb_id, name
        self.chunks: list[StoredChunk] = []
        self.setObjectName("chunksDialog")
        self.setWindowTitle(self.tr("How {name} was split").format(name=name))
        self.resize(760, 520)
        layout = QVBoxLayout(self)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table = row_table(QTableWidget(0, 3, split), "chunksTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Chunk"), self.tr("Heading"), self.tr("Characters")]
        )
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.text = QPlainTextEdit(split)
        self.text.setObjectName("chunkText")
        self.text.setReadOnly(True)
        split.addWidget(self.table)
        split.addWidget(self.text)
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        actor = ctx.actor()
        ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.knowledge.chunks_of(actor, kb_id, name),
            owner=self,
            key="chunks",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, chunks: list[StoredChunk]) -> None:
        self.chunks = chunks
        self.table.setRowCount(0)
        for chunk in chunks:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for column, text in enumerate(
                (str(chunk.index + 1), chunk.heading or "—", str(len(chunk.text)))
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if chunks:
            self.table.selectRow(0)

    def _on_selection_changed(self) -> None:
        rows = {i.row() for i in self.table.selectedItems()}
        if rows:
            self.text.setPlainText(self.chunks[min(rows)].text)

    def done(self, result: int) -> None:
        self.ctx.runner.cancel_owner(self)
        super().done(result)
