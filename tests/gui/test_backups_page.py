"""Settings → Backups over the real store: Back up now shows its progress and then the
last backup's line; the schedule is saved through the service; only the Owner sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSpinBox

from desktop.core.models import Role
from desktop.security import backup_file
from desktop.ui import file_dialogs
from desktop.ui.context import Backend, UiContext
from desktop.ui.settings.view import SettingsView
from tests.conftest import PEOPLE_PASSWORD
from tests.gui.conftest import open_direct, sign_in_as


@pytest.fixture
def view(qtbot: Any, owner_ctx: UiContext) -> Iterator[SettingsView]:
    made = SettingsView(owner_ctx)
    qtbot.addWidget(made)
    made.activate()
    yield made
    qtbot.waitUntil(lambda: not owner_ctx.runner.live_tasks(), timeout=10_000)
    made.teardown()


def test_back_up_now_with_progress_then_the_schedule(
    qtbot: Any,
    view: SettingsView,
    owner_ctx: UiContext,
    workspace: Backend,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = view.show_section("backups")
    last = page.findChild(QLabel, "lastBackupLabel")
    qtbot.waitUntil(lambda: last.text() == "No backup yet.", timeout=10_000)
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    monkeypatch.setattr(file_dialogs, "folder", lambda *_a, **_k: str(shelf))
    qtbot.mouseClick(
        page.findChild(QPushButton, "chooseBackupFolderButton"), Qt.MouseButton.LeftButton
    )
    progress = page.findChild(QLabel, "backupProgressLabel")
    shown: list[str] = []
    set_text = progress.setText
    monkeypatch.setattr(progress, "setText", lambda text: (shown.append(text), set_text(text)))
    button = page.findChild(QPushButton, "backupNowButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()  # one backup at a time
    qtbot.waitUntil(lambda: last.text() != "No backup yet.", timeout=30_000)
    assert "Exporting an encrypted snapshot…" in shown and progress.text() == ""
    made = sorted(shelf.iterdir())
    assert len(made) == 1 and made[0].name.startswith("kura-backup-")
    assert made[0].name in last.text() and button.isEnabled()
    assert backup_file.read_backup(made[0]).manifest["created_by"] == "owner"

    page.findChild(QComboBox, "backupEveryCombo").setCurrentIndex(2)  # weekly
    page.findChild(QSpinBox, "backupKeepSpin").setValue(4)
    qtbot.mouseClick(
        page.findChild(QPushButton, "saveBackupScheduleButton"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not owner_ctx.runner.live_tasks(), timeout=10_000)
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        schedule = ws.backup_schedule.get(owner)
    assert (schedule.folder, schedule.every, schedule.keep) == (str(shelf), "weekly", 4)


def test_only_the_owner_has_the_backups_page(qtbot: Any, make_ctx: Any, workspace: Backend) -> None:
    with open_direct(workspace) as ws:
        owner = ws.accounts.authenticate("owner", PEOPLE_PASSWORD)
        ws.accounts.add_user(owner, "ada", Role.ADMIN, PEOPLE_PASSWORD)
    ctx = make_ctx()
    ctx.attach()
    sign_in_as(ctx, workspace, "ada")
    admin_view = SettingsView(ctx)
    qtbot.addWidget(admin_view)
    assert "backups" not in admin_view.section_keys()
    admin_view.teardown()
