"""Settings > Models > Add remote server: an internal OpenAI-compatible server's model
(Owner). The API key is typed into a password field, handed to the service once and
kept in the OS keyring only; the dialog never shows it again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import InputError
from desktop.core.messages import Surface, render
from desktop.core.remote import EndpointCheck, RemoteKind
from desktop.core.services.remote_models import RemoteRegistration
from desktop.ui import file_dialogs
from desktop.ui.errors import ui_language
from desktop.ui.settings.common import hint


@dataclass(frozen=True)
class RemoteInput:
    """What the dialog collected; the CA file is read on a lane, not here."""

    name: str
    base_url: str
    model_id: str
    kind: RemoteKind
    ca_file: str | None
    pin_sha256: str | None
    api_key: str | None
    context_length: int
    check: bool = True


class RemoteModelDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("remoteModelDialog")
        self.setWindowTitle(self.tr("Add a remote server"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                self.tr(
                    "An OpenAI-compatible server on your organisation's network (llama-server, "
                    "vLLM, Ollama). Kura connects only to the address it resolves now. Plain "
                    "http is allowed only on this computer; https needs the CA file or the "
                    "certificate's SHA-256."
                ),
                self,
            )
        )
        fields = QFormLayout()
        self.name = self._line("remoteNameEdit", "gpu-70b")
        self.base_url = self._line("remoteUrlEdit", "https://gpu.example:8443/v1")
        self.model_id = self._line("remoteModelEdit", "llama-3.3-70b")
        self.kind = QComboBox(self)
        self.kind.setObjectName("remoteKindCombo")
        self.kind.addItem(self.tr("Chat"), RemoteKind.CHAT.value)
        self.kind.addItem(self.tr("Embedding"), RemoteKind.EMBEDDING.value)
        self.ca_file = self._line("remoteCaEdit", self.tr("CA certificate (PEM)"))
        choose = QPushButton(self.tr("Choose…"), self)
        choose.setObjectName("remoteCaChooseButton")
        choose.clicked.connect(self._on_choose_clicked)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(choose)
        self.pin = self._line("remotePinEdit", self.tr("or the certificate's SHA-256"))
        self.api_key = self._line("remoteKeyEdit", self.tr("optional"))
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.context = QSpinBox(self)
        self.context.setObjectName("remoteContextSpin")
        self.context.setRange(256, 1_048_576)
        self.context.setValue(4096)
        fields.addRow(self.tr("Name"), self.name)
        fields.addRow(self.tr("Server address"), self.base_url)
        fields.addRow(self.tr("Model id"), self.model_id)
        fields.addRow(self.tr("Kind"), self.kind)
        fields.addRow(self.tr("CA file"), ca_row)
        fields.addRow(self.tr("Certificate pin"), self.pin)
        fields.addRow(self.tr("API key"), self.api_key)
        fields.addRow(self.tr("Context size"), self.context)
        layout.addLayout(fields)
        self.check = QCheckBox(self.tr("Test the connection before adding it"), self)
        self.check.setObjectName("remoteCheckBox")
        self.check.setChecked(True)
        self.check.setToolTip(
            self.tr("Untick to add a server that is down now; its first answer will tell.")
        )
        layout.addWidget(self.check)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.setObjectName("remoteButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _on_choose_clicked(self) -> None:
        path = file_dialogs.open_file(
            self,
            self.tr("The server's CA certificate"),
            "",
            self.tr("PEM (*.pem *.crt);;All files (*)"),
        )
        if path:
            self.ca_file.setText(path)

    def values(self) -> RemoteInput:
        """The fields as typed; the key field is cleared once read."""
        key = self.api_key.text().strip() or None
        self.api_key.clear()
        return RemoteInput(
            name=self.name.text().strip(),
            base_url=self.base_url.text().strip(),
            model_id=self.model_id.text().strip(),
            kind=RemoteKind(self.kind.currentData()),
            ca_file=self.ca_file.text().strip() or None,
            pin_sha256=self.pin.text().strip() or None,
            api_key=key,
            context_length=self.context.value(),
            check=self.check.isChecked(),
        )


def register_remote(values: RemoteInput) -> RemoteRegistration:
    """The registration the service checks (on a lane: the CA file is read here)."""
    ca_pem = None
    if values.ca_file:
        try:
            ca_pem = Path(values.ca_file).expanduser().read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or type(exc).__name__
            raise InputError("remote.ca_unreadable", path=values.ca_file, reason=reason) from exc
    return RemoteRegistration(
        name=values.name,
        base_url=values.base_url,
        model_id=values.model_id,
        kind=values.kind,
        ca_pem=ca_pem,
        pin_sha256=values.pin_sha256,
        api_key=values.api_key,
        context_length=values.context_length,
        check=values.check,
    )


def check_text(values: RemoteInput, checked: EndpointCheck | None) -> str:
    """The connection test's line, in the window's language ("" when it was skipped)."""
    if checked is None:
        return ""
    params = {"url": values.base_url, "ms": checked.ms, "model": values.model_id}
    params["models"] = ", ".join(checked.models[:5]) or "-"
    if checked.lists(values.model_id) or not checked.models:
        return render("remote.check_ok", params, ui_language(), Surface.GUI)
    return render("remote.check_other_model", params, ui_language(), Surface.GUI)
