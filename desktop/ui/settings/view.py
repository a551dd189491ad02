"""The Settings screen: a list of sections on the left, the chosen page on the right.

Pages the signed-in role may not use are not built at all (a role does not change while
a session lasts; signing in as someone else rebuilds the screens)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QListWidget, QStackedWidget, QWidget

from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.settings.about import AboutPage
from desktop.ui.settings.backups import BackupsPage
from desktop.ui.settings.common import SettingsPage
from desktop.ui.settings.general import GeneralPage
from desktop.ui.settings.models import ModelsPage
from desktop.ui.settings.personal_data import PersonalDataPage
from desktop.ui.settings.retention import RetentionPage
from desktop.ui.settings.security import SecurityPage
from desktop.ui.view import View

PAGES: tuple[tuple[type[SettingsPage], Permission | None], ...] = (
    (GeneralPage, None),
    (ModelsPage, Permission.MANAGE_MODELS),
    (RetentionPage, Permission.MANAGE_SECURITY),
    (BackupsPage, Permission.MANAGE_BACKUPS),
    (SecurityPage, None),
    (PersonalDataPage, None),
    (AboutPage, None),
)


class SettingsView(View):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("settingsView")
        self.sections = QListWidget(self)
        self.sections.setObjectName("settingsSections")
        self.sections.setFixedWidth(180)
        self.sections.setFrameShape(QFrame.Shape.NoFrame)
        self.sections.setSpacing(2)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("settingsStack")
        self.pages: list[SettingsPage] = []
        for page_type, permission in PAGES:
            if permission is not None and not ctx.can(permission):
                continue
            page = page_type(ctx, self.stack)
            self.pages.append(page)
            self.stack.addWidget(page)
            self.sections.addItem(page.title())
        self.sections.currentRowChanged.connect(self._on_sections_row_changed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 16, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sections)
        layout.addWidget(self.stack, 1)

    def title(self) -> str:
        return self.tr("Settings")

    def section_keys(self) -> list[str]:
        return [page.key for page in self.pages]

    def page(self, key: str) -> SettingsPage | None:
        return next((p for p in self.pages if p.key == key), None)

    def show_section(self, key: str) -> SettingsPage:
        """Switch to a section (and load it); KeyError when this role has no such page."""
        page = self.page(key)
        if page is None:
            raise KeyError(key)
        if self.sections.currentRow() == self.pages.index(page):
            page.activate()
        else:
            self.sections.setCurrentRow(self.pages.index(page))
        return page

    def activate(self) -> None:
        if self.sections.currentRow() < 0:
            self.sections.setCurrentRow(0)  # activates through the row change
            return
        current = self.stack.currentWidget()
        if isinstance(current, SettingsPage):
            current.activate()

    def _on_sections_row_changed(self, row: int) -> None:
        if not 0 <= row < len(self.pages):
            return
        self.stack.setCurrentIndex(row)
        self.ctx.touch()
        self.pages[row].activate()

    def teardown(self) -> None:
        for page in self.pages:
            page.teardown()
        super().teardown()
