"""The main window: first run or sign-in, then the workspace shell.

The shell is a sidebar of screens the signed-in role may use and a stack that builds each
screen the first time it is opened (a fast first paint). Locking hides the shell behind
the sign-in screen; closing cancels running work, waits for it and closes the database
on its lanes.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.rbac import Permission
from desktop.ui.context import UiContext
from desktop.ui.first_run import FirstRunWizard
from desktop.ui.login import LoginView
from desktop.ui.members_dialogs import role_names
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext, Task
from desktop.ui.view import View

CLOSE_TIMEOUT_S = 30.0
WARM_UP_DELAY_MS = 400
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Screen:
    key: str
    module: str
    cls: str
    permission: Permission | None


SCREENS = (
    Screen("chat", "desktop.ui.chat.view", "ChatView", Permission.USE_APPS),
    Screen("studio", "desktop.ui.studio.view", "StudioView", Permission.MANAGE_APPS),
    Screen("knowledge", "desktop.ui.knowledge.view", "KnowledgeView", Permission.MANAGE_KNOWLEDGE),
    Screen("logs", "desktop.ui.logs.view", "LogsView", Permission.VIEW_LOGS),
    Screen("usage", "desktop.ui.usage", "UsageView", Permission.VIEW_LOGS),
    Screen("members", "desktop.ui.members", "MembersView", Permission.MANAGE_MEMBERS),
    Screen("settings", "desktop.ui.settings.view", "SettingsView", None),
)


def screen_label(key: str) -> str:
    labels = {
        "chat": QCoreApplication.translate("MainWindow", "Chat"),
        "studio": QCoreApplication.translate("MainWindow", "Studio"),
        "knowledge": QCoreApplication.translate("MainWindow", "Knowledge"),
        "logs": QCoreApplication.translate("MainWindow", "Logs"),
        "usage": QCoreApplication.translate("MainWindow", "Usage"),
        "members": QCoreApplication.translate("MainWindow", "Members"),
        "settings": QCoreApplication.translate("MainWindow", "Settings"),
    }
    return labels[key]


class ShellView(QWidget):
    """Sidebar + screens for the signed-in actor. Rebuilt on sign-in and language change."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.sidebar = QFrame(self)
        self.sidebar.setObjectName("kuraNavigation")
        self.sidebar.setFixedWidth(190)
        side = QVBoxLayout(self.sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        title = PlainLabel(self.tr("Kura 蔵"), self.sidebar)
        title.setObjectName("sidebarTitle")
        side.addWidget(title)
        self.stack = QStackedWidget(self)
        self.buttons: dict[str, QPushButton] = {}
        self.views: dict[str, View] = {}
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        for screen in self.visible_screens():
            button = QPushButton(screen_label(screen.key), self.sidebar)
            button.setObjectName(f"nav_{screen.key}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, key=screen.key: self.show_screen(key))
            if screen.key == "chat":
                button.setToolTip(self.tr("Chat (Ctrl+N starts a new chat)"))
            elif screen.key == "settings":
                button.setToolTip(self.tr("Settings (Ctrl+,)"))
            self._group.addButton(button)
            side.addWidget(button)
            self.buttons[screen.key] = button
        side.addStretch(1)
        ctx.screen_requested.connect(self._on_screen_requested)
        actor = ctx.peek_actor()
        self.user_id = actor.user_id if actor else None
        who = f"{actor.username} · {role_names()[actor.role]}" if actor else ""
        self.user_label = PlainLabel(who, self.sidebar)
        self.user_label.setObjectName("sidebarUser")
        side.addWidget(self.user_label)
        self.lock_button = QPushButton(self.tr("Lock"), self.sidebar)
        self.lock_button.setObjectName("lockButton")
        self.lock_button.setToolTip(self.tr("Lock now (Ctrl+L)"))
        self.lock_button.clicked.connect(ctx.lock)
        side.addWidget(self.lock_button)
        self.sign_out_button = QPushButton(self.tr("Sign out"), self.sidebar)
        self.sign_out_button.setObjectName("signOutButton")
        side.addWidget(self.sign_out_button)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)

    def _on_screen_requested(self, key: str, section: str) -> None:
        """A view asked for another screen (the empty Chat for Settings › Models)."""
        if key not in self.buttons:
            return
        view = self.show_screen(key)
        show_section = getattr(view, "show_section", None)
        if section and show_section is not None:
            with contextlib.suppress(KeyError):  # no such section for this role
                show_section(section)

    def visible_screens(self) -> list[Screen]:
        return [s for s in SCREENS if s.permission is None or self.ctx.can(s.permission)]

    def show_screen(self, key: str) -> View:
        view = self.views.get(key)
        if view is None:
            screen = next(s for s in SCREENS if s.key == key)
            module = importlib.import_module(screen.module)
            view = getattr(module, screen.cls)(self.ctx, self.stack)
            self.views[key] = view
            self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        self.buttons[key].setChecked(True)
        self.ctx.touch()
        view.activate()
        return view

    def teardown(self) -> None:
        for view in self.views.values():
            view.teardown()


class _ActivityFilter(QObject):
    """Any key or mouse input in the application counts as activity for the idle lock."""

    KINDS = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.KINDS:
            self._ctx.touch()
        return False


class MainWindow(QMainWindow):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("Kura"))
        self.resize(1200, 780)
        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self.wizard: FirstRunWizard | None = None
        self.login = LoginView(ctx, self.pages)
        self.login.signed_in.connect(self._on_login_signed_in)
        self.pages.addWidget(self.login)
        self.shell: ShellView | None = None
        self.warm_up_task: Task | None = None
        self.warm_pii_task: Task | None = None
        self._closing = False
        self.closed_cleanly: bool | None = None
        self._activity = _ActivityFilter(ctx)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._activity)
        ctx.session_did_lock.connect(self._on_ctx_locked)
        ctx.language_did_change.connect(self._on_ctx_language_changed)
        ctx.theme_did_change.connect(self._on_ctx_language_changed)  # the same rebuild
        self.shortcuts = {
            "lock": QShortcut(QKeySequence("Ctrl+L"), self, ctx.lock),
            "new_chat": QShortcut(QKeySequence("Ctrl+N"), self, self.new_chat),
            "settings": QShortcut(QKeySequence("Ctrl+,"), self, self.open_settings),
        }

    def start(self) -> None:
        """First run when no workspace exists here, else the sign-in screen."""
        QTimer.singleShot(WARM_UP_DELAY_MS, self, self._warm_up)
        if self.ctx.workspace_exists():
            self.ctx.attach()
            self.login.reset()
            self.pages.setCurrentWidget(self.login)
            return
        self.wizard = FirstRunWizard(self.ctx, self.pages)
        self.wizard.completed.connect(self._on_wizard_completed)
        self.pages.addWidget(self.wizard)
        self.pages.setCurrentWidget(self.wizard)
        self.wizard.start()

    # ------------------------------------------------------------------ shortcuts

    def _shown_shell(self) -> ShellView | None:
        """The workspace, when it is on screen (not behind the sign-in or first run)."""
        shell = self.shell
        return shell if shell is not None and self.pages.currentWidget() is shell else None

    def new_chat(self) -> None:
        """Ctrl+N: the Chat screen, with a new conversation of its current app."""
        shell = self._shown_shell()
        if shell is None or "chat" not in shell.buttons:
            return
        view = shell.show_screen("chat")
        sidebar = getattr(view, "sidebar", None)
        if sidebar is not None:
            sidebar.new_requested.emit()

    def open_settings(self) -> None:
        """Ctrl+,: the Settings screen."""
        shell = self._shown_shell()
        if shell is not None:
            shell.show_screen("settings")

    def _warm_up(self) -> None:
        """Import the model runtimes on the idle ingest lane once the window is up, so the
        first search, ingest or answer does not pause the window while they load."""
        if self._closing:
            return
        ctx = self.ctx
        self.warm_up_task = ctx.runner.run(
            Lane.INGEST,
            lambda lc: ctx.engines().preload(),
            on_failed=lambda exc: log.warning("preloading the model runtimes failed: %s", exc),
        )

    # ------------------------------------------------------------------ transitions

    def _open_shell(self, screen: str = "chat") -> ShellView:
        if self.shell is not None:
            self.shell.teardown()
            self.pages.removeWidget(self.shell)
            self.shell.deleteLater()
        self.shell = ShellView(self.ctx, self.pages)
        self.shell.sign_out_button.clicked.connect(self._on_shell_sign_out)
        self.pages.addWidget(self.shell)
        self.pages.setCurrentWidget(self.shell)
        keys = [s.key for s in self.shell.visible_screens()]
        self.shell.show_screen(screen if screen in keys else keys[0])
        self._warm_pii()
        return self.shell

    def _warm_pii(self) -> None:
        """Once signed in, load the personal-data detector's host (hundreds of MB, tens
        of seconds cold) on the idle ingest lane, only where a policy calls it."""
        actor, ctx = self.ctx.peek_actor(), self.ctx
        if actor is None:
            return

        def work(lc: LaneContext) -> None:
            if lc.ws.privacy.detector_needed(actor):
                ctx.engines().preload_pii()

        self.warm_pii_task = ctx.runner.run(
            Lane.INGEST,
            work,
            on_failed=lambda exc: log.warning("preloading the detector failed: %s", exc),
        )

    def _on_wizard_completed(self) -> None:
        wizard, self.wizard = self.wizard, None
        self._open_shell()
        if wizard is not None:
            wizard.deleteLater()

    def _on_login_signed_in(self) -> None:
        actor = self.ctx.peek_actor()
        if self.shell is not None and actor is not None and self.shell.user_id == actor.user_id:
            self.pages.setCurrentWidget(self.shell)  # unlocked: everything as it was
            return
        self._open_shell()

    def _on_ctx_locked(self) -> None:
        self.login.reset(locked_user=self.ctx.last_username, idle=self.ctx.locked_when_idle)
        self.pages.setCurrentWidget(self.login)

    def _on_shell_sign_out(self) -> None:
        self.ctx.lock()
        if self.shell is not None:
            self.shell.teardown()
            self.pages.removeWidget(self.shell)
            self.shell.deleteLater()
            self.shell = None
        self.login.reset()

    def _on_ctx_language_changed(self, _language: str) -> None:
        self.setWindowTitle(self.tr("Kura"))
        self.login.deleteLater()
        self.login = LoginView(self.ctx, self.pages)
        self.login.signed_in.connect(self._on_login_signed_in)
        self.pages.insertWidget(0, self.login)
        if self.shell is not None and self.ctx.signed_in:
            current = next(
                (k for k, v in self.shell.views.items() if v is self.shell.stack.currentWidget()),
                "settings",
            )
            self._open_shell(current)

    # ------------------------------------------------------------------ closing

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing:
            self._closing = True
            self.setEnabled(False)
            if self.shell is not None:
                self.shell.teardown()
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self._activity)
            self.closed_cleanly = self.ctx.shutdown(CLOSE_TIMEOUT_S)
            if not self.closed_cleanly:
                log.warning("some work did not stop within %.0f s of closing", CLOSE_TIMEOUT_S)
        event.accept()
