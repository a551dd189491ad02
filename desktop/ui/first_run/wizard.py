"""The first-run wizard: keyring check, the Owner, the recovery key, a first model
(``model_step``), each page headed "Step n of 4"; Back where going back makes sense
(from the Owner to the keyring check; never past the workspace's creation, nor back to
a recovery key already shown).

Every step that touches the keyring, the database or a model file runs on the db lane.
The Owner's password lives in this widget only until the workspace is created and the
Owner signed in; the recovery key only while its one-time dialog is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.first_run.model_step import ModelStep
from desktop.ui.keyring_names import keyring_name
from desktop.ui.password_field import PasswordFields
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import Card, page_title, primary_button

STEPS = 4


@dataclass(frozen=True, slots=True)
class Created:
    actor: Actor
    recovery_key: str
    idle_timeout: timedelta


def _page(parent: QWidget, step: QWidget, title: str, text: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget(parent)
    layout = QVBoxLayout(page)
    layout.setSpacing(12)
    layout.addWidget(step)
    layout.addWidget(page_title(title, page))
    body = PlainLabel(text, page)
    body.setWordWrap(True)
    layout.addWidget(body)
    return page, layout


class FirstRunWizard(QWidget):
    """Emits ``completed`` once the Owner is signed in (and a model chosen or skipped);
    ``ready_app_id`` is then the "General chat" app made with the model, or None."""

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
        self.ready_app_id: int | None = None
        self._build_keyring_page()
        self._build_owner_page()
        self._build_recovery_page()
        self.model_step = ModelStep(self.ctx, self.message, self._step(4), self)
        self.model_step.done.connect(self._on_model_step_done)
        self.pages.addWidget(self.model_step)
        self.demo_button = self.model_step.demo_button
        self.pick_button = self.model_step.pick_button
        self.skip_button = self.model_step.skip_button
        self.model_progress = self.model_step.progress
        self._recovery_key: str | None = None

    def _step(self, number: int) -> PlainLabel:
        label = PlainLabel(self.tr("Step {n} of {total}").format(n=number, total=STEPS), self)
        label.setObjectName("wizardStep")
        return label

    # ------------------------------------------------------------------ 1. keyring

    def _build_keyring_page(self) -> None:
        page, layout = _page(
            self,
            self._step(1),
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
        backend = keyring_name(self.ctx.key_store().backend_name())
        self.model_step.find_demo()
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
            self._step(2),
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
        form.addRow(self.tr("User name"), self.owner_name)
        self.passwords = PasswordFields(self.ctx, page)
        self.passwords.user_inputs = lambda: [self.owner_name.text()]
        self.passwords.add_rows(form, self.tr("Passphrase"), self.tr("Repeat passphrase"))
        self.owner_password = self.passwords.password
        self.owner_confirm = self.passwords.confirm
        layout.addLayout(form)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.owner_back = QPushButton(self.tr("Back"), page)
        self.owner_back.setObjectName("ownerBack")
        self.owner_back.clicked.connect(lambda: self._go(0))
        self.create_button = primary_button(self.tr("Create workspace"), "createWorkspace", page)
        row.addWidget(self.owner_back)
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
        self.passwords.clear()
        self.passwords.teardown()
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
            self._step(3),
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

    def _on_model_step_done(self, app_id: int | None) -> None:
        self.ready_app_id = app_id
        self.completed.emit()

    # ------------------------------------------------------------------ navigation

    def _go(self, index: int) -> None:
        self.message.clear_message()
        self.pages.setCurrentIndex(index)
        if index == 3:
            self.model_step.enter()

    def start(self) -> None:
        self._go(0)
        self.check_keyring()
