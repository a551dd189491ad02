"""Files dropped on a conversation: its private knowledge base.

The first file a user drops on one of their conversations creates that conversation's
knowledge base: visible to them only (``only_me``), usable by the conversation's app
only, marked with the conversation's id (m0012) so no knowledge list or name lookup
shows it, and deleted with the conversation (``ON DELETE CASCADE``). Files go in through
the ordinary ingest pipeline (parsers, chunking, embedding, one audited operation per
batch), in memory as every ingest does; the following turns of that conversation
retrieve from it with citations (see ``ChatService._plan``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError
from desktop.core.knowledge_models import KbSettings, KbVisibility, KnowledgeBase
from desktop.core.models import Actor
from desktop.core.ports import Embedder, Store
from desktop.core.services.base import AuditedService, Op
from desktop.core.services.conversations import own_conversation
from desktop.core.services.ingest import DocumentSource, Ingestor, IngestReport
from desktop.core.tasks import CancelToken, ProgressSink, no_progress


class ConversationFilesService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        ingestor: Ingestor,
        embedder_for: Callable[[KnowledgeBase], Embedder],
        forget: Callable[[int], None],
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._ingestor = ingestor
        self._embedder_for = embedder_for
        self.forget = forget  # drops a deleted private knowledge base's vectors from memory

    def attach(
        self,
        actor: Actor,
        conversation_id: int,
        sources: Sequence[DocumentSource],
        cancel: CancelToken | None = None,
        progress: ProgressSink = no_progress,
    ) -> IngestReport:
        """Add files to one of your conversations (any member may): its later turns
        draw on them. A file whose name is already there becomes its next version."""
        if not sources:
            raise InputError("conversations.no_files")
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            kb_id = tx.conversations.private_kb(conv.id)
            found = None if kb_id is None else tx.knowledge.get_kb(kb_id)
            kb = found if found is not None else self._create(op, conv.id, conv.app_id)
        return self._ingestor.run(
            lambda: self._batch(actor, conversation_id),
            kb,
            self._embedder_for(kb),
            sources,
            cancel or CancelToken(),
            progress,
        )

    def has_files(self, actor: Actor, conversation_id: int) -> bool:
        """Whether files were added to one of your conversations (its turns read them)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx = op.tx
            kb_id = tx.conversations.private_kb(own_conversation(tx, op.actor, conversation_id).id)
            return kb_id is not None and bool(tx.knowledge.list_documents(kb_id))

    def _create(self, op: Op, conversation_id: int, app_id: int) -> KnowledgeBase:
        now = iso_utc(self._clock.now())
        kb = KnowledgeBase(
            0,
            f"conversation-{conversation_id}",
            "",
            KbVisibility.ONLY_ME,
            (),
            (app_id,),
            KbSettings(),
            op.actor.username,
            now,
            now,
        )
        kb = op.tx.knowledge.create_kb(kb)
        op.tx.conversations.link_kb(conversation_id, kb.id)
        op.audit(
            action=AuditAction.KB_CREATED,
            obj=f"kb:{kb.id}",
            payload={**kb.public_dict(), "conversation_id": conversation_id},
        )
        return kb

    @contextmanager
    def _batch(self, actor: Actor, conversation_id: int) -> Iterator[Op]:
        """One batch of documents: the user re-checked, the conversation still theirs."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            own_conversation(op.tx, op.actor, conversation_id)
            yield op
