"""Models (Owner): register GGUF files, see what their header says, tune how they load."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.chat_models import ModelRecord
from desktop.core.errors import AppError
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel, ask, plain_tip
from desktop.ui.settings.common import (
    ElidedLabel,
    SettingsPage,
    copy_text,
    form,
    group,
    hint,
    human_size,
    value_label,
)
from desktop.ui.settings.model_settings import LoadSettingsEditor
from desktop.ui.settings.remote_dialog import RemoteModelDialog, check_text, register_remote
from desktop.ui.tasks import Lane, LaneContext, Task
from desktop.ui.widgets import primary_button

SHA_SHOWN = 16  # hex digits of the SHA-256 shown; Copy gives all 64


class ModelsPage(SettingsPage):
    key = "models"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._records: dict[str, ModelRecord] = {}
        self._register: Task | None = None
        self._gpu_checked = False
        self.body.addWidget(
            hint(
                self.tr(
                    "Register local GGUF files for apps to use. Files stay where they are; "
                    "Kura checks each file's SHA-256 before loading it."
                ),
                self,
            )
        )
        self._build_toolbar()
        self.message = InlineMessage(self)
        self.body.addWidget(self.message)
        self.empty = PlainLabel(self.tr("No models yet — add a GGUF file to get started."), self)
        self.empty.setObjectName("emptyState")
        self.body.addWidget(self.empty)
        self._build_main()
        self.finish()

    def title(self) -> str:
        return self.tr("Models")

    def _build_toolbar(self) -> None:
        row = QHBoxLayout()
        self.add_button = primary_button(self.tr("Add model…"), "addModelButton", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_remote_button = QPushButton(self.tr("Add remote server…"), self)
        self.add_remote_button.setObjectName("addRemoteButton")
        self.add_remote_button.clicked.connect(self._on_add_remote_clicked)
        self.remote_dialog: RemoteModelDialog | None = None
        self.progress = QProgressBar(self)
        self.progress.setObjectName("registerProgress")
        self.progress.setRange(0, 0)  # hashing reports no steps: a busy bar
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.busy_label = PlainLabel(self)
        self.busy_label.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelRegisterButton")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.hide()
        self.gpu_label = PlainLabel(self.tr("GPU offload: checking…"), self)
        self.gpu_label.setObjectName("gpuOffloadLabel")
        for widget in (
            self.add_button, self.add_remote_button, self.progress, self.busy_label,
            self.cancel_button,
        ):  # fmt: skip
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.gpu_label)
        self.body.addLayout(row)

    def _build_main(self) -> None:
        self.main = QWidget(self)
        row = QHBoxLayout(self.main)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(16)
        self.model_list = QListWidget(self.main)
        self.model_list.setObjectName("modelList")
        self.model_list.setFixedWidth(220)
        self.model_list.currentItemChanged.connect(self._on_model_list_current_changed)
        row.addWidget(self.model_list)
        details = QWidget(self.main)
        panes = QVBoxLayout(details)
        panes.setContentsMargins(0, 0, 0, 0)
        panes.setSpacing(16)
        panes.addWidget(self._build_file_box(details))
        panes.addWidget(self._build_load_box(details))
        panes.addStretch(1)
        row.addWidget(details, 1)
        self.body.addWidget(self.main)

    def _build_file_box(self, parent: QWidget) -> QWidget:
        box, layout = group(self.tr("File"), parent)
        facts = form(layout)
        self.path = ElidedLabel("model_path", box)
        self.remove_button = QPushButton(self.tr("Remove…"), box)
        self.remove_button.setObjectName("removeModelButton")
        self.remove_button.setToolTip(self.tr("Remove this model from Kura (no app may use it)"))
        self.remove_button.clicked.connect(self._on_remove_clicked)
        path_row = QHBoxLayout()
        path_row.setSpacing(8)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.remove_button)
        facts.addRow(self.tr("Path"), path_row)
        self.facts: dict[str, QLabel] = {}
        for key, label in self._fact_rows():
            self.facts[key] = value_label(f"model_{key}", box, mono=key == "sha256")
            if key != "sha256":
                facts.addRow(label, self.facts[key])
                continue
            self.copy_sha = QPushButton(self.tr("Copy"), box)
            self.copy_sha.setObjectName("copySha256Button")
            self.copy_sha.setToolTip(self.tr("Copy the full SHA-256"))
            self.copy_sha.clicked.connect(self._on_copy_sha_clicked)
            # the shortened hash keeps its full width: the button goes after it
            self.facts[key].setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            sha_row = QHBoxLayout()
            sha_row.setSpacing(8)
            sha_row.addWidget(self.facts[key])
            sha_row.addWidget(self.copy_sha)
            sha_row.addStretch(1)
            facts.addRow(label, sha_row)
        return box

    def _build_load_box(self, parent: QWidget) -> QWidget:
        box, layout = group(self.tr("Load settings"), parent)
        self.editor = LoadSettingsEditor(box)
        layout.addWidget(self.editor)
        self.save_button = primary_button(
            self.tr("Save load settings"), "saveModelSettingsButton", box
        )
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        return box

    def _fact_rows(self) -> list[tuple[str, str]]:
        return [
            ("size", self.tr("Size")),
            ("sha256", self.tr("SHA-256")),
            ("architecture", self.tr("Architecture")),
            ("quantization", self.tr("Quantization")),
            ("context", self.tr("Trained context")),
        ]

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.models.list(actor),
            key="list",
            on_done=self._show,
            on_failed=self.message.show_error,
        )
        if not self._gpu_checked:
            engines = self.ctx.engines
            self.run(
                Lane.INFERENCE,
                lambda lc: engines().chat_model.gpu_offload_supported(),
                key="gpu",
                on_done=self._on_gpu_checked,
                on_failed=self._on_gpu_check_failed,
            )

    def _on_gpu_check_failed(self, exc: BaseException) -> None:
        self.gpu_label.hide()
        self.message.show_error(exc)

    def _on_gpu_checked(self, supported: bool) -> None:
        self._gpu_checked = True
        self.gpu_label.setText(
            self.tr("GPU offload: available")
            if supported
            else self.tr("GPU offload: not available in this build — models run on the CPU")
        )
        self.editor.set_gpu_offload(supported)

    def _show(self, records: list[ModelRecord], select: str | None = None) -> None:
        current = select or self.selected_name()
        self._records = {r.name: r for r in records}
        self.model_list.blockSignals(True)
        self.model_list.clear()
        for record in records:
            item = QListWidgetItem(record.name, self.model_list)
            item.setToolTip(plain_tip(record.path))
        self.model_list.blockSignals(False)
        self.empty.setVisible(not records)
        self.main.setVisible(bool(records))
        names = list(self._records)
        if names:
            self.model_list.setCurrentRow(names.index(current) if current in names else 0)

    def selected_name(self) -> str | None:
        item = self.model_list.currentItem()
        return item.text() if item is not None else None

    def _on_model_list_current_changed(self, item: QListWidgetItem | None, _prev: object) -> None:
        record = self._records.get(item.text()) if item is not None else None
        if record is None:
            return
        info = record.info
        self.path.set_full_text(record.path)
        shown = {
            "size": human_size(record.size),
            "sha256": record.sha256[:SHA_SHOWN] + "…",
            "architecture": info.architecture,
            "quantization": info.quantization or "—",
            "context": str(info.context_length) if info.context_length else "—",
        }
        for key, text in shown.items():
            self.facts[key].setText(text)
        self.facts["sha256"].setToolTip(plain_tip(record.sha256))
        self.editor.load(record.settings, info.context_length)
        self.message.clear_message()

    def _on_copy_sha_clicked(self) -> None:
        record = self._records.get(self.selected_name() or "")
        if record is not None:
            copy_text(record.sha256)
            self.message.show_info(self.tr("SHA-256 copied."))

    # ------------------------------------------------------------------ changes

    def _on_save_clicked(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        try:
            settings = self.editor.settings()
        except AppError as exc:
            self.message.show_error(exc)
            return
        actor = self.actor()

        def op(lc: LaneContext) -> list[ModelRecord]:
            lc.ws.models.configure(actor, name, settings)
            records: list[ModelRecord] = lc.ws.models.list(actor)
            return records

        self.save_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="configure",
            on_done=lambda records: self._on_saved(records, name),
            on_failed=self.message.show_error,
            on_finally=lambda: self.save_button.setEnabled(True),
        )

    def _on_saved(self, records: list[ModelRecord], name: str) -> None:
        self._show(records, select=name)
        self.message.show_info(
            self.tr("Saved. {name} loads with these settings next time.").format(name=name)
        )

    def _on_remove_clicked(self) -> None:
        record = self._records.get(self.selected_name() or "")
        if record is None:
            return
        if record.endpoint is not None:
            text = self.tr(
                "Remove {name}? Its API key is deleted from the OS keyring and Kura no longer "
                "connects to {url}."
            ).format(name=record.name, url=record.endpoint.base_url)
        else:
            text = self.tr("Remove {name}? The file itself stays where it is.").format(
                name=record.name
            )
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        if ask(self, self.tr("Remove model"), text, yes | no, no) != yes:
            return
        actor, name = self.actor(), record.name

        def op(lc: LaneContext) -> list[ModelRecord]:
            lc.ws.remote_models.remove(actor, name)
            records: list[ModelRecord] = lc.ws.models.list(actor)
            return records

        self.message.clear_message()
        self.remove_button.setEnabled(False)
        self.run(
            Lane.DB, op, key="remove", on_done=lambda records: self._on_removed(records, name),
            on_failed=self.message.show_error,
            on_finally=lambda: self.remove_button.setEnabled(True),
        )  # fmt: skip

    def _on_removed(self, records: list[ModelRecord], name: str) -> None:
        self._show(records)
        self.message.show_info(self.tr("Removed {name}.").format(name=name))

    def _on_add_clicked(self) -> None:
        path = file_dialogs.open_file(
            self,
            self.tr("Add a GGUF model"),
            "",
            self.tr("GGUF models (*.gguf);;All files (*)"),
        )
        if not path:
            return
        actor = self.actor()

        def op(lc: LaneContext) -> tuple[ModelRecord, list[ModelRecord]]:
            record = lc.ws.models.register(actor, path, cancel=lc.token)
            return record, lc.ws.models.list(actor)

        self.message.clear_message()
        self._set_busy(True)
        # The db lane: registering writes the record; hashing a large file keeps the
        # lane busy meanwhile, and Cancel stops the hash between blocks.
        self._register = self.run(
            Lane.DB,
            op,
            key="register",
            on_done=self._on_registered,
            on_failed=self.message.show_error,
            on_finally=lambda: self._set_busy(False),
        )

    def _on_registered(self, result: tuple[ModelRecord, list[ModelRecord]]) -> None:
        record, records = result
        self._show(records, select=record.name)
        self.message.show_info(self.tr("Added {name}.").format(name=record.name))

    def _on_add_remote_clicked(self) -> None:
        dialog = self.remote_dialog = RemoteModelDialog(self)
        dialog.accepted.connect(lambda: self._on_remote_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_remote_accepted(self, dialog: RemoteModelDialog) -> None:
        values, actor = dialog.values(), self.actor()
        self.remote_dialog = None

        def op(lc: LaneContext) -> tuple[ModelRecord, list[ModelRecord], str]:
            reg = register_remote(values)
            record, checked = lc.ws.remote_models.register_checked(actor, reg)
            return record, lc.ws.models.list(actor), check_text(values, checked)

        def done(result: tuple[ModelRecord, list[ModelRecord], str]) -> None:
            record, records, checked = result
            self._on_registered((record, records))
            if checked:
                self.message.show_info(f"{self.message.text()} {checked}")

        self.message.clear_message()
        self.run(
            Lane.DB, op, key="register_remote", on_done=done, on_failed=self.message.show_error,
        )  # fmt: skip

    def _on_cancel_clicked(self) -> None:
        if self._register is not None:
            self._register.cancel()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._register = None
        self.add_button.setEnabled(not busy)
        self.busy_label.setText(self.tr("Checking and hashing the file…") if busy else "")
        for widget in (self.progress, self.busy_label, self.cancel_button):
            widget.setVisible(busy)
