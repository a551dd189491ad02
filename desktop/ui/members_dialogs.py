"""The Members screen's dialogs: add a member, change a role, set a password, and a
confirmation that can ask for the user name to be typed. Each runs its own service call
on the ``db`` lane, shows input problems inline and emits ``did_finish(text)`` once the
change is stored. Passwords never echo and never leave the op that uses them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.core.models import Actor, Role
from desktop.ui.context import UiContext
from desktop.ui.errors import FormProblem, InlineMessage, describe
from desktop.ui.password_field import PasswordFields
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button

ASSIGNABLE = (Role.ADMIN, Role.EDITOR, Role.MEMBER)


def role_names() -> dict[Role, str]:
    """Each role's name as people read it (translated)."""
    return {
        Role.OWNER: QCoreApplication.translate("MembersView", "Owner"),
        Role.ADMIN: QCoreApplication.translate("MembersView", "Admin"),
        Role.EDITOR: QCoreApplication.translate("MembersView", "Editor"),
        Role.MEMBER: QCoreApplication.translate("MembersView", "Member"),
    }


class MemberDialog(QDialog):
    """A form over an inline message and a primary button; ``submit`` runs one op."""

    did_finish = Signal(str)

    def __init__(
        self, ctx: UiContext, title: str, button: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.finished.connect(self._on_finished)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(20, 18, 20, 18)
        self.column.setSpacing(12)
        self.form = QFormLayout()
        self.column.addLayout(self.form)
        self.message = InlineMessage(self)
        row = QHBoxLayout()
        row.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.setObjectName("cancelButton")
        cancel.clicked.connect(self.reject)
        self.submit_button = primary_button(button, "submitButton", self)
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._on_submit_clicked)
        row.addWidget(cancel)
        row.addWidget(self.submit_button)
        self.buttons_row = row

    def finish_layout(self) -> None:
        self.column.addWidget(self.message)
        self.column.addLayout(self.buttons_row)

    def build_op(self, actor: Actor) -> tuple[Callable[[LaneContext], Any], str]:
        """(the op, the text to report when it succeeds); FormProblem for bad input."""
        raise NotImplementedError

    def _on_submit_clicked(self) -> None:
        try:
            actor = self.ctx.actor()
            op, text = self.build_op(actor)
        except (AppError, FormProblem) as exc:
            self.message.show_error(exc)
            return
        self.message.clear_message()
        self.submit_button.setEnabled(False)
        self.ctx.runner.run(
            Lane.DB,
            op,
            owner=self,
            key="submit",
            on_done=lambda result: self._on_op_done(text, result),
            on_failed=self._on_op_failed,
        )

    def _on_op_done(self, text: str, _result: object) -> None:
        self.did_finish.emit(text)
        self.accept()

    def _on_op_failed(self, exc: BaseException) -> None:
        self.submit_button.setEnabled(True)
        shown = [f.verdict for f in self.findChildren(PasswordFields)]
        if describe(exc) in shown:  # the strength line already says it: not twice
            self.message.clear_message()
            return
        self.message.show_error(exc)

    def _on_finished(self, _result: int) -> None:
        self.ctx.runner.cancel_owner(self)
        for fields in self.findChildren(PasswordFields):
            fields.teardown()


