"""Qt writes no readable file: a file dialog's history and last folder go nowhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QFileDialog


def test_file_dialogs_leave_no_history_on_disk(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(home / sub))
    secret_dir = tmp_path / "Project-NIGHTJAR-CANARY"
    secret_dir.mkdir()
    assert QCoreApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)

    dialog = QFileDialog(None, "pick", str(secret_dir))
    dialog.setHistory([str(secret_dir)])
    dialog.deleteLater()
    del dialog
    qtbot.wait(10)  # let deleteLater run the destructor, which saves the dialog's state
    QCoreApplication.processEvents()

    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.setValue("probe", "NIGHTJAR-CANARY")
    settings.sync()
    assert settings.status() != QSettings.Status.NoError  # nowhere to write
    leaked = [p for p in home.rglob("*") if p.is_file() and b"NIGHTJAR-CANARY" in p.read_bytes()]
    assert leaked == []
