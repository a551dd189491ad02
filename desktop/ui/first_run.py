"""The first-run wizard: keyring check, the Owner, the recovery key, a first model.

Every step that touches the keyring, the database or a model file runs on the db lane.
The Owner's password lives in this widget only until the workspace is created and the
Owner signed in; the recovery key only while its one-time dialog is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import Card, page_title, primary_button

DEMO_MODEL_NAME = "demo"  # a model name, not prose: the same in every language


@dataclass(frozen=True, slots=True)
class Created:
    actor: Actor
    recovery_key: str
    idle_timeout: timedelta


def _page(parent: QWidget, title: str, text: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setSpacing(12)
    layout.addWidget(page_title(title, page))
    body = PlainLabel(text, page)
    body.setWordWrap(True)
    layout.addWidget(body)
    return page, layout


class FirstRunWizard(QWidget):
    """Emits ``completed`` once the Owner is signed in (and a model chosen or skipped)."""

    completed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = Card(580, "wizardCard", self)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(32, 28, 32, 28)
        self.pages = QStackedWidget(card)
        layout.addWidget(self.pages)
        self.message = InlineMessage(card)
        layout.addWidget(self.message)
        self._build_keyring_page()
        self._build_owner_page()
        self._build_recovery_page()
        self._build_model_page()
        self._recovery_key: str | None = None
        self._demo_path: Path | None = None

    # ------------------------------------------------------------------ 1. keyring

    def _build_keyring_page(self) -> None:
        page, layout = _page(
            self,
            self.tr("Welcome to Kura"),
            self.tr(
                "Kura keeps your chat apps, knowledge bases and logs in one encrypted "
                "workspace on this computer. Its key is kept in the system keyring, never "
                "in a file. First, Kura checks that a keyring is available."
            ),
        )
        self.keyring_status = PlainLabel(page)
        self.keyring_status.setObjectName("keyringStatus")
        self.keyring_status.setWordWrap(True)
        layout.addWidget(self.keyring_status)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.keyring_retry = QPushButton(self.tr("Check again"), page)
        self.keyring_next = primary_button(self.tr("Next"), "keyringNext", page)
        self.keyring_next.setEnabled(False)
        row.addStretch(1)
        row.addWidget(self.keyring_retry)
        row.addWidget(self.keyring_next)
        layout.addLayout(row)
        self.keyring_retry.clicked.connect(self.check_keyring)
        self.keyring_next.clicked.connect(lambda: self._go(1))
        self.pages.addWidget(page)

    def check_keyring(self) -> None:
        self.keyring_status.setText(self.tr("Checking the keyring…"))
        self.keyring_next.setEnabled(False)
        self.ctx.runner.run(
            Lane.DB,
            self._keyring_op,
            on_done=self._on_keyring_done,
            on_failed=self._on_keyring_failed,
            owner=self,
            key="keyring",
        )

    def _keyring_op(self, lc: LaneContext) -> str:
        """The keyring's name; also finds the demo model (a file look-up, off the GUI)."""
        backend = self.ctx.key_store().backend_name()
        self._demo_path = self.ctx.backend.demo_model()
        return backend

    def _on_keyring_done(self, backend: str) -> None:
        self.keyring_status.setText(
            self.tr("Keys will be kept in: {backend}").format(backend=backend)
        )
        self.keyring_next.setEnabled(True)
        self.message.clear_message()

    def _on_keyring_failed(self, exc: BaseException) -> None:
        self.keyring_status.setText(
            self.tr(
                "No usable keyring was found. On Linux, install and unlock GNOME Keyring "
                "or KWallet (a Secret Service), then press Check again."
            )
        )
        self.message.show_error(exc)

    # ------------------------------------------------------------------ 2. owner

    def _build_owner_page(self) -> None:
        page, layout = _page(
            self,
            self.tr("Create the Owner"),
            self.tr(
                "The Owner manages members, models and security. Choose a long passphrase: "
                "it protects everything in this workspace."
            ),
        )
        form = QFormLayout()
        self.owner_name = QLineEdit(page)
        self.owner_name.setObjectName("ownerName")
        self.owner_name.setPlaceholderText(self.tr("e.g. tanaka"))
        self.owner_password = QLineEdit(page)
        self.owner_password.setObjectName("ownerPassword")
        self.owner_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.owner_confirm = QLineEdit(page)
        self.owner_confirm.setObjectName("ownerConfirm")
        self.owner_confirm.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User name"), self.owner_name)
        form.addRow(self.tr("Passphrase"), self.owner_password)
        form.addRow(self.tr("Repeat passphrase"), self.owner_confirm)
        layout.addLayout(form)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.create_button = primary_button(self.tr("Create workspace"), "createWorkspace", page)
        row.addStretch(1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.owner_confirm.returnPressed.connect(self._on_create_clicked)
        self.pages.addWidget(page)

    def _on_create_clicked(self) -> None:
        name = self.owner_name.text().strip()
        password = self.owner_password.text()
        if not name:
            self.message.show_error(self.tr("Enter a user name for the Owner."))
            return
        if password != self.owner_confirm.text():
            self.message.show_error(self.tr("The two passphrases differ: type them again."))
            self.owner_confirm.clear()
            return
        self.create_button.setEnabled(False)
        self.message.show_info(self.tr("Creating the encrypted workspace…"))
        self.ctx.attach()  # lanes open the workspace lazily, once it exists
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: self._create(lc, name, password),
            on_done=self._on_created,
            on_failed=self._on_create_failed,
            owner=self,
            key="create",
        )

    def _create(self, lc: LaneContext, name: str, password: str) -> Created:
        result = self.ctx.init_workspace(name, password)
        actor = lc.ws.accounts.authenticate(name, password)
        return Created(actor, result.recovery_key, lc.ws.settings.idle_timeout())

    def _on_created(self, created: Created) -> None:
        self.owner_password.clear()
        self.owner_confirm.clear()
        self.message.clear_message()
        self.ctx.sign_in(created.actor, created.idle_timeout)
        self._recovery_key = created.recovery_key
        self._go(2)

    def _on_create_failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.message.show_error(exc)

    # ------------------------------------------------------------------ 3. recovery key

    def _build_recovery_page(self) -> None:
        page, layout = _page(
            self,
            self.tr("Store your recovery key"),
            self.tr(
                "If this computer's keyring is lost, the recovery key is the only way to "
                "open the workspace again. Kura shows it once. Print it or save it to "
                "removable media and keep it somewhere safe."
            ),
        )
        layout.addStretch(1)
        row = QHBoxLayout()
        self.show_key_button = primary_button(
            self.tr("Show recovery key…"), "showRecoveryKey", page
        )
        row.addStretch(1)
        row.addWidget(self.show_key_button)
        layout.addLayout(row)
        self.show_key_button.clicked.connect(self._on_show_key_clicked)
        self.pages.addWidget(page)

    def _on_show_key_clicked(self) -> None:
        from desktop.ui.recovery import RecoveryKeyDialog

        if self._recovery_key is None:
            self._go(3)
            return
        dialog = RecoveryKeyDialog(self._recovery_key, self)
        if dialog.exec():
            self._recovery_key = None  # shown once: nothing keeps it after this
            actor = self.ctx.actor()
            self.ctx.runner.run(Lane.DB, lambda lc: lc.ws.workspace.recovery_key_shown(actor))
            self._go(3)

    # ------------------------------------------------------------------ 4. model

    def _build_model_page(self) -> None:
        page, layout = _page(
            self,
            self.tr("Add a model"),
            self.tr(
                "Chat apps answer with a local GGUF model. Register one now, or later in "
                "Settings. Kura checks the file's SHA-256 so a changed file is noticed."
            ),
        )
        self.demo_button = QPushButton(self.tr("Use the bundled demo model"), page)
        self.demo_button.setObjectName("useDemoModel")
        self.pick_button = QPushButton(self.tr("Choose a GGUF file…"), page)
        self.pick_button.setObjectName("chooseModel")
        self.model_progress = QProgressBar(page)
        self.model_progress.setRange(0, 0)
        self.model_progress.hide()
        layout.addWidget(self.demo_button)
        layout.addWidget(self.pick_button)
        layout.addWidget(self.model_progress)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.skip_button = QPushButton(self.tr("Skip for now"), page)
        self.skip_button.setObjectName("skipModel")
        row.addStretch(1)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.pick_button.clicked.connect(self._on_pick_clicked)
        self.skip_button.clicked.connect(self.completed.emit)
        self.pages.addWidget(page)

    def _on_demo_clicked(self) -> None:
        self.register_model_path(self._demo_path, DEMO_MODEL_NAME)

    def _on_pick_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a GGUF model"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.register_model_path(Path(path), None)

    def register_model_path(self, path: Path | None, name: str | None) -> None:
        if path is None:
            return
        actor = self.ctx.actor()
        self.model_progress.show()
        for button in (self.demo_button, self.pick_button, self.skip_button):
            button.setEnabled(False)
        self.message.show_info(self.tr("Checking {file}…").format(file=path.name))
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.models.register(actor, str(path), name=name, cancel=lc.token),
            on_done=lambda _record: self.completed.emit(),
            on_failed=self._on_model_failed,
            owner=self,
            key="model",
        )

    def _on_model_failed(self, exc: BaseException) -> None:
        self.model_progress.hide()
        for button in (self.demo_button, self.pick_button, self.skip_button):
            button.setEnabled(True)
        self.demo_button.setEnabled(self._demo_path is not None)
        self.message.show_error(exc)

    # ------------------------------------------------------------------ navigation

    def _go(self, index: int) -> None:
        self.message.clear_message()
        self.pages.setCurrentIndex(index)
        if index == 3:
            self.demo_button.setVisible(self._demo_path is not None)

    def start(self) -> None:
        self._go(0)
        self.check_keyring()
