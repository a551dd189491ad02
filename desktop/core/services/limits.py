"""Usage limits: the Owner sets them; every generation passes :meth:`LimitService.admit`.

``set_limits``/``clear_limits`` (Owner, ``Permission.MANAGE_LIMITS``) and ``limits``/
``status`` (Owner and Admins, ``Permission.VIEW_LOGS``) go through ``_op`` like every
service method. The gate, :meth:`LimitService.admit`, is a context manager around one
generation: a chat turn, a regenerate, an edit-and-resend, a quick chat and an
exhaustive reading (one turn, however many batches) all enter it in
``ChatService._run``, with the user, the app and the model of the turn. A model adapter
behind the ``ChatModel`` port (a local GGUF or a remote server) is therefore gated
without knowing of it; any other path that generates must enter the same gate.

The gate, in ONE transaction, reads the limits of the user, the app and the model (none:
nothing else is read) and checks, in this order: tokens per day, tokens per month,
requests per minute, then answers at once. Tokens and requests come from the stored
turns; answers at once from a counter held in this process (:func:`shared_gate`: the
GUI's lanes share it; a CLI command is a process of its own), so concurrent generations
are **refused, not queued**: the refusal says to try again when one finishes. A
refusal appends ``limits.refused`` in the same transaction as it reads the consumption,
and raises :class:`LimitReached` (CLI exit code 5), naming the limit, its reset time
and who can raise it.

Requests per minute count the turns stored in the window; two turns admitted at the
same instant by one user both pass (the concurrency limit bounds that).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import InputError, LimitReached, NotFound
from desktop.core.limits import (
    ALLOWED,
    MAX_LIMIT,
    MINUTE,
    TOKEN_KINDS,
    Consumed,
    LimitKind,
    LimitScope,
    LimitUse,
    UsageLimits,
    Windows,
    day_start,
    month_start,
    shown_time,
    token_window,
)
from desktop.core.messages import Language, Surface, Term
from desktop.core.models import Actor
from desktop.core.ports import Store, Transaction
from desktop.core.services.base import AuditedService, system_audit

Key = tuple[LimitScope, int]
_TICK = timedelta(microseconds=1)  # the resolution of stored times


class ConcurrencyGate:
    """Answers being generated now, per limited user, app or model, in this process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: Counter[Key] = Counter()

    def try_enter(self, wants: list[tuple[UsageLimits, int]]) -> LimitUse | None:
        """Count one more answer for each of ``wants`` (limits and their ``concurrent``
        value), all or none: None when entered, else the first limit that is full."""
        with self._lock:
            for limits, allowed in wants:
                running = self._running[(limits.scope, limits.subject_id)]
                if running >= allowed:
                    return _use(limits, LimitKind.CONCURRENT, running, None)
            for limits, _ in wants:
                self._running[(limits.scope, limits.subject_id)] += 1
        return None

    def leave(self, keys: list[Key]) -> None:
        with self._lock:
            for key in keys:
                self._running[key] -= 1
                if self._running[key] <= 0:
                    del self._running[key]

    def running(self, scope: LimitScope, subject_id: int) -> int:
        with self._lock:
            return self._running[(scope, subject_id)]


@dataclass(frozen=True, slots=True)
class Terms:
    """Several catalogue terms as one message parameter, in the message's language."""

    terms: tuple[Term, ...]

    def render(self, language: Language = Language.EN, surface: Surface = Surface.CLI) -> str:
        joiner = "、" if language is Language.JA else ", "
        return joiner.join(term.render(language, surface) for term in self.terms)


_GATES: dict[str, ConcurrencyGate] = {}
_GATES_LOCK = threading.Lock()


def shared_gate(workspace_id: str) -> ConcurrencyGate:
    """The one gate of a workspace in this process: every lane opens the workspace on
    its own connection (and its own services), and all of them count together."""
    with _GATES_LOCK:
        return _GATES.setdefault(workspace_id, ConcurrencyGate())


def _use(limits: UsageLimits, kind: LimitKind, used: int, resets: str | None) -> LimitUse:
    return LimitUse(limits.scope, limits.subject, kind, limits.values[kind], used, resets)


