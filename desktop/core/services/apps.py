"""Chat apps: create, edit (every edit is a new version), delete, list, show.

Editors and above manage apps; everyone else sees only the apps visible to them, and a
hidden app is reported exactly like one that does not exist.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop.core import rbac
from desktop.core.audit_actions import AuditAction
from desktop.core.chat_models import AppConfig, AppRecord, AppVisibility
from desktop.core.clock import Clock, iso_utc
from desktop.core.errors import AlreadyExists, InputError, NotFound
from desktop.core.messages import Term
from desktop.core.models import Actor
from desktop.core.policy import normalise_username
from desktop.core.ports import Store, Transaction
from desktop.core.services.base import AuditedService, best_effort_checkpoint
from desktop.core.services.knowledge_access import readable_ids

MAX_TEXT = 20_000
MAX_LABEL = 100


def visible_to(actor: Actor, app: AppRecord) -> bool:
    """Managers see every app; others see "all members" apps and those naming them."""
    if rbac.allowed(actor.role, rbac.Permission.MANAGE_APPS):
        return True
    if app.config.visibility is AppVisibility.ALL:
        return True
    return actor.username.casefold() in {m.casefold() for m in app.config.members}


def find_app(tx: Transaction, actor: Actor, ref: str | int) -> AppRecord:
    """The newest version of an app by id or name, if the actor may see it."""
    text = str(ref).strip()
    app = tx.apps.get(int(text)) if text.isdigit() else tx.apps.get_by_name(text)
    if app is None or not visible_to(actor, app):
        raise NotFound("chat.app_not_found", name=text)
    return app


def shown_to(tx: Transaction, actor: Actor, app: AppRecord) -> AppRecord:
    """The app as the actor may see it: its linked knowledge bases cut to those they may
    read (chat still draws on each one a user may read; the others stay linked)."""
    kb_ids = readable_ids(tx, actor, app.config.kb_ids)
    if kb_ids == app.config.kb_ids:
        return app
    return replace(app, config=app.config.with_changes(kb_ids=kb_ids))


class AppService(AuditedService):
    def __init__(self, store: Store, clock: Clock) -> None:
        super().__init__(store)
        self._clock = clock

    def create(self, actor: Actor, config: AppConfig) -> AppRecord:
        """Create an app (Editor and above); version 1."""
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            tx, actor = op.tx, op.actor
            config = self._validated(tx, config)
            if tx.apps.get_by_name(config.name) is not None:
                raise AlreadyExists("chat.app_exists", name=config.name)
            app = tx.apps.create(config, created_by=actor.username, now=self._now())
            op.audit(
                action=AuditAction.APP_CREATED,
                obj=f"app:{app.id}",
                payload={"version": app.version, "config": config.as_dict()},
            )
            return shown_to(tx, actor, app)

    def edit(self, actor: Actor, ref: str | int, changes: dict[str, Any]) -> AppRecord:
        """Apply changes as a new version; conversations keep the version they ran with."""
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            tx, actor = op.tx, op.actor
            current = find_app(tx, actor, ref)
            if current.config.quick:  # built in: every user's quick chats with the model
                raise InputError("chat.quick_app_fixed", name=current.config.name)
            if "kb_ids" in changes:  # links the editor cannot see are not theirs to drop
                asked = tuple(changes["kb_ids"])
                hidden = set(current.config.kb_ids) - set(
                    readable_ids(tx, actor, current.config.kb_ids)
                )
                kept = tuple(k for k in current.config.kb_ids if k in hidden and k not in asked)
                changes = {**changes, "kb_ids": asked + kept}
            try:
                config = current.config.with_changes(**changes)
            except TypeError as exc:
                raise InputError("chat.app_unknown_setting", reason=str(exc)) from exc
            config = self._validated(tx, config)
            other = tx.apps.get_by_name(config.name)
            if other is not None and other.id != current.id:
                raise AlreadyExists("chat.app_exists", name=config.name)
            app = tx.apps.add_version(current.id, config, now=self._now())
            op.audit(
                action=AuditAction.APP_EDITED,
                obj=f"app:{app.id}",
                payload={
                    "version": app.version,
                    "changed": sorted(changes),
                    "config": config.as_dict(),
                },
            )
            return shown_to(tx, actor, app)

    def delete(self, actor: Actor, ref: str | int) -> None:
        """Delete the app with its versions and conversations."""
        with self._op(actor, rbac.Permission.MANAGE_APPS) as op:
            tx, actor = op.tx, op.actor
            app = find_app(tx, actor, ref)
            tx.apps.delete(app.id)
            op.audit(
                action=AuditAction.APP_DELETED,
                obj=f"app:{app.id}",
                payload={"name": app.config.name, "version": app.version},
            )
        best_effort_checkpoint(self._store)

    def list(self, actor: Actor, *, quick: bool = False) -> list[AppRecord]:
        """The apps this actor may use; ``quick``: the models' quick-chat apps instead
        (they are left out otherwise: nobody builds or picks them)."""
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            return [
                shown_to(tx, actor, a)
                for a in tx.apps.list()
                if visible_to(actor, a) and a.config.quick == quick
            ]

    def show(self, actor: Actor, ref: str | int, version: int | None = None) -> AppRecord:
        with self._op(actor, rbac.Permission.USE_APPS) as op:
            tx, actor = op.tx, op.actor
            app = find_app(tx, actor, ref)
            if version is None or version == app.version:
                return shown_to(tx, actor, app)
            old = tx.apps.get(app.id, version)
            if old is None:
                raise NotFound("chat.app_no_version", name=app.config.name, version=version)
            return shown_to(tx, actor, old)

    # ------------------------------------------------------------------ helpers

    def _now(self) -> str:
        return iso_utc(self._clock.now())

    @staticmethod
    def _validated(tx: Transaction, config: AppConfig) -> AppConfig:
        name = config.name.strip()
        if not name or len(name) > 100:
            raise InputError("chat.app_name_length")
        for label, text in (
            (Term("chat.what.instructions"), config.instructions),
            (Term("chat.what.description"), config.description),
            (Term("chat.what.opening_statement"), config.opening_statement),
        ):
            if len(text) > MAX_TEXT:
                raise InputError("chat.app_text_too_long", label=label, maximum=MAX_TEXT)
        if tx.models.get(config.model_id) is None:
            raise NotFound("chat.app_model_not_registered")
        members = tuple(normalise_username(m) for m in config.members)
        unknown = [m for m in members if tx.users.get_by_name(m) is None]
        if unknown:
            raise NotFound("chat.no_such_users", names=", ".join(unknown))
        if config.visibility is AppVisibility.PARTIAL and not members:
            raise InputError("chat.app_needs_member")
        declared = set(config.variables)  # a label outlives no variable
        labels = {k: v for k, v in config.variable_labels if k in declared}
        for variable, shown in labels.items():
            if len(shown) > MAX_LABEL:
                raise InputError(
                    "chat.app_variable_label_length", variable=variable, maximum=MAX_LABEL
                )
        return config.with_changes(name=name, members=members, variable_labels=labels)
