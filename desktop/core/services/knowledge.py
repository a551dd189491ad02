"""Knowledge bases: create and configure (Admin and above), ingest documents with
versions and rollback, and search — only ever over what the user may read."""

from __future__ import annotations

import builtins
import itertools
import threading
from collections.abc import Sequence
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, InputError, NotFound
from desktop.core.knowledge_models import (
    DocumentVersion,
    KbSettings,
    KbVisibility,
    KnowledgeBase,
    RetrievalMode,
    SearchHit,
    StoredChunk,
)
from desktop.core.models import Actor
from desktop.core.policy import normalise_username
from desktop.core.ports import DocumentParser, Embedder, Store, TextChunker, Transaction
from desktop.core.ports.pii import PiiDetector
from desktop.core.scripts import coverage, scripts_for
from desktop.core.services.base import AuditedService, Refusal, best_effort_checkpoint
from desktop.core.services.chat_files import ConversationFilesService
from desktop.core.services.chat_privacy import logged_alone, workspace_privacy
from desktop.core.services.ingest import DocumentSource, Ingestor, IngestReport
from desktop.core.services.kb_index import EmbedderFactory, IndexCache, IndexFactory
from desktop.core.services.knowledge_access import (
    can_manage,
    find_kb,
    name_taken,
    readable_kbs,
)
from desktop.core.services.retrieval import Retriever, TextTools
from desktop.core.tasks import CancelToken, ProgressSink, no_progress

MAX_FILE_BYTES = 50 * 2**20
#: How many of a kb's passages are read to judge whether its embedding model reads them.
LANGUAGE_SAMPLE = 40


