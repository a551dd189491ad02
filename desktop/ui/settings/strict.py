"""Settings > Security > Strict unlock: the Owner's switch between keyring mode and
strict mode (only a user's own password opens the workspace). Turning it on asks for the
Owner's password, which their key slot is made from; the panel then lists the users who
have no slot yet (they cannot open the workspace until an Admin resets their password).
Only the Owner sees this panel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import Actor
from desktop.core.workspace_policy import Policy
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.recovery import RecoveryKeyDialog
from desktop.ui.settings.common import Panel, hint
from desktop.ui.tasks import Lane, LaneContext

#: What the panel shows: whether strict mode is on, and who has no key slot.
State = tuple[bool, list[str]]
#: A switch's outcome: the new state, and the recovery key of the rekey that turning
#: strict mode on makes (shown once), or None.
Switched = tuple[State, str | None]


def _state(lc: LaneContext, actor: Actor) -> State:
    policies = lc.ws.policies.list(actor)
    on = any(p["name"] == "strict-unlock" and p["on"] for p in policies)
    return on, lc.ws.policies.users_without_slot(actor)


class StrictUnlockPanel(Panel):
    """The strict unlock switch and who cannot open the workspace yet (Owner only)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.dialog: OwnerPasswordDialog | None = None
        self.content.addWidget(
            hint(
                self.tr(
                    "In strict mode the system keyring no longer opens the workspace: "
                    "each person's own password does, at sign-in. Nobody can read the "
                    "workspace without a Kura password, not even a program running as "
                    "you. Choose long passwords."
                ),
                self.box,
            )
        )
        self.check = QCheckBox(
            self.tr("Only a user's own password opens the workspace (strict unlock)"), self.box
        )
        self.check.setObjectName("strictUnlockCheck")
        self.check.setEnabled(False)  # until the state has loaded
        self.check.toggled.connect(self._on_check_toggled)
        self.content.addWidget(self.check)
        self.without_slot = PlainLabel(self.box)  # user names
        self.without_slot.setObjectName("usersWithoutSlotLabel")
        self.without_slot.setWordWrap(True)
        self.without_slot.hide()
        self.content.addWidget(self.without_slot)
        self.message = InlineMessage(self.box)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Strict unlock")

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: _state(lc, actor),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, state: State) -> None:
        on, missing = state
        self._set_checked(on)
        self.check.setEnabled(True)
        if on and missing:
            self.without_slot.setText(
                self.tr(
                    "These users have no key slot yet and cannot open the workspace until "
                    "an Admin resets their password: {users}"
                ).format(users=", ".join(missing))
            )
            self.without_slot.show()
        else:
            self.without_slot.clear()
            self.without_slot.hide()

    def _set_checked(self, on: bool) -> None:
        self.check.blockSignals(True)
        self.check.setChecked(on)
        self.check.blockSignals(False)

    def _on_check_toggled(self, on: bool) -> None:
        self.message.clear_message()
        if not on:
            self._switch(False, None)
            return
        self._set_checked(False)  # on only once the password is accepted
        dialog = OwnerPasswordDialog(self)
        self.dialog = dialog
        dialog.finished.connect(lambda result: self._on_dialog_finished(dialog, result))
        dialog.open()

    def _on_dialog_finished(self, dialog: OwnerPasswordDialog, result: int) -> None:
        password = dialog.take_password()  # a cancelled dialog forgets what was typed too
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()
        if result == QDialog.DialogCode.Accepted.value and password:
            self._switch(True, password)

    def _switch(self, on: bool, password: str | None) -> None:
        actor = self.actor()

        def op(lc: LaneContext) -> Switched:
            rekeyed = lc.ws.policies.set(actor, Policy.STRICT_UNLOCK, on, password=password)
            return _state(lc, actor), rekeyed.recovery_key if rekeyed is not None else None

        self.check.setEnabled(False)
        self.message.show_info(self.tr("Rewriting the key slots…"))
        # turning strict mode on rekeys the database: every lane drops its connection
        # first (queued before the switch), and again afterwards, as a rekey does
        self.ctx.attach()
        self.run(
            Lane.DB,
            op,
            key="switch",
            on_done=self._on_switched,
            on_failed=self._on_switch_failed,
        )

    def _on_switched(self, switched: Switched) -> None:
        state, recovery_key = switched
        if recovery_key is not None:
            self.ctx.attach()
            dialog = RecoveryKeyDialog(recovery_key, self)
            dialog.accepted.connect(self._on_recovery_dialog_accepted)
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()
        self._show(state)
        if state[0]:
            self.message.show_info(
                self.tr("Strict unlock is on: your password opens the workspace from now on.")
            )
        else:
            self.message.show_info(
                self.tr("Strict unlock is off: the system keyring opens the workspace again.")
            )

    def _on_recovery_dialog_accepted(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.workspace.recovery_key_shown(actor),
            key="shown",
            on_failed=self.message.show_error,
        )

    def _on_switch_failed(self, exc: BaseException) -> None:
        self.check.setEnabled(True)
        self.message.show_error(exc)
        self.activate()  # show the mode as it is


class OwnerPasswordDialog(QDialog):
    """Asks for the Owner's own password (never shown) before strict mode goes on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("strictPasswordDialog")
        self.setWindowTitle(self.tr("Turn on strict unlock"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(
            hint(
                self.tr(
                    "Type your own password. Your key slot is made from it: from now on "
                    "it opens the workspace, and the system keyring no longer does."
                ),
                self,
            )
        )
        self.password = QLineEdit(self)
        self.password.setObjectName("strictPasswordEdit")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password"))
        layout.addWidget(self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Turn on"))
        ok.setObjectName("strictPasswordOk")
        ok.setEnabled(False)
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.password.textChanged.connect(lambda text: ok.setEnabled(bool(text)))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.password.setFocus()

    def take_password(self) -> str:
        """The typed password; the field is cleared."""
        text = self.password.text()
        self.password.clear()
        return text
