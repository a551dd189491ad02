"""pytest plugin: make PySide6 unimportable, proving the tested code is Qt-free.

``make test`` runs ``tests/unit`` once with ``-p tests.no_qt`` (STYLE.md: the core and
its adapters must work in an environment without PySide6).
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

BLOCKED = ("PySide6", "shiboken6", "pytestqt")


class _Blocker(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> None:
        if fullname.split(".", maxsplit=1)[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: this test run must be Qt-free")


sys.meta_path.insert(0, _Blocker())
