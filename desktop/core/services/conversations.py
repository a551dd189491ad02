"""Managing one's own conversations: list, read, rename, delete, and the passages and
ratings behind their answers. :class:`~desktop.core.services.chat.ChatService` (which
runs the turns) hands these methods to the :class:`ConversationService` here.
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.core import rbac
from desktop.core.audit import seq_ranges
from desktop.core.audit_actions import CONVERSATION_CONTENT, AuditAction
from desktop.core.chat_models import AppRecord, Conversation, Turn, fill_variables
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError, NotFound
from desktop.core.models import Actor
from desktop.core.ports import Store, Transaction
from desktop.core.ports.pii import PiiDetector
from desktop.core.services.apps import find_app, visible_to
from desktop.core.services.base import AuditedService, Op, best_effort_checkpoint
from desktop.core.services.chat_privacy import logged_text
from desktop.core.services.passages import CitedPassage, cited_passage
from desktop.core.services.quick_chat import find_model, quick_app

#: The most characters a conversation search looks for.
MAX_SEARCH = 200

#: where a conversation may be exported to (the GUI writes the file or prints)
EXPORT_TARGETS = ("markdown", "pdf", "print")


def own_conversation(tx: Transaction, actor: Actor, conversation_id: int) -> Conversation:
    """One of the actor's own conversations; NotFound for anyone else's."""
    conv = tx.conversations.get(conversation_id)
    if conv is None or conv.user_id != actor.user_id:
        raise NotFound("conversations.not_found", conversation_id=conversation_id)
    return conv


def _app_visible(tx: Transaction, actor: Actor, app_id: int) -> bool:
    app = tx.apps.get(app_id)
    return app is not None and visible_to(actor, app)


class ConversationService(AuditedService):
    def __init__(
        self,
        store: Store,
        clock: Clock,
        forget_kb: Callable[[int], None] | None = None,
        pii: PiiDetector | None = None,
    ) -> None:
        super().__init__(store)
        self._clock = clock
        self._forget_kb = forget_kb  # drops a deleted private knowledge base's index
        self._pii = pii  # masks a new title in the log under the app's policies

    def start(
        self, actor: Actor, app_ref: str | int, variables: dict[str, str] | None = None
    ) -> Conversation:
        """A new, empty conversation with the app (its first message gives it its
        title); for a file dropped on a chat before anything was asked."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            app = find_app(op.tx, op.actor, app_ref)
            values = dict(variables or {})
            fill_variables(app.config.instructions, values)  # missing ones fail early
            return self._create(op, app, app.config.name, values)

    def start_quick(self, actor: Actor, model_ref: str | int) -> tuple[AppRecord, Conversation]:
        """A new, empty quick chat with a registered model (any member may chat with
        any model): the model's quick-chat app, created in this transaction on the
        first quick chat with it, and the conversation."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            model = find_model(op.tx, model_ref)
            app = quick_app(op, model, iso_utc(self._clock.now()))
            return app, self._create(op, app, model.name, {})

    def _create(
        self, op: Op, app: AppRecord, title: str, variables: dict[str, str]
    ) -> Conversation:
        conv = op.tx.conversations.create(
            app_id=app.id,
            app_version=app.version,
            user_id=op.actor.user_id,
            title=title[:200],
            variables=variables,
            now=iso_utc(self._clock.now()),
        )
        op.audit(
            action=AuditAction.CONVERSATION_CREATED,
            obj=f"conversation:{conv.id}",
            payload={"app_id": app.id, "app_version": app.version, "variables": variables},
        )
        return conv

    def search(self, actor: Actor, text: str) -> list[Conversation]:
        """Your own conversations whose title, or a current question or answer, contains
        ``text`` (Japanese included; case and full/half width ignored), newest first."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            text = " ".join(text.split())
            if not text:
                return []
            if len(text) > MAX_SEARCH:
                raise InputError("conversations.search_too_long", maximum=MAX_SEARCH)
            convs = tx.conversations.search(actor.user_id, text)
            return [c for c in convs if _app_visible(tx, actor, c.app_id)]

    def conversations(self, actor: Actor, app_ref: str | int | None = None) -> list[Conversation]:
        """The actor's own conversations, newest first (optionally of one app)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            app_id = find_app(tx, actor, app_ref).id if app_ref is not None else None
            convs = tx.conversations.list_for_user(actor.user_id, app_id)
            return [c for c in convs if _app_visible(tx, actor, c.app_id)]

    def turns(self, actor: Actor, conversation_id: int) -> list[Turn]:
        """The conversation as it stands, oldest first: turns replaced by an edited
        message are left out (they stay stored, and in the log)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            return tx.conversations.turns(conv.id, current_only=True)

    def export(self, actor: Actor, conversation_id: int, target: str) -> tuple[str, list[Turn]]:
        """One of your conversations (title, current turns) for writing out to ``target``
        (markdown, pdf or print): the export is audited in the same transaction that
        reads what is exported."""
        if target not in EXPORT_TARGETS:
            raise InputError("conversations.export_target", target=target)
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            turns = tx.conversations.turns(conv.id, current_only=True)
            op.audit(
                action=AuditAction.CONVERSATION_EXPORTED,
                obj=f"conversation:{conv.id}",
                payload={"app_id": conv.app_id, "target": target, "turns": len(turns)},
            )
            return conv.title, turns

    def my_feedback(self, actor: Actor, conversation_id: int) -> dict[int, str]:
        """Your own rating ("up" or "down") of the rated answers in one of your
        conversations, by turn id (answers you have not rated are left out)."""
        ratings: dict[int, str] = {}
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            for turn in tx.conversations.turns(conv.id, current_only=True):
                feedback = tx.review.feedback(turn.id)
                if feedback is not None:
                    ratings[turn.id] = str(feedback["rating"])
        return ratings

    def passage(self, actor: Actor, turn_id: int, marker: int) -> CitedPassage:
        """The passage behind citation ``[marker]`` of one of your answers, with the
        document version it came from (read-only; a knowledge base you may no longer
        read answers NotFound)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            return cited_passage(tx, actor, turn_id, marker)

    def rename(self, actor: Actor, conversation_id: int, title: str) -> None:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            title = " ".join(title.split())
            if not title or len(title) > 200:
                raise InputError("conversations.title_length")
            conv = own_conversation(tx, actor, conversation_id)
            tx.conversations.rename(conv.id, title, now=iso_utc(self._clock.now()))
            op.audit(  # the list shows the title as typed; the log as the policies say
                action=AuditAction.CONVERSATION_RENAMED,
                obj=f"conversation:{conv.id}",
                payload={
                    "app_id": conv.app_id,
                    "title": logged_text(tx, self._pii, conv.app_id, conv.id, title),
                },
            )

    def delete(self, actor: Actor, conversation_id: int) -> None:
        """Really delete: rows go (secure_delete zeroes them) and the WAL is folded in.

        The conversation's content leaves the audit log too, in the same transaction:
        the payloads of its events (question, answers, title, ratings, annotations)
        become tombstones, covered by a ``retention.purged`` event as a retention purge
        leaves them, so the chain and exported bundles still verify. A legal hold on
        the app keeps those payloads (a hold suspends purging)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            conv = own_conversation(tx, actor, conversation_id)
            _, hold = tx.review.retention(conv.app_id)
            kb_id = tx.conversations.private_kb(conv.id)  # deleted with it (cascade)
            tx.conversations.delete(conv.id)
            seqs = [] if hold else tx.audit.tombstone_conversation(CONVERSATION_CONTENT, conv.id)
            op.audit(
                action=AuditAction.CONVERSATION_DELETED,
                obj=f"conversation:{conv.id}",
                payload={"app_id": conv.app_id, "legal_hold": hold}
                | ({"files_kb_deleted": kb_id} if kb_id is not None else {}),
            )
            if seqs:
                ranges = seq_ranges(seqs)
                op.audit(
                    action=AuditAction.RETENTION_PURGED,
                    obj=f"conversation:{conv.id}",
                    payload={
                        "app_id": conv.app_id,
                        "conversation_id": conv.id,
                        "reason": AuditAction.CONVERSATION_DELETED.value,
                        "events": len(seqs),
                        "ranges": ranges,
                        "first_seq": ranges[0][0],
                        "last_seq": ranges[-1][1],
                    },
                )
        if kb_id is not None and self._forget_kb is not None:
            self._forget_kb(kb_id)
        best_effort_checkpoint(self._store)
