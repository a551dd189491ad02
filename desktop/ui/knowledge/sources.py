"""What runs on the ingest lane (never on the GUI thread): finding the files to add,
and the ingest op that says, even when cancelled, which of them were stored.

Folders are walked recursively for the formats the parser reads; hidden files and
folders are skipped. A file named directly is always offered: the service reports an
unsupported one in its row instead of it silently vanishing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from desktop import files
from desktop.core.errors import Cancelled
from desktop.core.models import Actor
from desktop.core.services.ingest import IngestReport
from desktop.core.tasks import CancelToken
from desktop.files import FileSource, Missing

if TYPE_CHECKING:
    from desktop.ui.tasks import LaneContext

# The suffixes desktop.retrieval.parsers reads (the ui may not import it; a test keeps
# the two in step).
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".csv", ".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".txt", ".xlsx"}
    | {".jpeg", ".jpg", ".png", ".tif", ".tiff"}  # read by OCR
)


def is_supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in SUPPORTED_SUFFIXES


def collect_sources(paths: list[str], token: CancelToken) -> tuple[list[FileSource], list[Missing]]:
    """The files to add from the dropped or chosen ``paths`` (folders: the supported
    files in them) and the paths that were not found or could not be read."""
    return files.collect_sources(paths, token, keep=is_supported)


@dataclass
class IngestOutcome:
    """What an ingest run did. ``stored``: names whose active version changed."""

    report: IngestReport | None
    stored: set[str] = field(default_factory=set)
    cancelled: bool = False
    error: Exception | None = None


def _active(lc: LaneContext, actor: Actor, kb_id: int) -> dict[str, tuple[int, str]]:
    docs = lc.ws.knowledge.documents(actor, kb_id)
    return {d.name: (d.version, d.sha256) for d in docs}


def ingest_op(
    actor: Actor, kb_id: int, sources: list[FileSource]
) -> Callable[[LaneContext], IngestOutcome]:
    """The op: ingest ``sources``; on cancel or failure, find out what was stored."""

    def op(lc: LaneContext) -> IngestOutcome:
        before = _active(lc, actor, kb_id)
        try:
            report = lc.ws.knowledge.ingest(actor, kb_id, sources, lc.token, lc.progress)
        except Exception as exc:  # report what was stored, then the failure
            after = _active(lc, actor, kb_id)
            stored = {n for n, v in after.items() if before.get(n) != v}
            if isinstance(exc, Cancelled):
                return IngestOutcome(None, stored, cancelled=True)
            return IngestOutcome(None, stored, error=exc)
        return IngestOutcome(report, {str(a["name"]) for a in report.added})

    return op
