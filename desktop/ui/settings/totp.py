"""Two-step sign-in for the signed-in user: status, and enrolling an authenticator app.

Enrolling shows the QR code and the manual key in a dialog only (they are cleared when it
closes), confirms with a current code, and then shows the recovery codes once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.recovery import RecoveryKeyDialog, copy_secret
from desktop.ui.settings.common import Panel, hint, value_label
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button


def _begin(lc: LaneContext, actor: Actor) -> tuple[str, bytes]:
    enrollment = lc.ws.totp.begin(actor)
    return enrollment.secret, lc.ws.totp.qr_png(enrollment)


class TotpPanel(Panel):
    """Whether the signed-in user has one-time codes; a button to set them up."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.status = value_label("totpStatusLabel", self.box, wrap=True)
        self.enroll_button = QPushButton(self.tr("Set up…"), self.box)
        self.enroll_button.setObjectName("totpEnrollButton")
        self.enroll_button.clicked.connect(self._on_enroll_clicked)
        self.message = InlineMessage(self.box)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.enroll_button)
        self.content.addLayout(row)
        self.content.addWidget(self.message)

    def title(self) -> str:
        return self.tr("Two-step sign-in")

    def activate(self) -> None:
        actor = self.actor()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.totp.status(actor),
            key="load",
            on_done=self._show,
            on_failed=self.message.show_error,
        )

    def _show(self, status: dict[str, Any]) -> None:
        if status["enabled"]:
            self.status.setText(
                self.tr("On since {date}. {left} recovery codes left.").format(
                    date=str(status["enrolled_at"] or "")[:10], left=status["recovery_codes_left"]
                )
            )
            self.enroll_button.setText(self.tr("Replace authenticator…"))
        else:
            self.status.setText(
                self.tr("Off. Add an authenticator app to ask for a one-time code at sign-in.")
            )
            self.enroll_button.setText(self.tr("Set up…"))

    def _on_enroll_clicked(self) -> None:
        dialog = TotpDialog(self.ctx, self)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()
        dialog.start()

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        dialog.deleteLater()
        self.activate()


class TotpDialog(QDialog):
    """Scan, confirm with a code, store the recovery codes. Nothing stays after closing."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("totpDialog")
        self.setWindowTitle(self.tr("Set up two-step sign-in"))
        self.setMinimumWidth(440)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_scan())
        self.pages.addWidget(self._build_codes())
        self.message = InlineMessage(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.pages)
        layout.addWidget(self.message)

    def _build_scan(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(hint(self.tr("Scan this code with your authenticator app."), page))
        self.qr = PlainLabel(page)
        self.qr.setObjectName("totpQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(220, 220)
        column.addWidget(self.qr)
        column.addWidget(hint(self.tr("Or type this key into the app by hand:"), page))
        self.secret = value_label("totpSecretLabel", page, mono=True)
        column.addWidget(self.secret)
        self.code = QLineEdit(page)
        self.code.setObjectName("totpCodeEdit")
        self.code.setPlaceholderText(self.tr("The 6-digit code the app shows"))
        self.code.setMaxLength(10)
        self.code.returnPressed.connect(self._on_confirm_clicked)
        self.confirm_button = primary_button(self.tr("Turn on"), "totpConfirmButton", page)
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        cancel = QPushButton(self.tr("Cancel"), page)
        cancel.setObjectName("totpCancelButton")
        cancel.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(cancel)
        row.addWidget(self.confirm_button)
        column.addLayout(row)
        return page

    def _build_codes(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(
            hint(
                self.tr(
                    "Two-step sign-in is on. If you lose your phone, each of these recovery "
                    "codes signs you in once. They are shown only now: store them safely."
                ),
                page,
            )
        )
        self.codes = QPlainTextEdit(page)
        self.codes.setObjectName("recoveryCodesText")
        self.codes.setReadOnly(True)
        self.codes.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        column.addWidget(self.codes)
        copy = QPushButton(self.tr("Copy"), page)
        copy.setObjectName("copyRecoveryCodesButton")
        copy.clicked.connect(self._on_copy_clicked)
        done = primary_button(self.tr("Done"), "totpDoneButton", page)
        done.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(copy)
        row.addStretch(1)
        row.addWidget(done)
        column.addLayout(row)
        return page

    # ------------------------------------------------------------------ steps

    def start(self) -> None:
        """Make a pending secret (an existing authenticator keeps working until confirmed)."""
        actor = self.ctx.actor()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: _begin(lc, actor),
            owner=self,
            key="begin",
            on_done=self._on_begun,
            on_failed=self.message.show_error,
        )

    def _on_begun(self, begun: tuple[str, bytes]) -> None:
        secret, png = begun
        pixmap = QPixmap()
        pixmap.loadFromData(png, "PNG")
        self.qr.setPixmap(pixmap)
        self.secret.setText(" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)))
        self.confirm_button.setEnabled(True)
        self.code.setFocus()

    def _on_confirm_clicked(self) -> None:
        code = self.code.text().strip().replace(" ", "")
        if not code or not self.confirm_button.isEnabled():
            return
        actor = self.ctx.actor()
        self.confirm_button.setEnabled(False)
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: lc.ws.totp.confirm(actor, code),
            owner=self,
            key="confirm",
            on_done=self._on_confirmed,
            on_failed=self._on_confirm_failed,
        )

    def _on_confirm_failed(self, exc: BaseException) -> None:
        self.confirm_button.setEnabled(True)
        self.message.show_error(exc)

    def _on_confirmed(self, codes: list[str]) -> None:
        self._clear_scan()
        self.message.clear_message()
        self.codes.setPlainText("\n".join(codes))
        self.pages.setCurrentIndex(1)

    def _on_copy_clicked(self) -> None:
        copy_secret(self.codes.toPlainText(), RecoveryKeyDialog.CLEAR_AFTER_MS)
        self.message.show_info(
            self.tr("Copied. The clipboard is cleared in {seconds} seconds.").format(
                seconds=RecoveryKeyDialog.CLEAR_AFTER_MS // 1000
            )
        )

    def _clear_scan(self) -> None:
        self.qr.clear()
        self.secret.clear()
        self.code.clear()

    def done(self, result: int) -> None:
        self.ctx.runner.cancel_owner(self)
        self._clear_scan()
        self.codes.clear()
        super().done(result)
