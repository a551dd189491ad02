"""Personal data in one chat turn, under the app's policies (:mod:`desktop.core.privacy`).

:func:`load` reads, in the turn's planning transaction, the policies in force, the
workspace's terms and the conversation's pseudonym table. :class:`TurnPrivacy` then
masks what the model is given (*pseudonymise before the model*), restores the answer
(also while it streams), masks what the audit log keeps (*minimise logs*, and always
under *pseudonymise*: the log never holds a value the model was spared) and counts
what it masked, per type, for the trace. With neither policy on it changes nothing.

Before the model runs, a turn calls the detector once (:meth:`TurnPrivacy.prompt`; an
exhaustive reading once more, on every passage it reads: :meth:`TurnPrivacy.for_model`), on
every text the model is given (instructions and retrieved passages, history, message)
and every text of the question the log keeps (the title, the variables), before
anything is written. Under *minimise logs* the answer is read once more when it is
complete (:meth:`TurnPrivacy.read_answer`), outside the write transaction that records
it: a value that occurs only in the answer (the model's own, or one it reformatted) is
masked in the log too; the table of the first call numbers what both found alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.core import privacy
from desktop.core.chat_models import AppConfig
from desktop.core.errors import InputError
from desktop.core.pii import PiiEntity
from desktop.core.ports import Transaction
from desktop.core.ports.pii import PiiDetector
from desktop.core.pseudonymise import Pseudonyms, StreamRestorer, mask, merge_entities
from desktop.core.services.chat_trace import PieceSink
from desktop.core.tasks import CancelToken


@dataclass(frozen=True, slots=True)
class PrivacyPlan:
    """What a turn's planning transaction read: the policies, terms and stored table."""

    policy: privacy.Defaults = field(default_factory=privacy.Defaults)
    terms: tuple[privacy.Term, ...] = ()
    table_json: str | None = None

    @property
    def active(self) -> bool:
        return self.policy.minimise_logs or self.policy.pseudonymise


def load_privacy(tx: Transaction, config: AppConfig, conversation_id: int | None) -> PrivacyPlan:
    policy = privacy.effective(tx.settings, config.minimise_logs, config.pseudonymise)
    if not (policy.minimise_logs or policy.pseudonymise):
        return PrivacyPlan(policy)
    stored = None if conversation_id is None else tx.conversations.pseudonyms(conversation_id)
    return PrivacyPlan(policy, privacy.terms(tx.settings), stored)


class Masker:
    """The detector and the workspace's terms over one pseudonym table."""

    def __init__(
        self,
        detector: PiiDetector,
        terms: tuple[privacy.Term, ...],
        table: Pseudonyms,
        cancel: CancelToken | None = None,
    ) -> None:
        self._detector, self._terms = detector, privacy.TermMatcher(terms)
        self.table, self._cancel = table, cancel
        self._done: dict[str, str] = {}

    def entities(self, texts: Sequence[str]) -> list[list[PiiEntity]]:
        found = self._detector.detect(list(texts), self._cancel) if texts else []
        return [merge_entities(self._terms.find(t), f) for t, f in zip(texts, found, strict=True)]

    def mask(self, texts: Sequence[str]) -> list[str]:
        """Each text with its personal data replaced (one detector call for all)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._done]
        for text, found in zip(todo, self.entities(todo), strict=True):
            self._done[text] = mask(text, found, self.table)
        return [self._done[t] for t in texts]

    def known(self, text: str) -> str:
        """``text`` masked without the detector: the values the table already holds and
        the workspace's terms (a text :meth:`mask` had is answered as it was)."""
        done = self._done.get(text)
        if done is None:
            done = mask(
                text, merge_entities(self._terms.find(text), self.table.find(text)), self.table
            )
            self._done[text] = done
        return done


