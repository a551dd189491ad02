"""Every file dialog Kura opens goes through desktop.ui.file_dialogs, which leaves no
history, last folder or recent-files list on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import desktop.ui

# A fresh process (Qt reads HOME and the XDG folders once), with none of the start-up's
# privacy settings: the helper alone must keep Qt from writing. The dialog is walked into
# a folder with a telling name and accepted with a file there, then destroyed.
_SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog
from desktop.ui import file_dialogs

app = QApplication([])
folder, name = sys.argv[1], sys.argv[2]

def pick():
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, QFileDialog) and dialog.isVisible():
            dialog.setDirectory(folder)
            dialog.selectFile(folder + "/" + name)
            dialog.done(QFileDialog.DialogCode.Accepted)

timer = QTimer(interval=100, timeout=pick)
timer.start()
print("picked", file_dialogs.open_file(None, "Choose", folder, "GGUF models (*.gguf)"))
print("saved", file_dialogs.save_file(None, "Save", folder))
timer.stop()
app.processEvents()
"""


def test_the_file_dialog_helper_leaves_nothing_on_disk(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    secret = tmp_path / "Project-NIGHTJAR-CANARY"
    secret.mkdir()
    (secret / "model.gguf").write_bytes(b"GGUF")
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(Path(desktop.ui.__file__).parents[2]),
    }
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(secret), "model.gguf"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = [p for p in home.rglob("*") if p.is_file()]
    assert written == []


def test_no_view_opens_a_file_dialog_of_its_own() -> None:
    ui = Path(desktop.ui.__file__).parent
    own = [
        str(p.relative_to(ui))
        for p in sorted(ui.rglob("*.py"))
        if p.name != "file_dialogs.py" and "QFileDialog" in p.read_text(encoding="utf-8")
    ]
    assert own == []
