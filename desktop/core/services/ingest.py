"""Ingestion: files in, versions with chunks and embeddings out, one file at a time.

Files are parsed and chunked, their chunks embedded in batches that span files (the
embedder is the bottleneck, so it gets full batches), then each file is stored in its
own transaction with its audit event. A crash loses at most the files not yet stored;
running the same command again skips every file whose content is already the active
version, so each document ends up present exactly once. One bad file is reported and
skipped; it never aborts the batch.

When the embedding model fails on a batch (its process crashed, was killed, ran out of
memory), the batch's files are tried again one at a time, so only the file that causes
it is reported (stage ``embed``) and the rest are stored. After ``MAX_EMBED_FAILURES``
files in a row failed alone, the embedder is taken to be broken for this run: the
remaining files are reported as not added (add them again once it is fixed), and
nothing is half-stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from desktop.core import privacy
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import EmbeddingFailed, IngestionFailed, InputError, ModelProcessStopped
from desktop.core.knowledge_models import Chunk, KnowledgeBase, ParsedDocument
from desktop.core.ports import DocumentParser, Embedder, Store, TextChunker
from desktop.core.ports.pii import PiiDetector
from desktop.core.services.base import Op
from desktop.core.services.kb_index import IndexCache
from desktop.core.services.redaction import Redactor
from desktop.core.tasks import CancelToken, ProgressSink

#: Opens the acting user's operation (permission re-checked) for one batch of documents.
Operation = Callable[[], AbstractContextManager[Op]]

EMBED_BATCH = 64
MAX_EMBED_FAILURES = 3


class DocumentSource(Protocol):
    """A file to ingest: its name in the knowledge base, its size, and its bytes.

    Read-only members, so an immutable source (a frozen dataclass) satisfies it."""

    @property
    def name(self) -> str: ...

    @property
    def size(self) -> int: ...

    def read(self) -> bytes: ...


@dataclass
class IngestReport:
    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    #: Each failed file's error by name, for a front end to show in its user's language
    #: (``failed`` holds the English message, for JSON output and logs).
    errors: dict[str, IngestionFailed] = field(default_factory=dict, compare=False, repr=False)
    embed_failures: int = field(default=0, compare=False, repr=False)  # in a row

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "unchanged": self.unchanged, "failed": self.failed}

    def fail(self, name: str, error: IngestionFailed) -> None:
        """Record that ``name`` was not added, and why."""
        self.failed.append({"name": name, "stage": error.stage, "error": error.message})
        self.errors[name] = error


@dataclass
class _Prepared:
    name: str
    data: bytes
    sha256: str
    doc: ParsedDocument
    chunks: list[Chunk]


class Ingestor:
    def __init__(
        self,
        store: Store,
        parser: DocumentParser,
        chunker: TextChunker,
        indexes: IndexCache,
        clock: Clock,
        max_bytes: int,
        pii: PiiDetector | None = None,
    ) -> None:
        self._pii = pii
        self._redactor: Redactor | None = None
        self._store = store
        self._parser = parser
        self._chunker = chunker
        self._indexes = indexes
        self._clock = clock
        self._max_bytes = max_bytes

    def run(
        self,
        operation: Operation,
        kb: KnowledgeBase,
        embedder: Embedder,
        sources: Sequence[DocumentSource],
        cancel: CancelToken,
        progress: ProgressSink,
    ) -> IngestReport:
        report = IngestReport()
        self._redactor = self._redaction(kb, cancel)
        pending: list[_Prepared] = []
        for done, source in enumerate(sources, 1):
            cancel.raise_if_cancelled()
            prepared = self._prepare(kb, source, report, cancel)
            if prepared is not None:
                pending.append(prepared)
            if sum(len(p.chunks) for p in pending) >= EMBED_BATCH:
                self._flush(operation, kb, embedder, pending, report, cancel)
                pending = []
            progress(done, len(sources), source.name)
        self._flush(operation, kb, embedder, pending, report, cancel)
        self._indexes.persist(kb.id)
        return report

    def _prepare(
        self, kb: KnowledgeBase, source: DocumentSource, report: IngestReport, cancel: CancelToken
    ) -> _Prepared | None:
        try:
            if source.size > self._max_bytes:
                raise IngestionFailed(
                    "knowledge.file_too_large",
                    stage="limits",
                    name=source.name,
                    size=source.size / 2**20,
                    limit=self._max_bytes / 2**20,
                )
            data = source.read()
            digest = hashlib.sha256(data).hexdigest()
            with self._store.transaction() as tx:
                existing = tx.knowledge.find_version(kb.id, source.name, digest)
            if existing is not None and existing.active:
                report.unchanged.append(source.name)
                return None
            doc = self._parser.parse(source.name, data, cancel)
            if self._redactor is not None:  # before chunking: nothing stored unmasked
                doc = self._redactor.redact(doc)
            chunks = self._chunker.chunk(doc, kb.settings.chunk_size, kb.settings.chunk_overlap)
            if not chunks:
                raise IngestionFailed("knowledge.no_chunks", stage="chunk", name=source.name)
        except IngestionFailed as exc:
            report.fail(source.name, exc)
            return None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            report.fail(
                source.name,
                IngestionFailed(
                    "knowledge.read_failed", stage="read", name=source.name, reason=reason
                ),
            )
            return None
        return _Prepared(source.name, data, digest, doc, chunks)

    def _redaction(self, kb: KnowledgeBase, cancel: CancelToken) -> Redactor | None:
        """The knowledge base's redaction, or None; refused without a detector."""
        if not kb.settings.redact_pii:
            return None
        if self._pii is None:
            raise InputError("privacy.redact_needs_detector", kb=kb.name)
        with self._store.transaction() as tx:
            terms = privacy.terms(tx.settings)
        return Redactor(self._pii, terms, cancel)

    def _flush(
        self,
        operation: Operation,
        kb: KnowledgeBase,
        embedder: Embedder,
        pending: list[_Prepared],
        report: IngestReport,
        cancel: CancelToken,
    ) -> None:
        if not pending:
            return
        if report.embed_failures >= MAX_EMBED_FAILURES:
            for prepared in pending:
                report.fail(
                    prepared.name,
                    IngestionFailed(
                        "knowledge.embedder_broken",
                        stage="embed",
                        name=prepared.name,
                        count=MAX_EMBED_FAILURES,
                    ),
                )
            return
        texts = [c.text for p in pending for c in p.chunks]
        try:
            vectors = embedder.embed(texts)
        except (EmbeddingFailed, ModelProcessStopped) as exc:
            if len(pending) == 1:  # only the documents tried alone count towards the limit
                report.embed_failures += 1
                report.fail(
                    pending[0].name,
                    IngestionFailed(
                        "knowledge.not_added",
                        stage="embed",
                        name=pending[0].name,
                        error=exc,
                        details=exc.details,
                    ),
                )
                return
            for prepared in pending:  # one at a time: find the file that causes it
                cancel.raise_if_cancelled()
                self._flush(operation, kb, embedder, [prepared], report, cancel)
            return
        report.embed_failures = 0
        cancel.raise_if_cancelled()
        blocks, row = [], 0
        for prepared in pending:
            blocks.append(vectors[row : row + len(prepared.chunks)])
            row += len(prepared.chunks)
        # One transaction for the batch: fewer commits (each one an fsync) and fewer,
        # larger FTS5 segments to merge; still all-or-nothing for every document in it.
        stored = []
        with operation() as op:
            for prepared, block in zip(pending, blocks, strict=True):
                stored.append((*self._store_one(op, kb, embedder, prepared, block), block))
        for entry, new_ids, old_ids, block in stored:  # committed: now it counts
            report.added.append(entry)
            self._indexes.apply(kb.id, old_ids, new_ids, block)

    def _store_one(
        self,
        op: Op,
        kb: KnowledgeBase,
        embedder: Embedder,
        p: _Prepared,
        block: Any,
    ) -> tuple[dict[str, Any], list[int], list[int]]:
        version, new_ids, old_ids = op.tx.knowledge.add_version(
            kb_id=kb.id,
            name=p.name,
            sha256=p.sha256,
            size=len(p.data),
            kind=p.doc.kind,
            original=b"" if kb.settings.redact_pii and not kb.settings.keep_original else p.data,
            text=p.doc.text,
            meta=p.doc.meta,
            chunks=p.chunks,
            vectors=[bytes(v.tobytes()) for v in block],
            added_by=op.actor.username,
            now=iso_utc(self._clock.now()),
        )
        entry = {
            "name": p.name,
            "version": version.version,
            "chunks": len(p.chunks),
            "bytes": len(p.data),
            "sha256": p.sha256,
            "kind": p.doc.kind,
        }
        op.audit(
            action=AuditAction.KB_DOCUMENT_ADDED,
            obj=f"kb:{kb.id}",
            payload={"kb": kb.name, **entry, "embedding_model": embedder.model_id()},
        )
        return entry, new_ids, old_ids
