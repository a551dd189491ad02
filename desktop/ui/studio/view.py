"""The Studio screen: apps on the left, the editor in the middle, a live preview chat of
the saved app on the right. Editors, Admins and the Owner create and edit apps; anyone
else who opens the screen sees the apps they may use, read-only."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import AppRecord, ModelRecord
from desktop.core.errors import AppError
from desktop.core.knowledge_models import KnowledgeBase
from desktop.core.models import Actor, User
from desktop.core.privacy import Defaults
from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.knowledge import widgets
from desktop.ui.knowledge.widgets import member_choices
from desktop.ui.plain import plain_tip
from desktop.ui.studio.editor import AppEditor
from desktop.ui.studio.preview import PreviewChat
from desktop.ui.studio.templates import StudioTemplates
from desktop.ui.tasks import Lane, LaneContext, Op
from desktop.ui.view import View
from desktop.ui.widgets import danger_button, empty_state, page_title, primary_button, spread_row

APP_ROLE = Qt.ItemDataRole.UserRole
NEW = -1  # the list has no row for an app being created


@dataclass(frozen=True, slots=True)
class StudioData:
    """What the Studio shows: the apps, and the choices their editor offers."""

    apps: list[AppRecord]
    models: list[ModelRecord]
    kbs: list[KnowledgeBase]
    users: list[User] | None  # None: the actor may not list members
    privacy: Defaults  # what an app that leaves a policy unset follows


def _load_op(actor: Actor, list_users: bool) -> Op[StudioData]:
    def op(lc: LaneContext) -> StudioData:
        ws = lc.ws
        return StudioData(
            apps=ws.apps.list(actor),
            models=ws.models.list(actor),
            kbs=ws.knowledge.list(actor),
            users=ws.accounts.list_users(actor) if list_users else None,
            privacy=ws.privacy.defaults(actor),
        )

    return op


class StudioView(View):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("studioView")
        self.apps: list[AppRecord] = []
        self.current_id: int | None = None  # NEW while creating
        self.templates = StudioTemplates(self)
        self._build()
        self._apply_permissions()
        ctx.actor_did_change.connect(self._apply_permissions)

    def title(self) -> str:
        return self.tr("Studio")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_editor())
        self.preview = PreviewChat(self.ctx, splitter)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([220, 560, 380])
        outer.addWidget(splitter)

    def _build_list(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(page_title(self.tr("Studio"), side))
        self.new_button = primary_button(self.tr("New app"), "newAppButton", side)
        layout.addWidget(self.new_button)
        layout.addWidget(self.templates.import_button)
        self.app_list = QListWidget(side)
        self.app_list.setObjectName("studioAppList")
        self.list_empty = empty_state("", "noApps", side)
        self._list_stack = QStackedWidget(side)
        self._list_stack.addWidget(self.list_empty)
        self._list_stack.addWidget(self.app_list)
        layout.addWidget(self._list_stack, 1)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.app_list.currentItemChanged.connect(self._on_app_list_current_changed)
        return side

    def _build_editor(self) -> QWidget:
        self._center = QStackedWidget(self)
        self.center_empty = empty_state(
            self.tr("Choose an app on the left."), "noAppSelected", self._center
        )
        page = QWidget(self._center)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 0, 8, 0)
        self.editor = AppEditor()
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        layout.addWidget(scroll, 1)
        self.message = InlineMessage(page)
        layout.addWidget(self.message)
        self.delete_button = danger_button(self.tr("Delete app…"), "deleteAppButton", page)
        self.save_button = primary_button(self.tr("Save"), "saveAppButton", page)
        layout.addLayout(
            spread_row(
                [self.delete_button, self.templates.export_button, self.templates.sign],
                [self.save_button],
            )
        )
        self._center.addWidget(self.center_empty)
        self._center.addWidget(page)
        self.editor.changed.connect(self._on_editor_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        return self._center

    @property
    def can_edit(self) -> bool:
        return self.ctx.can(Permission.MANAGE_APPS)

    def _apply_permissions(self) -> None:
        can = self.can_edit
        self.new_button.setVisible(can)
        self.editor.set_read_only(not can)
        self.list_empty.setText(
            self.tr("No apps yet — create one with “New app”.")
            if can
            else self.tr("No apps are shared with you yet.")
        )
        self._on_editor_changed()

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        self._apply_permissions()
        actor = self.actor()
        self.run(
            Lane.DB,
            _load_op(actor, self.ctx.can(Permission.MANAGE_MEMBERS)),
            key="load",
            on_done=self._on_loaded,
            on_failed=self.message.show_error,
        )

    def _on_loaded(self, loaded: StudioData) -> None:
        choices = member_choices(loaded.users)
        self.editor.privacy.set_defaults(loaded.privacy)
        self.editor.set_choices(loaded.models, loaded.kbs, choices)
        self.apps = loaded.apps
        self._fill_list()
        ids = [a.id for a in self.apps]
        if self.current_id == NEW or (self.editor.dirty and self.current_id in ids):
            self._select_row(self.current_id)
            return  # keep what is being written
        want = self.current_id
        self._show(want if want in ids else (ids[0] if ids else None))

    def _fill_list(self) -> None:
        self.app_list.blockSignals(True)
        self.app_list.clear()
        for app in self.apps:
            label = f"{app.config.icon} {app.config.name}".strip()
            item = QListWidgetItem(label, self.app_list)
            item.setData(APP_ROLE, app.id)
            item.setToolTip(plain_tip(app.config.description or app.config.name))
        self.app_list.blockSignals(False)
        self._list_stack.setCurrentWidget(self.app_list if self.apps else self.list_empty)

    # ------------------------------------------------------------------ selection

    def _select_row(self, app_id: int | None) -> None:
        ids = [self.app_list.item(r).data(APP_ROLE) for r in range(self.app_list.count())]
        self.app_list.blockSignals(True)
        self.app_list.setCurrentRow(ids.index(app_id) if app_id in ids else -1)
        self.app_list.blockSignals(False)

    def _show(self, app_id: int | None) -> None:
        app = next((a for a in self.apps if a.id == app_id), None)
        self.current_id = app.id if app else None
        self._select_row(self.current_id)
        self.message.clear_message()
        if app is None:
            self._center.setCurrentWidget(self.center_empty)
            self.editor.show_app(None)
            self.preview.set_app(None)
            return
        self._center.setCurrentIndex(1)
        self.editor.show_app(app)
        self.preview.set_app(app)

    def may_leave(self) -> bool:
        """Unsaved edits are lost only after asking."""
        if not (self.can_edit and self.editor.dirty):
            return True
        return widgets.confirm(
            self,
            self.tr("Unsaved changes"),
            self.tr("Discard the changes to this app?"),
            self.tr("Discard"),
        )

    def _on_app_list_current_changed(self, current: QListWidgetItem | None, _p: object) -> None:
        if current is None:
            return
        app_id = int(current.data(APP_ROLE))
        if app_id == self.current_id:
            return
        if not self.may_leave():
            self._select_row(self.current_id)
            return
        self._show(app_id)

    def _on_new_clicked(self) -> None:
        if not self.can_edit or not self.may_leave():
            return
        self.current_id = NEW
        self._select_row(None)
        self.message.clear_message()
        self._center.setCurrentIndex(1)
        self.editor.show_app(None)
        self.preview.set_app(None)
        self.editor.name.setFocus()

    # ------------------------------------------------------------------ saving

    def _on_editor_changed(self) -> None:
        creating = self.current_id == NEW
        dirty = self.editor.dirty
        self.save_button.setVisible(self.can_edit)
        self.delete_button.setVisible(self.can_edit and not creating)
        shown = self.current_id is not None and not creating
        self.templates.update(can_edit=self.can_edit, has_app=shown)
        self.save_button.setEnabled(self.can_edit and (dirty or creating))
        self.save_button.setText(self.tr("Create app") if creating else self.tr("Save"))
        if self.current_id != NEW:
            self.preview.set_dirty(dirty)

    def _on_save_clicked(self) -> None:
        values = self.editor.values()
        if not values["name"]:
            self.message.show_error(self.tr("Give the app a name."))
            self.editor.name.setFocus()
            return
        if not values["model_id"]:
            self.message.show_error(self.tr("Pick a model for the app."))
            return
        try:
            op = self._save_op()
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.save_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="save",
            on_done=self._on_saved,
            on_failed=self._on_save_failed,
        )

    def _save_op(self) -> Op[AppRecord]:
        actor = self.actor()
        if self.current_id == NEW or self.current_id is None:
            config = self.editor.config()
            return lambda lc: lc.ws.apps.create(actor, config)
        app_id, changes = self.current_id, self.editor.changes()
        return lambda lc: lc.ws.apps.edit(actor, app_id, changes)

    def _on_saved(self, app: AppRecord) -> None:
        created = self.current_id == NEW
        self.show_app(
            app,
            self.tr("Created.")
            if created
            else self.tr("Saved as version {version}.").format(version=app.version),
        )

    def show_app(self, app: AppRecord, note: str) -> None:
        """Put a saved or imported app in the list, show it and say ``note``."""
        others = [a for a in self.apps if a.id != app.id]
        self.apps = sorted([*others, app], key=lambda a: a.config.name.casefold())
        self._fill_list()
        self._show(app.id)
        self.message.show_info(note)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.message.show_error(exc)
        self._on_editor_changed()

    def _on_delete_clicked(self) -> None:
        app = next((a for a in self.apps if a.id == self.current_id), None)
        if app is None or not widgets.confirm(
            self,
            self.tr("Delete app"),
            self.tr(
                "Delete {name} with all its versions and conversations? This cannot be undone."
            ).format(name=app.config.name),
            self.tr("Delete"),
        ):
            return
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.apps.delete(actor, app.id),
            key="save",
            on_done=self._on_deleted,
            on_failed=self.message.show_error,
        )

    def _on_deleted(self, _changes: object) -> None:
        self.apps = [a for a in self.apps if a.id != self.current_id]
        self._fill_list()
        self._show(self.apps[0].id if self.apps else None)

    def teardown(self) -> None:
        self.preview.teardown()
        super().teardown()
