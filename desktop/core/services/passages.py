"""The passage behind a citation marker in a stored answer, with its document version.

A turn stores where each passage came from (knowledge base, document, version, chunk),
not its text; this reads the text back. Only the actor's own turns are looked at, and a
knowledge base they may no longer read answers exactly like a passage that is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.core.errors import NotFound
from desktop.core.models import Actor
from desktop.core.ports import Transaction
from desktop.core.services.knowledge_access import readable_kb


@dataclass(frozen=True, slots=True)
class CitedPassage:
    """One numbered passage an answer was given: its text and the version it came from."""

    marker: int
    kb_name: str
    document: str
    version: int
    active: bool  # whether this version is still the one search and chat use
    heading: str
    text: str
    cited: bool  # whether the answer names the marker


def _gone(marker: int) -> NotFound:
    return NotFound("knowledge.passage_gone", marker=marker)


def own_turn_citation(tx: Transaction, actor: Actor, turn_id: int, marker: int) -> dict[str, Any]:
    """The stored citation ``marker`` of one of the actor's own turns."""
    context = tx.review.turn_context(turn_id)
    if context is None or context[2] != actor.user_id:
        raise NotFound("knowledge.answer_not_yours", turn=turn_id)
    turn = next((t for t in tx.conversations.turns(context[0]) if t.id == turn_id), None)
    found = [c for c in (turn.citations if turn else ()) if c.get("marker") == marker]
    if not found:
        raise NotFound("knowledge.answer_no_passage", marker=marker)
    return found[0]


def cited_passage(tx: Transaction, actor: Actor, turn_id: int, marker: int) -> CitedPassage:
    """The text and document version behind ``[marker]`` in the actor's turn."""
    cite = own_turn_citation(tx, actor, turn_id, marker)
    kb = readable_kb(tx, actor, int(cite["kb_id"]))
    if kb is None:
        raise _gone(marker)
    return _read(tx, kb, cite, marker)


def turn_passages(tx: Transaction, actor: Actor, turn_id: int) -> list[CitedPassage]:
    """Every passage a turn was given, for log review (the caller checks VIEW_LOGS).
    Passages whose document or knowledge base is gone, or whose knowledge base the
    reviewer may not read, are left out: reviewing logs does not open others' knowledge
    bases."""
    context = tx.review.turn_context(turn_id)
    if context is None:
        raise NotFound("knowledge.answer_not_found", turn=turn_id)
    turn = next((t for t in tx.conversations.turns(context[0]) if t.id == turn_id), None)
    out: list[CitedPassage] = []
    for cite in turn.citations if turn else ():
        marker = int(cite.get("marker", 0))
        kb = readable_kb(tx, actor, int(cite["kb_id"]))
        if kb is None:
            continue
        try:
            out.append(_read(tx, kb, cite, marker))
        except NotFound:
            continue
    return out


def _read(tx: Transaction, kb: Any, cite: dict[str, Any], marker: int) -> CitedPassage:
    name, version = str(cite["document"]), int(cite["version"])
    chunk = tx.knowledge.version_chunk(kb.id, name, version, int(cite["chunk"]))
    if chunk is None:
        raise _gone(marker)
    versions = tx.knowledge.versions(kb.id, name)
    active = any(v.version == version and v.active for v in versions)
    return CitedPassage(
        marker=marker,
        kb_name=kb.name,
        document=name,
        version=version,
        active=active,
        heading=chunk.heading,
        text=chunk.text,
        cited=bool(cite.get("cited")),
    )
