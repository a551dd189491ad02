"""Small building blocks the Knowledge and Studio screens share: a panel that runs its
own ops, a confirmation prompt, a checkable list and a member picker."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.models import User, UserStatus
from desktop.ui.members_dialogs import role_names
from desktop.ui.plain import message_box, plain_tip
from desktop.ui.view import View

ID_ROLE = Qt.ItemDataRole.UserRole


class Panel(View):
    """A part of a screen that runs its own ops; they are cancelled under the same key or
    when the panel is torn down (a :class:`~desktop.ui.view.View` without a title)."""


def soon(owner: QObject, slot: Callable[[], Any]) -> None:
    """Run ``slot`` from the event loop (dropped if ``owner`` is gone first): a
    completion callback never starts an op itself (STYLE.md §4)."""
    QTimer.singleShot(0, owner, slot)


def confirm(parent: QWidget, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be undone; ``action`` labels the Yes button."""
    box = message_box(
        parent, QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton
    )
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


class CheckList(QListWidget):
    """Checkable rows carrying an id each; ``changed`` fires on any tick."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.itemChanged.connect(lambda _item: self.changed.emit())

    def set_items(self, rows: Iterable[tuple[Any, str]], checked: Iterable[Any] = ()) -> None:
        chosen = set(checked)
        self.blockSignals(True)
        self.clear()
        for key, text in rows:
            item = QListWidgetItem(text, self)
            item.setData(ID_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked
            item.setCheckState(state)
        self.blockSignals(False)

    def set_checked(self, keys: Iterable[Any]) -> None:
        chosen = set(keys)
        self.blockSignals(True)
        for item in self._items():
            checked = item.data(ID_ROLE) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.blockSignals(False)
        self.changed.emit()

    def set_label(self, key: Any, text: str, tooltip: str = "") -> None:
        for item in self._items():
            if item.data(ID_ROLE) == key:
                item.setText(text)
                item.setToolTip(plain_tip(tooltip))

    def ids(self) -> list[Any]:
        return [item.data(ID_ROLE) for item in self._items()]

    def checked(self) -> list[Any]:
        return [
            item.data(ID_ROLE)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _items(self) -> list[QListWidgetItem]:
        return [self.item(i) for i in range(self.count())]


def member_choices(users: list[User] | None) -> list[tuple[str, str]] | None:
    """(username, label) for each active account; None when they could not be listed."""
    if users is None:
        return None
    return [
        (u.username, f"{u.display_name or u.username} ({role_names()[u.role]})")
        for u in users
        if u.status is UserStatus.ACTIVE
    ]


class MemberPicker(QWidget):
    """Who may see something shared with chosen members: a checklist of accounts when
    the signed-in user may list them, otherwise usernames typed, comma-separated."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = CheckList(self)
        self.list.setObjectName("memberList")
        self.list.setMaximumHeight(140)
        self.typed = QLineEdit(self)
        self.typed.setObjectName("memberNames")
        self.typed.setPlaceholderText(self.tr("Usernames, separated by commas"))
        layout.addWidget(self.list)
        layout.addWidget(self.typed)
        self.list.changed.connect(self.changed)
        self.typed.textEdited.connect(lambda _t: self.changed.emit())
        self._listing = False
        self._users: list[tuple[str, str]] = []
        self.set_users(None)

    def set_users(self, users: list[tuple[str, str]] | None, selected: Iterable[str] = ()) -> None:
        """``users``: (username, label) pairs, or None when accounts cannot be listed."""
        self._users = list(users or [])
        self._listing = users is not None
        self.list.setVisible(self._listing)
        self.typed.setVisible(not self._listing)
        self.set_selected(selected)

    def set_selected(self, names: Iterable[str]) -> None:
        chosen = list(names)
        if self._listing:
            known = {u for u, _ in self._users}
            extra = [(n, n) for n in chosen if n not in known]  # e.g. a disabled account
            self.list.set_items([*self._users, *extra], chosen)
        self.typed.setText(", ".join(chosen))

    def selected(self) -> tuple[str, ...]:
        if self._listing:
            return tuple(self.list.checked())
        return tuple(n.strip() for n in self.typed.text().split(",") if n.strip())
