"""Who may read or manage a knowledge base, and which apps may draw on it.

This is the one readability rule: every path that returns a knowledge base's text,
names, ids or statistics (search and chat retrieval, a turn's cited passages in chat and
in the log trace, app details, listing and lookup, documents) asks :func:`can_read` or
one of the helpers below. A knowledge base a user may not read does not exist for them:
every lookup reports it "not found", exactly like a name that was never used, and its
name is free for them to use (names are unique per creator, not workspace-wide).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from desktop.core import rbac
from desktop.core.errors import InputError, NotFound
from desktop.core.knowledge_models import KbVisibility, KnowledgeBase
from desktop.core.models import Actor
from desktop.core.ports import Transaction


def can_read(actor: Actor, kb: KnowledgeBase) -> bool:
    """A user who may use apps at all reads: only_me, its creator; all, everyone;
    partial, its creator and listed members."""
    if not rbac.allowed(actor.role, rbac.Permission.USE_APPS):
        return False
    mine = _same(kb.created_by, actor.username)
    if kb.visibility is KbVisibility.ONLY_ME:
        return mine
    if kb.visibility is KbVisibility.ALL:
        return True
    return mine or actor.username.casefold() in {m.casefold() for m in kb.members}


def can_manage(actor: Actor, kb: KnowledgeBase) -> bool:
    return rbac.allowed(actor.role, rbac.Permission.MANAGE_KNOWLEDGE) and can_read(actor, kb)


def app_may_use(kb: KnowledgeBase, app_id: int) -> bool:
    """An empty allowlist lets any app link the knowledge base."""
    return not kb.app_allowlist or app_id in kb.app_allowlist


def readable_kb(tx: Transaction, actor: Actor, kb_id: int) -> KnowledgeBase | None:
    """The knowledge base with this id when the actor may read it, else None."""
    kb = tx.knowledge.get_kb(kb_id)
    return kb if kb is not None and can_read(actor, kb) else None


def readable_kbs(tx: Transaction, actor: Actor) -> list[KnowledgeBase]:
    """Every knowledge base the actor may read, by name."""
    return [kb for kb in tx.knowledge.list_kbs() if can_read(actor, kb)]


def readable_ids(tx: Transaction, actor: Actor, kb_ids: Iterable[int]) -> tuple[int, ...]:
    """The ids (order kept) of those knowledge bases the actor may read."""
    return tuple(i for i in kb_ids if readable_kb(tx, actor, i) is not None)


def find_kb(tx: Transaction, actor: Actor, ref: str | int) -> KnowledgeBase:
    """A knowledge base by id or name, if the actor may read it. By name, the actor's own
    knowledge base comes first; two readable ones of that name are ambiguous."""
    text = str(ref).strip()
    if text.isdigit():
        kb = readable_kb(tx, actor, int(text))
        if kb is None:
            raise NotFound("knowledge.kb_not_found", name=text)
        return kb
    named = [kb for kb in tx.knowledge.kbs_named(text) if can_read(actor, kb)]
    own = [kb for kb in named if _same(kb.created_by, actor.username)]
    found = own or named
    if not found:
        raise NotFound("knowledge.kb_not_found", name=text)
    if len(found) > 1:
        ids = ", ".join(str(kb.id) for kb in found)
        raise InputError("knowledge.kb_name_ambiguous", name=text, ids=ids)
    return found[0]


def name_taken(tx: Transaction, actor: Actor, kb: KnowledgeBase) -> bool:
    """Whether ``kb``'s creator has another knowledge base of that name that the actor
    can see. Names are unique per creator and only as far as the actor sees: a name used
    by a knowledge base hidden from the actor is free for them and tells them nothing."""
    return any(
        other.id != kb.id and _same(other.created_by, kb.created_by) and can_read(actor, other)
        for other in tx.knowledge.kbs_named(kb.name)
    )


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def readable_trace(tx: Transaction, actor: Actor, trace: dict[str, Any]) -> dict[str, Any]:
    """A ``chat.turn`` trace as ``actor`` may see it: each retrieved passage of a
    knowledge base they may not read keeps its number and whether the answer cited it,
    nothing that names or locates it (knowledge base, document, version, span, scores)."""
    retrieved = trace.get("retrieved")
    if not isinstance(retrieved, list):
        return trace
    seen: dict[Any, bool] = {}

    def visible(entry: Any) -> bool:
        kb_id = entry.get("kb_id") if isinstance(entry, dict) else None
        if kb_id not in seen:
            seen[kb_id] = isinstance(kb_id, int) and readable_kb(tx, actor, kb_id) is not None
        return seen[kb_id]

    shown = [
        entry
        if visible(entry)
        else {"marker": entry.get("marker"), "cited": entry.get("cited"), "hidden": True}
        if isinstance(entry, dict)
        else {"hidden": True}
        for entry in retrieved
    ]
    return {**trace, "retrieved": shown}
