"""The Members screen's data: one row per account (with its one-time codes and sign-in
lock), the loading op, the item model, and which actions the service rules allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt

from desktop.core.models import Actor, Role, UserStatus
from desktop.ui.members_dialogs import role_names
from desktop.ui.tasks import LaneContext
from desktop.ui.times import local_time
from desktop.ui.widgets import Index, RowTableModel


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: int
    username: str
    display_name: str
    role: Role
    status: UserStatus
    totp: bool
    failures: int
    locked_until: str | None


@dataclass(frozen=True, slots=True)
class MembersData:
    rows: list[MemberRow]
    requests: list[dict[str, str]]


def load_members(lc: LaneContext, actor: Actor) -> MembersData:
    accounts = lc.ws.accounts
    states = accounts.sign_in_states(actor)
    rows = []
    for user in accounts.list_users(actor):
        state = states.get(user.id, {})
        locked = state.get("locked_until")
        failures = state.get("failures")
        rows.append(
            MemberRow(
                user.id,
                user.username,
                user.display_name,
                user.role,
                user.status,
                bool(state.get("totp")),
                failures if isinstance(failures, int) else 0,
                str(locked) if locked else None,
            )
        )
    return MembersData(rows, accounts.role_requests(actor))


def allowed_actions(actor: Actor, row: MemberRow) -> set[str]:
    """What ``actor`` may do to ``row``, as ``AccountService`` and ``TotpService`` rule."""
    me = row.user_id == actor.user_id
    owner = row.role is Role.OWNER
    actions = set()
    if not me and not owner:
        actions |= {"role", "status", "password"}
    if me:
        actions.add("password")
    if row.totp and (me or not owner):
        actions.add("totp")
    if row.failures or row.locked_until:
        actions.add("unlock")
    if actor.role is Role.OWNER and not me and row.status is UserStatus.ACTIVE:
        actions.add("transfer")
    return actions


class MemberListModel(RowTableModel):
    COLUMNS = ("username", "display_name", "role", "status", "totp", "sign_in")
    rows: list[MemberRow]

    def titles(self) -> tuple[str, ...]:
        return (
            self.tr("User name"),
            self.tr("Display name"),
            self.tr("Role"),
            self.tr("Status"),
            self.tr("One-time codes"),
            self.tr("Sign-in"),
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        if column == "role":
            return role_names()[row.role]
        if column == "status":
            return self.tr("Active") if row.status is UserStatus.ACTIVE else self.tr("Disabled")
        if column == "totp":
            return self.tr("On") if row.totp else self.tr("Off")
        if column == "sign_in":
            return self._sign_in(row)
        return getattr(row, column)

    def _sign_in(self, row: MemberRow) -> str:
        if row.locked_until:
            until = local_time(row.locked_until)
            return self.tr("Locked until {until}").format(until=until)
        if row.failures:
            return self.tr("{n} failed attempts").format(n=row.failures)
        return self.tr("OK")
