"""Who may read or manage a knowledge base, and which apps may draw on it.

A knowledge base a user may not read does not exist for them: every lookup reports it
"not found", exactly like a name that was never used.
"""

from __future__ import annotations

from desktop.core import rbac
from desktop.core.errors import NotFound
from desktop.core.knowledge_models import KbVisibility, KnowledgeBase
from desktop.core.models import Actor
from desktop.core.ports import Transaction


def can_read(actor: Actor, kb: KnowledgeBase) -> bool:
    """only_me: its creator; all: everyone; partial: its creator and listed members."""
    mine = kb.created_by.casefold() == actor.username.casefold()
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


def find_kb(tx: Transaction, actor: Actor, ref: str | int) -> KnowledgeBase:
    """A knowledge base by id or name, if the actor may read it."""
    text = str(ref).strip()
    kb = tx.knowledge.get_kb(int(text)) if text.isdigit() else tx.knowledge.get_kb_by_name(text)
    if kb is None or not can_read(actor, kb):
        raise NotFound("knowledge.kb_not_found", name=text)
    return kb
