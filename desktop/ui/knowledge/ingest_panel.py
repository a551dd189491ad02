"""Adding documents: drop files and folders (or pick them), watch each file's progress,
cancel. Folders are walked and files read on the ``ingest`` lane, never here.

Cancelling rolls back the batch being stored; files stored before it stay. The rows
say which: the op compares the knowledge base's active versions before and after.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError, Cancelled
from desktop.core.services.ingest import IngestReport
from desktop.files import FileSource, Missing
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage, describe
from desktop.ui.knowledge.sources import (
    SUPPORTED_SUFFIXES,
    IngestOutcome,
    collect_sources,
    ingest_op,
)
from desktop.ui.knowledge.widgets import Panel, soon
from desktop.ui.plain import PlainLabel, plain_tip
from desktop.ui.tasks import Lane, Task

STATE_ROLE = Qt.ItemDataRole.UserRole
# Row states (item data, for tests and styling): queued, reading, indexed, stored,
# unchanged, failed, cancelled.
_PERCENT = {"queued": 0, "indexed": 66, "stored": 100, "unchanged": 100}


class DropZone(QFrame):
    """The target for dragged files and folders (local files only)."""

    dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(90)
        self.accepting = True

    @staticmethod
    def local_paths(mime: QMimeData) -> list[str]:
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.accepting and self.local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.accepting and self.local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self.local_paths(event.mimeData()) if self.accepting else []
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(paths)


class IngestPanel(Panel):
    """Drop zone, Add files/folder buttons, the per-file table and Cancel."""

    ingest_did_finish = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kb_id: int | None = None
        self._run_kb: int | None = None  # the kb the current run adds to
        self._task: Task | None = None
        self._sources: list[FileSource] = []
        self._missing = 0  # dropped paths that were not there
        self._stopping = False
        self._build()
        self.set_running(False)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self._build_zone())
        layout.addWidget(self._build_table(), 1)
        footer = QHBoxLayout()
        self.message = InlineMessage(self)
        footer.addWidget(self.message, 1)
        footer.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelIngestButton")
        footer.addWidget(self.cancel_button)
        layout.addLayout(footer)
        self.drop_zone.dropped.connect(self._on_drop_zone_dropped)
        self.add_files_button.clicked.connect(self._on_add_files_clicked)
        self.add_folder_button.clicked.connect(self._on_add_folder_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)

    def _build_zone(self) -> DropZone:
        self.drop_zone = DropZone(self)
        zone = QVBoxLayout(self.drop_zone)
        hint = PlainLabel(self.tr("Drop files or folders here to add them"), self.drop_zone)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
        formats = PlainLabel(self.tr("Folders are searched for: {kinds}").format(kinds=kinds))
        formats.setAlignment(Qt.AlignmentFlag.AlignCenter)
        formats.setWordWrap(True)
        buttons = QHBoxLayout()
        self.add_files_button = QPushButton(self.tr("Add files…"), self.drop_zone)
        self.add_files_button.setObjectName("addFilesButton")
        self.add_folder_button = QPushButton(self.tr("Add folder…"), self.drop_zone)
        self.add_folder_button.setObjectName("addFolderButton")
        buttons.addStretch(1)
        buttons.addWidget(self.add_files_button)
        buttons.addWidget(self.add_folder_button)
        buttons.addStretch(1)
        zone.addWidget(hint)
        zone.addWidget(formats)
        zone.addLayout(buttons)
        return self.drop_zone

    def _build_table(self) -> QTableWidget:
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("ingestTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("File"), self.tr("Status"), self.tr("Progress")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, 140)
        self.table.setMinimumHeight(160)
        self.table.setMaximumHeight(260)
        self.table.hide()  # shown once files are added
        return self.table

    # ------------------------------------------------------------------ state

    @property
    def running(self) -> bool:
        return self._task is not None

    def set_running(self, running: bool) -> None:
        self.drop_zone.accepting = not running
        self.add_files_button.setEnabled(not running)
        self.add_folder_button.setEnabled(not running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)

    def set_kb(self, kb_id: int | None) -> None:
        """Show another knowledge base; a running ingest of the old one goes on."""
        if kb_id != self.kb_id and not self.running:
            self.table.setRowCount(0)
            self.table.hide()
            self.message.clear_message()
        self.kb_id = kb_id

    def row_states(self) -> list[tuple[str, str]]:
        """(file name, state) per row, for tests and screenshots."""
        return [
            (self._cell(row, 0).text(), self._state(row)) for row in range(self.table.rowCount())
        ]

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every ingest row has its cells"
        return item

    def _state(self, row: int) -> str:
        return str(self._cell(row, 1).data(STATE_ROLE))

    # ------------------------------------------------------------------ starting

    def _on_add_files_clicked(self) -> None:
        files = file_dialogs.open_files(self, self.tr("Add files"))
        if files:
            self.add_paths(files)

    def _on_add_folder_clicked(self) -> None:
        folder = file_dialogs.folder(self, self.tr("Add a folder"))
        if folder:
            self.add_paths([folder])

    def _on_drop_zone_dropped(self, paths: list[str]) -> None:
        self.add_paths(paths)

    def handle_drop(self, mime: QMimeData) -> bool:
        """Add the local files and folders in ``mime`` (what a drop does)."""
        paths = DropZone.local_paths(mime)
        if paths and not self.running:
            self.add_paths(paths)
            return True
        return False

    def add_paths(self, paths: list[str]) -> None:
        """Walk ``paths`` on the ingest lane, then ingest what was found."""
        if self.kb_id is None or self.running:
            return
        self._stopping = False
        self._sources = []
        self._run_kb = self.kb_id
        self.table.setRowCount(0)
        self.message.show_info(self.tr("Looking for files…"))
        self.set_running(True)
        self._task = self.run(
            Lane.INGEST,
            lambda lc: collect_sources(paths, lc.token),
            key="ingest",
            on_done=self._on_walk_done,
            on_failed=self._on_task_failed,
        )

    def _on_walk_done(self, found: tuple[list[FileSource], list[Missing]]) -> None:
        sources, missing = found
        self._task = None
        self._sources = sources
        self._missing = len(missing)
        for source in sources:
            self._add_row(source.name, "queued", self.tr("Waiting"))
        for gone in missing:
            text = (
                self.tr("Cannot read it: {error}").format(error=gone.error)
                if gone.error
                else self.tr("Not found")
            )
            self._add_row(gone.name, "failed", text)
        if not sources:
            kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
            self.message.show_error(
                self.tr("No files to add were found. Supported: {kinds}").format(kinds=kinds)
            )
            self.set_running(False)
            return
        self.set_running(True)
        soon(self, self._start_ingest)

    def _start_ingest(self) -> None:
        if self._stopping or self._run_kb is None:
            self._finish_rows_stopped(set())
            self.set_running(False)
            return
        try:
            actor = self.ctx.actor()
        except AppError as exc:  # the session locked meanwhile
            self._on_task_failed(exc)
            return
        self.message.show_info(self.tr("Adding {count} file(s)…").format(count=len(self._sources)))
        self._set_row(0, "reading", self.tr("Reading and indexing…"))
        self._task = self.run(
            Lane.INGEST,
            ingest_op(actor, self._run_kb, list(self._sources)),
            key="ingest",
            on_progress=self._on_ingest_progress,
            on_done=self._on_ingest_done,
            on_failed=self._on_task_failed,
        )

    # ------------------------------------------------------------------ progress

    def _on_ingest_progress(self, done: int, total: object, message: str) -> None:
        self._set_row(done - 1, "indexed", self.tr("Indexed, waiting to be stored"))
        if done < len(self._sources):
            self._set_row(done, "reading", self.tr("Reading and indexing…"))

    def _on_ingest_done(self, outcome: IngestOutcome) -> None:
        self._task = None
        self.set_running(False)
        if outcome.report is not None:
            self._finish_rows(outcome.report)
        else:
            self._finish_rows_stopped(outcome.stored, failed=outcome.error is not None)
        if outcome.error is not None:
            self.message.show_error(outcome.error)
        self.ingest_did_finish.emit()

    def _on_task_failed(self, exc: BaseException) -> None:
        self._task = None
        self.set_running(False)
        if isinstance(exc, Cancelled):
            self._finish_rows_stopped(set())
            self.message.show_info(self.tr("Cancelled before any file was added."))
            return
        for row, (_name, state) in enumerate(self.row_states()):
            if state in ("queued", "reading", "indexed"):
                self._set_row(row, "failed", self.tr("Not added"))
        self.message.show_error(exc)

    def _on_cancel_clicked(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.message.show_info(self.tr("Cancelling… the file being stored is rolled back."))

    def _finish_rows(self, report: IngestReport) -> None:
        added = {str(a["name"]): a for a in report.added}
        failed = {f["name"]: f for f in report.failed}
        for row, source in enumerate(self._sources):
            if source.name in added:
                entry = added[source.name]
                text = self.tr("Stored as version {version} · {chunks} chunk(s)").format(
                    version=entry["version"], chunks=entry["chunks"]
                )
                self._set_row(row, "stored", text)
            elif source.name in failed:
                error = report.errors.get(source.name)
                shown = describe(error) if error is not None else None
                self._set_row(row, "failed", shown or str(failed[source.name]["error"]))
            elif source.name in report.unchanged:
                self._set_row(row, "unchanged", self.tr("Unchanged: this version is stored"))
        self.message.show_info(
            self.tr("{added} added, {unchanged} unchanged, {failed} failed.").format(
                added=len(report.added),
                unchanged=len(report.unchanged),
                failed=len(report.failed) + self._missing,
            )
        )

    def _finish_rows_stopped(self, stored: set[str], *, failed: bool = False) -> None:
        """The run was cancelled (or failed): say per file whether it was stored."""
        kept = 0
        for row, source in enumerate(self._sources):
            state = self._state(row)
            if source.name in stored:
                self._set_row(row, "stored", self.tr("Stored before the run stopped: it stays"))
                kept += 1
            elif failed and state != "failed":
                self._set_row(row, "failed", self.tr("Not added"))
            elif state != "failed":
                self._set_row(row, "cancelled", self.tr("Cancelled: not added"))
        self.message.show_info(
            self.tr(
                "Cancelled. {kept} file(s) stored before the cancel stay; {dropped} were not added."
            ).format(kept=kept, dropped=len(self._sources) - kept)
        )

    # ------------------------------------------------------------------ rows

    def _add_row(self, name: str, state: str, text: str) -> None:
        self.table.show()
        row = self.table.rowCount()
        self.table.insertRow(row)
        item = QTableWidgetItem(name)
        item.setToolTip(plain_tip(name))
        self.table.setItem(row, 0, item)
        self.table.setItem(row, 1, QTableWidgetItem())
        bar = QProgressBar(self.table)
        bar.setRange(0, 100)
        bar.setTextVisible(False)
        self.table.setCellWidget(row, 2, bar)
        self._set_row(row, state, text)

    def _set_row(self, row: int, state: str, text: str) -> None:
        if not 0 <= row < self.table.rowCount():
            return
        status = self._cell(row, 1)
        status.setText(text)
        status.setToolTip(plain_tip(text))
        status.setData(STATE_ROLE, state)
        bar = self.table.cellWidget(row, 2)
        if isinstance(bar, QProgressBar):
            if state == "reading":
                bar.setRange(0, 0)  # busy
            else:
                bar.setRange(0, 100)
                bar.setValue(_PERCENT.get(state, 0))
            if state in ("failed", "cancelled"):
                self.table.removeCellWidget(row, 2)