class KnowledgeService(AuditedService):
    def __init__(
        self,
        store: Store,
        parser: DocumentParser,
        chunker: TextChunker,
        embedders: EmbedderFactory,
        indexes: IndexFactory,
        text: TextTools,
        clock: Clock,
        max_file_bytes: int = MAX_FILE_BYTES,
        pii: PiiDetector | None = None,
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._pii = pii  # masks a search's query in the log under the workspace policy
        self._embedder_factory = embedders
        self._embedders: dict[str, Embedder] = {}
        self._lock = threading.Lock()
        self._indexes = IndexCache(store, indexes)
        self._ingestor = Ingestor(
            store, parser, chunker, self._indexes, clock, max_file_bytes, pii=pii
        )
        self.retriever = Retriever(store, self._embedder, self._indexes, text)
        self.conversation_files = ConversationFilesService(
            store, clock, self._ingestor, self._embedder, self._indexes.forget
        )

    def _embedder(self, kb: KnowledgeBase) -> Embedder:
        key = kb.settings.embedding_model
        with self._lock:
            if key not in self._embedders:
                self._embedders[key] = self._embedder_factory(key)
            return self._embedders[key]

    def embedder_for(self, kb: KnowledgeBase) -> Embedder:
        """The (shared) embedder of ``kb``'s embedding model (knowledge-base packages)."""
        return self._embedder(kb)

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ knowledge bases

    def create(
        self,
        actor: Actor,
        name: str,
        *,
        description: str = "",
        visibility: KbVisibility = KbVisibility.ONLY_ME,
        members: Sequence[str] = (),
        app_allowlist: Sequence[int] = (),
        settings: KbSettings | None = None,
    ) -> KnowledgeBase:
        """A new, empty knowledge base (Admin and above); visible to its creator first."""
        now = self._now()
        kb = KnowledgeBase(
            0,
            name.strip(),
            description,
            visibility,
            tuple(members),
            tuple(app_allowlist),
            settings or KbSettings(),
            actor.username,
            now,
            now,
        )
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx = op.tx
            kb = self._validated(tx, kb)
            if name_taken(tx, op.actor, kb):
                raise AlreadyExists("knowledge.kb_name_taken", name=kb.name)
            kb = tx.knowledge.create_kb(kb)
            op.audit(
                action=AuditAction.KB_CREATED,
                obj=f"kb:{kb.id}",
                payload=kb.public_dict(),
            )
        return kb

    def update(self, actor: Actor, ref: str | int, changes: dict[str, Any]) -> KnowledgeBase:
        """Change name, description, visibility, members, app allowlist or settings."""
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx, actor = op.tx, op.actor
            kb = self._managed(tx, actor, ref)
            try:
                updated = kb.with_changes(**changes, updated_at=self._now())
            except TypeError as exc:
                raise InputError("knowledge.setting_unknown", reason=str(exc)) from exc
            updated = self._validated(tx, updated)
            if (
                updated.settings.embedding_model != kb.settings.embedding_model
                and tx.knowledge.list_documents(kb.id)
            ):
                raise InputError("knowledge.embedding_model_locked")
            if name_taken(tx, actor, updated):
                raise AlreadyExists("knowledge.kb_name_taken", name=updated.name)
            tx.knowledge.update_kb(updated)
            op.audit(
                action=AuditAction.KB_UPDATED,
                obj=f"kb:{kb.id}",
                payload={"changed": sorted(changes), "kb": updated.public_dict()},
            )
        return updated

    def list(self, actor: Actor) -> builtins.list[KnowledgeBase]:
        """The knowledge bases this actor may read."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            return readable_kbs(tx, actor)

    def get(self, actor: Actor, ref: str | int) -> KnowledgeBase:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            return find_kb(tx, actor, ref)

    def delete(self, actor: Actor, ref: str | int) -> None:
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx, actor = op.tx, op.actor
            kb = self._managed(tx, actor, ref)
            tx.knowledge.delete_kb(kb.id)
            op.audit(
                action=AuditAction.KB_DELETED,
                obj=f"kb:{kb.id}",
                payload={"name": kb.name},
            )
        self._indexes.forget(kb.id)
        best_effort_checkpoint(self._store)

    # ------------------------------------------------------------------ documents

    def ingest(
        self,
        actor: Actor,
        ref: str | int,
        sources: Sequence[DocumentSource],
        cancel: CancelToken | None = None,
        progress: ProgressSink = no_progress,
    ) -> IngestReport:
        """Add files; a file whose name exists becomes its next version."""
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx, actor = op.tx, op.actor
            kb = self._managed(tx, actor, ref)
        # each batch of documents is stored in an operation of its own: a user demoted
        # or disabled part-way adds nothing after that
        return self._ingestor.run(
            lambda: self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE),
            kb,
            self._embedder(kb),
            sources,
            cancel or CancelToken(),
            progress,
        )

    def documents(self, actor: Actor, ref: str | int) -> builtins.list[DocumentVersion]:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            return tx.knowledge.list_documents(find_kb(tx, actor, ref).id)

    def versions(self, actor: Actor, ref: str | int, name: str) -> builtins.list[DocumentVersion]:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            found = tx.knowledge.versions(find_kb(tx, actor, ref).id, name)
        if not found:
            raise NotFound("knowledge.document_not_found", name=name)
        return found

    def rollback(self, actor: Actor, ref: str | int, name: str, version: int) -> None:
        """Make an earlier version the one search and chat use."""
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx, actor = op.tx, op.actor
            kb = self._managed(tx, actor, ref)
            activated, deactivated = tx.knowledge.set_active(kb.id, name, version)
            vectors = tx.knowledge.embeddings(activated)
            op.audit(
                action=AuditAction.KB_DOCUMENT_ROLLED_BACK,
                obj=f"kb:{kb.id}",
                payload={"name": name, "version": version},
            )
        self._indexes.apply_stored(kb.id, deactivated, vectors)

    def delete_document(self, actor: Actor, ref: str | int, name: str) -> None:
        with self._op(actor, rbac.Permission.MANAGE_KNOWLEDGE) as op:
            tx, actor = op.tx, op.actor
            kb = self._managed(tx, actor, ref)
            removed = tx.knowledge.delete_document(kb.id, name)
            op.audit(
                action=AuditAction.KB_DOCUMENT_DELETED,
                obj=f"kb:{kb.id}",
                payload={"name": name},
            )
        self._indexes.apply_stored(kb.id, removed, [])
        best_effort_checkpoint(self._store)

    # ------------------------------------------------------------------ search

    def search(
        self,
        actor: Actor,
        ref: str | int,
        query: str,
        *,
        k: int | None = None,
        mode: RetrievalMode | None = None,
    ) -> builtins.list[SearchHit]:
        """Best chunks first, from the active versions of the kb's documents."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            if not query.strip():
                raise InputError("knowledge.query_empty")
            actor = op.actor
            kb = find_kb(op.tx, actor, ref)
            plan = workspace_privacy(op.tx)
        logged = logged_alone(plan, self._pii, query)  # before searching: no detector, no search
        hits = self.retriever.search(
            kb, query, k=k or kb.settings.top_k, mode=mode or kb.settings.mode
        )
        with self._continue(actor) as op:  # the record of a search that was allowed
            op.audit(
                action=AuditAction.KB_SEARCHED,
                obj=f"kb:{kb.id}",
                payload={
                    "query": logged,
                    "mode": (mode or kb.settings.mode).value,
                    "results": [[h.chunk.document, h.chunk.version, h.chunk.index] for h in hits],
                },
            )
        return hits

    def chunks_of(
        self, actor: Actor, ref: str | int, name: str, version: int | None = None
    ) -> builtins.list[StoredChunk]:
        """How a document (its active version, or ``version``) was split: its chunks in
        order, each with its heading context. For whoever may read the kb."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx = op.tx
            kb = find_kb(tx, op.actor, ref)
            chosen = next(
                (
                    v
                    for v in tx.knowledge.versions(kb.id, name)
                    if (v.version == version if version is not None else v.active)
                ),
                None,
            )
            if chosen is None:
                raise NotFound("knowledge.document_not_found", name=name)
            return list(tx.knowledge.chunks_of_versions([chosen.id]))  # in pages

    def language_fit(self, actor: Actor, ref: str | int) -> float:
        """The share (0..1) of the letters of the kb's passages (a sample of
        LANGUAGE_SAMPLE) in the languages its embedding model was trained on: an
        English-only model on Japanese documents is near 0. 1.0 for a multilingual model,
        one whose languages are unknown, or an empty kb."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx = op.tx
            kb = find_kb(tx, op.actor, ref)
            ids = [
                cid
                for cid, _ in itertools.islice(
                    tx.knowledge.active_embeddings(kb.id), LANGUAGE_SAMPLE
                )
            ]
            texts = [chunk.text for chunk in tx.knowledge.chunks(ids)]
        scripts = scripts_for(self._embedder(kb).languages())
        if scripts is None or not texts:
            return 1.0
        return sum(coverage(text, scripts) for text in texts) / len(texts)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _managed(tx: Transaction, actor: Actor, ref: str | int) -> KnowledgeBase:
        kb = find_kb(tx, actor, ref)
        if not can_manage(actor, kb):
            raise Refusal("manage_knowledge", f"kb:{kb.id}", "knowledge.read_only")
        return kb

    @staticmethod
    def _validated(tx: Transaction, kb: KnowledgeBase) -> KnowledgeBase:
        if not kb.name or len(kb.name) > 100:
            raise InputError("knowledge.kb_name_length")
        if not kb.name.isprintable():
            raise InputError("knowledge.kb_name_unprintable")
        members = tuple(normalise_username(m) for m in kb.members)
        unknown = [m for m in members if tx.users.get_by_name(m) is None]
        if unknown:
            raise NotFound("knowledge.users_unknown", names=", ".join(unknown))
        if kb.visibility is KbVisibility.PARTIAL and not members:
            raise InputError("knowledge.members_needed")
        missing = [a for a in kb.app_allowlist if tx.apps.get(a) is None]
        if missing:
            raise NotFound("knowledge.apps_unknown", ids=", ".join(map(str, missing)))
        return kb.with_changes(members=members)
