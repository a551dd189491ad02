"""Disclose one value of a pseudonymised bundle (``kura logs prove`` in the Logs screen):
the Owner chooses the bundle file this workspace exported, the value's type and the
value an auditor was given; the result line says which pseudonym it is, in how many
events, and the opening the auditor checks it with (``verify_bundle.py --check-value``).
The service refuses a bundle that does not verify, one this workspace did not export
pseudonymised, and a value that is none of its pseudonyms; it audits the disclosure
(with the commitment, never the value)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.core.errors import AppError
from desktop.core.models import Actor
from desktop.core.pii import PiiType
from desktop.ui import file_dialogs
from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.pii_words import PiiWords
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import primary_button


def prove_value(
    lc: LaneContext, actor: Actor, path: Path, pii_type: PiiType, value: str
) -> dict[str, Any]:
    """The prove op: read the bundle, ask the service for the value's opening."""
    return lc.ws.logs.prove(actor, path.read_bytes(), pii_type, value)


class ProveDialog(QDialog):
    """Bundle file, type and value, then one result line and the auditor's command."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.proof: dict[str, Any] | None = None
        self.words = PiiWords(self)
        self.setObjectName("proveDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(self.tr("Disclose a value of a pseudonymised bundle"))
        self.resize(620, 420)
        self.finished.connect(self._on_finished)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 18)
        layout.setSpacing(12)
        intro = PlainLabel(
            self.tr(
                "An auditor who was given one original value (a name, a phone number…) "
                "can check it against a pseudonymised bundle with the opening shown here. "
                "Only that value is disclosed; the disclosure is recorded in the audit log."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(intro)
        layout.addLayout(self._build_form())
        self.message = InlineMessage(self)
        layout.addWidget(self.message)
        self.result_line = PlainLabel(self)
        self.result_line.setObjectName("proveResult")
        self.result_line.setWordWrap(True)
        self.result_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result_line)
        self.command = PlainLabel(self)
        self.command.setObjectName("proveCommand")
        self.command.setWordWrap(True)
        self.command.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.command.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.command)
        layout.addStretch(1)
        layout.addLayout(self._build_buttons())

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        row = QHBoxLayout()
        self.bundle = QLineEdit(self)
        self.bundle.setObjectName("proveBundle")
        self.bundle.setPlaceholderText(self.tr("The .zip exported with Pseudonymise ticked"))
        choose = QPushButton(self.tr("Choose…"), self)
        choose.setObjectName("chooseBundle")
        choose.clicked.connect(self._on_choose_clicked)
        row.addWidget(self.bundle, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Bundle"), row)
        self.pii_type = QComboBox(self)
        self.pii_type.setObjectName("proveType")
        for kind, (name, _) in self.words.names().items():
            if kind is not PiiType.CUSTOM:  # bundles hold what the detector finds, no terms
                self.pii_type.addItem(name, kind.value)
        form.addRow(self.tr("Type"), self.pii_type)
        self.value = QLineEdit(self)
        self.value.setObjectName("proveValue")
        self.value.setPlaceholderText(self.tr("The original value, as it was written"))
        form.addRow(self.tr("Value"), self.value)
        return form

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeProve")
        self.close_button.clicked.connect(self.reject)
        self.prove_button = primary_button(self.tr("Disclose"), "startProve", self)
        self.prove_button.clicked.connect(self._on_prove_clicked)
        row.addWidget(self.close_button)
        row.addWidget(self.prove_button)
        return row

    # ------------------------------------------------------------------ ops

    def _on_choose_clicked(self) -> None:
        path = file_dialogs.open_file(
            self, self.tr("The pseudonymised bundle"), self.bundle.text(), "*.zip"
        )
        if path:
            self.bundle.setText(path)

    def _on_prove_clicked(self) -> None:
        text, value = self.bundle.text().strip(), self.value.text()
        path = Path(text).expanduser()
        if not text or not path.is_file():
            self.message.show_error(
                self.tr(
                    "No bundle file at “{path}”: choose the .zip the workspace exported."
                ).format(path=text)
            )
            return
        if not value.strip():
            self.message.show_error(self.tr("Type the value the auditor was given first."))
            return
        try:
            actor = self.ctx.actor()
        except AppError as exc:
            self.message.show_error(exc)
            return
        pii_type = PiiType(self.pii_type.currentData())
        self.message.clear_message()
        self.result_line.clear()
        self.command.clear()
        self.prove_button.setEnabled(False)
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: prove_value(lc, actor, path, pii_type, value),
            owner=self,
            key="prove",
            on_done=self._on_prove_done,
            on_failed=self._on_prove_failed,
        )

    def _on_prove_failed(self, exc: BaseException) -> None:
        self.prove_button.setEnabled(True)
        self.message.show_error(exc)

    def _on_prove_done(self, proof: dict[str, Any]) -> None:
        self.proof = proof
        self.prove_button.setEnabled(True)
        self.result_line.setText(
            self.tr(
                "This {type} is {placeholder} in {events} event(s) of the bundle. "
                "Opening: {opening}"
            ).format(
                type=self.words.type_name(str(proof["type"])),
                placeholder=proof["placeholder"],
                events=proof["events"],
                opening=proof["opening"],
            )
        )
        self.command.setText(
            self.tr("The auditor checks it with:")
            + f"\npython3 verify_bundle.py --check-value {proof['type']} VALUE "
            f"{proof['opening']}"
        )

    def _on_finished(self, _result: int) -> None:
        self.ctx.runner.cancel_owner(self)
