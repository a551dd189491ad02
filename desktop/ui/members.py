"""The Members screen: every account with its role, status, one-time codes and sign-in
lock; add, change role, enable or disable, reset a password or one-time codes, unlock,
transfer ownership, and role changes waiting for the Owner's approval.

The buttons mirror ``AccountService``'s rules (nobody but the Owner acts on the Owner,
nobody changes their own role or status, only the Owner transfers ownership or decides
role requests); the services still enforce them, and a refusal shows inline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.core.models import Actor, Role, UserStatus
from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.members_dialogs import (
    AddMemberDialog,
    ChangeRoleDialog,
    ConfirmDialog,
    MemberDialog,
    ResetPasswordDialog,
    role_names,
)
from desktop.ui.members_model import (
    MemberListModel,
    MemberRow,
    MembersData,
    allowed_actions,
    load_members,
)
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.times import local_time
from desktop.ui.view import View
from desktop.ui.widgets import page_header, primary_button, row_table


class MembersView(View):
    """Members table, its toolbar, and the pending role changes below."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("membersView")
        self.model = MemberListModel(self)
        self.data_: MembersData = MembersData([], [])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_toolbar())
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        self.table = row_table(QTableView(self), "memberTable")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        layout.addWidget(self.table, 1)
        self.denied = PlainLabel(self.tr("Only the Owner and Admins can manage members."), self)
        self.denied.setObjectName("emptyState")
        self.denied.hide()
        layout.addWidget(self.denied)
        layout.addWidget(self._build_requests())
        self._update_actions()

    def title(self) -> str:
        return self.tr("Members")

    # ------------------------------------------------------------------ building

    def _build_header(self) -> QHBoxLayout:
        self.add_button = primary_button(self.tr("Add member"), "addMember", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        return page_header(self.tr("Members"), self, self.add_button)

    def _build_toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(6)
        specs = [
            ("role", "changeRole", self.tr("Change role…"), self._on_role_clicked),
            ("status", "toggleStatus", self.tr("Disable"), self._on_status_clicked),
            ("password", "resetPassword", self.tr("Reset password…"), self._on_password_clicked),
            ("totp", "resetTotp", self.tr("Reset one-time codes…"), self._on_totp_clicked),
            ("unlock", "unlockMember", self.tr("Unlock sign-in"), self._on_unlock_clicked),
            (
                "transfer",
                "transferOwnership",
                self.tr("Transfer ownership…"),
                self._on_transfer_clicked,
            ),
        ]
        self.actions_: dict[str, QPushButton] = {}
        for key, name, text, slot in specs:
            button = QPushButton(text, self)
            button.setObjectName(name)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.actions_[key] = button
        self.actions_["transfer"].setProperty("danger", True)
        row.addStretch(1)
        return row

    def _build_requests(self) -> QFrame:
        self.requests_box = QFrame(self)
        self.requests_box.setObjectName("pendingApprovals")
        self.requests_box.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(self.requests_box)
        heading = PlainLabel(self.tr("Role changes waiting for the Owner's approval"), self)
        heading.setStyleSheet("font-weight: 600;")
        column.addWidget(heading)
        self.requests = QTableWidget(0, 4, self.requests_box)
        self.requests.setObjectName("requestTable")
        self.requests.setHorizontalHeaderLabels(
            [self.tr("Member"), self.tr("Change"), self.tr("Asked by"), self.tr("Asked at")]
        )
        self.requests.verticalHeader().hide()
        self.requests.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.requests.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.requests.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.requests.setMaximumHeight(150)
        column.addWidget(self.requests)
        row = QHBoxLayout()
        row.addStretch(1)
        self.reject_button = QPushButton(self.tr("Reject"), self.requests_box)
        self.reject_button.setObjectName("rejectRole")
        self.reject_button.clicked.connect(lambda: self._decide(approve=False))
        self.approve_button = QPushButton(self.tr("Approve"), self.requests_box)
        self.approve_button.setObjectName("approveRole")
        self.approve_button.clicked.connect(lambda: self._decide(approve=True))
        row.addWidget(self.reject_button)
        row.addWidget(self.approve_button)
        column.addLayout(row)
        self.requests_box.hide()
        return self.requests_box

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        allowed = self.ctx.can(Permission.MANAGE_MEMBERS)
        for widget in (self.table, self.add_button, *self.actions_.values()):
            widget.setVisible(allowed)
        self.denied.setVisible(not allowed)
        if allowed:
            self.reload()

    def reload(self) -> None:
        try:
            actor = self.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.run(
            Lane.DB,
            lambda lc: load_members(lc, actor),
            key="load",
            on_done=self._on_members_loaded,
            on_failed=self.message.show_error,
        )

    def _on_members_loaded(self, data: MembersData) -> None:
        selected = self.selected()
        self.data_ = data
        self.model.set_rows(data.rows)
        if selected is not None:
            self.select(selected.username)
        self.requests.setRowCount(len(data.requests))
        names = {r.value: n for r, n in role_names().items()}
        for n, request in enumerate(data.requests):
            change = f"{names[request['from']]} → {names[request['to']]}"
            at = local_time(request["requested_at"])
            for col, text in enumerate((request["user"], change, request["requested_by"], at)):
                self.requests.setItem(n, col, QTableWidgetItem(text))
        if data.requests:
            self.requests.selectRow(0)
        self.requests_box.setVisible(bool(data.requests))
        deciding = self.ctx.can(Permission.MANAGE_SECURITY)
        self.approve_button.setVisible(deciding)
        self.reject_button.setVisible(deciding)
        self._update_actions()

    # ------------------------------------------------------------------ selection

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, username: str) -> None:
        for n, row in enumerate(self.model.rows):
            if row.username == username:
                self.table.selectRow(n)
                return

    def _on_table_selection_changed(self, *_args: object) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        row = self.selected()
        actor = self.ctx.peek_actor()
        allowed = allowed_actions(actor, row) if actor and row else set()
        for key, button in self.actions_.items():
            button.setEnabled(key in allowed)
        is_owner = actor is not None and actor.role is Role.OWNER
        self.actions_["transfer"].setVisible(is_owner and self.table.isVisibleTo(self))
        disabled = row is not None and row.status is UserStatus.DISABLED
        self.actions_["status"].setText(self.tr("Enable") if disabled else self.tr("Disable"))

    # ------------------------------------------------------------------ actions

    def _open(self, dialog: MemberDialog) -> MemberDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.did_finish.connect(self._on_dialog_finished)
        dialog.open()
        return dialog

    def _on_dialog_finished(self, text: str) -> None:
        self.message.show_info(text)
        QTimer.singleShot(0, self, self.reload)  # not from inside the op's callback

    def _on_add_clicked(self) -> None:
        self._open(AddMemberDialog(self.ctx, self))

    def _on_role_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self._open(ChangeRoleDialog(self.ctx, row.username, row.role, self))

    def _on_password_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self._open(ResetPasswordDialog(self.ctx, row.username, self))

    def _on_totp_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        name = row.username
        question = self.tr(
            "Remove {name}'s one-time codes and recovery codes? They sign in with the "
            "password alone until they enroll again (for a lost phone)."
        ).format(name=name)
        done = self.tr("One-time codes of {name} removed.").format(name=name)
        self._confirm(
            self.tr("Reset one-time codes"),
            question,
            self.tr("Reset"),
            lambda a: (lambda lc: lc.ws.totp.reset(a, name), done),
        )

    def _on_transfer_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        name = row.username
        question = self.tr(
            "Make {name} the Owner? You become an Admin, and only {name} can hand "
            "ownership on again. Type the user name to confirm."
        ).format(name=name)
        done = self.tr("{name} is now the Owner; you are an Admin.").format(name=name)
        self._confirm(
            self.tr("Transfer ownership"),
            question,
            self.tr("Transfer"),
            lambda a: (lambda lc: lc.ws.accounts.transfer_ownership(a, name), done),
            type_to_confirm=name,
        )

    def _confirm(
        self,
        title: str,
        question: str,
        button: str,
        op: Callable[[Actor], Any],
        type_to_confirm: str | None = None,
    ) -> None:
        dialog = ConfirmDialog(self.ctx, title, question, button, op, type_to_confirm, self)
        if type_to_confirm is not None:
            dialog.did_finish.connect(self._on_ownership_transferred)
        self._open(dialog)

    def _on_ownership_transferred(self, _text: str) -> None:
        """The service made this user an Admin: the session follows, so the screen stops
        offering what only the Owner may do."""
        session = self.ctx.session
        actor = self.ctx.peek_actor()
        if session is not None and actor is not None:
            self.ctx.sign_in(replace(actor, role=Role.ADMIN), session.idle_timeout)

    def _on_status_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        status = UserStatus.ACTIVE if row.status is UserStatus.DISABLED else UserStatus.DISABLED
        name = row.username
        text = (
            self.tr("{name} is enabled.")
            if status is UserStatus.ACTIVE
            else self.tr("{name} is disabled.")
        ).format(name=name)
        self._mutate(lambda a: lambda lc: lc.ws.accounts.set_status(a, name, status), text)

    def _on_unlock_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            name = row.username
            text = self.tr("Sign-in for {name} unlocked.").format(name=name)
            self._mutate(lambda a: lambda lc: lc.ws.accounts.unlock(a, name), text)

    def _decide(self, *, approve: bool) -> None:
        rows = self.requests.selectionModel().selectedRows()
        if not rows:
            return
        name = self.data_.requests[rows[0].row()]["user"]
        text = (
            self.tr("Role change of {name} approved.")
            if approve
            else self.tr("Role change of {name} rejected.")
        ).format(name=name)
        self._mutate(
            lambda a: lambda lc: lc.ws.accounts.decide_role(a, name, approve=approve), text
        )

    def _mutate(self, build: Callable[[Actor], Callable[[LaneContext], Any]], text: str) -> None:
        """Run one change on the db lane; success shows ``text`` and reloads."""
        try:
            op = build(self.actor())
        except AppError as exc:
            self.message.show_error(exc)
            return
        self.message.clear_message()
        self.run(
            Lane.DB,
            op,
            key="mutate",
            on_done=lambda _r: self._on_dialog_finished(text),
            on_failed=self.message.show_error,
        )
