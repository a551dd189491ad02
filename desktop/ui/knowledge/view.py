"""The Knowledge screen: knowledge bases on the left; on the right, the selected one's
documents (with drag-and-drop ingestion), settings and a search tester.

Admins and the Owner manage knowledge bases. Anyone else who opens the screen sees the
ones shared with them read-only and may try searches (the services enforce the same).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import AppRecord
from desktop.core.knowledge_models import KbVisibility, KnowledgeBase
from desktop.core.models import Actor, User
from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.knowledge.documents import DocumentsPanel
from desktop.ui.knowledge.ingest_panel import DropZone, IngestPanel
from desktop.ui.knowledge.packages import ExportPackageDialog, ImportPackageDialog
from desktop.ui.knowledge.search_tester import SearchTesterPanel
from desktop.ui.knowledge.settings_panel import KbSettingsPanel
from desktop.ui.knowledge.widgets import member_choices, soon
from desktop.ui.plain import PlainLabel, plain_tip
from desktop.ui.tasks import Lane, LaneContext, Op
from desktop.ui.view import View
from desktop.ui.widgets import empty_state, page_title, primary_button

KB_ROLE = Qt.ItemDataRole.UserRole


def _load_op(
    actor: Actor, list_users: bool
) -> Op[tuple[list[KnowledgeBase], list[AppRecord], list[User] | None]]:
    def op(lc: LaneContext) -> tuple[list[KnowledgeBase], list[AppRecord], list[User] | None]:
        ws = lc.ws
        users = ws.accounts.list_users(actor) if list_users else None
        return ws.knowledge.list(actor), ws.apps.list(actor), users

    return op


class KnowledgeView(View):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("knowledgeView")
        self.setAcceptDrops(True)
        self.kbs: list[KnowledgeBase] = []
        self._want: int | None = None  # the kb to select after the next load
        self._build()
        self._apply_permissions()
        ctx.actor_did_change.connect(self._apply_permissions)

    def title(self) -> str:
        return self.tr("Knowledge")

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 16)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_side())
        splitter.addWidget(self._build_main())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 800])
        outer.addWidget(splitter)

    def _build_side(self) -> QWidget:
        side = QWidget(self)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(page_title(self.tr("Knowledge"), side))
        self.new_button = primary_button(self.tr("New knowledge base"), "newKbButton", side)
        layout.addWidget(self.new_button)
        row = QHBoxLayout()
        self.import_button = QPushButton(self.tr("Import package…"), side)
        self.import_button.setObjectName("importKbButton")
        self.export_button = QPushButton(self.tr("Export package…"), side)
        self.export_button.setObjectName("exportKbButton")
        row.addWidget(self.import_button)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        self.kb_list = QListWidget(side)
        self.kb_list.setObjectName("kbList")
        self.list_empty = empty_state("", "noKnowledgeBases", side)
        self._list_stack = QStackedWidget(side)
        self._list_stack.addWidget(self.list_empty)
        self._list_stack.addWidget(self.kb_list)
        layout.addWidget(self._list_stack, 1)
        self.message = InlineMessage(side)
        layout.addWidget(self.message)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.import_button.clicked.connect(self.open_import)
        self.export_button.clicked.connect(self.open_export)
        self.kb_list.currentItemChanged.connect(self._on_kb_list_current_changed)
        return side

    def _build_main(self) -> QWidget:
        self._main = QStackedWidget(self)
        self.main_empty = empty_state(
            self.tr("Choose a knowledge base on the left."), "noKbSelected", self._main
        )
        page = QWidget(self._main)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 0, 0, 0)
        self.heading = PlainLabel(page)
        self.heading.setObjectName("kbHeading")
        layout.addWidget(self.heading)
        self.tabs = QTabWidget(page)
        self.tabs.setObjectName("kbTabs")
        docs_page = QWidget(self.tabs)
        docs = QVBoxLayout(docs_page)
        self.ingest = IngestPanel(self.ctx, docs_page)
        self.documents = DocumentsPanel(self.ctx, docs_page)
        docs.addWidget(self.ingest)
        docs.addWidget(self.documents, 1)
        self.settings = KbSettingsPanel(self.ctx)
        scroll = QScrollArea(self.tabs)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.settings)
        self.search = SearchTesterPanel(self.ctx, self.tabs)
        self.tabs.addTab(docs_page, self.tr("Documents"))
        self.tabs.addTab(scroll, self.tr("Settings"))
        self.tabs.addTab(self.search, self.tr("Search test"))
        layout.addWidget(self.tabs, 1)
        self._main.addWidget(self.main_empty)
        self._main.addWidget(page)
        self.ingest.ingest_did_finish.connect(self._on_ingest_finished)
        self.settings.kb_did_save.connect(self._on_settings_saved)
        self.settings.kb_did_delete.connect(self._on_settings_deleted)
        return self._main

    @property
    def can_manage(self) -> bool:
        return self.ctx.can(Permission.MANAGE_KNOWLEDGE)

    def _apply_permissions(self) -> None:
        can = self.can_manage
        self.new_button.setVisible(can)
        self.import_button.setVisible(can)
        self.export_button.setVisible(can)
        self.ingest.setVisible(can)
        self.documents.can_manage = can
        self.settings.set_can_manage(can)
        self.list_empty.setText(
            self.tr("No knowledge bases yet — create one with “New knowledge base”.")
            if can
            else self.tr("No knowledge bases are shared with you yet.")
        )

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        self._apply_permissions()
        actor = self.actor()
        list_users = self.ctx.can(Permission.MANAGE_MEMBERS)
        self.run(
            Lane.DB,
            _load_op(actor, list_users),
            key="load",
            on_done=self._on_loaded,
            on_failed=self.message.show_error,
        )

    def _on_loaded(self, loaded: tuple[list[KnowledgeBase], list[Any], list[Any] | None]) -> None:
        kbs, apps, users = loaded
        self.settings.set_choices(member_choices(users), apps)
        want = self._want if self._want is not None else self.selected_kb_id()
        self._want = None
        self.kbs = kbs
        self.kb_list.blockSignals(True)
        self.kb_list.clear()
        for kb in kbs:
            item = QListWidgetItem(kb.name, self.kb_list)
            item.setData(KB_ROLE, kb.id)
            item.setToolTip(plain_tip(kb.description or kb.name))
        self.kb_list.blockSignals(False)
        self._list_stack.setCurrentWidget(self.kb_list if kbs else self.list_empty)
        ids = [kb.id for kb in kbs]
        if self.settings.kb is None and self._main.currentIndex() == 1 and want is None:
            return  # a new knowledge base is being filled in
        target = want if want in ids else (ids[0] if ids else None)
        self.select_kb(target)

    # ------------------------------------------------------------------ selection

    def selected_kb_id(self) -> int | None:
        item = self.kb_list.currentItem()
        return int(item.data(KB_ROLE)) if item is not None else None

    def select_kb(self, kb_id: int | None) -> None:
        rows = [self.kb_list.item(r).data(KB_ROLE) for r in range(self.kb_list.count())]
        self.kb_list.blockSignals(True)
        self.kb_list.setCurrentRow(rows.index(kb_id) if kb_id in rows else -1)
        self.kb_list.blockSignals(False)
        self._show_kb(kb_id if kb_id in rows else None)

    def _on_kb_list_current_changed(self, current: QListWidgetItem | None, _prev: object) -> None:
        if current is not None:
            self._show_kb(int(current.data(KB_ROLE)))

    def _show_kb(self, kb_id: int | None) -> None:
        kb = next((k for k in self.kbs if k.id == kb_id), None)
        if kb is None:
            self._main.setCurrentWidget(self.main_empty)
            self.ingest.set_kb(None)
            self.search.set_kb(None)
            return
        self._main.setCurrentIndex(1)
        self.heading.setText(self._describe(kb))
        for index in (0, 2):
            self.tabs.setTabEnabled(index, True)
        self.ingest.set_kb(kb.id)
        self.search.set_kb(kb.id)
        editing = self.settings.kb is not None and self.settings.kb.id == kb.id
        if not (editing and self.settings.dirty):  # a reload keeps unsaved settings
            self.settings.show_kb(kb)
        self.documents.kb_id = kb.id
        soon(self, lambda: self.documents.load(kb.id))  # also reached from _on_loaded

    def _describe(self, kb: KnowledgeBase) -> str:
        who = {
            KbVisibility.ONLY_ME: self.tr("only {creator}").format(creator=kb.created_by),
            KbVisibility.ALL: self.tr("all members"),
            KbVisibility.PARTIAL: self.tr("{count} chosen member(s)").format(count=len(kb.members)),
        }[kb.visibility]
        return self.tr("{name} — readable by {who}").format(name=kb.name, who=who)

    def _on_new_clicked(self) -> None:
        self.kb_list.blockSignals(True)
        self.kb_list.setCurrentRow(-1)
        self.kb_list.blockSignals(False)
        self._main.setCurrentIndex(1)
        self.heading.setText(self.tr("New knowledge base"))
        self.settings.show_kb(None)
        self.tabs.setCurrentIndex(1)
        for index in (0, 2):
            self.tabs.setTabEnabled(index, False)
        self.ingest.set_kb(None)
        self.search.set_kb(None)
        self.settings.name.setFocus()

    # ------------------------------------------------------------------ packages

    def open_export(self) -> ExportPackageDialog | None:
        kb = next((k for k in self.kbs if k.id == self.selected_kb_id()), None)
        if kb is None:
            self.message.show_error(self.tr("Choose the knowledge base to export first."))
            return None
        dialog = ExportPackageDialog(self.ctx, kb, self)
        dialog.open()
        return dialog

    def open_import(self) -> ImportPackageDialog:
        dialog = ImportPackageDialog(self.ctx, list(self.kbs), self)
        dialog.package_did_import.connect(self._on_package_imported)
        dialog.open()
        return dialog

    def _on_package_imported(self, kb_id: int) -> None:
        self._want = kb_id
        soon(self, self.activate)

    # ------------------------------------------------------------------ changes

    def _on_settings_saved(self, kb: KnowledgeBase) -> None:
        self._want = kb.id
        soon(self, self.activate)

    def _on_settings_deleted(self, _kb_id: int) -> None:
        self._want = None
        self.kb_list.setCurrentRow(-1)
        soon(self, self.activate)

    def _on_ingest_finished(self) -> None:
        soon(self, lambda: self.documents.load(self.documents.kb_id))

    # ------------------------------------------------------------------ drops

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._drop_target() and DropZone.local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.handle_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def handle_drop(self, mime: QMimeData) -> bool:
        """Files and folders dropped anywhere on the screen go to the selected kb."""
        if not self._drop_target():
            return False
        self.tabs.setCurrentIndex(0)
        return self.ingest.handle_drop(mime)

    def _drop_target(self) -> bool:
        return self.can_manage and self.ingest.kb_id is not None and not self.ingest.running

    def teardown(self) -> None:
        for panel in (self.ingest, self.documents, self.settings, self.search):
            panel.teardown()
        super().teardown()
