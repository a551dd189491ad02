"""Exhaustive answers ("list every …", "how many …"): the model reads every chunk.

Top-k retrieval cannot answer a question whose answer is spread over every document.
In exhaustive mode a turn reads EVERY chunk of the selected documents (the app's
knowledge bases the user may read and that allow the app, and the conversation's dropped
files) in batches that fit the model's context window, counted with the model's own
tokenizer. Each batch is asked the question for items, one per line with the number of
the passage it came from; :mod:`desktop.core.services.exhaustive_merge` merges the
partial answers (duplicates folded together, every item keeping its citations).

It is one turn: the caller stores it and audits it like any other, the trace recording
each batch (chunks, tokens, time). Progress reports "batch 3 of 12"; the turn's cancel
token stops it between batches and inside one (what was merged so far is kept). A turn
that fails part-way keeps the items merged so far with their citations
(:class:`PartialReading`). Its stored timings carry :data:`BATCHES`, so regenerating or
editing it asks in the same mode (:func:`repeat_mode`).

Under *pseudonymise before the model* (:mod:`.chat_privacy`) the plan masks, in one
detector call with the turn's one pseudonym table, everything the batches show the
model: the instructions, the question, every chunk's text and heading and every
document's name. The batches are counted as masked; the model's items, in placeholders,
merge as any others (one table numbers a value alike in every batch), and the turn
restores the merged answer as it does a retrieved one, while it streams too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.chat_models import AppRecord, ChatMessage, StopReason, Turn
from desktop.core.errors import ContextOverflow, InputError
from desktop.core.knowledge_models import StoredChunk
from desktop.core.models import Actor
from desktop.core.ports import ChatModel, Generation, Store
from desktop.core.prompting import FittedPrompt
from desktop.core.services.chat_trace import PartialAnswer, PieceSink
from desktop.core.services.exhaustive_merge import Merge, parse_items
from desktop.core.services.knowledge_access import app_may_use, can_read
from desktop.core.tasks import CancelToken, ProgressSink, no_progress

#: What each batch is told; the question follows as the user's message.
BATCH_INSTRUCTIONS = (
    "You are reading part {part} of {parts} of a set of documents, in numbered passages "
    "below. List EVERY item in these passages that answers the question, one per line, "
    "as '- item [n]' where n is the number of the passage it comes from. Copy each item's "
    "words from the passage. If no passage has one, write only: NONE"
)
#: Tokens left free in a batch besides the answer (template and counting slack).
SLACK = 16
#: The key of an exhaustive turn's stored timings that counts the batches it read.
BATCHES = "batches"
#: Texts as the model may see them, with the turn's pseudonym table (one detector call).
Mask = Callable[[Sequence[str]], list[str]]


def asked_exhaustively(turn: Turn) -> bool:
    """Whether ``turn`` was asked in exhaustive mode (its timings count batches)."""
    return BATCHES in turn.timings


def repeat_mode(asked: Turn, exhaustive: bool | None) -> bool:
    """The mode to answer ``asked`` again in (regenerate, edit-and-resend): the one
    given, or by default the one it was asked in."""
    return asked_exhaustively(asked) if exhaustive is None else exhaustive


@dataclass(slots=True)
class PartialReading(PartialAnswer):
    """An exhaustive turn's answer so far, with what its trace adds (``extra``: the
    batches read and the citations of the items merged), kept if the turn fails."""

    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SummedGeneration:
    """A turn's counters summed over its batches (the ``Generation`` the turn stores)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    stop_reason: str = StopReason.STOP.value
    seed: int = 0

    def __iter__(self) -> Iterator[str]:
        return iter(())


@dataclass(slots=True)
class Reading:
    """An exhaustive turn, planned: the chunks it will read, in document order."""

    app: AppRecord
    chunks: list[StoredChunk]
    batches: list[list[StoredChunk]] = field(default_factory=list)
    trace: list[dict[str, Any]] = field(default_factory=list)
    #: The app's instructions as the model sees them (masked when pseudonymising).
    instructions: str = ""
    #: Each document's name as the model sees it, when it differs (the citations keep
    #: the real name: the chunks keep it, only the passages show this one).
    names: dict[str, str] = field(default_factory=dict)

    @property
    def placeholder(self) -> FittedPrompt:
        """What the turn records as its prompt: the batch prompts' digests, in order."""
        digests = "\n".join(str(b.get("prompt_sha256", "")) for b in self.trace)
        return FittedPrompt(digests, 0, 0, ())


