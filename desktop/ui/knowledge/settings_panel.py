"""A knowledge base's settings: name, description, visibility, which apps may link it,
which apps do, and how it retrieves. Also the form for a new knowledge base."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import AppRecord
from desktop.core.errors import AppError
from desktop.core.knowledge_models import KbSettings, KbVisibility, KnowledgeBase, RetrievalMode
from desktop.core.models import Actor
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.knowledge import widgets
from desktop.ui.knowledge.redaction_box import RedactionChoices
from desktop.ui.knowledge.widgets import CheckList, MemberPicker, Panel
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext, Op
from desktop.ui.widgets import danger_button, primary_button, spin_box, spread_row


class KbSettingsPanel(Panel):
    """Edits one knowledge base (or creates one when ``kb`` is None)."""

    kb_did_save = Signal(object)  # KnowledgeBase
    kb_did_delete = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kb: KnowledgeBase | None = None
        self.can_manage = False
        self._baseline: dict[str, Any] = {}
        self._apps: list[AppRecord] = []
        self._build()
        self.show_kb(None)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        form = QFormLayout()
        form.setSpacing(8)
        self.name = QLineEdit(self)
        self.name.setObjectName("kbName")
        self.name.setPlaceholderText(self.tr("e.g. Product manuals"))
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("kbDescription")
        self.description.setPlaceholderText(self.tr("What is in it, for whom"))
        self.description.setMaximumHeight(70)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Description"), self.description)
        self._access_form(form)
        self._retrieval_form(form)
        layout.addLayout(form)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        self.delete_button = danger_button(
            self.tr("Delete knowledge base…"), "kbDeleteButton", self
        )
        self.save_button = primary_button(self.tr("Save"), "kbSaveButton", self)
        layout.addLayout(spread_row([self.delete_button], [self.save_button]))
        layout.addStretch(1)
        self._connect()

    def _access_form(self, form: QFormLayout) -> None:
        self.visibility = QComboBox(self)
        self.visibility.setObjectName("kbVisibility")
        for value, label in (
            (KbVisibility.ONLY_ME, self.tr("Only me")),
            (KbVisibility.ALL, self.tr("All members")),
            (KbVisibility.PARTIAL, self.tr("Chosen members")),
        ):
            self.visibility.addItem(label, value.value)
        self.members = MemberPicker(self)
        self.members.setObjectName("kbMembers")
        self.allowlist = CheckList(self)
        self.allowlist.setObjectName("kbAllowlist")
        self.allowlist.setMaximumHeight(120)
        allow_hint = PlainLabel(self.tr("None ticked: any app may link it."), self)
        self.linked = PlainLabel(self)
        self.linked.setObjectName("kbLinkedApps")
        self.linked.setWordWrap(True)
        form.addRow(self.tr("Who can read it"), self.visibility)
        form.addRow(self.tr("Members"), self.members)
        self._members_label = form.labelForField(self.members)
        form.addRow(self.tr("Apps that may link it"), self.allowlist)
        form.addRow("", allow_hint)
        form.addRow(self.tr("Linked by"), self.linked)

    def _retrieval_form(self, form: QFormLayout) -> None:
        self.mode = QComboBox(self)
        self.mode.setObjectName("kbMode")
        for mode, label in (
            (RetrievalMode.HYBRID, self.tr("Hybrid (keywords and meaning)")),
            (RetrievalMode.FULLTEXT, self.tr("Full text (keywords)")),
            (RetrievalMode.VECTOR, self.tr("Vector (meaning)")),
        ):
            self.mode.addItem(label, mode.value)
        self.top_k = spin_box(self, "kbTopK", 1, 50)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setObjectName("kbThreshold")
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.chunk_size = spin_box(self, "kbChunkSize", 100, 8000, 50)
        self.chunk_size.setSuffix(self.tr(" characters"))
        self.chunk_overlap = spin_box(self, "kbChunkOverlap", 0, 3999, 10)
        self.chunk_overlap.setSuffix(self.tr(" characters"))
        form.addRow(self.tr("Search mode"), self.mode)
        form.addRow(self.tr("Passages per question"), self.top_k)
        form.addRow(self.tr("Minimum score"), self.threshold)
        form.addRow(self.tr("Chunk size"), self.chunk_size)
        form.addRow(self.tr("Chunk overlap"), self.chunk_overlap)
        self.embedding_model = QLineEdit(self)
        self.embedding_model.setObjectName("kbEmbeddingModel")
        self.embedding_model.setReadOnly(True)
        self.embedding_model.setPlaceholderText(self.tr("The bundled default (English only)"))
        self.embedding_choose = QPushButton(self.tr("Choose folder…"), self)
        self.embedding_default = QPushButton(self.tr("Default"), self)
        row = QHBoxLayout()
        row.addWidget(self.embedding_model, 1)
        row.addWidget(self.embedding_choose)
        row.addWidget(self.embedding_default)
        form.addRow(self.tr("Embedding model"), row)
        hint = PlainLabel(
            self.tr(
                "A sentence-transformers folder (see models/README.md); choose one that "
                "knows your documents' languages. It cannot change once documents are added."
            ),
            self,
        )
        hint.setWordWrap(True)
        form.addRow("", hint)
        self.redaction = RedactionChoices(self)
        form.addRow(self.tr("Personal data"), self.redaction)

    def _connect(self) -> None:
        for edit in (self.name,):
            edit.textEdited.connect(self._on_form_changed)
        self.description.textChanged.connect(self._on_form_changed)
        for combo in (self.visibility, self.mode):
            combo.currentIndexChanged.connect(self._on_form_changed)
        for spin in (self.top_k, self.chunk_size, self.chunk_overlap, self.threshold):
            spin.valueChanged.connect(self._on_form_changed)
        self.members.changed.connect(self._on_form_changed)
        self.allowlist.changed.connect(self._on_form_changed)
        self.redaction.changed.connect(self._on_form_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.embedding_choose.clicked.connect(self._on_embedding_choose_clicked)
        self.embedding_default.clicked.connect(self._on_embedding_default_clicked)

    # ------------------------------------------------------------------ showing

    def set_choices(self, users: list[tuple[str, str]] | None, apps: list[AppRecord]) -> None:
        """Accounts for the member picker (None: not listable) and the apps to allow."""
        self._apps = apps
        self.members.set_users(users, self.members.selected())
        self.allowlist.set_items([(a.id, a.config.name) for a in apps], self.allowlist.checked())
        self._show_links()
        self._on_form_changed()

    def show_kb(self, kb: KnowledgeBase | None) -> None:
        if kb is None or self.kb is None or kb.id != self.kb.id:
            self.message.clear_message()  # a "Saved." stays through the reload
        self.kb = kb
        settings = kb.settings if kb else KbSettings()
        self.name.setText(kb.name if kb else "")
        self.description.setPlainText(kb.description if kb else "")
        visibility = kb.visibility if kb else KbVisibility.ONLY_ME
        self.visibility.setCurrentIndex(self.visibility.findData(visibility.value))
        self.members.set_selected(kb.members if kb else ())
        self.allowlist.set_checked(kb.app_allowlist if kb else ())
        self.mode.setCurrentIndex(self.mode.findData(settings.mode.value))
        self.top_k.setValue(settings.top_k)
        self.threshold.setValue(settings.score_threshold)
        self.chunk_size.setValue(settings.chunk_size)
        self.chunk_overlap.setValue(settings.chunk_overlap)
        self.embedding_model.setText(settings.embedding_model)
        self.redaction.load(settings)
        self.save_button.setText(self.tr("Save") if kb else self.tr("Create knowledge base"))
        self.delete_button.setVisible(kb is not None and self.can_manage)
        self._show_links()
        self._baseline = self.values()
        self._on_form_changed()

    def _show_links(self) -> None:
        if self.kb is None:
            self.linked.setText(self.tr("No app yet: link it from an app in Studio."))
            return
        names = [a.config.name for a in self._apps if self.kb.id in a.config.kb_ids]
        self.linked.setText(
            ", ".join(names) if names else self.tr("No app links it yet (link it in Studio).")
        )

    def set_can_manage(self, can: bool) -> None:
        self.can_manage = can
        for widget in (
            self.name,
            self.description,
            self.visibility,
            self.members,
            self.allowlist,
            self.mode,
            self.top_k,
            self.threshold,
            self.chunk_size,
            self.chunk_overlap,
            self.embedding_choose,
            self.embedding_default,
        ):
            widget.setEnabled(can)
        self.redaction.set_can_manage(can)
        self.save_button.setVisible(can)
        self.delete_button.setVisible(can and self.kb is not None)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "description": self.description.toPlainText(),
            "visibility": KbVisibility(self.visibility.currentData()),
            "members": self.members.selected() if self._partial() else (),
            "app_allowlist": tuple(self.allowlist.checked()),
            "settings": {
                "mode": RetrievalMode(self.mode.currentData()),
                "top_k": self.top_k.value(),
                "score_threshold": round(self.threshold.value(), 4),
                "chunk_size": self.chunk_size.value(),
                "chunk_overlap": self.chunk_overlap.value(),
                "embedding_model": self.embedding_model.text(),
                **self.redaction.values(),
            },
        }

    def _partial(self) -> bool:
        return bool(self.visibility.currentData() == KbVisibility.PARTIAL.value)

    @property
    def dirty(self) -> bool:
        return self.values() != self._baseline

    def _on_form_changed(self, *_args: object) -> None:
        partial = self._partial()
        self.members.setVisible(partial)
        if self._members_label is not None:
            self._members_label.setVisible(partial)
        self.save_button.setEnabled(self.can_manage and (self.dirty or self.kb is None))

    def _on_embedding_choose_clicked(self) -> None:
        folder = file_dialogs.folder(
            self, self.tr("Choose an embedding model folder"), self.embedding_model.text()
        )
        if folder:
            self.embedding_model.setText(folder)
            self._on_form_changed()

    def _on_embedding_default_clicked(self) -> None:
        self.embedding_model.clear()
        self._on_form_changed()

    # ------------------------------------------------------------------ saving

    def _settings(self, values: dict[str, Any]) -> KbSettings:
        base = self.kb.settings if self.kb else KbSettings()
        return KbSettings.from_dict({**base.as_dict(), **values["settings"]})

    def _on_save_clicked(self) -> None:
        values = self.values()
        if not values["name"]:
            self.message.show_error(self.tr("Give the knowledge base a name."))
            self.name.setFocus()
            return
        try:
            settings = self._settings(values)
        except AppError as exc:
            self.message.show_error(exc)
            return
        actor, kb = self.ctx.actor(), self.kb
        if kb is None:
            op = self._create_op(actor, values, settings)
        else:
            op = self._update_op(actor, kb, values, settings)
        self.save_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="save",
            on_done=self._on_saved,
            on_failed=self._on_save_failed,
        )

    @staticmethod
    def _create_op(actor: Actor, values: dict[str, Any], settings: KbSettings) -> Op[KnowledgeBase]:
        def op(lc: LaneContext) -> KnowledgeBase:
            created: KnowledgeBase = lc.ws.knowledge.create(
                actor,
                values["name"],
                description=values["description"],
                visibility=values["visibility"],
                members=values["members"],
                app_allowlist=values["app_allowlist"],
                settings=settings,
            )
            return created

        return op

    def _update_op(
        self, actor: Actor, kb: KnowledgeBase, values: dict[str, Any], settings: KbSettings
    ) -> Op[KnowledgeBase]:
        changes = {
            key: value
            for key, value in values.items()
            if key != "settings" and value != self._baseline.get(key)
        }
        if settings != kb.settings:
            changes["settings"] = settings

        def op(lc: LaneContext) -> KnowledgeBase:
            updated: KnowledgeBase = lc.ws.knowledge.update(actor, kb.id, changes)
            return updated

        return op

    def _on_saved(self, kb: KnowledgeBase) -> None:
        created = self.kb is None
        self.show_kb(kb)
        self.message.show_info(
            self.tr("Created. Add documents in the Documents tab.")
            if created
            else self.tr("Saved.")
        )
        self.kb_did_save.emit(kb)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.message.show_error(exc)
        self._on_form_changed()

    def _on_delete_clicked(self) -> None:
        kb = self.kb
        if kb is None or not widgets.confirm(
            self,
            self.tr("Delete knowledge base"),
            self.tr(
                "Delete {name} with all its documents and versions? Apps that link it stop "
                "using it. This cannot be undone."
            ).format(name=kb.name),
            self.tr("Delete"),
        ):
            return
        actor = self.ctx.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.knowledge.delete(actor, kb.id),
            key="save",
            on_done=lambda _changes: self.kb_did_delete.emit(kb.id),
            on_failed=self.message.show_error,
        )
