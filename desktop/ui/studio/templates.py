"""The Studio's app templates: "Export template…" writes the shown app as readable YAML
(optionally signed with the workspace key), "Import template…" reads one, checks it and
its signature, and opens :class:`TemplateImportDialog`, where the model and knowledge
bases that differ on this laptop are mapped before the app is created.

Reading, checking, writing and importing run on the ``db`` lane; the GUI thread only
shows the outcome. The service does every check again when the import is submitted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.app_template_files import read_template, write_template
from desktop.core.chat_models import ModelRecord
from desktop.core.knowledge_models import KnowledgeBase
from desktop.core.services.app_templates import TemplateImport, TemplatePlan
from desktop.ui import file_dialogs
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext

if TYPE_CHECKING:
    from desktop.ui.studio.view import StudioView

_FILTERS = "YAML (*.yaml *.yml)"


@dataclass(frozen=True, slots=True)
class _Read:
    """A template read and checked, with the choices the mapping dialog offers."""

    data: bytes
    signature: bytes | None
    plan: TemplatePlan
    models: list[ModelRecord]
    kbs: list[KnowledgeBase]


class TemplateImportDialog(QDialog):
    """Name the new app and map the template's model and knowledge bases to local ones.
    The Import button is enabled once every choice is made."""

    def __init__(self, read: _Read, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templateImportDialog")
        self.setWindowTitle(self.tr("Import app template"))
        self.setMinimumWidth(480)
        plan = read.plan
        template = plan.template
        column = QVBoxLayout(self)
        self.signer = PlainLabel(self._signer_text(plan), self)
        self.signer.setObjectName("templateSigner")
        self.signer.setWordWrap(True)
        column.addWidget(self.signer)
        form = QFormLayout()
        self.name = QLineEdit(template.name, self)
        self.name.setObjectName("templateAppName")
        form.addRow(self.tr("App name"), self.name)
        self._taken = template.name.casefold() if plan.name_taken else None
        if plan.name_taken:
            text = self.tr("An app with this name exists: choose another name.")
            self._note(form, text, "templateNameTaken")
        self.model = QComboBox(self)
        self.model.setObjectName("templateModel")
        local = plan.model.id if plan.model is not None else None
        self._fill(self.model, [(m.name, m.id) for m in read.models], local)
        form.addRow(self.tr("Model"), self.model)
        if plan.model is None:
            missing = self.tr("The template's model “{name}” is not registered here.")
            self._note(form, missing.format(name=template.model_name), "templateModelMissing")
        self.kbs: dict[str, QComboBox] = {}
        choices = [(kb.name, kb.id) for kb in read.kbs]
        for index, kb_name in enumerate(template.knowledge_bases):
            box = QComboBox(self)
            box.setObjectName(f"templateKb{index}")
            self._fill(box, choices, plan.kb_ids.get(kb_name))
            self.kbs[kb_name] = box
            label = self.tr("Knowledge base “{name}”").format(name=kb_name)
            form.addRow(label, box)
        column.addLayout(form)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("templateImportButton")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self.name.textChanged.connect(self._on_choice_changed)
        self.model.currentIndexChanged.connect(self._on_choice_changed)
        for box in self.kbs.values():
            box.currentIndexChanged.connect(self._on_choice_changed)
        self._on_choice_changed()

    def _note(self, form: QFormLayout, text: str, name: str) -> None:
        note = PlainLabel(text, self)
        note.setObjectName(name)
        note.setWordWrap(True)
        form.addRow("", note)

    def _signer_text(self, plan: TemplatePlan) -> str:
        if plan.signer is None:
            return self.tr("Unsigned template: its origin is not proven.")
        if plan.signer.this_workspace:
            text = self.tr("Signed by this workspace ({fingerprint}).")
        else:
            text = self.tr(
                "Signed by a workspace this one trusts ({principal}), key {fingerprint}."
            )
        return text.format(fingerprint=plan.signer.fingerprint, principal=plan.signer.trusted_as)

    def _fill(self, box: QComboBox, items: list[tuple[str, int]], chosen: int | None) -> None:
        box.addItem(self.tr("Choose…"), None)
        for label, item_id in items:
            box.addItem(label, item_id)
        box.setCurrentIndex(max(0, box.findData(chosen)) if chosen is not None else 0)

    def _on_choice_changed(self) -> None:
        chosen = [self.model.currentData(), *(b.currentData() for b in self.kbs.values())]
        name = self.name.text().strip()
        ready = bool(name) and name.casefold() != self._taken and None not in chosen
        self.import_button.setEnabled(ready)

    def choices(self) -> tuple[str, str, dict[str, str]]:
        """The app's name, the model's id and each knowledge base's mapping (to ids)."""
        return (
            self.name.text().strip(),
            str(self.model.currentData()),
            {name: str(box.currentData()) for name, box in self.kbs.items()},
        )