def _refusal(use: LimitUse) -> LimitReached:
    params: dict[str, Any] = {
        "limit": Term(f"limits.kind.{use.kind.value}"),
        "scope": Term(f"limits.scope.{use.scope.value}"),
        "name": use.subject,
        "used": f"{use.used:,}",
        "allowed": f"{use.limit:,}",
    }
    if use.resets_at is None:
        return LimitReached("limits.busy", **params)
    return LimitReached("limits.reached", resets=shown_time(use.resets_at), **params)


class LimitService(AuditedService):
    def __init__(self, store: Store, clock: Clock, gate: ConcurrencyGate | None = None) -> None:
        super().__init__(store)
        self._clock = clock
        self.gate = gate or ConcurrencyGate()

    # ------------------------------------------------------------------ the Owner's

    def set_limits(
        self, actor: Actor, scope: LimitScope, name: str, values: Mapping[LimitKind, int]
    ) -> UsageLimits:
        """Set the given limits of a user, app or model (the others it has stay); 0
        refuses every turn. Owner only; audited as ``limits.set``."""
        if not values:
            raise InputError("limits.nothing_given")
        with self._op(actor, rbac.Permission.MANAGE_LIMITS) as op:
            _check_values(scope, values)
            subject_id, shown = _subject(op.tx, scope, name)
            old = op.tx.limits.get(scope, subject_id)
            merged = {**(old.values if old else {}), **values}
            op.tx.limits.put(
                scope, subject_id, merged, now=iso_utc(self._clock.now()), by=op.actor.username
            )
            stored = op.tx.limits.get(scope, subject_id)
            assert stored is not None
            op.audit(
                AuditAction.LIMITS_SET,
                f"{scope.value}:{shown}",
                {"set": {k.value: v for k, v in values.items()}, **stored.as_dict()},
            )
            return stored

    def clear_limits(
        self, actor: Actor, scope: LimitScope, name: str, kinds: tuple[LimitKind, ...] = ()
    ) -> UsageLimits | None:
        """Clear some (``kinds``) or all limits of a user, app or model; what is left,
        or None. Owner only; audited as ``limits.cleared``."""
        with self._op(actor, rbac.Permission.MANAGE_LIMITS) as op:
            subject_id, shown = _subject(op.tx, scope, name)
            old = op.tx.limits.get(scope, subject_id)
            left = {
                k: v for k, v in (old.values if old else {}).items() if kinds and k not in kinds
            }
            now = iso_utc(self._clock.now())
            op.tx.limits.put(scope, subject_id, left, now=now, by=op.actor.username)
            cleared = [k.value for k in (kinds or tuple(LimitKind))]
            op.audit(
                AuditAction.LIMITS_CLEARED,
                f"{scope.value}:{shown}",
                {"scope": scope.value, "name": shown, "cleared": cleared},
            )
            return op.tx.limits.get(scope, subject_id)

    def limits(self, actor: Actor) -> list[UsageLimits]:
        """Every limit set (Owner and Admins)."""
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            return op.tx.limits.every()

    def status(self, actor: Actor) -> list[LimitUse]:
        """Each limit set and what is used against it now (Owner and Admins)."""
        now = self._clock.now()
        with self._op(actor, rbac.Permission.VIEW_LOGS) as op:
            return [
                use for limits in op.tx.limits.every() for use in self._uses(op.tx, limits, now)
            ]

    # ------------------------------------------------------------------ the gate

    @contextmanager
    def admit(self, actor: Actor, app_id: int, model_id: int) -> Iterator[None]:
        """Around one generation by ``actor`` with the app and model: raise
        LimitReached (audited) if a limit refuses it, else hold its place among the
        answers at once until the block ends."""
        entered = self._enter(actor, app_id, model_id)
        try:
            yield
        finally:
            self.gate.leave(entered)

    def _enter(self, actor: Actor, app_id: int, model_id: int) -> list[Key]:
        """The gate's one transaction; the places taken among the answers at once."""
        now = self._clock.now()
        refused: LimitUse | None = None
        entered: list[Key] = []
        try:
            with self._store.transaction() as tx:
                applicable = tx.limits.applicable(actor.user_id, app_id, model_id)
                refused = self._first_reached(tx, applicable, now)
                if refused is None:
                    wants = [
                        (limits, limits.values[LimitKind.CONCURRENT])
                        for limits in applicable
                        if LimitKind.CONCURRENT in limits.values
                    ]
                    refused = self.gate.try_enter(wants)
                    if refused is None:
                        entered = [(limits.scope, limits.subject_id) for limits, _ in wants]
                if refused is not None:
                    payload = {**refused.as_dict(), "app_id": app_id, "model_id": model_id}
                    obj = f"{refused.scope.value}:{refused.subject}"
                    system_audit(tx, AuditAction.LIMIT_REFUSED, obj, payload, actor=actor.username)
        except BaseException:
            self.gate.leave(entered)  # the transaction failed: give the places back
            raise
        if refused is not None:
            raise _refusal(refused)
        return entered

    def _first_reached(
        self, tx: Transaction, applicable: list[UsageLimits], now: datetime
    ) -> LimitUse | None:
        for limits in applicable:
            for use in self._uses(tx, limits, now, concurrent=False):
                if use.reached:
                    return use
        return None

    def _uses(
        self, tx: Transaction, limits: UsageLimits, now: datetime, *, concurrent: bool = True
    ) -> Iterator[LimitUse]:
        """Each of ``limits``' values with what is used against it at ``now``."""
        counted = [k for k in (*TOKEN_KINDS, LimitKind.REQUESTS_PER_MINUTE) if k in limits.values]
        if counted:
            windows = _windows(now, counted)
            used = tx.limits.consumed(limits.scope, limits.subject_id, windows)
            for kind in counted:
                yield _counted(limits, kind, used, now)
        if concurrent and LimitKind.CONCURRENT in limits.values:
            running = self.gate.running(limits.scope, limits.subject_id)
            yield _use(limits, LimitKind.CONCURRENT, running, None)


