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
  tombstones legitimate when the chain is verified.
- The signing key is Ed25519; its private half lives only in the OS keyring, its public
  half (and every retired one, so old bundles still verify) in the database.
- Export (Admin and Owner) checks the database (``cipher_integrity_check``) and the
  whole chain first, then writes the bundle (:mod:`desktop.core.bundle`) over a
  contiguous seq range; events outside an app filter appear redacted (seq and hashes
  only) so the chain stays continuous. The export is itself audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from desktop.core import rbac
from desktop.core.audit import ChainReport
from desktop.core.audit_actions import AuditAction
from desktop.core.bundle import NAMESPACE, build_bundle, full_record, redacted_record
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import (
    AuditChainBroken,
    DatabaseCorrupt,
    InputError,
    KeyItemMissing,
    NotFound,
)
from desktop.core.keyring_items import signing_key_item
from desktop.core.models import Actor, TraceFilter
from desktop.core.ports import BundleSigner, KeyStore, Store, Transaction
from desktop.core.services.apps import find_app
from desktop.core.services.base import AuditedService, best_effort_checkpoint, system_audit
from desktop.core.services.passages import CitedPassage, turn_passages

#: Audit actions that carry a conversation's content, named by ``app_id``: what a
#: retention purge empties.
PURGEABLE = tuple(
    a.value
    for a in (
        AuditAction.CHAT_TURN,
        AuditAction.CHAT_FAILED,
        AuditAction.CONVERSATION_CREATED,
        AuditAction.CONVERSATION_RENAMED,
        AuditAction.TURN_RATED,
        AuditAction.TURN_ANNOTATED,
    )
)
MAX_COMMENT = 2_000
MAX_ANNOTATION = 20_000


class CheckedStore(Store, Protocol):
    def integrity_check(self) -> list[str]: ...

    def verify_audit(self) -> ChainReport: ...


@dataclass(frozen=True, slots=True)
class Export:
    """A bundle's bytes and what its checkpoint says."""

    data: bytes
    first_seq: int
    last_seq: int
    count: int
    redacted: int
    fingerprint: str


def parse_when(text: str | None, *, end: bool = False) -> str | None:
    """``YYYY-MM-DD`` (a whole UTC day: its start, or with ``end`` the next day's start)
    or an ISO 8601 time with a zone, as the log's ISO UTC form; InputError otherwise."""
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
            return iso_utc(day + timedelta(days=1) if end else day)
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InputError(
            f"not a date: {text!r}: use YYYY-MM-DD or an ISO 8601 time with a zone "
            "(2026-11-24T09:00:00Z)"
        )
    return iso_utc(moment)


def _ranges(seqs: list[int]) -> list[list[int]]:
    """Sorted seqs as [first, last] runs."""
    runs: list[list[int]] = []
    for seq in seqs:
        if runs and seq == runs[-1][1] + 1:
            runs[-1][1] = seq
        else:
            runs.append([seq, seq])
    return runs


