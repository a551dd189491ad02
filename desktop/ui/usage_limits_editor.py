"""Usage > Set limits… (Owner): set or clear one usage limit of a user, app or model,
through the same ``LimitService`` as ``kura limits set`` / ``kura limits clear``.

The dialog only collects the choice; the Usage screen runs the change on the ``db``
lane, reloads its limits card and reports the outcome in the dialog's message line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.core.limits import ALLOWED, LimitKind, LimitScope
from desktop.ui.errors import InlineMessage
from desktop.ui.widgets import primary_button

MAX_VALUE = 2_000_000_000  # QSpinBox is 32-bit; far above any daily or monthly budget


@dataclass(frozen=True)
class LimitChoice:
    """One limit of one user, app or model; ``value`` None: clear it."""

    scope: LimitScope
    name: str
    kind: LimitKind
    value: int | None


class LimitsEditor(QDialog):
    """``submit`` receives each Set or Clear the Owner asks for."""

    def __init__(self, submit: Callable[[LimitChoice], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("limitsEditor")
        self.setWindowTitle(self.tr("Usage limits"))
        self._submit = submit
        layout = QVBoxLayout(self)
        fields = QFormLayout()
        self.scope = QComboBox(self)
        self.scope.setObjectName("limitScopeCombo")
        self.scope.addItem(self.tr("User"), LimitScope.USER.value)
        self.scope.addItem(self.tr("App"), LimitScope.APP.value)
        self.scope.addItem(self.tr("Model"), LimitScope.MODEL.value)
        self.scope.currentIndexChanged.connect(self._on_scope_changed)
        self.name = QLineEdit(self)
        self.name.setObjectName("limitNameEdit")
        self.name.setPlaceholderText(self.tr("the user's, app's or model's name"))
        self.kind = QComboBox(self)
        self.kind.setObjectName("limitKindCombo")
        self.value = QSpinBox(self)
        self.value.setObjectName("limitValueSpin")
        self.value.setRange(0, MAX_VALUE)
        self.value.setGroupSeparatorShown(True)
        self.value.setToolTip(self.tr("0 refuses every question"))
        fields.addRow(self.tr("For"), self.scope)
        fields.addRow(self.tr("Name"), self.name)
        fields.addRow(self.tr("Limit"), self.kind)
        fields.addRow(self.tr("Allowed"), self.value)
        layout.addLayout(fields)
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.set_button = primary_button(self.tr("Set"), "limitSetButton", self)
        self.set_button.clicked.connect(lambda: self._send(clear=False))
        self.clear_button = QPushButton(self.tr("Clear this limit"), self)
        self.clear_button.setObjectName("limitClearButton")
        self.clear_button.clicked.connect(lambda: self._send(clear=True))
        close = QPushButton(self.tr("Close"), self)
        close.setObjectName("limitCloseButton")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.set_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._on_scope_changed()

    def kind_text(self, kind: LimitKind) -> str:
        return {
            LimitKind.TOKENS_PER_DAY: self.tr("Tokens per day"),
            LimitKind.TOKENS_PER_MONTH: self.tr("Tokens per month"),
            LimitKind.REQUESTS_PER_MINUTE: self.tr("Requests per minute"),
            LimitKind.CONCURRENT: self.tr("Answers at once"),
        }[kind]

    def _on_scope_changed(self) -> None:
        """Only the limits the chosen scope takes (a model's: answers at once)."""
        allowed = ALLOWED[LimitScope(self.scope.currentData())]
        self.kind.clear()
        for kind in LimitKind:
            if kind in allowed:
                self.kind.addItem(self.kind_text(kind), kind.value)

    def choice(self, *, clear: bool) -> LimitChoice:
        return LimitChoice(
            scope=LimitScope(self.scope.currentData()),
            name=self.name.text().strip(),
            kind=LimitKind(self.kind.currentData()),
            value=None if clear else self.value.value(),
        )

    def _send(self, *, clear: bool) -> None:
        self.message.clear_message()
        self.set_busy(True)
        self._submit(self.choice(clear=clear))

    def set_busy(self, busy: bool) -> None:
        self.set_button.setEnabled(not busy)
        self.clear_button.setEnabled(not busy)
