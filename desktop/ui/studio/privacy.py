"""The app's two personal-data policies, each the workspace default, on or off
(``AppConfig.minimise_logs`` / ``AppConfig.pseudonymise``; None follows the workspace)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QWidget

from desktop.core.privacy import Defaults
from desktop.ui.plain import PlainLabel

FOLLOW, ON, OFF = "default", "on", "off"


def _choice(value: bool | None) -> str:
    return FOLLOW if value is None else (ON if value else OFF)


class PrivacyPolicies(QGroupBox):
    """Two three-way choices; the default's item names what the workspace has now."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Personal data"), parent)
        self.setObjectName("appPrivacy")
        self._defaults = Defaults()
        form = QFormLayout(self)
        self.minimise_logs = self._combo("appMinimiseLogs")
        self.minimise_logs.setToolTip(
            self.tr(
                "Logs, traces and feedback keep placeholders instead of personal data; "
                "the user's own conversation still shows what they typed."
            )
        )
        self.pseudonymise = self._combo("appPseudonymise")
        self.pseudonymise.setToolTip(
            self.tr(
                "Personal data in the message, the history and the retrieved passages "
                "reaches the model as placeholders; the answer shows the values again."
            )
        )
        form.addRow(self.tr("Minimise logs"), self.minimise_logs)
        form.addRow(self.tr("Pseudonymise before the model"), self.pseudonymise)
        note = PlainLabel(
            self.tr("The workspace default is set by the Owner in Settings › Personal data."),
            self,
        )
        note.setObjectName("hint")
        note.setWordWrap(True)
        form.addRow("", note)
        self._label_defaults()

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        for value in (FOLLOW, ON, OFF):
            combo.addItem("", value)
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        return combo

    def set_defaults(self, defaults: Defaults) -> None:
        """Name the workspace's current default in each ``default`` item."""
        self._defaults = defaults
        self._label_defaults()

    def _label_defaults(self) -> None:
        for combo, on in (
            (self.minimise_logs, self._defaults.minimise_logs),
            (self.pseudonymise, self._defaults.pseudonymise),
        ):
            state = self.tr("on") if on else self.tr("off")
            combo.setItemText(0, self.tr("Workspace default ({state})").format(state=state))
            combo.setItemText(1, self.tr("On"))
            combo.setItemText(2, self.tr("Off"))

    def load(self, minimise_logs: bool | None, pseudonymise: bool | None) -> None:
        self.blockSignals(True)
        self.minimise_logs.setCurrentIndex(self.minimise_logs.findData(_choice(minimise_logs)))
        self.pseudonymise.setCurrentIndex(self.pseudonymise.findData(_choice(pseudonymise)))
        self.blockSignals(False)

    @staticmethod
    def _value(combo: QComboBox) -> bool | None:
        data = combo.currentData()
        return None if data == FOLLOW else data == ON

    def values(self) -> dict[str, bool | None]:
        return {
            "minimise_logs": self._value(self.minimise_logs),
            "pseudonymise": self._value(self.pseudonymise),
        }

    def set_read_only(self, read_only: bool) -> None:
        self.minimise_logs.setEnabled(not read_only)
        self.pseudonymise.setEnabled(not read_only)
