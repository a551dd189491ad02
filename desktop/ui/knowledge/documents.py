"""The documents of a knowledge base (active versions), and a dialog with a document's
versions where a manager rolls back or deletes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStackedLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.knowledge_models import DocumentVersion
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage, show_error
from desktop.ui.knowledge import widgets
from desktop.ui.knowledge.chunks import ChunksDialog
from desktop.ui.knowledge.widgets import Panel, soon
from desktop.ui.tasks import Lane, LaneContext, Op, T
from desktop.ui.widgets import danger_button, empty_state, page_title, row_table

NAME_ROLE = Qt.ItemDataRole.UserRole


def _size(size: int) -> str:
    if size < 1024:
        return f"{size:,} B"
    if size < 1024**2:
        return f"{size / 1024:,.1f} KiB"
    return f"{size / 1024**2:,.1f} MiB"


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    table = row_table(QTableWidget(0, len(headers), parent), name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], keys: list[Any]) -> None:
    table.setRowCount(0)
    for values, key in zip(rows, keys, strict=True):
        row = table.rowCount()
        table.insertRow(row)
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            item.setData(NAME_ROLE, key)
            table.setItem(row, column, item)


class DocumentsPanel(Panel):
    """Name, version, chunks, size and when each document was added."""

    documents_did_change = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kb_id: int | None = None
        self.can_manage = False
        self.documents: list[DocumentVersion] = []
        self.versions_dialog: VersionsDialog | None = None
        self.chunks_dialog: ChunksDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = _table(
            self,
            "documentsTable",
            [
                self.tr("Document"),
                self.tr("Version"),
                self.tr("Chunks"),
                self.tr("Size"),
                self.tr("Added"),
            ],
        )
        self.empty = empty_state(
            self.tr("No documents yet — drop files or folders above to add them."),
            "noDocuments",
            self,
        )
        holder = QWidget(self)
        self._stack = QStackedLayout(holder)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(self.table)
        layout.addWidget(holder, 1)
        row = QHBoxLayout()
        self.message = InlineMessage(self)
        row.addWidget(self.message, 1)
        row.addStretch(1)
        self.versions_button = QPushButton(self.tr("Versions…"), self)
        self.versions_button.setObjectName("versionsButton")
        self.versions_button.setEnabled(False)
        row.addWidget(self.versions_button)
        self.chunks_button = QPushButton(self.tr("Chunks…"), self)
        self.chunks_button.setObjectName("chunksButton")
        self.chunks_button.setToolTip(self.tr("See how the document was split into passages"))
        self.chunks_button.setEnabled(False)
        self.chunks_button.clicked.connect(self._on_chunks_clicked)
        row.addWidget(self.chunks_button)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_versions_clicked())
        self.versions_button.clicked.connect(self._on_versions_clicked)

    def load(self, kb_id: int | None) -> None:
        self.kb_id = kb_id
        if kb_id is None:
            self._show([])
            return
        actor = self.ctx.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.knowledge.documents(actor, kb_id),
            key="documents",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, documents: list[DocumentVersion]) -> None:
        self.documents = documents
        rows = [
            [
                d.name,
                str(d.version),
                str(d.chunks),
                _size(d.size),
                d.added_at[:16].replace("T", " "),
            ]
            for d in documents
        ]
        _fill(self.table, rows, [d.name for d in documents])
        self._stack.setCurrentWidget(self.table if documents else self.empty)
        self._on_table_selection_changed()

    def selected_name(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(NAME_ROLE)) if items else None

    def _on_table_selection_changed(self) -> None:
        self.versions_button.setEnabled(self.selected_name() is not None)
        self.chunks_button.setEnabled(self.selected_name() is not None)

    def _on_chunks_clicked(self) -> None:
        name = self.selected_name()
        if name is None or self.kb_id is None:
            return
        self.chunks_dialog = ChunksDialog(self.ctx, self.kb_id, name, self)
        self.chunks_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.chunks_dialog.show()

    def _on_versions_clicked(self) -> None:
        name = self.selected_name()
        if name is None or self.kb_id is None:
            return
        if self.versions_dialog is not None:
            self.versions_dialog.close()
        dialog = VersionsDialog(self.ctx, self.kb_id, name, self.can_manage, self)
        dialog.documents_did_change.connect(self._on_dialog_changed)
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        self.versions_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: VersionsDialog) -> None:
        dialog.teardown()
        if self.versions_dialog is dialog:
            self.versions_dialog = None
        dialog.deleteLater()

    def _on_dialog_changed(self) -> None:
        soon(self, lambda: self.load(self.kb_id))
        self.documents_did_change.emit()

    def teardown(self) -> None:
        super().teardown()
        if self.versions_dialog is not None:
            self.versions_dialog.close()


class VersionsDialog(QDialog):
    """Every version of one document; the active one is what search and chat use."""

    documents_did_change = Signal()

    def __init__(
        self, ctx: UiContext, kb_id: int, name: str, can_manage: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kb_id = kb_id
        self.name = name
        self.can_manage = can_manage
        self.versions: list[DocumentVersion] = []
        self.setObjectName("versionsDialog")
        self.setWindowTitle(self.tr("Versions of {name}").format(name=name))
        self.resize(640, 360)
        self._build()
        self._load()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.name, self))
        self.table = _table(
            self,
            "versionsTable",
            [
                self.tr("Version"),
                self.tr("Status"),
                self.tr("Chunks"),
                self.tr("Size"),
                self.tr("SHA-256"),
                self.tr("Added by"),
                self.tr("Added"),
            ],
        )
        layout.addWidget(self.table, 1)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(self)
        self.rollback_button = QPushButton(self.tr("Make this version active"), self)
        self.rollback_button.setObjectName("rollbackButton")
        self.delete_button = danger_button(
            self.tr("Delete document…"), "deleteDocumentButton", self
        )
        buttons.addButton(self.rollback_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.rollback_button.setVisible(self.can_manage)
        self.delete_button.setVisible(self.can_manage)
        self.rollback_button.setEnabled(False)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.rollback_button.clicked.connect(self._on_rollback_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)

    def _run(
        self,
        op: Op[T],
        key: str,
        *,
        on_done: Callable[[T], Any],
        on_failed: Callable[[BaseException], Any],
    ) -> None:
        self.ctx.runner.run(Lane.DB, op, owner=self, key=key, on_done=on_done, on_failed=on_failed)

    def teardown(self) -> None:
        self.ctx.runner.cancel_owner(self)

    def _load(self) -> None:
        actor, kb_id, name = self.ctx.actor(), self.kb_id, self.name
        self._run(
            lambda lc: lc.ws.knowledge.versions(actor, kb_id, name),
            "versions",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, versions: list[DocumentVersion]) -> None:
        self.versions = sorted(versions, key=lambda v: v.version, reverse=True)
        rows = [
            [
                str(v.version),
                self.tr("Active") if v.active else "",
                str(v.chunks),
                _size(v.size),
                v.sha256[:12],
                v.added_by,
                v.added_at[:16].replace("T", " "),
            ]
            for v in self.versions
        ]
        _fill(self.table, rows, [v.version for v in self.versions])
        self._on_table_selection_changed()

    def select_version(self, version: int) -> None:
        for row, v in enumerate(self.versions):
            if v.version == version:
                self.table.selectRow(row)

    def _selected(self) -> DocumentVersion | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.versions[rows.pop()] if rows else None

    def _on_table_selection_changed(self) -> None:
        chosen = self._selected()
        self.rollback_button.setEnabled(chosen is not None and not chosen.active)

    def _on_rollback_clicked(self) -> None:
        chosen = self._selected()
        if chosen is None or chosen.active:
            return
        if not widgets.confirm(
            self,
            self.tr("Roll back"),
            self.tr(
                "Make version {version} of {name} the one search and chat use? "
                "The newer versions are kept and can be made active again."
            ).format(version=chosen.version, name=self.name),
            self.tr("Make active"),
        ):
            return
        actor, kb_id, name, version = self.ctx.actor(), self.kb_id, self.name, chosen.version

        def rollback(lc: LaneContext) -> list[DocumentVersion]:
            lc.ws.knowledge.rollback(actor, kb_id, name, version)
            versions: list[DocumentVersion] = lc.ws.knowledge.versions(actor, kb_id, name)
            return versions

        self._run(
            rollback,
            "change",
            on_done=self._on_rolled_back,
            on_failed=self.message.show_error,
        )

    def _on_rolled_back(self, versions: list[DocumentVersion]) -> None:
        self._show(versions)
        active = next((v.version for v in versions if v.active), None)
        self.message.show_info(self.tr("Version {version} is active.").format(version=active))
        self.documents_did_change.emit()

    def _on_delete_clicked(self) -> None:
        if not widgets.confirm(
            self,
            self.tr("Delete document"),
            self.tr(
                "Delete {name} and all its versions from this knowledge base? "
                "This cannot be undone."
            ).format(name=self.name),
            self.tr("Delete"),
        ):
            return
        actor, kb_id, name = self.ctx.actor(), self.kb_id, self.name
        self._run(
            lambda lc: lc.ws.knowledge.delete_document(actor, kb_id, name),
            "change",
            on_done=self._on_deleted,
            on_failed=lambda exc: show_error(self, exc),
        )

    def _on_deleted(self, _changes: object) -> None:
        self.documents_did_change.emit()
        self.accept()
