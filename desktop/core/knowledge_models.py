"""Records for knowledge bases, documents, chunks and retrieval (no I/O here)."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from desktop.core.errors import InputError


class KbVisibility(enum.StrEnum):
    ONLY_ME = "only_me"
    ALL = "all"
    PARTIAL = "partial"


class RetrievalMode(enum.StrEnum):
    VECTOR = "vector"
    FULLTEXT = "fulltext"
    HYBRID = "hybrid"


@dataclass(frozen=True, slots=True)
class KbSettings:
    """How a knowledge base chunks, embeds and retrieves.

    ``embedding_model``: a sentence-transformers folder; "" means the packaged default.
    ``reranker``: an optional local CrossEncoder folder; "" means none.
    Sizes are in characters (Japanese has no spaces to count words by).
    """

    embedding_model: str = ""
    chunk_size: int = 600
    chunk_overlap: int = 80
    mode: RetrievalMode = RetrievalMode.HYBRID
    top_k: int = 5
    score_threshold: float = 0.0
    reranker: str = ""
    #: personal data masked before chunking (services/redaction.py); the original file
    #: is then stored only with ``keep_original``
    redact_pii: bool = False
    keep_original: bool = False

    def __post_init__(self) -> None:
        if not 100 <= self.chunk_size <= 8000:
            raise InputError("knowledge.chunk_size_invalid")
        if not 0 <= self.chunk_overlap < self.chunk_size // 2:
            raise InputError("knowledge.chunk_overlap_invalid")
        if not 1 <= self.top_k <= 50:
            raise InputError("knowledge.top_k_invalid")
        if not 0.0 <= self.score_threshold <= 1.0:
            raise InputError("knowledge.score_threshold_invalid")

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["mode"] = self.mode.value
        for name in ("redact_pii", "keep_original"):  # settings stored before them: off
            if not data[name]:
                del data[name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KbSettings:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError("knowledge.settings_unknown", names=", ".join(unknown))
        values = dict(data)
        if "mode" in values:
            try:
                values["mode"] = RetrievalMode(values["mode"])
            except ValueError:
                raise InputError("knowledge.mode_invalid") from None
        return cls(**values)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    id: int
    name: str
    description: str
    visibility: KbVisibility
    members: tuple[str, ...]
    app_allowlist: tuple[int, ...]
    settings: KbSettings
    created_by: str
    created_at: str
    updated_at: str

    def public_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "visibility": self.visibility.value,
            "members": list(self.members),
            "app_allowlist": list(self.app_allowlist),
            "settings": self.settings.as_dict(),
            "created_by": self.created_by,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    def with_changes(self, **changes: Any) -> KnowledgeBase:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the character span of the text under it."""

    heading: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """Plain text extracted from a file, with the headings found in it."""

    text: str
    kind: str  # "txt", "md", "html", "pdf", "docx", "xlsx", "csv", "json"
    sections: tuple[Section, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)  # encoding, pages, sheets...


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    start: int  # character span in ParsedDocument.text
    end: int
    text: str  # what is embedded and indexed (may carry its heading as a prefix)
    heading: str = ""


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    id: int
    kb_id: int
    document_id: int
    name: str
    version: int
    sha256: str
    size: int
    kind: str
    chunks: int
    active: bool
    added_by: str
    added_at: str

    def public_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "chunks": self.chunks,
            "bytes": self.size,
            "kind": self.kind,
            "sha256": self.sha256,
            "active": self.active,
            "added_by": self.added_by,
            "added_at": self.added_at,
        }


@dataclass(frozen=True, slots=True)
class StoredChunk:
    """A chunk as retrieval sees it: where it came from and its text."""

    id: int
    kb_id: int
    document: str
    version: int
    index: int
    start: int
    end: int
    text: str
    heading: str = ""


@dataclass(frozen=True, slots=True)
class SearchHit:
    chunk: StoredChunk
    score: float
    scores: dict[str, float]

    def public_dict(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "kb_id": c.kb_id,
            "document": c.document,
            "version": c.version,
            "chunk": c.index,
            "heading": c.heading,
            "span": [c.start, c.end],
            "text": c.text,
            "score": round(self.score, 6),
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
        }