class StudioTemplates(QObject):
    """The Studio's two template buttons and what they start."""

    def __init__(self, view: StudioView) -> None:
        super().__init__(view)
        self.view = view
        self.import_button = QPushButton(self.tr("Import template…"), view)
        self.import_button.setObjectName("importTemplateButton")
        self.export_button = QPushButton(self.tr("Export template…"), view)
        self.export_button.setObjectName("exportTemplateButton")
        self.sign = QCheckBox(self.tr("Sign"), view)
        self.sign.setObjectName("signTemplateCheck")
        self.sign.setToolTip(
            self.tr("Also write FILE.yaml.sig, signed with this workspace's signing key")
        )
        self.dialog: TemplateImportDialog | None = None
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)

    def update(self, *, can_edit: bool, has_app: bool) -> None:
        self.import_button.setVisible(can_edit)
        self.export_button.setVisible(can_edit and has_app)
        self.sign.setVisible(can_edit and has_app)

    # ------------------------------------------------------------------ export

    def _on_export_clicked(self) -> None:
        app = next((a for a in self.view.apps if a.id == self.view.current_id), None)
        if app is None:
            return
        path = file_dialogs.save_file(
            self.view, self.tr("Export app template"), f"{app.config.name}.yaml", _FILTERS
        )
        if not path:
            return
        actor, sign, app_id = self.view.actor(), self.sign.isChecked(), app.id

        def op(lc: LaneContext) -> list[Path]:
            export = lc.ws.app_templates.export(actor, app_id, sign=sign)
            return write_template(Path(path), export)

        self.view.run(
            Lane.DB,
            op,
            key="template",
            on_done=self._on_exported,
            on_failed=self.view.message.show_error,
        )

    def _on_exported(self, written: list[Path]) -> None:
        self.view.message.show_info(
            self.tr("Wrote {files}.").format(files=", ".join(p.name for p in written))
        )

    # ------------------------------------------------------------------ import

    def _on_import_clicked(self) -> None:
        if not self.view.may_leave():
            return
        path = file_dialogs.open_file(self.view, self.tr("Import app template"), "", _FILTERS)
        if not path:
            return
        actor = self.view.actor()

        def op(lc: LaneContext) -> _Read:
            data, signature = read_template(Path(path))
            plan = lc.ws.app_templates.inspect(actor, data, signature)
            models = lc.ws.models.list(actor)
            return _Read(data, signature, plan, models, lc.ws.knowledge.list(actor))

        self.view.run(
            Lane.DB,
            op,
            key="template",
            on_done=self._on_read,
            on_failed=self.view.message.show_error,
        )

    def _on_read(self, read: _Read) -> None:
        self.view.message.clear_message()
        self.dialog = TemplateImportDialog(read, self.view)
        self.dialog.accepted.connect(lambda: self._on_dialog_accepted(read))
        self.dialog.open()

    def _on_dialog_accepted(self, read: _Read) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        name, model, kbs = dialog.choices()
        self.dialog = None
        dialog.deleteLater()
        actor = self.view.actor()
        self.view.run(
            Lane.DB,
            lambda lc: lc.ws.app_templates.import_template(
                actor, read.data, read.signature, name=name, model=model, kbs=kbs
            ),
            key="template",
            on_done=self._on_imported,
            on_failed=self.view.message.show_error,
        )

    def _on_imported(self, done: TemplateImport) -> None:
        self.view.show_app(
            done.app, self.tr("Imported as “{name}”.").format(name=done.app.config.name)
        )
