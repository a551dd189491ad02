"""A knowledge base's personal-data settings: redact at ingestion, and whether the
original file is kept then (``KbSettings.redact_pii`` / ``KbSettings.keep_original``)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from desktop.core.knowledge_models import KbSettings
from desktop.ui.plain import PlainLabel


class RedactionChoices(QWidget):
    """Two boxes and a note; keeping the original only means something while redacting."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.redact = QCheckBox(self.tr("Redact personal data at ingestion"), self)
        self.redact.setObjectName("kbRedactPii")
        self.keep_original = QCheckBox(self.tr("Keep the original file"), self)
        self.keep_original.setObjectName("kbKeepOriginal")
        self.keep_original.setToolTip(
            self.tr(
                "Without it only the masked text is stored: the document cannot be "
                "downloaded in its original form."
            )
        )
        self.note = PlainLabel(
            self.tr(
                "Names, phone numbers, My Numbers and other personal data are replaced by "
                "placeholders before the text is chunked, embedded and indexed. It applies "
                "to documents and new versions added from now on: documents already here "
                "keep their text as it is (add them again to mask them)."
            ),
            self,
        )
        self.note.setObjectName("kbRedactNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.redact)
        layout.addWidget(self.keep_original)
        layout.addWidget(self.note)
        self.redact.toggled.connect(self._on_toggled)
        self.keep_original.toggled.connect(self._on_toggled)
        self._can = True

    def load(self, settings: KbSettings) -> None:
        self.blockSignals(True)
        self.redact.setChecked(settings.redact_pii)
        self.keep_original.setChecked(settings.keep_original)
        self.blockSignals(False)
        self._enable()

    def values(self) -> dict[str, bool]:
        redact = self.redact.isChecked()
        return {"redact_pii": redact, "keep_original": redact and self.keep_original.isChecked()}

    def set_can_manage(self, can: bool) -> None:
        self._can = can
        self._enable()

    def _enable(self) -> None:
        self.redact.setEnabled(self._can)
        self.keep_original.setEnabled(self._can and self.redact.isChecked())

    def _on_toggled(self, _checked: bool) -> None:
        self._enable()
        if not self.signalsBlocked():
            self.changed.emit()
