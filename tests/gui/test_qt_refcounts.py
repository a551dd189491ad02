"""The Qt binding keeps Python's reference counts right.

PySide6 6.12.0 on Python 3.11 dropped one reference to ``None`` on every call of a Qt
method that returns nothing (``setEnabled``, ``setText``...): after enough clicks
``None`` was freed and Kura aborted with "none_dealloc" (the GUI suite aborted at exit).
Python 3.12 made ``None``, ``True`` and ``False`` immortal, which hides the bug there;
Kura runs on 3.11 as well, so the binding itself must be sound. The calls run in a
fresh process, so a broken binding fails this test instead of aborting the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import gc, json, sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel

app = QApplication([])
box, label = QCheckBox(), QLabel()

class Emitter(QObject):
    changed = Signal(bool)

emitter = Emitter()
seen = []
emitter.changed.connect(seen.append)
calls = {
    "void methods": lambda: (box.setEnabled(False), label.setText("x"), label.hide()),
    "bool results": lambda: (box.isChecked(), box.isEnabled(), label.isVisible()),
    "bool signal": lambda: (emitter.changed.emit(True), emitter.changed.emit(False)),
}
drift = {}
for name, call in calls.items():
    gc.collect()
    before = [sys.getrefcount(o) for o in (None, True, False)]
    for _ in range(2000):
        call()
    seen.clear()
    gc.collect()
    after = [sys.getrefcount(o) for o in (None, True, False)]
    drift[name] = [a - b for a, b in zip(after, before)]
print(json.dumps(drift))
"""


def test_qt_calls_leave_none_true_and_false_counted() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    drift = json.loads(proc.stdout.strip().splitlines()[-1])
    # 6000 calls per row: a binding that loses a reference per call drifts by thousands
    assert all(abs(d) < 100 for row in drift.values() for d in row), drift
