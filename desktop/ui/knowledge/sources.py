"""What runs on the ingest lane (never on the GUI thread): finding the files to add,
and the ingest op that says, even when cancelled, which of them were stored.

Folders are walked recursively for the formats the parser reads; hidden files and
folders are skipped. A file named directly is always offered: the service reports an
unsupported one in its row instead of it silently vanishing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from desktop.core.errors import Cancelled
from desktop.core.services.ingest import IngestReport
from desktop.core.tasks import CancelToken

if TYPE_CHECKING:
    from desktop.ui.tasks import LaneContext

# The suffixes desktop.retrieval.parsers reads (the ui may not import it; a test keeps
# the two in step).
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".csv", ".docx", ".htm", ".html", ".json", ".markdown", ".md", ".pdf", ".txt", ".xlsx"}
)


def is_supported(name: str) -> bool:
    return PurePath(name).suffix.lower() in SUPPORTED_SUFFIXES


@dataclass(frozen=True, slots=True)
class FileSource:
    """A file on disk as a DocumentSource; read only when its turn comes."""

    name: str
    path: Path
    size: int

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True, slots=True)
class Missing:
    """A dropped path that is neither a file nor a folder (gone, or unreadable)."""

    name: str
    error: str = ""  # the system's reason when it could not be read; "" when not found


def _walk(folder: Path, token: CancelToken) -> list[FileSource]:
    found: list[FileSource] = []
    for root, dirs, files in os.walk(folder):
        token.raise_if_cancelled()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(f for f in files if not f.startswith(".") and is_supported(f)):
            file = Path(root) / name
            try:
                size = file.stat().st_size
            except OSError:
                continue
            found.append(FileSource(file.relative_to(folder).as_posix(), file, size))
    return found


def collect_sources(paths: list[str], token: CancelToken) -> tuple[list[FileSource], list[Missing]]:
    """Files named directly keep their name; files inside a folder are named by their
    path in it (as ``kura kb add`` names them, so versions line up)."""
    sources: list[FileSource] = []
    missing: list[Missing] = []
    for raw in paths:
        token.raise_if_cancelled()
        path = Path(raw)
        try:
            if path.is_dir():
                sources.extend(_walk(path, token))
            elif path.is_file():
                sources.append(FileSource(path.name, path, path.stat().st_size))
            else:
                missing.append(Missing(path.name or raw))
        except OSError as exc:
            missing.append(Missing(path.name or raw, exc.strerror or type(exc).__name__))
    return sources, missing


@dataclass
class IngestOutcome:
    """What an ingest run did. ``stored``: names whose active version changed."""

    report: IngestReport | None
    stored: set[str] = field(default_factory=set)
    cancelled: bool = False
    error: Exception | None = None


def _active(lc: LaneContext, actor: Any, kb_id: int) -> dict[str, tuple[int, str]]:
    docs = lc.ws.knowledge.documents(actor, kb_id)
    return {d.name: (d.version, d.sha256) for d in docs}


def ingest_op(
    actor: Any, kb_id: int, sources: list[FileSource]
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
