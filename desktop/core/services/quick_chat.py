"""Quick chat: talk to a model without building an app.

Each registered model has at most one built-in quick-chat app: ``AppConfig.quick`` set,
no instructions and no knowledge, visible to every member, named after the model. The
first quick chat anyone starts with a model creates it, inside that operation's
transaction and with its own ``app.created`` event, so every turn of a quick chat runs
through the ordinary machinery (turns, trace, audit, usage, retention, delete for
good) unchanged. App lists (Studio, the app picker) leave quick apps out.
"""

from __future__ import annotations

from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppConfig, AppRecord, ModelRecord
from desktop.core.errors import NotFound
from desktop.core.ports import Transaction
from desktop.core.services.base import Op


def find_model(tx: Transaction, ref: str | int) -> ModelRecord:
    """A registered model by id or name (every member may chat with any of them)."""
    text = str(ref).strip()
    model = tx.models.get(int(text)) if text.isdigit() else tx.models.get_by_name(text)
    if model is None:
        raise NotFound("conversations.quick_model_not_found", name=text)
    return model


def quick_app(op: Op, model: ModelRecord, now: str) -> AppRecord:
    """The model's quick-chat app, created (and audited) in ``op`` if it has none yet."""
    tx = op.tx
    for app in tx.apps.list():
        if app.config.quick and app.config.model_id == model.id:
            return app
    name, n = model.name, 1
    while tx.apps.get_by_name(name) is not None:  # an app already has the model's name
        n += 1
        name = f"{model.name} ({n})"
    config = AppConfig(name=name, model_id=model.id, quick=True)
    app = tx.apps.create(config, created_by=op.actor.username, now=now)
    op.audit(
        action=AuditAction.APP_CREATED,
        obj=f"app:{app.id}",
        payload={"version": app.version, "config": config.as_dict()},
    )
    return app
