"""Start the GUI: process guards, the QApplication, the style, the language, the window.

Logging goes to stderr only: Kura writes no plaintext file, log files included.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import app
from desktop.ui.context import Backend, UiContext
from desktop.ui.errors import show_error
from desktop.ui.i18n import Translations, system_language
from desktop.ui.main_window import MainWindow
from desktop.ui.privacy import keep_qt_from_writing
from desktop.ui.resources import resource_path
from desktop.ui.style import apply_theme

log = logging.getLogger("desktop")


class _FirstPaint(QObject):
    """Calls ``callback`` once, when the window has painted for the first time."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            callback, self._callback = self._callback, None
            QTimer.singleShot(0, callback)
        return False


#: Start-up measurement (tests/benchmarks/test_gui_startup.py, frozen or not): print a
#: line at the first paint and quit. It changes nothing else.
PROBE_ENV = "KURA_PROBE_FIRST_PAINT"


def _report_first_paint_and_quit() -> None:
    print("KURA_FIRST_PAINT", flush=True)
    QApplication.quit()


def _install_excepthooks(window: MainWindow) -> None:
    """Unexpected errors show a generic message with an incident id, never a traceback."""

    def on_main(exc: BaseException) -> None:
        show_error(window, exc)

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if threading.current_thread() is threading.main_thread():
            on_main(exc)
        else:
            log.error("unhandled error in a thread", exc_info=(kind, exc, tb))

    sys.excepthook = hook
    threading.excepthook = lambda args: log.error(
        "unhandled error in %s",
        args.thread.name if args.thread else "a thread",
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
    )


def create_application(argv: list[str] | None = None) -> QApplication:
    if QApplication.instance() is None:
        keep_qt_from_writing()
    qt_app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName("Kura")
    qt_app.setOrganizationName("Kura")
    apply_theme(qt_app, "system")  # each user's own theme once signed in
    icon = resource_path("icons", "kura.svg")
    if icon.exists():
        qt_app.setWindowIcon(QIcon(str(icon)))
    return qt_app


def build_window(backend: Backend, language: str | None = None) -> tuple[UiContext, MainWindow]:
    translations = Translations()
    translations.install(language or system_language())
    ctx = UiContext(backend, translations)
    window = MainWindow(ctx)
    return ctx, window


def main(
    data_dir: Path | None = None,
    *,
    on_first_paint: Callable[[], None] | None = None,
) -> int:
    app.bootstrap()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    qt_app = create_application()
    if on_first_paint is None and os.environ.get(PROBE_ENV) == "1":
        on_first_paint = _report_first_paint_and_quit
    _ctx, window = build_window(Backend.local(data_dir))
    if on_first_paint is not None:
        painter = _FirstPaint(on_first_paint)
        window.installEventFilter(painter)
    _install_excepthooks(window)
    window.start()
    window.show()
    return int(qt_app.exec())