class LogService(AuditedService):
    def __init__(
        self,
        store: CheckedStore,
        clock: Clock,
        key_store: KeyStore,
        signer: BundleSigner,
        app_version: str,
    ) -> None:
        super().__init__(store)
        self._store: CheckedStore = store
        self._clock = clock
        self._key_store = key_store
        self._signer = signer
        self._app_version = app_version

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    # ------------------------------------------------------------------ traces

    def traces(
        self, actor: Actor, filters: TraceFilter, *, limit: int = 200
    ) -> list[dict[str, Any]]:
        """Chat traces, newest first, with their feedback and annotations (Admin+)."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            if filters.rating not in (None, "up", "down"):
                raise InputError("a rating filter is 'up' or 'down'")
            if not 1 <= limit <= 10_000:
                raise InputError("the trace limit must be between 1 and 10000")
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
                        "trace": payload,
                        "feedback": tx.review.feedback(turn_id) if turn_id else None,
                        "annotations": tx.review.annotations(turn_id) if turn_id else [],
                    }
                )
        return out

    def trace_passages(self, actor: Actor, turn_id: int) -> list[CitedPassage]:
        """The text and document version of every passage a turn was given (Admin+),
        for the full trace of a turn: input, retrieved passages, output."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx, actor = op.tx, op.actor
            return turn_passages(tx, turn_id)

    # ------------------------------------------------------------------ feedback

    def rate(self, actor: Actor, turn_id: int, rating: str, comment: str = "") -> None:
        """Rate one of your own answers up or down, with an optional comment."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            if rating not in ("up", "down"):
                raise InputError("rate an answer 'up' or 'down'")
            comment = comment.strip()
            if len(comment) > MAX_COMMENT:
                raise InputError(f"the comment is too long (at most {MAX_COMMENT} characters)")
            tx, actor = op.tx, op.actor
            conversation_id, app_id = self._own_turn(tx, actor, turn_id)
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
                raise InputError(f"an annotation needs 1 to {MAX_ANNOTATION} characters")
            tx, actor = op.tx, op.actor
            context = tx.review.turn_context(turn_id)
            if context is None:
                raise NotFound(f"no turn {turn_id}: `kura logs traces` lists them")
            conversation_id, app_id, _ = context
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
            raise NotFound(f"no turn {turn_id} of yours: `kura conversations show` lists them")
        return context[0], context[1]

    # ------------------------------------------------------------------ retention

    def set_retention(
        self, actor: Actor, app_ref: str | int, *, days: int | None, legal_hold: bool
    ) -> None:
        """Keep the app's conversations and traces ``days`` (None: forever); a legal
        hold suspends purging (Owner: security settings)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, f"app:{app_ref}") as op:
            if days is not None and not 1 <= days <= 36_500:
                raise InputError("retention is 1 to 36500 days, or 'keep' for forever")
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
        """Apply every app's retention now (Owner). One audit event per app purged."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "retention") as op:
            now = self._clock.now()
            summary: dict[str, Any] = {"apps": [], "events": 0, "turns": 0, "conversations": 0}
            tx, actor = op.tx, op.actor
            for app in tx.apps.list():
                days, hold = tx.review.retention(app.id)
                if days is None or hold:
                    continue
                cutoff = iso_utc(now - timedelta(days=days))
                turns = tx.review.expired_turns(app.id, cutoff)
                conversations = tx.review.delete_turns(turns)
                seqs = tx.audit.tombstone(PURGEABLE, app.id, cutoff)
                if not turns and not seqs:
                    continue
                ranges = _ranges(seqs)
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
        best_effort_checkpoint(self._store)
        return summary

    # ------------------------------------------------------------------ signing key

    def _identity(self, tx: Transaction) -> tuple[str, str]:
        workspace_id = tx.settings.get("workspace_id") or ""
        return workspace_id, f"kura-audit@{workspace_id}"

    @staticmethod
    def _item(workspace_id: str, key_id: int) -> str:
        return signing_key_item(workspace_id, key_id)

    def ensure_signing_key(self) -> None:
        """Create the first signing key if the workspace has none (at ``init``)."""
        with self._store.transaction() as tx:
            if not tx.review.signing_keys():
                self._add_key(tx, actor_name="system", retire=None)

    def _add_key(
        self, tx: Transaction, *, actor_name: str, retire: dict[str, Any] | None
    ) -> dict[str, Any]:
        """A new key, in the caller's transaction: the keyring item first, then its
        public half and the audit event. The caller removes the retired key's keyring
        item once that transaction has committed."""
        seed, public, fingerprint = self._signer.new_key()
        workspace_id, _ = self._identity(tx)
        key_id = tx.review.add_signing_key(public, fingerprint, self._now())
        self._key_store.set_secret(self._item(workspace_id, key_id), seed)
        if retire is not None:
            tx.review.retire_signing_key(int(retire["id"]), self._now())
        system_audit(
            tx,
            actor=actor_name,
            action=AuditAction.SIGNING_KEY_ROTATED if retire else AuditAction.SIGNING_KEY_CREATED,
            obj=f"signing_key:{key_id}",
            payload={
                "fingerprint": fingerprint,
                "public_key": public,
                "retired": retire["fingerprint"] if retire else None,
            },
        )
        return {"id": key_id, "public_key": public, "fingerprint": fingerprint}

    def rotate_signing_key(self, actor: Actor) -> dict[str, Any]:
        """A new signing key; the old one is retired (its public half stays)."""
        with self._op(actor, rbac.Permission.MANAGE_SECURITY, "signing_key") as op:
            current = [k for k in op.tx.review.signing_keys() if k["retired_at"] is None]
            retire = current[-1] if current else None
            added = self._add_key(op.tx, actor_name=op.actor.username, retire=retire)
            workspace_id, _ = self._identity(op.tx)
        if retire is not None:
            self._key_store.delete_secret(self._item(workspace_id, int(retire["id"])))
        return added

    def allowed_signers(self, actor: Actor) -> str:
        """``allowed_signers`` lines for every signing key, the current one first."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)
        self.ensure_signing_key()
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx = op.tx
            _, identity = self._identity(tx)
            keys = sorted(tx.review.signing_keys(), key=lambda k: k["retired_at"] is not None)
        return "".join(
            self._signer.allowed_signers_line(identity, k["public_key"], NAMESPACE) + "\n"
            for k in keys
        )

    # ------------------------------------------------------------------ export

    def export(
        self,
        actor: Actor,
        *,
        app_ref: str | int | None = None,
        since: str | None = None,
        until: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Export:
        """A signed bundle of the events in [since, until) (Admin and Owner)."""
        self._precheck(actor, rbac.Permission.VIEW_LOGS)  # before checking the whole file
        start, end = parse_when(since), parse_when(until, end=True)
        problems = self._store.integrity_check()
        if problems:
            raise DatabaseCorrupt(
                f"kura.db failed its integrity check ({problems[0]}): nothing was exported; "
                "run `kura doctor`"
            )
        report = self._store.verify_audit()
        if not report.ok:
            raise AuditChainBroken(
                f"the audit chain does not verify ({report.error}): nothing was exported; "
                "run `kura doctor`"
            )
        self.ensure_signing_key()
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            tx, actor = op.tx, op.actor
            app_id = find_app(tx, actor, app_ref).id if app_ref is not None else None
            span = tx.audit.seq_range(start, end)
            if span is None:
                raise InputError("no audit events in that date range: widen --since/--until")
            workspace_id, identity = self._identity(tx)
            key = [k for k in tx.review.signing_keys() if k["retired_at"] is None][-1]
            events = []
            redacted = 0
            for event in tx.audit.events_between(*span):
                visible = app_id is None or (event.payload or {}).get("app_id") == app_id
                redacted += not visible
                events.append(full_record(event) if visible else redacted_record(event))
                if progress is not None and len(events) % 5000 == 0:
                    progress(len(events), span[1] - span[0] + 1)
            purges = [
                {"seq": seq, "ranges": [list(r) for r in ranges]}
                for seq, ranges in tx.audit.purges()
                if any(a <= span[1] and b >= span[0] for a, b in ranges)
            ]
        seed = self._key_store.get_secret(self._item(workspace_id, int(key["id"])))
        if seed is None:
            raise KeyItemMissing(
                "the audit signing key is missing from the OS keyring: make a new one with "
                "`kura keys rotate-signing` (bundles signed before stay valid)"
            )
        data = build_bundle(
            events,
            workspace_id=workspace_id,
            exporter=actor.username,
            app_version=self._app_version,
            exported_at=self._now(),
            filter={"app_id": app_id, "since": start, "until": end},
            purges=purges,
            identity=identity,
            allowed_signers=self._signer.allowed_signers_line(
                identity, str(key["public_key"]), NAMESPACE
            )
            + "\n",
            sign=lambda message: self._signer.sign(seed, message, NAMESPACE),
            public_key=str(key["public_key"]),
        )
        with self._continue(actor) as op:  # the record of the export it allowed
            op.audit(
                action=AuditAction.LOGS_EXPORTED,
                obj=f"workspace:{workspace_id}",
                payload={
                    "first_seq": span[0],
                    "last_seq": span[1],
                    "count": len(events),
                    "redacted": redacted,
                    "filter": {"app_id": app_id, "since": start, "until": end},
                    "key_fingerprint": key["fingerprint"],
                },
            )
        return Export(data, span[0], span[1], len(events), redacted, str(key["fingerprint"]))
