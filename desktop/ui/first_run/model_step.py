"""The wizard's last step: a first model, then a ready "General chat" app.

The bundled demo model is offered whenever its package is installed: when its GGUF is
not assembled yet, the step assembles it (on the db lane; a timer shows how much is
written) before registering it. Registering hashes the file (SHA-256) on the lane too.
With a model registered, the step creates "General chat" for the Owner through the apps
service (visible to all members, a short neutral system prompt) and emits ``done`` with
its id; skipping emits ``done`` with None.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop.core.chat_models import AppConfig, AppVisibility
from desktop.core.models import Actor
from desktop.ui import file_dialogs
from desktop.ui.context import DemoPackage, UiContext
from desktop.ui.errors import InlineMessage
from desktop.ui.plain import PlainLabel
from desktop.ui.tasks import Lane, LaneContext
from desktop.ui.widgets import page_title

DEMO_MODEL_NAME = "demo"  # a model name, not prose: the same in every language
POLL_MS = 200


class ModelStep(QWidget):
    done = Signal(object)  # the General chat app's id, or None when skipped

    def __init__(
        self, ctx: UiContext, message: InlineMessage, step: PlainLabel, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message = message
        self.demo_path: Path | None = None
        self.demo_package: DemoPackage | None = None
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(step)
        layout.addWidget(page_title(self.tr("Add a model"), self))
        body = PlainLabel(
            self.tr(
                "Chat apps answer with a local GGUF model. Register one now, or later in "
                "Settings. Kura checks the file's SHA-256 so a changed file is noticed. "
                "Kura then makes a ready “General chat” app with it."
            ),
            self,
        )
        body.setWordWrap(True)
        layout.addWidget(body)
        self.demo_button = QPushButton(self.tr("Use the bundled demo model"), self)
        self.demo_button.setObjectName("useDemoModel")
        self.pick_button = QPushButton(self.tr("Choose a GGUF file…"), self)
        self.pick_button.setObjectName("chooseModel")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("modelProgress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.demo_button)
        layout.addWidget(self.pick_button)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.skip_button = QPushButton(self.tr("Skip for now"), self)
        self.skip_button.setObjectName("skipModel")
        row.addStretch(1)
        row.addWidget(self.skip_button)
        layout.addLayout(row)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.pick_button.clicked.connect(self._on_pick_clicked)
        self.skip_button.clicked.connect(lambda: self.done.emit(None))

    def find_demo(self) -> None:
        """Look the demo model up (a file look-up: call on a lane)."""
        self.demo_path = self.ctx.backend.demo_model()
        self.demo_package = None if self.demo_path else self.ctx.backend.demo_package()

    def enter(self) -> None:
        self.demo_button.setVisible(self.demo_path is not None or self.demo_package is not None)

    # ------------------------------------------------------------------ choosing

    def _on_demo_clicked(self) -> None:
        if self.demo_path is not None:
            self.register_model_path(self.demo_path, DEMO_MODEL_NAME)
        elif self.demo_package is not None:
            self._assemble(self.demo_package)

    def _on_pick_clicked(self) -> None:
        path = file_dialogs.open_file(
            self, self.tr("Choose a GGUF model"), str(Path.home()), self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.register_model_path(Path(path), None)

    def _busy(self, busy: bool) -> None:
        for button in (self.demo_button, self.pick_button, self.skip_button):
            button.setEnabled(not busy)
        self.progress.setVisible(busy)

    def _assemble(self, package: DemoPackage) -> None:
        self._busy(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.message.show_info(self.tr("Unpacking the demo model…"))
        self._poll.start()
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: package.assemble(),
            on_done=self._on_assembled,
            on_failed=self._on_failed,
            owner=self,
            key="assemble",
        )

    def _on_poll_timeout(self) -> None:
        package = self.demo_package
        try:
            written = package.path.stat().st_size if package is not None else 0
        except OSError:
            written = 0
        size = package.size if package is not None else 1
        self.progress.setValue(min(100, written * 100 // max(size, 1)))

    def _on_assembled(self, path: Path) -> None:
        self._poll.stop()
        self.demo_path = path
        self.register_model_path(path, DEMO_MODEL_NAME)

    # ------------------------------------------------------------------ registering

    def register_model_path(self, path: Path | None, name: str | None) -> None:
        if path is None:
            return
        actor = self.ctx.actor()
        self._busy(True)
        self.progress.setRange(0, 0)
        self.message.show_info(self.tr("Checking {file}…").format(file=path.name))
        app_name = self.tr("General chat")
        instructions = self.tr(
            "You are a helpful assistant. Answer clearly and briefly, in the language of "
            "the question."
        )
        self.ctx.runner.run(
            Lane.DB,
            lambda lc: self._register(lc, actor, path, name, app_name, instructions),
            on_done=self.done.emit,
            on_failed=self._on_failed,
            owner=self,
            key="model",
        )

    @staticmethod
    def _register(
        lc: LaneContext, actor: Actor, path: Path, name: str | None, app: str, instructions: str
    ) -> int:
        model = lc.ws.models.register(actor, str(path), name=name, cancel=lc.token)
        config = AppConfig(
            name=app,
            model_id=model.id,
            instructions=instructions,
            visibility=AppVisibility.ALL,
        )
        return lc.ws.apps.create(actor, config).id

    def _on_failed(self, exc: BaseException) -> None:
        self._poll.stop()
        self._busy(False)
        self.enter()
        self.message.show_error(exc)