class TurnPrivacy:
    """One turn's masking and restoring; everything passes through unchanged when the
    app's policies are both off."""

    def __init__(
        self, plan: PrivacyPlan, detector: PiiDetector | None, cancel: CancelToken
    ) -> None:
        self.plan = plan
        self._restorer: StreamRestorer | None = None
        self.table = Pseudonyms.from_json(plan.table_json)
        if plan.active and detector is None:
            raise InputError("privacy.detector_missing")
        self._masker = (
            Masker(detector, plan.terms, self.table, cancel)
            if plan.active and detector is not None
            else None
        )

    @property
    def pseudonymise(self) -> bool:
        return self._masker is not None and self.plan.policy.pseudonymise

    @property
    def minimise(self) -> bool:
        """Whether the log keeps pseudonyms: under either policy (a pseudonymised turn's
        trace holds what the model saw, never the values it was spared)."""
        return self._masker is not None

    def prompt(
        self,
        system: str,
        history: list[tuple[str, str]],
        message: str,
        logged: Sequence[str] = (),
    ) -> tuple[str, list[tuple[str, str]], str]:
        """The system text (instructions and passages), history and message as the
        model may see them. The turn's one detector call: it reads these and ``logged``
        (the other texts of the question the log keeps: its title, the variables), so
        that :meth:`log` needs no call, and no call runs inside a write transaction.
        Under *minimise logs* alone the model gets them as they are; what was found
        still masks the log, the answer included (a value it repeats from a passage)."""
        if self._masker is None:
            return system, history, message
        history_texts = [t for pair in history for t in pair]
        out = self._masker.mask([system, message, *history_texts, *logged])
        if not self.pseudonymise:
            return system, history, message
        pairs = [(out[i], out[i + 1]) for i in range(2, 2 + len(history_texts), 2)]
        return out[0], pairs, out[1]

    def save(self, tx: Transaction, turn_id: int) -> None:
        """Store the table with the turn (encrypted database, never the log)."""
        if self.plan.active:
            tx.conversations.save_pseudonyms(turn_id, self.table.to_json())

    def read_answer(self, answer: str) -> None:
        """Under *minimise logs*, the detector's second and last call of the turn, on
        the answer (call it before the transaction that records it): :meth:`log` then
        masks what occurs only there."""
        if self.minimise and self._masker is not None and answer.strip():
            self._masker.mask([answer])

    def log(self, text: str) -> str:
        """``text`` as the audit log and traces may keep it: as :meth:`prompt`'s call
        masked it, or (the answer) by the values that call found and the terms."""
        if not self.minimise or self._masker is None:
            return text
        return self._masker.known(text)

    def restore(self, text: str) -> str:
        return self.table.restore(text) if self.pseudonymise else text

    def for_model(self, texts: Sequence[str]) -> list[str]:
        """``texts`` as the model may see them, numbered in the turn's one table: an
        exhaustive reading's passages (:mod:`.exhaustive`), masked in one detector call
        before :meth:`prompt`'s, whose texts it shares are then answered alike."""
        if not self.pseudonymise or self._masker is None:
            return list(texts)
        return self._masker.mask(texts)

    def sink(self, on_piece: PieceSink | None) -> PieceSink | None:
        """``on_piece`` restoring placeholders as pieces stream (:meth:`finish` flushes)."""
        if not self.pseudonymise or on_piece is None:
            return on_piece
        self._restorer = StreamRestorer(self.table, on_piece)
        return self._restorer

    def finish(self, answer: str) -> str:
        """The answer as the user sees it (what the stream held back is sent now)."""
        if self._restorer is not None:
            self._restorer.flush()
        return self.restore(answer)

    def keep(self, pieces: list[str]) -> None:
        """A failed answer's partial text, restored, to be kept (and logged masked)."""
        if self.pseudonymise:
            pieces[:] = [self.restore("".join(pieces))]

    def trace(self) -> dict[str, object]:
        """What the turn's trace records: the policies and the counts, never values."""
        if not self.plan.active:
            return {}
        return {
            "pii": {
                **self.plan.policy.as_dict(),
                "masked": self.table.counts(),
            }
        }


def logged_text(
    tx: Transaction,
    detector: PiiDetector | None,
    app_id: int,
    conversation_id: int,
    text: str,
) -> str:
    """A short text about a conversation (a rating's comment, an annotation, a title the
    user gave it) as the app's policies let the review tables and the audit log keep
    it: with the conversation's pseudonyms, the table extended in the conversation's
    latest turn so later turns number alike. Detection runs in the caller's
    transaction: these texts are short."""
    app = tx.apps.get(app_id)
    if app is None or not text:
        return text
    plan = load_privacy(tx, app.config, conversation_id)
    if not plan.active:
        return text
    if detector is None:
        raise InputError("privacy.detector_missing")
    table = Pseudonyms.from_json(plan.table_json)
    masked = Masker(detector, plan.terms, table).mask([text])[0]
    turns = tx.conversations.turns(conversation_id)
    if table.masked and turns:
        tx.conversations.save_pseudonyms(turns[-1].id, table.to_json())
    return masked


def workspace_privacy(tx: Transaction) -> PrivacyPlan:
    """The workspace default and terms, for what no app governs (a knowledge-base
    search): its log keeps pseudonyms under either policy, as a chat turn's does."""
    policy = privacy.defaults(tx.settings)
    if not (policy.minimise_logs or policy.pseudonymise):
        return PrivacyPlan(policy)
    return PrivacyPlan(policy, privacy.terms(tx.settings))


def logged_alone(
    plan: PrivacyPlan, detector: PiiDetector | None, text: str, cancel: CancelToken | None = None
) -> str:
    """``text`` as the log may keep it under ``plan``, numbered on its own (one detector
    call; run it outside a write transaction). InputError without a detector."""
    if not plan.active:
        return text
    if detector is None:
        raise InputError("privacy.detector_missing")
    return Masker(detector, plan.terms, Pseudonyms(), cancel).mask([text])[0]
