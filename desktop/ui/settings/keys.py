"""The database key (rekey, and the recovery key that comes with it) and the audit
signing key (its fingerprint, rotation and the ``allowed_signers`` text for auditors)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from desktop.core.rbac import Permission
from desktop.core.services.workspace import RekeyResult
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel, ask
from desktop.ui.recovery import RecoveryKeyDialog
from desktop.ui.settings.common import Panel, copy_text, hint, value_label
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import danger_button
from desktop.verifier import bundle_verify

# Lanes that hold a database connection besides the DB lane, where the rekey runs.
_OTHER_LANES = (Lane.INFERENCE, Lane.INGEST)


def ssh_fingerprint(allowed_signers_line: str) -> str:
    """``SHA256:…`` of the key in an ``allowed_signers`` line, as ``ssh-keygen -l``."""
    signers = bundle_verify.parse_allowed_signers(allowed_signers_line)
    return bundle_verify.key_fingerprint(signers[0].key_blob) if signers else ""


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = ask(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class EncryptionKeyPanel(Panel):
    """Rekey (Owner): a new database key and a new recovery key, shown once."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.content.addWidget(
            hint(
                self.tr(
                    "The workspace is encrypted with a key kept in your system keyring. "
                    "The recovery key opens it if that keyring item is lost. Kura shows the "
                    "recovery key once — when the workspace is created and after each rekey — "
                    "and keeps no copy it could show again. To get a new recovery key, rekey: "
                    "the old one then stops working."
                ),
                self.box,
            )
        )
        self.unseen = PlainLabel(
            self.tr(
                "The current recovery key was never shown (a key rotation was interrupted). "
                "Rekey now to get a recovery key you can store."
            ),
            self.box,
        )
        self.unseen.setObjectName("recoveryUnseenLabel")
        self.unseen.setWordWrap(True)
        self.unseen.setProperty("kind", "error")
        self.unseen.hide()
        self.rekey_button = danger_button(self.tr("Rekey the database…"), "rekeyButton", self.box)
        self.rekey_button.clicked.connect(self._on_rekey_clicked)
        self.message = InlineMessage(self.box)
        row = QHBoxLayout()
        row.addWidget(self.rekey_button)
        row.addStretch(1)
        self.content.addWidget(self.unseen)
        self.content.addLayout(row)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Encryption key and recovery key")

    def activate(self) -> None:
        self.run(
            Lane.DB,
            lambda lc: bool(lc.ws.workspace.summary()["recovery_key_unseen"]),
            key="load",
            on_done=self.unseen.setVisible,
            on_failed=self.message.show_error,
        )

    def _on_rekey_clicked(self) -> None:
        if any(task.lane in _OTHER_LANES for task in self.ctx.runner.live_tasks()):
            self.message.show_error(
                self.tr("Wait for running replies and document imports to finish, then rekey.")
            )
            return
        if not _confirm(
            self,
            self.tr("Rekey the database?"),
            self.tr(
                "Kura re-encrypts the whole database with a new key, stores that key in the "
                "system keyring and makes a new recovery key, which you see once. The old "
                "recovery key stops working. Large workspaces take a while; keep Kura open "
                "until it finishes."
            ),
        ):
            return
        actor = self.actor()
        self.rekey_button.setEnabled(False)
        self.message.show_info(self.tr("Re-encrypting…"))
        # Every lane drops its connection first (queued before the rekey), and again
        # afterwards, so no lane keeps a connection under the old key.
        self.ctx.attach()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.workspace.rekey(actor),
            key="rekey",
            on_done=self._on_rekeyed,
            on_failed=self.message.show_error,
            on_finally=lambda: self.rekey_button.setEnabled(True),
        )

    def _on_rekeyed(self, result: RekeyResult) -> None:
        self.ctx.attach()
        self.message.show_info(self.tr("The database is under its new key."))
        dialog = RecoveryKeyDialog(result.recovery_key, self)
        dialog.accepted.connect(self._on_recovery_dialog_accepted)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_recovery_dialog_accepted(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.workspace.recovery_key_shown(actor),
            key="shown",
            on_done=lambda _: self._on_recovery_confirmed(),
            on_failed=self.message.show_error,
        )

    def _on_recovery_confirmed(self) -> None:
        self.unseen.hide()
        self.message.show_info(
            self.tr("Done. Only the new recovery key opens the workspace from now on.")
        )


class SigningKeyPanel(Panel):
    """The key that signs exported audit bundles: Admins copy it, the Owner rotates it."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._allowed_signers = ""
        self.content.addWidget(
            hint(
                self.tr(
                    "Exported log bundles are signed with this key. Auditors verify them with "
                    "the allowed_signers text (ssh-keygen -Y verify or the bundled verifier)."
                ),
                self.box,
            )
        )
        self.fingerprint = value_label("signingFingerprintLabel", self.box, mono=True)
        self.copy_button = QPushButton(self.tr("Copy allowed_signers"), self.box)
        self.copy_button.setObjectName("copyAllowedSignersButton")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.rotate_button = QPushButton(self.tr("Rotate signing key…"), self.box)
        self.rotate_button.setObjectName("rotateSigningKeyButton")
        self.rotate_button.clicked.connect(self._on_rotate_clicked)
        self.rotate_button.setVisible(ctx.can(Permission.MANAGE_SECURITY))
        self.message = InlineMessage(self.box)
        row = QHBoxLayout()
        row.addWidget(self.copy_button)
        row.addWidget(self.rotate_button)
        row.addStretch(1)
        self.content.addWidget(self.fingerprint)
        self.content.addLayout(row)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Audit signing key")

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.logs.allowed_signers(actor),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, allowed_signers: str) -> None:
        self._allowed_signers = allowed_signers
        first = allowed_signers.splitlines()[0] if allowed_signers.strip() else ""
        self.fingerprint.setText(ssh_fingerprint(first) or self.tr("No signing key yet."))

    def _on_copy_clicked(self) -> None:
        if self._allowed_signers:
            copy_text(self._allowed_signers)
            self.message.show_info(
                self.tr("Copied. Give it to auditors with the bundles you export.")
            )

    def _on_rotate_clicked(self) -> None:
        if not _confirm(
            self,
            self.tr("Rotate the signing key?"),
            self.tr(
                "New bundles are signed with a new key. Bundles signed before still verify "
                "with the old key, which stays in allowed_signers. Give auditors the new text."
            ),
        ):
            return
        actor = self.actor()

        def op(lc: LaneContext) -> str:
            lc.ws.logs.rotate_signing_key(actor)
            text: str = lc.ws.logs.allowed_signers(actor)
            return text

        self.rotate_button.setEnabled(False)
        self.run(
            Lane.DB,
            op,
            key="rotate",
            on_done=self._on_rotated,
            on_failed=self.message.show_error,
            on_finally=lambda: self.rotate_button.setEnabled(True),
        )

    def _on_rotated(self, allowed_signers: str) -> None:
        self._show(allowed_signers)
        self.message.show_info(
            self.tr("New signing key in use. Copy allowed_signers for auditors.")
        )
