"""Files dropped on the chat: the drop target, and the op that puts them into the
conversation's private knowledge base.

Dropping one or more files (any format Kura ingests) on the chat pane or the message
box adds them to the open conversation (a new chat is started for them first); its
later answers draw on them, with citations. Reading and embedding run on the
``INGEST`` lane, in memory: nothing is written to disk but the encrypted database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QMimeData, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from desktop.core.models import Actor
from desktop.core.services.ingest import IngestReport
from desktop.files import Missing
from desktop.ui.chat.sending import ConversationView
from desktop.ui.knowledge.sources import collect_sources
from desktop.ui.tasks import Lane, LaneContext


def local_paths(mime: QMimeData | None) -> list[str]:
    """The local files a drag carries (nothing for text or remote links)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class FileDropTarget(QObject):
    """Makes ``widget`` (and its children that take no drops) accept files: emits
    ``dropped`` with their paths."""

    dropped = Signal(list)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        widget.setAcceptDrops(True)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QDragEnterEvent | QDragMoveEvent):
            if local_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        elif isinstance(event, QDropEvent):
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.dropped.emit(paths)
                return True
        return super().eventFilter(watched, event)


@dataclass
class AttachOutcome:
    conversation_id: int
    report: IngestReport
    missing: list[Missing] = field(default_factory=list)


def attach_op(
    actor: Actor,
    app_id: int,
    conversation_id: int | None,
    variables: dict[str, str] | None,
    paths: list[str],
) -> Callable[[LaneContext], AttachOutcome]:
    """The op: read the files, start the conversation if there is none yet, and add
    them to its private knowledge base (progress per file)."""

    def op(lc: LaneContext) -> AttachOutcome:
        sources, missing = collect_sources(paths, lc.token)
        chat = lc.ws.chat
        conv_id = conversation_id
        if conv_id is None:
            conv_id = chat.start(actor, app_id, variables).id
        report = chat.attach_files(actor, conv_id, sources, lc.token, lc.progress)
        return AttachOutcome(conv_id, report, missing)

    return op


class FileDropView(ConversationView):
    """The chat's handling of dropped files (ChatView connects the drop targets)."""

    def attach_files(self, paths: list[str]) -> None:
        """Add dropped files to the conversation on show (starting one if needed)."""
        actor = self._actor()
        if actor is None or self._app is None or not paths:
            return
        variables = None
        if self._conversation_id is None:
            if self.variables.missing():
                self.composer_message.show_error(self.tr("Fill in the fields before adding files."))
                return
            variables = self.variables.values()
        app_id = self._app.id
        self.composer_message.show_info(self.tr("Adding {n} file(s)…").format(n=len(paths)))
        self.run(
            Lane.INGEST,
            attach_op(actor, app_id, self._conversation_id, variables, paths),
            key="attach",
            on_progress=lambda done, total, name: self.composer_message.show_info(
                self.tr("Added {name} ({done} of {total})…").format(
                    name=name, done=done, total=total
                )
            ),
            on_done=self._on_files_attached,
            on_failed=self._show_failure,
        )

    def _on_files_attached(self, outcome: AttachOutcome) -> None:
        report = outcome.report
        added = [str(a["name"]) for a in report.added] + list(report.unchanged)
        skipped = [f["name"] for f in report.failed] + [m.name for m in outcome.missing]
        text = self.tr("Ask about {names}: the answers in this chat draw on them.").format(
            names=", ".join(added)
        )
        if skipped:
            text += " " + self.tr("Not added: {names}.").format(names=", ".join(skipped))
        if added:
            self.composer_message.show_info(text)
            self._offer_read_all(files=True)
        else:
            self.composer_message.show_error(
                self.tr("Not added: {names}.").format(names=", ".join(skipped))
            )
        if self._conversation_id is None:
            self._conversation_id = outcome.conversation_id
        self._later(self._load_conversations)