def _windows(now: datetime, kinds: list[LimitKind]) -> Windows:
    """The windows of ``now``; the turns are read from the widest of those ``kinds``."""
    day, month = day_start(now), month_start(now)
    minute = now - MINUTE + _TICK  # a turn exactly 60 s old has left the window
    starts = {
        LimitKind.TOKENS_PER_DAY: day,
        LimitKind.TOKENS_PER_MONTH: month,
        LimitKind.REQUESTS_PER_MINUTE: minute,
    }
    since = min(starts[k] for k in kinds)
    return Windows(iso_utc(since), iso_utc(day), iso_utc(month), iso_utc(minute))


def _counted(limits: UsageLimits, kind: LimitKind, used: Consumed, now: datetime) -> LimitUse:
    if kind is LimitKind.REQUESTS_PER_MINUTE:
        oldest = used.oldest_request
        resets = datetime.fromisoformat(oldest) + MINUTE if oldest else now
        return _use(limits, kind, used.requests, iso_utc(resets))
    tokens = used.day_tokens if kind is LimitKind.TOKENS_PER_DAY else used.month_tokens
    return _use(limits, kind, tokens, iso_utc(token_window(kind, now)[1]))


def _check_values(scope: LimitScope, values: Mapping[LimitKind, int]) -> None:
    for kind, value in values.items():
        if kind not in ALLOWED[scope]:
            allowed = [k for k in LimitKind if k in ALLOWED[scope]]
            raise InputError(
                "limits.not_for_scope",
                scope=Term(f"limits.scope.{scope.value}"),
                allowed=Terms(tuple(Term(f"limits.kind.{k.value}") for k in allowed)),
                limit=Term(f"limits.kind.{kind.value}"),
            )
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_LIMIT:
            raise InputError(
                "limits.value_range", limit=Term(f"limits.kind.{kind.value}"), maximum=MAX_LIMIT
            )


def _subject(tx: Transaction, scope: LimitScope, name: str) -> tuple[int, str]:
    """The id and stored name of the user, app or model called ``name``."""
    found: Any
    if scope is LimitScope.USER:
        found = tx.users.get_by_name(name)
        if found is not None:
            return found.id, found.username
    elif scope is LimitScope.APP:
        found = tx.apps.get_by_name(name)
        if found is not None:
            return found.id, found.config.name
    else:
        found = tx.models.get_by_name(name)
        if found is not None:
            return found.id, found.name
    raise NotFound("limits.subject_not_found", scope=Term(f"limits.scope.{scope.value}"), name=name)
