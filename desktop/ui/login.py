"""Sign-in and unlock: user name, password and, when enrolled, a TOTP code.

Authentication runs on the db lane (opening the workspace unwraps its key from the
keyring there; in strict unlock mode the typed user name and password unwrap it first,
and every lane then opens with that key until the window locks). After the idle timeout
locks the window this screen comes back with the user name filled in; the password field
is cleared every time it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AuthenticationFailed, SecondFactorRequired
from desktop.core.models import Actor
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import Card, page_title, primary_button


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    idle_timeout: timedelta
    language: str | None
    theme: str | None = None


def authenticate(lc: LaneContext, username: str, password: str, code: str | None) -> SignedIn:
    """The sign-in op: check the credentials, then read the session settings."""
    ws = lc.ws
    actor = ws.accounts.authenticate(username, password, code)
    preferences = ws.settings.preferences(actor)
    return SignedIn(
        actor, ws.settings.idle_timeout(), preferences.get("language"), preferences.get("theme")
    )


def unlock_and_authenticate(
    lc: LaneContext, ctx: UiContext, username: str, password: str, code: str | None
) -> SignedIn:
    """The sign-in op. In strict mode the password first unwraps the database key (a
    wrong one fails with the same message as any wrong password); a sign-in that fails
    after that drops the key again, so it is kept only while somebody is signed in."""
    try:
        strict = ctx.unlock_workspace(username, password)
    except AuthenticationFailed as exc:
        if exc.code == "workspace.strict_sign_in_failed":
            raise AuthenticationFailed("accounts.sign_in_failed") from None
        raise
    try:
        return authenticate(lc, username, password, code)
    except BaseException:
        if strict:
            ctx.release_workspace()
        raise


class LoginView(QWidget):
    """Emits ``signed_in`` after a successful sign-in (the context is already updated)."""

    signed_in = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._locked_user: str | None = None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = Card(440, "lockCard", self)
        self.card = card
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        self.heading = page_title("", card)
        layout.addWidget(self.heading)
        self.subtitle = PlainLabel(card)
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.subtitle)
        form = QFormLayout()
        self.username = QLineEdit(card)
        self.username.setObjectName("username")
        self.password = QLineEdit(card)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.code = QLineEdit(card)
        self.code.setObjectName("totpCode")
        self.code.setMaxLength(12)
        self.code.setPlaceholderText(self.tr("6-digit code or a backup code"))
        self.code_label = PlainLabel(self.tr("Authenticator code"), card)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.code_label, self.code)
        layout.addLayout(form)
        self.message = InlineMessage(card)
        layout.addWidget(self.message)
        self.submit = primary_button(self.tr("Sign in"), "signIn", card)
        self.submit.setDefault(True)
        layout.addWidget(self.submit)
        self.submit.clicked.connect(self._on_submit_clicked)
        for field in (self.username, self.password, self.code):
            field.returnPressed.connect(self._on_submit_clicked)
        self._show_code(False)
        self.reset()

    def _show_code(self, visible: bool) -> None:
        self.code.setVisible(visible)
        self.code_label.setVisible(visible)

    def reset(self, locked_user: str | None = None, *, idle: bool = False) -> None:
        """Show the screen fresh: no password, no code; for an unlock, the user's name
        and whether the idle timer or the user locked the window."""
        self._locked_user = locked_user
        self.password.clear()
        self.code.clear()
        self._show_code(False)
        self.message.clear_message()
        self.submit.setEnabled(True)
        if locked_user:
            self.heading.setText(self.tr("Kura is locked"))
            self.subtitle.setText(
                self.tr(
                    "The window locked itself after a while without activity. Sign in to go on."
                )
                if idle
                else self.tr("You locked the window. Sign in to go on.")
            )
            self.username.setText(locked_user)
            self.password.setFocus()
        else:
            self.heading.setText(self.tr("Sign in to Kura"))
            self.subtitle.setText(self.tr("Your workspace is encrypted on this computer."))
            self.username.setFocus()

    def _on_submit_clicked(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        code = self.code.text().strip() or None
        if not username or not password:
            self.message.show_error(self.tr("Enter your user name and password."))
            return
        self.submit.setEnabled(False)
        self.message.show_info(self.tr("Checking…"))
        ctx = self.ctx
        ctx.attach_if_needed()
        ctx.runner.run(
            Lane.DB,
            lambda lc: unlock_and_authenticate(lc, ctx, username, password, code),
            on_done=self._on_auth_done,
            on_failed=self._on_auth_failed,
            owner=self,
            key="auth",
        )

    def _on_auth_done(self, result: SignedIn) -> None:
        self.password.clear()
        self.code.clear()
        self.message.clear_message()
        self.submit.setEnabled(True)
        self.ctx.sign_in(result.actor, result.idle_timeout)
        if result.language:
            self.ctx.set_language(result.language)
        self.ctx.set_theme(result.theme or "system")
        self.signed_in.emit()

    def _on_auth_failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        if isinstance(exc, SecondFactorRequired):
            self._show_code(True)
            self.message.show_info(exc.message)
            self.code.setFocus()
            return
        self.password.clear()
        self.code.clear()
        self.message.show_error(exc)
        self.password.setFocus()
