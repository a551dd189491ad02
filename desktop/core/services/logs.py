"""The log as reviewers and auditors use it: chat traces, feedback, annotations,
retention with tombstones, the bundle-signing key, and signed bundle export.

- Traces are the ``chat.turn`` audit events (DESIGN.md: the full trace of a turn),
  filtered by app, user, date range, rating or text (Admin and Owner).
- Feedback: a user rates only their own answers; annotations (improved answers) are for
  Admins and Owners. Both are audit events naming the turn and its app.
- Retention (Owner): per app, in days, with a legal hold. ``purge`` deletes expired
  turns (and conversations left empty) and drops the payloads of the app's audit events
  older than the cutoff, leaving tombstones whose hashes keep the chain whole; the purge
  is an audit event listing the seq ranges it emptied, which is what makes those
  tombstones legitimate when the chain is verified. Knowledge-base searches (their
  query text) belong to no app: they are emptied after the shortest window any app
  not on legal hold sets.
- The signing key and signed bundle export: :class:`BundleService`
  (:mod:`desktop.core.services.log_bundles`), which ``LogService`` hands them to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from desktop.core import rbac
from desktop.core.audit import seq_ranges
from desktop.core.audit_actions import CONVERSATION_CONTENT, AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError, NotFound
from desktop.core.models import Actor, TraceFilter
from desktop.core.pii import PiiType
from desktop.core.ports import BundleSigner, KeyStore, Transaction
from desktop.core.ports.pii import PiiDetector
from desktop.core.services.apps import find_app
from desktop.core.services.base import AuditedService, Op, best_effort_checkpoint
from desktop.core.services.chat_privacy import logged_text
from desktop.core.services.knowledge_access import readable_trace
from desktop.core.services.log_bundles import BundleService, CheckedStore, Export, parse_when
from desktop.core.services.passages import CitedPassage, turn_passages

__all__ = ["PURGEABLE", "UNSCOPED_CONTENT", "CheckedStore", "Export", "LogService", "parse_when"]

#: Audit actions that carry a conversation's content, named by ``app_id``: what a
#: retention purge empties.
PURGEABLE = CONVERSATION_CONTENT
#: Audit actions that belong to no app and carry what someone typed: knowledge-base
#: searches (the query). Retention empties them after the shortest window any app sets.
UNSCOPED_CONTENT = (AuditAction.KB_SEARCHED.value,)
MAX_COMMENT = 2_000
MAX_ANNOTATION = 20_000


class LogService(AuditedService):
    def __init__(
        self,
        store: CheckedStore,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        app_version: str,
        pii: PiiDetector | None = None,
    ) -> None:
        super().__init__(store)
        self._pii = pii  # feedback under an app's personal-data policy keeps pseudonyms
        self._store: CheckedStore = store
        self._clock = clock
        self._bundles = BundleService(store, clock, key_store, signer, app_version, pii)

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ traces

    def traces(
        self, actor: Actor, filters: TraceFilter, *, limit: int = 200
    ) -> list[dict[str, Any]]:
        """Chat traces, newest first, with their feedback and annotations (Admin+)."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            if filters.rating not in (None, "up", "down"):
                raise InputError("logs.rating_filter_invalid")
            if not 1 <= limit <= 10_000:
                raise InputError("logs.trace_limit_invalid")
            tx, actor = op.tx, op.actor
            events = tx.audit.find(filters, (AuditAction.CHAT_TURN.value,), limit)
            out = []
            for event in events:
                payload = event.payload or {}
                turn_id = payload.get("turn_id")
                out.append(
                    {
                        "seq": event.seq,
                        "ts": event.ts,
                        "user": event.actor,
                        "purged": event.payload is None,
                        "trace": readable_trace(tx, actor, payload),
                        "feedback": tx.review.feedback(turn_id) if turn_id else None,
                        "annotations": tx.review.annotations(turn_id) if turn_id else [],
                    }
                )
        return out

    def trace_passages(self, actor: Actor, turn_id: int) -> list[CitedPassage]:
        """The text and document version of every passage a turn was given (Admin+),
        for the full trace of a turn: input, retrieved passages, output. Only passages
        of knowledge bases the reviewer may read."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx, actor = op.tx, op.actor
            return turn_passages(tx, actor, turn_id)

    # ------------------------------------------------------------------ feedback

    def rate(self, actor: Actor, turn_id: int, rating: str, comment: str = "") -> None:
        """Rate one of your own answers up or down, with an optional comment."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            if rating not in ("up", "down"):
                raise InputError("logs.rating_invalid")
            comment = comment.strip()
            if len(comment) > MAX_COMMENT:
                raise InputError("logs.comment_too_long", maximum=MAX_COMMENT)
            tx, actor = op.tx, op.actor
            conversation_id, app_id = self._own_turn(tx, actor, turn_id)
            comment = logged_text(tx, self._pii, app_id, conversation_id, comment)
            tx.review.set_feedback(turn_id, actor.user_id, rating, comment, self._now())
            op.audit(
                action=AuditAction.TURN_RATED,
                obj=f"turn:{turn_id}",
                payload={
                    "turn_id": turn_id,
                    "conversation_id": conversation_id,
                    "app_id": app_id,
                    "rating": rating,
                    "comment": comment,
                },
            )

    def annotate(self, actor: Actor, turn_id: int, answer: str) -> None:
        """Attach an improved answer to a turn (Admin and Owner)."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            answer = answer.strip()
            if not answer or len(answer) > MAX_ANNOTATION:
                raise InputError("logs.annotation_length", maximum=MAX_ANNOTATION)
            tx, actor = op.tx, op.actor
            context = tx.review.turn_context(turn_id)
            if context is None:
                raise NotFound("logs.turn_not_found", turn_id=turn_id)
            conversation_id, app_id, _ = context
            answer = logged_text(tx, self._pii, app_id, conversation_id, answer)
            annotation_id = tx.review.add_annotation(turn_id, actor.username, answer, self._now())
            op.audit(
                action=AuditAction.TURN_ANNOTATED,
                obj=f"turn:{turn_id}",
                payload={
                    "turn_id": turn_id,
                    "conversation_id": conversation_id,
                    "app_id": app_id,
                    "annotation_id": annotation_id,
                    "answer": answer,
                },
            )

    @staticmethod
    def _own_turn(tx: Transaction, actor: Actor, turn_id: int) -> tuple[int, int]:
        context = tx.review.turn_context(turn_id)
        if context is None or context[2] != actor.user_id:  # someone else's: not found
            raise NotFound("logs.own_turn_not_found", turn_id=turn_id)
        return context[0], context[1]

    # ------------------------------------------------------------------ retention

    def set_retention(
        self, actor: Actor, app_ref: str | int, *, days: int | None, legal_hold: bool
    ) -> None:
        """Keep the app's conversations and traces ``days`` (None: forever); a legal
        hold suspends purging (Owner: security settings)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"app:{app_ref}") as op:
            if days is not None and not 1 <= days <= 36_500:
                raise InputError("logs.retention_invalid")
            tx, actor = op.tx, op.actor
            app = find_app(tx, actor, app_ref)
            before = tx.review.retention(app.id)
            tx.review.set_retention(app.id, days, legal_hold, actor.username, self._now())
            op.audit(
                action=AuditAction.RETENTION_CHANGED,
                obj=f"app:{app.id}",
                payload={
                    "app_id": app.id,
                    "from": {"days": before[0], "legal_hold": before[1]},
                    "to": {"days": days, "legal_hold": legal_hold},
                },
            )

    def retention(self, actor: Actor, app_ref: str | int) -> dict[str, Any]:
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx, actor = op.tx, op.actor
            app = find_app(tx, actor, app_ref)
            days, hold = tx.review.retention(app.id)
        return {"app": app.config.name, "days": days, "legal_hold": hold}

    def purge(self, actor: Actor) -> dict[str, Any]:
        """Apply every app's retention now (Owner). One audit event per app purged, and
        one for the knowledge-base searches past the shortest window any app sets (a
        search belongs to no app; an app on legal hold sets no window)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "retention") as op:
            now = self._clock.now()
            summary: dict[str, Any] = {
                "apps": [], "events": 0, "turns": 0, "conversations": 0, "searches": 0,
            }  # fmt: skip
            tx, actor = op.tx, op.actor
            windows: list[int] = []
            for app in tx.apps.list():
                days, hold = tx.review.retention(app.id)
                if days is None or hold:
                    continue
                windows.append(days)
                cutoff = iso_utc(now - timedelta(days=days))
                turns = tx.review.expired_turns(app.id, cutoff)
                conversations = tx.review.delete_turns(turns)
                seqs = tx.audit.tombstone(PURGEABLE, app.id, cutoff)
                if not turns and not seqs:
                    continue
                ranges = seq_ranges(seqs)
                op.audit(
                    action=AuditAction.RETENTION_PURGED,
                    obj=f"app:{app.id}",
                    payload={
                        "app_id": app.id,
                        "days": days,
                        "cutoff": cutoff,
                        "events": len(seqs),
                        "turns": len(turns),
                        "conversations": conversations,
                        "ranges": ranges,
                        "first_seq": ranges[0][0] if ranges else None,
                        "last_seq": ranges[-1][1] if ranges else None,
                    },
                )
                summary["apps"].append(app.config.name)
                summary["events"] += len(seqs)
                summary["turns"] += len(turns)
                summary["conversations"] += conversations
            if windows:
                summary["searches"] = self._purge_unscoped(op, min(windows), now)
                summary["events"] += summary["searches"]
        best_effort_checkpoint(self._store)
        return summary

    @staticmethod
    def _purge_unscoped(op: Op, days: int, now: datetime) -> int:
        """Empty the searches older than ``days``, in the purge's transaction, with the
        ``retention.purged`` event that makes their tombstones legitimate."""
        cutoff = iso_utc(now - timedelta(days=days))
        seqs = op.tx.audit.tombstone_unscoped(UNSCOPED_CONTENT, cutoff)
        if seqs:
            ranges = seq_ranges(seqs)
            op.audit(
                action=AuditAction.RETENTION_PURGED,
                obj="searches",
                payload={
                    "actions": list(UNSCOPED_CONTENT),
                    "days": days,
                    "cutoff": cutoff,
                    "events": len(seqs),
                    "ranges": ranges,
                    "first_seq": ranges[0][0],
                    "last_seq": ranges[-1][1],
                },
            )
        return len(seqs)

    # ------------------------------------------------------------------ signing key, export
    # (BundleService, services/log_bundles.py, does these)

    def ensure_signing_key(self) -> None:
        """Create the first signing key if the workspace has none (at ``init``)."""
        self._bundles.ensure_signing_key()

    def rotate_signing_key(self, actor: Actor) -> dict[str, Any]:
        """A new signing key; the old one is retired (its public half stays)."""
        return self._bundles.rotate_signing_key(actor)

    def allowed_signers(self, actor: Actor) -> str:
        """``allowed_signers`` lines for every signing key, the current one first."""
        return self._bundles.allowed_signers(actor)

    def export(
        self,
        actor: Actor,
        *,
        app_ref: str | int | None = None,
        since: str | None = None,
        until: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        pseudonymise: bool = False,
    ) -> Export:
        """A signed bundle of the events in [since, until) (Admin and Owner); with
        ``pseudonymise``, personal data in its payloads become keyed pseudonyms."""
        return self._bundles.export(
            actor,
            app_ref=app_ref,
            since=since,
            until=until,
            progress=progress,
            pseudonymise=pseudonymise,
        )

    def prove(self, actor: Actor, data: bytes, pii_type: PiiType, value: str) -> dict[str, Any]:
        """The opening of one value of a pseudonymised bundle (Owner; audited)."""
        return self._bundles.prove(actor, data, pii_type, value)
