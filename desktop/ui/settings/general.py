"""General: the user's language, and facts about this workspace."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from desktop.ui.context import UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.i18n import LANGUAGES
from desktop.ui.keyring_names import keyring_name
from desktop.ui.settings.common import (
    ElidedLabel,
    SettingsPage,
    form,
    group,
    hint,
    value_label,
)
from desktop.ui.tasks import Lane, LaneContext


@dataclass(frozen=True, slots=True)
class WorkspaceFacts:
    keyring_backend: str


class GeneralPage(SettingsPage):
    key = "general"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.message = InlineMessage(self)
        self._build_language()
        self._build_theme()
        self._build_workspace()
        self.body.addWidget(self.message)
        self.finish()

    def title(self) -> str:
        return self.tr("General")

    def _build_language(self) -> None:
        box, layout = group(self.tr("Language"), self)
        self.language = QComboBox(box)
        self.language.setObjectName("languageCombo")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(
            max(0, self.language.findData(self.ctx.translations.language))
        )
        self.language.currentIndexChanged.connect(self._on_language_changed)
        layout.addWidget(self.language)
        layout.addWidget(hint(self.tr("Kura remembers your choice for your account."), box))
        self.body.addWidget(box)

    def _build_theme(self) -> None:
        box, layout = group(self.tr("Theme"), self)
        self.theme = QComboBox(box)
        self.theme.setObjectName("themeCombo")
        names = {
            "system": self.tr("As the system"),
            "light": self.tr("Light"),
            "dark": self.tr("Dark"),
        }
        for code, name in names.items():
            self.theme.addItem(name, code)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.ctx.theme)))
        self.theme.currentIndexChanged.connect(self._on_theme_changed)
        layout.addWidget(self.theme)
        self.body.addWidget(box)

    def _on_theme_changed(self, index: int) -> None:
        code = str(self.theme.itemData(index))
        actor = self.actor()
        self.theme.setEnabled(False)
        self.run(
            Lane.DB,
            lambda lc: lc.ws.settings.set_preference(actor, "theme", code),
            key="theme",
            # the window rebuilds every screen, this one included, on theme_did_change
            on_done=lambda _changes: self.ctx.set_theme(code),
            on_failed=self._on_theme_failed,
        )

    def _on_theme_failed(self, exc: BaseException) -> None:
        self.theme.blockSignals(True)
        self.theme.setCurrentIndex(max(0, self.theme.findData(self.ctx.theme)))
        self.theme.blockSignals(False)
        self.theme.setEnabled(True)
        self.message.show_error(exc)

    def _build_workspace(self) -> None:
        box, layout = group(self.tr("Workspace"), self)
        rows = form(layout)
        self.folder = ElidedLabel("workspaceFolderLabel", box)
        self.folder.set_full_text(str(self.ctx.data_dir))
        self.keyring = value_label("keyringBackendLabel", box)
        rows.addRow(self.tr("Folder"), self.folder)
        rows.addRow(self.tr("Keyring"), self.keyring)
        self.body.addWidget(box)

    # ------------------------------------------------------------------ loading

    def activate(self) -> None:
        ctx = self.ctx

        def op(lc: LaneContext) -> WorkspaceFacts:
            return WorkspaceFacts(keyring_name(ctx.key_store().backend_name()))

        self.run(Lane.DB, op, key="facts", on_done=self._show, on_failed=self.message.show_error)

    def _show(self, facts: WorkspaceFacts) -> None:
        self.keyring.setText(facts.keyring_backend)

    # ------------------------------------------------------------------ language

    def _on_language_changed(self, index: int) -> None:
        code = str(self.language.itemData(index))
        if code == self.ctx.translations.language:
            return
        actor = self.actor()
        self.language.setEnabled(False)
        self.message.clear_message()
        self.run(
            Lane.DB,
            lambda lc: lc.ws.settings.set_preference(actor, "language", code),
            key="language",
            on_done=lambda _changes: self._on_language_saved(code),
            on_failed=self._on_language_failed,
        )

    def _on_language_saved(self, code: str) -> None:
        self.language.setEnabled(True)
        # The window rebuilds every screen on language_did_change, this one included:
        # nothing of this page may be used after this call.
        self.ctx.set_language(code)

    def _on_language_failed(self, exc: BaseException) -> None:
        self.language.blockSignals(True)
        self.language.setCurrentIndex(
            max(0, self.language.findData(self.ctx.translations.language))
        )
        self.language.blockSignals(False)
        self.language.setEnabled(True)
        self.message.show_error(exc)