@dataclass(frozen=True, slots=True)
class ReadResult:
    answer: str
    generation: SummedGeneration
    timings: dict[str, float]
    fitted: FittedPrompt
    citations: list[dict[str, Any]]
    trace: dict[str, Any]

    @property
    def parts(self) -> tuple[str, Generation, dict[str, float], FittedPrompt]:
        return self.answer, self.generation, self.timings, self.fitted

    @property
    def extra(self) -> dict[str, Any]:
        """What the turn's trace adds: the batches, and the citations it stores."""
        return {"exhaustive": self.trace, "retrieved": self.citations}


def _passage(n: int, chunk: StoredChunk, names: dict[str, str]) -> str:
    where = f"{names.get(chunk.document, chunk.document)}, version {chunk.version}"
    if chunk.heading:
        where += f", {chunk.heading}"
    return f"[{n}] ({where})\n{chunk.text}\n"


class ExhaustiveReader:
    """Reads every chunk of a turn's knowledge bases through the chat model."""

    def __init__(self, store: Store, model: ChatModel, perf: Callable[[], float]) -> None:
        self._store = store
        self._model = model
        self._perf = perf

    def plan(
        self,
        actor: Actor,
        app: AppRecord,
        kb_ids: Sequence[int],
        question: str,
        mask: Mask | None = None,
    ) -> Reading:
        """Every chunk of the active documents of the knowledge bases this user may
        read and that allow this app, document by document, in chunk order; with
        ``mask``, as the model may see them (see the module's note)."""
        chunks: list[StoredChunk] = []
        with self._store.transaction() as tx:
            for kb_id in kb_ids:
                kb = tx.knowledge.get_kb(kb_id)
                if kb is None or not can_read(actor, kb) or not app_may_use(kb, app.id):
                    continue
                versions = [doc.id for doc in tx.knowledge.list_documents(kb.id)]
                chunks.extend(tx.knowledge.chunks_of_versions(versions))  # in pages
        if not chunks:
            raise InputError("chat.exhaustive_nothing_to_read", app=app.config.name)
        reading = Reading(app, chunks, instructions=app.config.instructions.strip())
        if mask is not None:
            question = _masked(reading, question, mask)
        reading.batches = self._batch(reading, question)
        return reading

    # ---------------------------------------------------------------- batching

    def _messages(
        self, reading: Reading, part: int, parts: int, batch: Sequence[StoredChunk], question: str
    ) -> list[ChatMessage]:
        lines = [BATCH_INSTRUCTIONS.format(part=part, parts=parts), ""]
        lines += [_passage(n, c, reading.names) for n, c in enumerate(batch, 1)]
        system = "\n".join(lines)
        if reading.instructions:
            system = f"{reading.instructions}\n\n{system}"
        return [ChatMessage("system", system), ChatMessage("user", question)]

    def _batch(self, reading: Reading, question: str) -> list[list[StoredChunk]]:
        """Greedy batches that fit the context with room for the answer (the app's
        ``max_tokens``); a chunk too long to fit alone is cut to fit."""
        max_tokens = reading.app.config.params.max_tokens
        n_ctx = self._model.context_length()
        budget = n_ctx - max_tokens - SLACK
        empty = self._count(self._messages(reading, 999, 999, [], question))
        if budget - empty <= 0:
            raise ContextOverflow("models.no_room_for_answer", max_tokens=max_tokens, n_ctx=n_ctx)
        batches: list[list[StoredChunk]] = []
        current: list[StoredChunk] = []
        used = empty
        for whole in reading.chunks:
            chunk = whole
            cost = self._model.count_tokens(_passage(len(current) + 1, chunk, reading.names))
            if current and used + cost > budget:
                batches.append(current)
                current, used = [], empty
            if used + cost > budget:  # alone, it does not fit: keep what fits
                chunk = self._cut(whole, budget - empty, reading.names)
                cost = self._model.count_tokens(_passage(1, chunk, reading.names))
            current.append(chunk)
            used += cost
        if current:
            batches.append(current)
        return batches

    def _cut(self, chunk: StoredChunk, room: int, names: dict[str, str]) -> StoredChunk:
        text = chunk.text
        while text and self._model.count_tokens(_passage(1, _with(chunk, text), names)) > room:
            text = text[: max(0, int(len(text) * 0.8) - 1)]
        return _with(chunk, text)

    def _count(self, messages: list[ChatMessage]) -> int:
        return self._model.count_tokens(self._model.render(messages))

    # ---------------------------------------------------------------- reading

    def read(
        self,
        reading: Reading,
        question: str,
        cancel: CancelToken,
        on_piece: PieceSink | None,
        progress: ProgressSink = no_progress,
        partial: PartialReading | None = None,
    ) -> ReadResult:
        """Ask every batch the question and merge the items; what was merged before a
        stop or a failure is in ``partial`` (its items' citations in ``partial.extra``)."""
        partial = partial if partial is not None else PartialReading()
        started = partial.started = self._perf()
        first: float | None = None
        summed = SummedGeneration(seed=reading.app.config.params.seed or 0)
        partial.generation = summed
        merge = Merge()
        parts = len(reading.batches)
        for part, batch in enumerate(reading.batches, 1):
            progress(part - 1, parts, "")
            if cancel.cancelled:
                summed.stop_reason = StopReason.CANCELLED.value
                break
            output, entry = self._ask(reading, part, parts, batch, question, cancel, summed)
            new = merge.add(parse_items(output, batch), part)
            entry["items"] = len(parse_items(output, batch))
            reading.trace.append(entry)
            for line in merge.lines(new):
                if first is None:
                    first = self._perf()
                partial.pieces.append(line)
                if on_piece is not None:
                    on_piece(line)
            partial.extra = self._extra(reading, merge, parts)
            if entry["stop_reason"] == StopReason.CANCELLED.value:
                summed.stop_reason = StopReason.CANCELLED.value
                break
        else:
            progress(parts, parts, "")
        ended = self._perf()
        timings = {
            "ttft_ms": round(((first or ended) - started) * 1000, 2),
            "total_ms": round((ended - started) * 1000, 2),
            "tokens_per_s": round(
                summed.completion_tokens / (ended - started) if ended > started else 0.0, 2
            ),
            BATCHES: float(len(reading.trace)),
        }
        extra = self._extra(reading, merge, parts)
        fitted, cited = reading.placeholder, extra["retrieved"]
        return ReadResult(merge.answer(), summed, timings, fitted, cited, extra["exhaustive"])

    @staticmethod
    def _extra(reading: Reading, merge: Merge, parts: int) -> dict[str, Any]:
        """What the turn's trace adds: the batches read so far, and the citations."""
        trace = {
            "chunks": len(reading.chunks),
            "documents": len({(c.kb_id, c.document) for c in reading.chunks}),
            "batches": list(reading.trace),
            "batches_planned": parts,
            "items": len(merge.items),
        }
        return {"exhaustive": trace, "retrieved": merge.citations()}

    def _ask(
        self,
        reading: Reading,
        part: int,
        parts: int,
        batch: list[StoredChunk],
        question: str,
        cancel: CancelToken,
        summed: SummedGeneration,
    ) -> tuple[str, dict[str, Any]]:
        begun = self._perf()
        prompt = self._model.render(self._messages(reading, part, parts, batch, question))
        generation = self._model.generate(prompt, reading.app.config.params, cancel)
        output = "".join(generation)
        summed.prompt_tokens += generation.prompt_tokens
        summed.completion_tokens += generation.completion_tokens
        if part == 1:
            summed.seed = generation.seed
        return output, {
            "batch": part,
            "chunks": [[c.kb_id, c.document, c.version, c.index] for c in batch],
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "prompt_tokens": generation.prompt_tokens,
            "completion_tokens": generation.completion_tokens,
            "stop_reason": generation.stop_reason,
            "ms": round((self._perf() - begun) * 1000, 2),
        }


def _masked(reading: Reading, question: str, mask: Mask) -> str:
    """Mask what the batches show the model, in one call (see the module's note); the
    question as the model sees it. The chunks keep their ids, places and documents'
    names (the citations), with their texts and headings masked."""
    chunks = reading.chunks
    documents = list(dict.fromkeys(c.document for c in chunks))
    headings = [c.heading for c in chunks if c.heading]
    texts = [reading.instructions, question, *documents, *(c.text for c in chunks), *headings]
    seen = dict(zip(texts, mask(texts), strict=True))
    reading.instructions = seen[reading.instructions]
    reading.names = {d: seen[d] for d in documents if seen[d] != d}
    reading.chunks = [
        _with(c, seen[c.text], seen[c.heading] if c.heading else c.heading) for c in chunks
    ]
    return seen[question]


def _with(chunk: StoredChunk, text: str, heading: str | None = None) -> StoredChunk:
    return StoredChunk(
        chunk.id,
        chunk.kb_id,
        chunk.document,
        chunk.version,
        chunk.index,
        chunk.start,
        chunk.end,
        text,
        chunk.heading if heading is None else heading,
    )