class AddMemberDialog(MemberDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Add a member"), self.tr("Add member"), parent)
        self.setObjectName("addMemberDialog")
        self.username = QLineEdit(self)
        self.username.setObjectName("memberUsername")
        self.username.setPlaceholderText(self.tr("e.g. mika (used to sign in)"))
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("memberDisplayName")
        self.display_name.setPlaceholderText(self.tr("e.g. Mika Tanaka (optional)"))
        self.role = QComboBox(self)
        self.role.setObjectName("memberRole")
        names = role_names()
        for role in ASSIGNABLE:
            self.role.addItem(names[role], role.value)
        self.role.setCurrentIndex(self.role.findData(Role.MEMBER.value))
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Display name"), self.display_name)
        self.form.addRow(self.tr("Role"), self.role)
        self.passwords = PasswordFields(ctx, self)
        self.passwords.user_inputs = lambda: [self.username.text(), self.display_name.text()]
        self.passwords.add_rows(self.form)
        self.finish_layout()

    def build_op(self, actor: Actor) -> tuple[Callable[[LaneContext], Any], str]:
        name = self.username.text().strip()
        if not name:
            raise FormProblem(self.tr("Type a user name."))
        display = self.display_name.text().strip() or None
        role = Role(self.role.currentData())
        password = self.passwords.value()
        text = self.tr("Added {name}.").format(name=name)
        return lambda lc: lc.ws.accounts.add_user(actor, name, role, password, display), text


class ChangeRoleDialog(MemberDialog):
    """Reports whether the change took effect or waits for the Owner's approval."""

    def __init__(
        self, ctx: UiContext, username: str, current: Role, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("Change role"), self.tr("Change role"), parent)
        self.setObjectName("changeRoleDialog")
        self.target = username
        self.role = QComboBox(self)
        self.role.setObjectName("newRole")
        names = role_names()
        for role in ASSIGNABLE:
            self.role.addItem(names[role], role.value)
        self.role.setCurrentIndex(max(self.role.findData(current.value), 0))
        self.form.addRow(self.tr("Member"), PlainLabel(username, self))
        self.form.addRow(self.tr("New role"), self.role)
        note = PlainLabel(
            self.tr(
                "When the workspace requires approval, a role an Admin raises waits for the Owner."
            ),
            self,
        )
        note.setWordWrap(True)
        self.column.addWidget(note)
        self.finish_layout()

    def build_op(self, actor: Actor) -> tuple[Callable[[LaneContext], Any], str]:
        name, role = self.target, Role(self.role.currentData())

        def op(lc: LaneContext) -> bool:
            lc.ws.accounts.set_role(actor, name, role)
            return any(r["user"] == name for r in lc.ws.accounts.role_requests(actor))

        return op, name

    def _on_op_done(self, text: str, result: object) -> None:
        role = role_names()[Role(self.role.currentData())]
        message = (
            self.tr("{name}: {role} requested; it takes effect when the Owner approves.")
            if result
            else self.tr("{name} is now {role}.")
        )
        super()._on_op_done(message.format(name=text, role=role), result)


class ResetPasswordDialog(MemberDialog):
    def __init__(self, ctx: UiContext, username: str, parent: QWidget | None = None) -> None:
        title = self.tr("New password for {name}").format(name=username)
        super().__init__(ctx, title, self.tr("Set password"), parent)
        self.setObjectName("resetPasswordDialog")
        self.target = username
        self.passwords = PasswordFields(ctx, self)
        self.passwords.user_inputs = lambda: [username]
        self.passwords.add_rows(self.form)
        self.finish_layout()

    def build_op(self, actor: Actor) -> tuple[Callable[[LaneContext], Any], str]:
        name, password = self.target, self.passwords.value()
        text = self.tr("Password of {name} reset.").format(name=name)
        return lambda lc: lc.ws.accounts.reset_password(actor, name, password), text


class ConfirmDialog(MemberDialog):
    """A question with a (danger) button; with ``type_to_confirm`` the button waits
    until that exact text is typed."""

    def __init__(
        self,
        ctx: UiContext,
        title: str,
        question: str,
        button: str,
        op: Callable[[Actor], tuple[Callable[[LaneContext], Any], str]],
        type_to_confirm: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, title, button, parent)
        self.setObjectName("confirmDialog")
        self._op = op
        self._expected = type_to_confirm
        label = PlainLabel(question, self)
        label.setWordWrap(True)
        self.column.insertWidget(0, label)
        self.submit_button.setProperty("danger", True)
        self.confirm_text = QLineEdit(self)
        self.confirm_text.setObjectName("confirmText")
        if type_to_confirm is not None:
            self.confirm_text.setPlaceholderText(type_to_confirm)
            self.form.addRow(self.tr("Type the user name"), self.confirm_text)
            self.confirm_text.textChanged.connect(self._on_confirm_text_changed)
            self.submit_button.setEnabled(False)
        else:
            self.confirm_text.hide()
        self.finish_layout()

    def _on_confirm_text_changed(self, text: str) -> None:
        self.submit_button.setEnabled(text.strip() == self._expected)

    def build_op(self, actor: Actor) -> tuple[Callable[[LaneContext], Any], str]:
        if self._expected is not None and self.confirm_text.text().strip() != self._expected:
            raise FormProblem(self.tr("Type the user name exactly to confirm."))
        return self._op(actor)
